"""The rules a genogram must follow before it is saved. Pure: no database, plain dicts in.

The input is the shape `genogram_draw` takes (and the editor posts):

- people:    {"key": "P1", "name", "gender", "birth_year", "death_year", "deceased", "is_index", "in_household", ...}
- unions:    {"key": "U1", "partner_a": "P1", "partner_b": "P2" or "" (unknown), "kind", "since", "until"}
- children:  {"union": "U1", "child": "P3", "kind", "twin_group"}
- relations: {"person_a": "P1", "person_b": "P2", "kind", "note"}

`validate` returns the refusals as {"<list>-<row>-<field>": [messages]} (the names the editor's
formsets give their fields: "people-2-death_year"), or {"<list>": [...]} for a whole list
(e.g. "people" when no index person is marked). Empty dict: nothing is refused.

Refused: unknown or repeated keys, a person partnered with themselves, a death year before the
birth year, not exactly one index person, a child born before a parent or when the parent was
younger than MIN_PARENT_AGE, a person who would be their own ancestor (through any kind of
child link, adoption and fostering included), a child with two birth unions, a relation of a
person with themselves.

Not refused, only warned (`warnings`): fewer than MIN_GENERATIONS generations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dampingi.genograms.models import ChildKind, Gender, RelationKind, UnionKind

MIN_PARENT_AGE = 12
MIN_GENERATIONS = 3
MIN_YEAR = 1800
MAX_YEAR = 2200

Errors = dict[str, list[str]]


def _add(errors: Errors, key: str, message: str) -> None:
    errors.setdefault(key, [])
    if message not in errors[key]:
        errors[key].append(message)


def _key(value) -> str:
    return (value or "").strip() if isinstance(value, str) else ""


def parent_links(unions: Sequence[Mapping], children: Sequence[Mapping]) -> dict[str, set[str]]:
    """{parent key: {child keys}} for every child link (any kind), from the unions' partners."""
    partners = {_key(u.get("key")): [_key(u.get("partner_a")), _key(u.get("partner_b"))] for u in unions}
    graph: dict[str, set[str]] = defaultdict(set)
    for c in children:
        child = _key(c.get("child"))
        for parent in partners.get(_key(c.get("union")), []):
            if parent and child:
                graph[parent].add(child)
    return graph


def _descendants(graph: Mapping[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    stack = list(graph.get(start, ()))
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        stack.extend(graph.get(node, ()))
    return seen


def validate(
    people: Sequence[Mapping],
    unions: Sequence[Mapping] = (),
    children: Sequence[Mapping] = (),
    relations: Sequence[Mapping] = (),
) -> Errors:
    errors: Errors = {}
    by_key: dict[str, Mapping] = {}
    for i, p in enumerate(people):
        key = _key(p.get("key"))
        if not key:
            _add(errors, f"people-{i}-key", _("Give the person a key."))
        elif key in by_key:
            _add(errors, f"people-{i}-key", _("The key %(key)s is used twice.") % {"key": key})
        else:
            by_key[key] = p
        if not _key(p.get("name")):
            _add(errors, f"people-{i}-name", _("Give a name (or a description such as “father, unknown”)."))
        if p.get("gender", Gender.UNKNOWN) not in Gender.values:
            _add(errors, f"people-{i}-gender", _("Choose a gender from the list."))
        birth, death = p.get("birth_year"), p.get("death_year")
        for field, year in (("birth_year", birth), ("death_year", death)):
            if year is not None and not (MIN_YEAR <= year <= MAX_YEAR):
                _add(errors, f"people-{i}-{field}", _("Enter a year between 1800 and 2200."))
        if birth is not None and death is not None and death < birth:
            _add(errors, f"people-{i}-death_year", _("The year of death cannot be before the year of birth."))
    index_rows = [i for i, p in enumerate(people) if p.get("is_index")]
    if not index_rows:
        _add(errors, "people", _("Mark exactly one person as the index person (the client)."))
    for i in index_rows[1:]:
        _add(errors, f"people-{i}-is_index", _("Only one person can be the index person."))

    def known(field: str, value) -> bool:
        return _key(value) in by_key

    union_keys: dict[str, Mapping] = {}
    for i, u in enumerate(unions):
        key = _key(u.get("key"))
        if not key:
            _add(errors, f"unions-{i}-key", _("Give the union a key."))
        elif key in union_keys:
            _add(errors, f"unions-{i}-key", _("The key %(key)s is used twice.") % {"key": key})
        else:
            union_keys[key] = u
        a, b = _key(u.get("partner_a")), _key(u.get("partner_b"))
        if not known("partner_a", a):
            _add(errors, f"unions-{i}-partner_a", _("Choose a person from the list."))
        if b and not known("partner_b", b):
            _add(errors, f"unions-{i}-partner_b", _("Choose a person from the list."))
        if a and a == b:
            _add(errors, f"unions-{i}-partner_b", _("A person cannot be partnered with themselves."))
        if u.get("kind", UnionKind.MARRIAGE) not in UnionKind.values:
            _add(errors, f"unions-{i}-kind", _("Choose a kind of union from the list."))
        since, until = u.get("since"), u.get("until")
        if since is not None and until is not None and until < since:
            _add(errors, f"unions-{i}-until", _("The end cannot be before the start."))

    graph = parent_links([u for u in unions if _key(u.get("key")) in union_keys], children)
    birth_unions: dict[str, int] = {}
    seen_pairs: set[tuple[str, str]] = set()
    for i, c in enumerate(children):
        union_key, child = _key(c.get("union")), _key(c.get("child"))
        union = union_keys.get(union_key)
        if union is None:
            _add(errors, f"children-{i}-union", _("Choose a union from the list."))
        if child not in by_key:
            _add(errors, f"children-{i}-child", _("Choose a person from the list."))
        kind = c.get("kind", ChildKind.BIOLOGICAL)
        if kind not in ChildKind.values:
            _add(errors, f"children-{i}-kind", _("Choose a kind of child link from the list."))
        if union is None or child not in by_key:
            continue
        if (union_key, child) in seen_pairs:
            _add(errors, f"children-{i}-child", _("This child is already listed for this union."))
        seen_pairs.add((union_key, child))
        if kind == ChildKind.BIOLOGICAL:
            if child in birth_unions:
                _add(errors, f"children-{i}-kind", _("This person already has birth parents in another union."))
            birth_unions.setdefault(child, i)
        parents = [k for k in (_key(union.get("partner_a")), _key(union.get("partner_b"))) if k in by_key]
        descendants = _descendants(graph, child)
        for parent in parents:
            if parent == child or parent in descendants:
                _add(
                    errors,
                    f"children-{i}-child",
                    _("%(name)s would be their own ancestor.") % {"name": by_key[child].get("name") or child},
                )
                continue
            child_birth, parent_birth = by_key[child].get("birth_year"), by_key[parent].get("birth_year")
            if child_birth is None or parent_birth is None:
                continue
            params = {"child": by_key[child].get("name") or child, "parent": by_key[parent].get("name") or parent}
            if child_birth < parent_birth:
                _add(errors, f"children-{i}-child", _("%(child)s is born before their parent %(parent)s.") % params)
            elif child_birth - parent_birth < MIN_PARENT_AGE:
                _add(
                    errors,
                    f"children-{i}-child",
                    _("%(parent)s would have been younger than %(age)s at the birth of %(child)s.")
                    % {**params, "age": MIN_PARENT_AGE},
                )

    for i, r in enumerate(relations):
        a, b = _key(r.get("person_a")), _key(r.get("person_b"))
        if a not in by_key:
            _add(errors, f"relations-{i}-person_a", _("Choose a person from the list."))
        if b not in by_key:
            _add(errors, f"relations-{i}-person_b", _("Choose a person from the list."))
        if a and a == b:
            _add(errors, f"relations-{i}-person_b", _("A relationship needs two different people."))
        if r.get("kind") not in RelationKind.values:
            _add(errors, f"relations-{i}-kind", _("Choose a kind of relationship from the list."))
    return errors


def generation_count(people: Sequence[Mapping], unions: Sequence[Mapping], children: Sequence[Mapping]) -> int:
    """How many generations the longest line of descent spans (1 for people without children links).

    Expects input that `validate` accepted (no cycles); stops safely on a cycle anyway.
    """
    keys = [_key(p.get("key")) for p in people]
    if not keys:
        return 0
    graph = parent_links(unions, children)
    depth: dict[str, int] = {}

    def longest(node: str, path: frozenset[str]) -> int:
        if node in depth:
            return depth[node]
        best = 1
        for nxt in graph.get(node, ()):
            if nxt not in path:
                best = max(best, 1 + longest(nxt, path | {nxt}))
        depth[node] = best
        return best

    return max(longest(k, frozenset({k})) for k in keys)


def warnings(people: Sequence[Mapping], unions: Sequence[Mapping], children: Sequence[Mapping]) -> list[str]:
    """What the page points out without refusing: fewer than three generations drawn."""
    count = generation_count(people, unions, children)
    if count < MIN_GENERATIONS:
        return [
            ngettext(
                "Only %(count)s generation drawn: a genogram shows at least three. Add the grandparents, "
                "as “unknown” persons if their names are not known yet.",
                "Only %(count)s generations drawn: a genogram shows at least three. Add the grandparents, "
                "as “unknown” persons if their names are not known yet.",
                count,
            )
            % {"count": count}
        ]
    return []
