"""Reads of the genograms: one version as plain rows and as a drawing, comparisons, the printable
summary and the timeline entries. Visibility is the caller's business (pages fetch the case
with dampingi.cases.permissions.get_case_for_user_or_404 first).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dampingi.cases.models import Case
from dampingi.cases.phases import Phase
from dampingi.genograms import rules
from dampingi.genograms.drawing import layout_genogram, legend_items
from dampingi.genograms.models import (
    ChildKind,
    Gender,
    Genogram,
    GenogramChild,
    GenogramRelation,
    GenogramUnion,
    RelationKind,
    UnionKind,
)

ANCHOR = "genograms"


def with_content() -> QuerySet[Genogram]:
    """Genograms with everything a drawing needs: 5 queries for any number of versions."""
    return Genogram.objects.select_related("drawn_by").prefetch_related(
        "people",
        Prefetch(
            "unions",
            queryset=GenogramUnion.objects.select_related("partner_a", "partner_b").prefetch_related(
                Prefetch("children", queryset=GenogramChild.objects.select_related("child").order_by("id"))
            ),
        ),
        Prefetch("relations", queryset=GenogramRelation.objects.select_related("person_a", "person_b")),
    )


def genogram_for_case_or_404(case: Case, number: int) -> Genogram:
    try:
        return with_content().get(case=case, number=number)
    except Genogram.DoesNotExist:
        raise Http404 from None


def genogram_rows(genogram: Genogram) -> dict[str, list[dict[str, Any]]]:
    """The version as the plain rows `rules`, `drawing` and `genogram_draw` take (from prefetched content)."""
    people = [
        {
            "key": p.key,
            "name": p.name,
            "gender": p.gender,
            "birth_year": p.birth_year,
            "death_year": p.death_year,
            "deceased": p.deceased,
            "is_index": p.is_index,
            "in_household": p.in_household,
            "person_id": p.person_id,
            "note": p.note,
        }
        for p in sorted(genogram.people.all(), key=lambda p: p.pk)
    ]
    unions, children = [], []
    for u in sorted(genogram.unions.all(), key=lambda u: u.pk):
        unions.append(
            {
                "key": u.key,
                "partner_a": u.partner_a.key,
                "partner_b": u.partner_b.key if u.partner_b else "",
                "kind": u.kind,
                "since": u.since,
                "until": u.until,
            }
        )
        for c in u.children.all():
            children.append(
                {"union": u.key, "child": c.child.key, "kind": c.kind, "twin_group": c.twin_group, "_id": c.pk}
            )
    children.sort(key=lambda c: c.pop("_id"))
    relations = [
        {"person_a": r.person_a.key, "person_b": r.person_b.key, "kind": r.kind, "note": r.note}
        for r in sorted(genogram.relations.all(), key=lambda r: r.pk)
    ]
    return {"people": people, "unions": unions, "children": children, "relations": relations}


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def phase_label(value: str) -> str:
    return _label(Phase, value)


def _years(p: dict) -> str:
    if p["deceased"] or p["death_year"]:
        return "{}–{}".format(p["birth_year"] or "?", p["death_year"] or "?")
    return str(p["birth_year"] or "")


def tables(rows: dict[str, list[dict]]) -> dict[str, list[dict[str, Any]]]:
    """The table alternative of a drawing: every row with its labels (names instead of keys)."""
    names = {p["key"]: p["name"] for p in rows["people"]}
    unknown = _("unknown partner")

    def couple(u: dict) -> str:
        return "{} & {}".format(names.get(u["partner_a"], u["partner_a"]), names.get(u["partner_b"], unknown))

    union_names = {u["key"]: couple(u) for u in rows["unions"]}
    return {
        "people": [{**p, "gender_label": _label(Gender, p["gender"]), "years": _years(p)} for p in rows["people"]],
        "unions": [
            {
                **u,
                "couple": union_names[u["key"]],
                "kind_label": _label(UnionKind, u["kind"]),
                "period": ("{}–{}".format(u["since"] or "?", u["until"] or "")) if (u["since"] or u["until"]) else "",
            }
            for u in rows["unions"]
        ],
        "children": [
            {
                **c,
                "couple": union_names.get(c["union"], c["union"]),
                "child_name": names.get(c["child"], c["child"]),
                "kind_label": _label(ChildKind, c["kind"]),
            }
            for c in rows["children"]
        ],
        "relations": [
            {
                **r,
                "name_a": names.get(r["person_a"], r["person_a"]),
                "name_b": names.get(r["person_b"], r["person_b"]),
                "kind_label": _label(RelationKind, r["kind"]),
            }
            for r in rows["relations"]
        ],
    }


def genogram_view(genogram: Genogram) -> dict[str, Any]:
    """Everything the templates show of one version (no queries when the content is prefetched):

    {"genogram": Genogram, "number": int, "drawn_on": date, "drawn_by": User, "phase_label": str,
     "note": str, "rows": the plain rows, "table": `tables(rows)`, "layout": GenogramLayout | None,
     "legend": [LegendItem], "generations": int, "warnings": [str]}
    """
    rows = genogram_rows(genogram)
    layout = layout_genogram(rows["people"], rows["unions"], rows["children"], rows["relations"])
    return {
        "genogram": genogram,
        "number": genogram.number,
        "drawn_on": genogram.drawn_on,
        "drawn_by": genogram.drawn_by,
        "phase_label": phase_label(genogram.phase),
        "note": genogram.note,
        "rows": rows,
        "table": tables(rows),
        "layout": layout,
        "legend": legend_items(layout) if layout else [],
        "generations": rules.generation_count(rows["people"], rows["unions"], rows["children"]),
        "warnings": rules.warnings(rows["people"], rows["unions"], rows["children"]),
    }


# --- Comparison -------------------------------------------------------------------------------


def _identity(p: dict) -> tuple:
    """How a person is recognised across versions: the client-record link, else the name."""
    return ("person", p["person_id"]) if p.get("person_id") else ("name", " ".join(p["name"].lower().split()))


def compare_rows(old: dict[str, list[dict]], new: dict[str, list[dict]]) -> dict[str, list[str]]:
    """The differences between two versions as sentences, by section (empty lists: no change).

    People are matched by their client-record link or, failing that, by name (keys may differ
    between versions). Keys: "people" (added, removed), "deaths", "unions", "relations".
    """
    old_people = {_identity(p): p for p in old["people"]}
    new_people = {_identity(p): p for p in new["people"]}
    old_names = {p["key"]: _identity(p) for p in old["people"]}
    new_names = {p["key"]: _identity(p) for p in new["people"]}
    people, deaths, unions, relations = [], [], [], []
    for ident, p in new_people.items():
        if ident not in old_people:
            people.append(_("%(name)s added.") % {"name": p["name"]})
    for ident, p in old_people.items():
        if ident not in new_people:
            people.append(_("%(name)s removed.") % {"name": p["name"]})
    for ident, p in new_people.items():
        before = old_people.get(ident)
        if before is not None and p["deceased"] and not before["deceased"]:
            if p["death_year"]:
                deaths.append(_("%(name)s died (%(year)s).") % {"name": p["name"], "year": p["death_year"]})
            else:
                deaths.append(_("%(name)s died.") % {"name": p["name"]})
        if before is not None and p["in_household"] != before["in_household"]:
            message = _("%(name)s joined the household.") if p["in_household"] else _("%(name)s left the household.")
            people.append(message % {"name": p["name"]})

    def name_of(ident: tuple, rows: dict) -> str:
        return next((p["name"] for p in rows["people"] if _identity(p) == ident), "?")

    def union_map(rows: dict, keymap: dict) -> dict[frozenset, dict]:
        return {frozenset({keymap.get(u["partner_a"]), keymap.get(u["partner_b"]) or None}): u for u in rows["unions"]}

    old_unions, new_unions = union_map(old, old_names), union_map(new, new_names)

    def couple(pair: frozenset, rows: dict) -> str:
        names = [name_of(i, rows) for i in pair if i is not None]
        if len(names) == 1:
            names.append(_("unknown partner"))
        return " & ".join(sorted(names))

    for pair, u in new_unions.items():
        before = old_unions.get(pair)
        params = {"couple": couple(pair, new), "kind": _label(UnionKind, u["kind"])}
        if before is None:
            unions.append(_("New union: %(couple)s (%(kind)s).") % params)
        elif before["kind"] != u["kind"]:
            unions.append(_("%(couple)s: %(old)s → %(kind)s.") % {**params, "old": _label(UnionKind, before["kind"])})
    for pair in old_unions:
        if pair not in new_unions:
            unions.append(_("Union no longer shown: %(couple)s.") % {"couple": couple(pair, old)})

    def relation_map(rows: dict, keymap: dict) -> dict[tuple, dict]:
        return {(keymap.get(r["person_a"]), keymap.get(r["person_b"]), r["kind"]): r for r in rows["relations"]}

    old_rel, new_rel = relation_map(old, old_names), relation_map(new, new_names)
    for key in new_rel:
        if key not in old_rel:
            relations.append(
                _("New: %(a)s – %(b)s, %(kind)s.")
                % {"a": name_of(key[0], new), "b": name_of(key[1], new), "kind": _label(RelationKind, key[2])}
            )
    for key in old_rel:
        if key not in new_rel:
            relations.append(
                _("Ended: %(a)s – %(b)s, %(kind)s.")
                % {"a": name_of(key[0], old), "b": name_of(key[1], old), "kind": _label(RelationKind, key[2])}
            )
    return {"people": people, "deaths": deaths, "unions": unions, "relations": relations}


def has_changes(changes: dict[str, list[str]]) -> bool:
    return any(changes.values())


# --- The printable case summary ---------------------------------------------------------------


def genogram_summary(case: Case) -> dict[str, Any] | None:
    """What `genograms/_summary.html` needs for the printable case summary; None without a genogram.

    Returns {"first": view, "latest": view, "same": bool, "changes": {...}, "count": int} where a
    view is `genogram_view(...)` of the first (intake) and of the latest version (the same dict
    when there is only one version; "same" is then True), "changes" the `compare_rows` sentences
    from the first to the latest version (empty lists when "same"), and "count" the number of
    versions. Render `_summary.html` with the result as `summary` (and `case`):
    `{% include "genograms/_summary.html" with summary=genogram %}`. 6 queries at most, whatever
    the size of the genograms.
    """
    numbers = list(case.genograms.order_by("number").values_list("number", flat=True))
    if not numbers:
        return None
    wanted = {numbers[0], numbers[-1]}
    versions = {g.number: g for g in with_content().filter(case=case, number__in=wanted)}
    first = genogram_view(versions[numbers[0]])
    latest = first if len(wanted) == 1 else genogram_view(versions[numbers[-1]])
    same = latest is first
    changes = (
        {"people": [], "deaths": [], "unions": [], "relations": []}
        if same
        else compare_rows(first["rows"], latest["rows"])
    )
    return {"first": first, "latest": latest, "same": same, "changes": changes, "count": len(numbers)}


# --- The case timeline ------------------------------------------------------------------------


def timeline_entries(case: Case, *, newest_first: bool, upto: int | None) -> list[dict[str, Any]]:
    """One entry per genogram version drawn, in one query: the first `upto` in the given direction.

    Each entry: {"day": date drawn on, "at": aware datetime saved, "actor": User who drew it,
    "text": translated "Genogram version N drawn", "url": the version's page}.
    """
    direction = "-" if newest_first else ""
    qs = (
        Genogram.objects.filter(case=case)
        .select_related("drawn_by")
        .order_by(f"{direction}drawn_on", f"{direction}created_at", f"{direction}id")
    )
    if upto is not None:
        qs = qs[:upto]
    return [
        {
            "day": g.drawn_on,
            "at": timezone.localtime(g.created_at),
            "actor": g.drawn_by,
            "text": _("Genogram version %(number)s drawn") % {"number": g.number},
            "url": reverse("genograms:detail", args=[case.pk, g.number]),
        }
        for g in qs
    ]


# --- Prefill of the editor --------------------------------------------------------------------

HEAD_SIDE_PARENTS = ("parent", "sibling", "grandparent")


def rows_from_members(members: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """A first genogram from a client system's members (pure). Each member: {"person_id", "name",
    "sex" ("M"/"F"), "birth_date", "relationship" (Membership.Relationship), "is_head"}.

    Relationships are to the head of household: head + spouse(s) → marriage union(s) (several
    spouses: several unions); child / stepchild / adopted → children of the head's (first) union,
    biological or adopted (a stepchild is the biological child of the spouse's earlier union with
    an unknown partner); parent(s) → the head's parents' union, the head (and siblings) its
    children; parent-in-law → the spouse's parents; grandparent → a union above an "unknown"
    parent of the head (or above the only parent recorded); grandchild → child of the only child
    (with the child-in-law if there is exactly one), else of an "unknown" parent who is a child of
    the head's union. Everyone listed lives in the household; the index person is the "self"
    member, else the head. Unknown people are added with gender "unknown".
    """
    people: list[dict[str, Any]] = []
    unions: list[dict[str, Any]] = []
    children: list[dict[str, Any]] = []

    def add_person(name: str, *, gender: str = Gender.UNKNOWN, member: dict | None = None) -> str:
        key = f"P{len(people) + 1}"
        row = {
            "key": key,
            "name": name,
            "gender": gender,
            "birth_year": None,
            "death_year": None,
            "deceased": False,
            "is_index": False,
            "in_household": member is not None,
            "person_id": None,
            "note": "",
        }
        if member is not None:
            row["gender"] = {"M": Gender.MALE, "F": Gender.FEMALE}.get(member.get("sex"), Gender.UNKNOWN)
            row["birth_year"] = member["birth_date"].year if member.get("birth_date") else None
            row["person_id"] = member.get("person_id")
        people.append(row)
        return key

    def add_union(a: str, b: str = "", kind: str = UnionKind.MARRIAGE) -> str:
        key = f"U{len(unions) + 1}"
        unions.append({"key": key, "partner_a": a, "partner_b": b, "kind": kind, "since": None, "until": None})
        return key

    def add_child(union: str, child: str, kind: str = ChildKind.BIOLOGICAL) -> None:
        children.append({"union": union, "child": child, "kind": kind, "twin_group": ""})

    by_rel: dict[str, list[dict]] = {}
    for m in members:
        by_rel.setdefault(m["relationship"], []).append(m)
    head_member = next((m for m in members if m.get("is_head") or m["relationship"] == "head"), None)
    self_member = next((m for m in members if m["relationship"] == "self"), None)
    keys: dict[int, str] = {}

    def person_of(m: dict) -> str:
        ident = id(m)
        if ident not in keys:
            keys[ident] = add_person(m["name"], member=m)
        return keys[ident]

    anchor_member = head_member or self_member or (members[0] if members else None)
    if anchor_member is None:
        return {"people": [], "unions": [], "children": [], "relations": []}
    # Upper generations first, so keys read from the oldest down.
    parents = by_rel.get("parent", [])
    grandparents = by_rel.get("grandparent", [])
    in_laws = by_rel.get("parent_in_law", [])
    grandparent_union = None
    if grandparents:
        gp = [person_of(m) for m in grandparents[:2]]
        grandparent_union = add_union(gp[0], gp[1] if len(gp) > 1 else "")
        for extra in grandparents[2:]:
            person_of(extra)
    parent_keys = [person_of(m) for m in parents[:2]]
    for extra in parents[2:]:
        person_of(extra)
    if grandparent_union and not parent_keys:
        parent_keys = [add_person(str(_("parent (unknown)")))]
    if grandparent_union:
        add_child(grandparent_union, parent_keys[0])
    in_law_keys = [person_of(m) for m in in_laws[:2]]
    anchor = person_of(anchor_member)
    if parent_keys or by_rel.get("sibling"):
        if not parent_keys:
            parent_keys = [add_person(str(_("parent (unknown)")))]
        parents_union = add_union(parent_keys[0], parent_keys[1] if len(parent_keys) > 1 else "")
        add_child(parents_union, anchor)
        for m in by_rel.get("sibling", []):
            add_child(parents_union, person_of(m))
    spouses = [person_of(m) for m in by_rel.get("spouse", [])]
    if self_member is not None and self_member is not anchor_member:
        person_of(self_member)
    spouse_unions = [add_union(anchor, s) for s in spouses]
    if in_law_keys and spouses:
        in_law_union = add_union(in_law_keys[0], in_law_keys[1] if len(in_law_keys) > 1 else "")
        add_child(in_law_union, spouses[0])
    kids = by_rel.get("child", []) + by_rel.get("adopted", []) + by_rel.get("stepchild", [])
    grandkids = by_rel.get("grandchild", [])
    main_union = spouse_unions[0] if spouse_unions else None
    if (kids or grandkids) and main_union is None:
        main_union = add_union(anchor)
    step_union = None
    child_keys = []
    for m in sorted(kids, key=lambda m: (m.get("birth_date") is None, m.get("birth_date") or 0)):
        key = person_of(m)
        if m["relationship"] == "stepchild":
            if step_union is None:
                step_union = add_union(spouses[0] if spouses else anchor, "", UnionKind.SEPARATED)
            add_child(step_union, key)
        else:
            kind = ChildKind.ADOPTED if m["relationship"] == "adopted" else ChildKind.BIOLOGICAL
            add_child(main_union, key, kind)
            child_keys.append(key)
    in_law_children = [person_of(m) for m in by_rel.get("child_in_law", [])]
    if grandkids:
        if len(child_keys) == 1:
            parent_of_grandkids = child_keys[0]
        else:
            parent_of_grandkids = add_person(str(_("parent (unknown)")))
            add_child(main_union, parent_of_grandkids)
        grand_union = add_union(parent_of_grandkids, in_law_children[0] if len(in_law_children) == 1 else "")
        for m in grandkids:
            add_child(grand_union, person_of(m))
    elif len(child_keys) == 1 and len(in_law_children) == 1:
        add_union(child_keys[0], in_law_children[0])
    for m in members:
        person_of(m)
    index_member = self_member or anchor_member
    for p in people:
        if p["key"] == keys[id(index_member)]:
            p["is_index"] = True
    return {"people": people, "unions": unions, "children": children, "relations": []}


def editor_rows(case: Case) -> dict[str, list[dict[str, Any]]]:
    """What the editor of a new version starts from: the latest version, else the client system's members."""
    latest = with_content().filter(case=case).order_by("-number").first()
    if latest is not None:
        return genogram_rows(latest)
    memberships = case.client_system.memberships.select_related("person").order_by("-is_head", "id")
    members = [
        {
            "person_id": m.person_id,
            "name": m.person.full_name,
            "sex": m.person.sex,
            "birth_date": m.person.birth_date,
            "relationship": m.relationship,
            "is_head": m.is_head,
        }
        for m in memberships
    ]
    return rows_from_members(members)
