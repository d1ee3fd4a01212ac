"""Reads of the eco-maps: versions of a case, their drawings, comparisons, the printable summary and
the case timeline. Visibility is the caller's business (fetch the case with
`dampingi.cases.permissions.get_case_for_user_or_404` first); these functions only read the case
they are given.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dampingi.cases.models import Case, Stakeholder
from dampingi.cases.phases import Phase
from dampingi.clients.models import ClientSystem, Membership
from dampingi.ecomaps.drawing import DrawSystem, EcoMapLayout, layout_ecomap
from dampingi.ecomaps.models import Category, EcoMap, EcoSystem, Flow, Strength

ANCHOR = "ecomaps"


def phase_label(value: str) -> str:
    try:
        return str(Phase(value).label)
    except ValueError:
        return value


def ecomaps_of(case: Case) -> QuerySet[EcoMap]:
    """The versions of the case, oldest first, with who drew them (systems not loaded)."""
    return EcoMap.objects.filter(case=case).select_related("drawn_by").order_by("number")


def _with_systems(qs: QuerySet[EcoMap]) -> QuerySet[EcoMap]:
    return qs.prefetch_related(Prefetch("systems", queryset=EcoSystem.objects.order_by("order")))


def ecomap_for_case_or_404(case: Case, number: int) -> EcoMap:
    """Version `number` of the case with its systems prefetched, or 404."""
    try:
        return _with_systems(ecomaps_of(case)).get(number=number)
    except EcoMap.DoesNotExist:
        raise Http404 from None


def latest_ecomap(case: Case) -> EcoMap | None:
    """The newest version with its systems prefetched (2 queries), or None."""
    return _with_systems(ecomaps_of(case)).order_by("-number").first()


def draw_systems(systems: list[EcoSystem]) -> list[DrawSystem]:
    return [
        DrawSystem(
            name=s.name,
            category=s.category,
            category_label=s.get_category_display(),
            strength=s.strength,
            stressful=s.stressful,
            flow=s.flow,
            note=s.note,
        )
        for s in systems
    ]


def drawing_of(ecomap: EcoMap, systems: list[EcoSystem] | None = None, *, prefix: str = "ecomap") -> EcoMapLayout:
    """The layout of a version (no query when its systems are prefetched or given).

    `prefix` keeps the SVG ids unique when one page shows the same version twice."""
    if systems is None:
        systems = list(ecomap.systems.all())
    return layout_ecomap(
        centre=ecomap.centre,
        members=list(ecomap.household or []),
        systems=draw_systems(systems),
        uid=f"{prefix}-{ecomap.pk}",
    )


def version_context(
    ecomap: EcoMap, systems: list[EcoSystem] | None = None, *, prefix: str = "ecomap"
) -> dict[str, Any]:
    """What a page or the summary needs of one version: given `systems`, or its prefetched ones."""
    if systems is None:
        systems = list(ecomap.systems.all())
    return {
        "ecomap": ecomap,
        "systems": systems,
        "drawing": drawing_of(ecomap, systems, prefix=prefix),
        "phase_label": phase_label(ecomap.phase),
    }


def ecomap_summary(case: Case) -> dict[str, Any] | None:
    """The eco-maps of `case` for the printable case summary, or None when none has been drawn.

    Two queries (the versions, their systems), whatever the number of versions. Returns
    ``{"first": entry, "latest": entry, "same": bool}`` where ``first`` is version 1 (normally
    drawn at intake), ``latest`` the newest version and ``same`` is True when the case has only one
    version (then ``first`` and ``latest`` are the same entry). Each entry is a dict:

    - ``"ecomap"``: the `EcoMap` (``number``, ``drawn_on``, ``phase``, ``drawn_by`` loaded, ``note``),
    - ``"systems"``: its `EcoSystem` rows in drawing order (``get_category_display`` etc. work),
    - ``"drawing"``: its `drawing.EcoMapLayout` (the context `drawing` of ``ecomaps/_ecomap_svg.html``),
    - ``"phase_label"``: the translated name of the case phase when it was drawn.

    Render it with the template ``ecomaps/_summary.html``, whose only context variable is
    ``ecomap_summary`` (this dict, or None: the template then renders a short "no eco-map" line),
    e.g. ``{% include "ecomaps/_summary.html" with ecomap_summary=ecomaps only %}``. The template has
    no links, buttons or forms and uses only SVG presentation attributes (fit for WeasyPrint).
    Category and other labels are translated when the template is rendered, so activate the
    printout's language around the rendering. No permission check: fetch `case` for the user
    first.
    """
    numbers = EcoMap.objects.filter(case=OuterRef("case")).order_by().values("case")
    first = Subquery(numbers.annotate(n=Min("number")).values("n")[:1])
    last = Subquery(numbers.annotate(n=Max("number")).values("n")[:1])
    maps = list(_with_systems(ecomaps_of(case)).filter(Q(number=first) | Q(number=last)))
    if not maps:
        return None
    entries = [version_context(m, prefix="ecomap-summary") for m in maps]
    return {"first": entries[0], "latest": entries[-1], "same": len(entries) == 1}


def timeline_entries(case: Case, *, newest_first: bool, upto: int | None) -> list[dict[str, Any]]:
    """Eco-map versions as entries of the case timeline, in one query.

    Ordered by (drawn_on, created_at, id), newest first when `newest_first`; only the first `upto`
    entries in that direction (all when None). Each entry is a dict:
    ``{"day": date drawn (date), "at": created_at (aware datetime, when it was recorded),
    "actor": the User who drew it, "text": "Eco-map version N drawn" (translated in the active
    language), "url": the version's page}``.
    """
    keys = ["drawn_on", "created_at", "id"]
    qs = (
        EcoMap.objects.filter(case=case)
        .select_related("drawn_by")
        .order_by(*[("-" + k if newest_first else k) for k in keys])
    )
    if upto is not None:
        qs = qs[:upto]
    return [
        {
            "day": m.drawn_on,
            "at": m.created_at,
            "actor": m.drawn_by,
            "text": _("Eco-map version %(number)s drawn") % {"number": m.number},
            "url": reverse("ecomaps:detail", args=[case.pk, m.number]),
        }
        for m in qs
    ]


# --- Comparing two versions ---------------------------------------------------------------------

ADDED, REMOVED, CHANGED = "added", "removed", "changed"

_COMPARED = [
    ("strength", gettext_lazy("strength of the link")),
    ("stressful", gettext_lazy("stress")),
    ("flow", gettext_lazy("flow of energy")),
    ("category", gettext_lazy("kind of system")),
]


@dataclass
class Change:
    field: str
    label: Any
    old: str
    new: str


@dataclass
class Difference:
    kind: str  # ADDED | REMOVED | CHANGED
    name: str
    old: EcoSystem | None
    new: EcoSystem | None
    changes: list[Change]


def match_key(name: str) -> str:
    """Systems of two versions are the same system when their names match (case and spaces ignored)."""
    return " ".join(name.split()).casefold()


def _display(system: EcoSystem, field: str) -> str:
    if field == "stressful":
        return _("yes") if system.stressful else _("no")
    return str(getattr(system, f"get_{field}_display")())


def system_differences(old: list[EcoSystem], new: list[EcoSystem]) -> list[Difference]:
    """What changed from `old` to `new`: systems removed, added, and those whose link changed.

    Removed ones first (in the old order), then changed and added ones in the new order."""
    old_by_key = {match_key(s.name): s for s in old}
    new_keys = {match_key(s.name) for s in new}
    result = [Difference(REMOVED, s.name, s, None, []) for s in old if match_key(s.name) not in new_keys]
    for s in new:
        before = old_by_key.get(match_key(s.name))
        if before is None:
            result.append(Difference(ADDED, s.name, None, s, []))
            continue
        changes = [
            Change(field, label, _display(before, field), _display(s, field))
            for field, label in _COMPARED
            if getattr(before, field) != getattr(s, field)
        ]
        if changes:
            result.append(Difference(CHANGED, s.name, before, s, changes))
    return result


# --- Prefill of a new version -------------------------------------------------------------------

# Words in a stakeholder's organisation, name or role that tell the kind of system (first match wins).
_KEYWORDS: list[tuple[str, tuple[str, ...]]] = [
    (Category.LEGAL, ("pengadilan", "polisi", "polsek", "polres", "kejaksaan", "lbh", "bapas", "court", "police")),
    (Category.HEALTH, ("puskesmas", "rumah sakit", "rsud", "klinik", "posyandu", "bidan", "dokter", "hospital")),
    (Category.SCHOOL, ("sekolah", "sd", "sdn", "smp", "smpn", "sma", "sman", "smk", "madrasah", "mi", "mts", "guru")),
    (Category.RELIGION, ("masjid", "mushola", "musala", "gereja", "pura", "vihara", "pengajian", "ustadz", "majelis")),
    (Category.WELFARE, ("lks", "dinas sosial", "dinsos", "pkh", "tksk", "panti", "baznas", "lksa")),
    (Category.COMMUNITY, ("karang taruna", "pkk", "rt", "rw", "kelompok", "paguyuban", "komunitas")),
    (Category.WORK, ("pabrik", "toko", "majikan", "kantor", "perusahaan", "employer")),
    (Category.GOVERNMENT, ("desa", "kelurahan", "kecamatan", "dinas", "pemda", "dukcapil")),
]

_KIND_CATEGORY = {
    Stakeholder.Kind.FAMILY: Category.FAMILY,
    Stakeholder.Kind.ACADEMIC: Category.SCHOOL,
    Stakeholder.Kind.COMMUNITY: Category.COMMUNITY,
    Stakeholder.Kind.GOVERNMENT: Category.GOVERNMENT,
    Stakeholder.Kind.OTHER: Category.OTHER,
}


def stakeholder_category(stakeholder: Stakeholder) -> str:
    """The kind of system a stakeholder most likely is: its kind, refined by words in its organisation,
    name and role (a family member stays family)."""
    default = _KIND_CATEGORY.get(stakeholder.kind, Category.OTHER)
    if default == Category.FAMILY:
        return default
    words = re.findall(r"\w+", f"{stakeholder.organisation} {stakeholder.name} {stakeholder.role}".casefold())
    joined = f" {' '.join(words)} "
    for category, keywords in _KEYWORDS:
        if any(f" {keyword} " in joined for keyword in keywords):
            return category
    return default


def stakeholder_system_name(stakeholder: Stakeholder) -> str:
    if stakeholder.organisation:
        return f"{stakeholder.organisation} ({stakeholder.name})"[:150]
    return stakeholder.name[:150]


def _row(name: str, category: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "category": category,
        "strength": Strength.MODERATE,
        "stressful": False,
        "flow": Flow.NONE,
        "note": "",
        "stakeholder": None,
        "person": None,
        **extra,
    }


def prefill_systems(case: Case) -> tuple[list[dict[str, Any]], EcoMap | None]:
    """The rows a new version starts with, and the version they were copied from (or None).

    After a first version: that latest version's systems, as they were. For the first version:
    for an individual client, the other members of their client system as family systems; then the
    case's stakeholders (a family's household is the centre circle, so none of it is listed).
    """
    latest = latest_ecomap(case)
    if latest is not None:
        rows = [
            _row(
                s.name,
                s.category,
                strength=s.strength,
                stressful=s.stressful,
                flow=s.flow,
                note=s.note,
                stakeholder=s.stakeholder_id,
                person=s.person_id,
            )
            for s in latest.systems.all()
        ]
        return rows, latest
    rows = []
    seen: set[str] = set()

    def add(row: dict[str, Any]) -> None:
        key = match_key(row["name"])
        if key and key not in seen:
            seen.add(key)
            rows.append(row)

    client_system = case.client_system
    if client_system.kind == ClientSystem.Kind.INDIVIDUAL:
        others = (
            Membership.objects.filter(client_system=client_system)
            .exclude(relationship=Membership.Relationship.SELF)
            .select_related("person")
            .order_by("-is_head", "id")
        )
        for m in others:
            add(
                _row(
                    m.person.full_name[:150],
                    Category.FAMILY,
                    note=str(m.get_relationship_display()),
                    person=m.person_id,
                )
            )
    for s in Stakeholder.objects.filter(case=case).order_by("kind", "name", "id"):
        add(_row(stakeholder_system_name(s), stakeholder_category(s), note=s.role[:300], stakeholder=s.pk))
    return rows, None
