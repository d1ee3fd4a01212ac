"""Layout of a genogram for an inline SVG (McGoldrick, Gerson & Petry symbols). Pure: no database.

Input: the plain rows `rules` describes (people, unions, children, relations as dicts keyed by the
people's "P1"... and the unions' "U1"... keys). `layout_genogram` returns a `GenogramLayout` with
every shape already computed as SVG path data and presentation attributes (no CSS), so the same
SVG prints through WeasyPrint; None when there is nobody to draw.

Layout:
- Generations from ancestry: a child is one row below its lowest parent, partners share a row
  (the lower one wins), and parents without parents of their own are pulled down to sit just
  above their children (in-laws' parents).
- Each person's partners are laid out beside them: the first union's partner on the left, later
  ones on the right (remarriage, polygamy), so every union joins two neighbours. A union with an
  unknown partner is a short stub beside the person.
- Children hang below their union's line from a sibling bar, oldest on the left (unknown birth
  years keep their input order after the known ones); twins (same twin group) fork from one point.
  A family block is centred above its children; when it cannot be, the children's block is moved
  right (never left), so no two people ever share a position.
- Household members are enclosed by a dotted outline spanning, in each generation, from the
  leftmost to the rightmost member of the household.

Symbols: square male, circle female, diamond other gender, dashed square with "?" unknown; X inside
for deceased (years above); a second outline for the index person. Union lines: solid marriage,
dashed living together, one slash separated, two slashes divorced. Child lines: solid biological,
dashed adopted, dotted foster. Relations: see RELATION_STYLES.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from dampingi.assessments.problem_tree import wrap_label
from dampingi.genograms.models import ChildKind, Gender, RelationKind, UnionKind

SIZE = 36  # symbol width and height
HALF = SIZE // 2
SLOT = 104  # distance between the centres of neighbours in a row
ROW = 140  # distance between generations
MARGIN_X = 24
MARGIN_TOP = 16
RIGHT_ROOM = 56  # the years written to the right of the last person
NAME_CHARS = 14
INK = "#222222"
MUTED = "#666666"
HOUSEHOLD = "#2e6b4f"
STUB = 26  # length of the union line of a person with an unknown partner


@dataclass(frozen=True)
class Shape:
    """One <path>: data and presentation attributes."""

    d: str
    stroke: str = INK
    width: float = 1.5
    fill: str = "none"
    dash: str = ""
    kind: str = ""


@dataclass
class PersonNode:
    key: str
    name: str
    lines: list[str]
    gender: str
    generation: int
    x: int  # centre
    y: int  # centre
    deceased: bool = False
    is_index: bool = False
    in_household: bool = False
    years: str = ""
    shapes: list[Shape] = field(default_factory=list)
    question_mark: bool = False

    @property
    def top(self) -> int:
        return self.y - HALF

    @property
    def years_x(self) -> int:
        return self.x + 5

    @property
    def years_y(self) -> int:
        return self.y - HALF - 5

    @property
    def line_pairs(self) -> list[tuple[str, int]]:
        return [(line, self.y + HALF + 14 + 13 * i) for i, line in enumerate(self.lines)]


@dataclass
class UnionLine:
    key: str
    kind: str
    partners: tuple[str, str | None]
    shapes: list[Shape]
    label: str  # "1998–2005", for the tooltip
    labels: list[tuple[str, int, int, str]]  # (text, x, y, text-anchor): the start left of the drop line, the end right
    mid_x: int
    mid_y: int


@dataclass
class ChildLine:
    union: str
    child: str
    kind: str
    twin_group: str
    shapes: list[Shape]


@dataclass
class RelationLine:
    kind: str
    person_a: str
    person_b: str
    shapes: list[Shape]


@dataclass
class GenogramLayout:
    people: list[PersonNode]
    unions: list[UnionLine]
    children: list[ChildLine]
    relations: list[RelationLine]
    households: list[Shape]
    width: int
    height: int
    generations: int

    @property
    def min_width(self) -> int:
        """The narrowest the drawing is shown on screen (names stay readable); wider drawings scroll."""
        return min(self.width, int(self.width * 0.7))

    def person(self, key: str) -> PersonNode:
        return next(p for p in self.people if p.key == key)

    @property
    def relation_kinds(self) -> set[str]:
        return {r.kind for r in self.relations}


def _k(value) -> str:
    return (value or "").strip() if isinstance(value, str) else ""


# --- Symbols ----------------------------------------------------------------------------------


def _square(x: float, y: float, half: float) -> str:
    return f"M{x - half:g},{y - half:g} H{x + half:g} V{y + half:g} H{x - half:g} Z"


def _circle(x: float, y: float, r: float) -> str:
    return f"M{x - r:g},{y:g} A{r:g},{r:g} 0 1,0 {x + r:g},{y:g} A{r:g},{r:g} 0 1,0 {x - r:g},{y:g} Z"


def _diamond(x: float, y: float, half: float) -> str:
    return f"M{x:g},{y - half:g} L{x + half:g},{y:g} L{x:g},{y + half:g} L{x - half:g},{y:g} Z"


def symbol_shapes(gender: str, x: float, y: float, *, deceased: bool, is_index: bool) -> list[Shape]:
    """The outline(s) of a person's symbol, the X of a death, the second outline of the index person."""
    outline = {Gender.MALE: _square, Gender.FEMALE: _circle, Gender.OTHER: _diamond}.get(gender, _square)
    half = HALF if gender != Gender.OTHER else HALF + 3
    dash = "4 3" if gender not in (Gender.MALE, Gender.FEMALE, Gender.OTHER) else ""
    shapes = [Shape(outline(x, y, half), fill="#ffffff", width=2, dash=dash, kind="outline")]
    if is_index:
        shapes.append(Shape(outline(x, y, half - 5), width=2, dash=dash, kind="index-outline"))
    if deceased:
        h = HALF - 2 if gender != Gender.OTHER else HALF // 2 + 2
        shapes.append(
            Shape(f"M{x - h:g},{y - h:g} L{x + h:g},{y + h:g} M{x + h:g},{y - h:g} L{x - h:g},{y + h:g}", kind="death")
        )
    return shapes


def _years(p: Mapping) -> str:
    birth, death, deceased = p.get("birth_year"), p.get("death_year"), p.get("deceased") or p.get("death_year")
    if deceased:
        return f"{birth or '?'}–{death or '?'}"
    return str(birth) if birth else ""


# --- Generations ------------------------------------------------------------------------------


def generations(people: Sequence[Mapping], unions: Sequence[Mapping], children: Sequence[Mapping]) -> dict[str, int]:
    keys = [_k(p.get("key")) for p in people]
    gen = dict.fromkeys(keys, 0)
    partners_of = {
        _k(u.get("key")): [k for k in (_k(u.get("partner_a")), _k(u.get("partner_b"))) if k in gen] for u in unions
    }
    links = [(partners_of.get(_k(c.get("union")), []), _k(c.get("child"))) for c in children]
    links = [(ps, c) for ps, c in links if c in gen and ps]
    has_parents = {c for _ps, c in links}
    kids_of: dict[str, list[str]] = defaultdict(list)
    for ps, c in links:
        for p in ps:
            kids_of[p].append(c)
    limit = len(keys) + 2
    for _round in range(4 * limit):
        changed = False
        for ps in partners_of.values():
            if len(ps) == 2 and gen[ps[0]] != gen[ps[1]]:
                top = max(gen[ps[0]], gen[ps[1]])
                gen[ps[0]] = gen[ps[1]] = top
                changed = True
        for ps, c in links:
            for p in ps:
                if gen[c] < gen[p] + 1 and gen[p] + 1 <= limit:
                    gen[c] = gen[p] + 1
                    changed = True
        # Parents without parents of their own sit just above their (highest) child.
        for p, kids in kids_of.items():
            if p in has_parents:
                continue
            want = min(gen[c] for c in kids) - 1
            if want > gen[p] and not any(q in has_parents for ps in partners_of.values() if p in ps for q in ps):
                gen[p] = want
                changed = True
        if not changed:
            break
    low = min(gen.values(), default=0)
    return {k: v - low for k, v in gen.items()}


# --- Layout -----------------------------------------------------------------------------------


def _row_top(generation: int) -> int:
    return MARGIN_TOP + generation * ROW


def _centre_y(generation: int) -> int:
    return _row_top(generation) + 20 + HALF


def layout_genogram(
    people: Sequence[Mapping],
    unions: Sequence[Mapping] = (),
    children: Sequence[Mapping] = (),
    relations: Sequence[Mapping] = (),
) -> GenogramLayout | None:
    """Position everyone and compute every line; None without people. Input as `rules.validate` accepts."""
    if not people:
        return None
    by_key = {_k(p.get("key")): p for p in people}
    order = {k: i for i, k in enumerate(by_key)}
    unions = [u for u in unions if _k(u.get("partner_a")) in by_key]
    union_by_key = {_k(u.get("key")): u for u in unions}
    children = [c for c in children if _k(c.get("union")) in union_by_key and _k(c.get("child")) in by_key]
    gen = generations(people, unions, children)

    unions_of: dict[str, list[str]] = defaultdict(list)
    for u in unions:
        for p in (_k(u.get("partner_a")), _k(u.get("partner_b"))):
            if p in by_key:
                unions_of[p].append(_k(u.get("key")))
    kids_of_union: dict[str, list[Mapping]] = defaultdict(list)
    for c in children:
        kids_of_union[_k(c.get("union"))].append(c)

    def birth_order(c: Mapping) -> tuple:
        year = by_key[_k(c.get("child"))].get("birth_year")
        return (year is None, year or 0, order[_k(c.get("child"))])

    def partner(union_key: str, person: str) -> str | None:
        u = union_by_key[union_key]
        a, b = _k(u.get("partner_a")), _k(u.get("partner_b"))
        other = b if a == person else a
        return other if other in by_key and other != person else None

    x: dict[str, float] = {}
    reserved: set[str] = set()
    next_x: dict[int, float] = defaultdict(lambda: float(MARGIN_X + HALF + STUB))

    def cluster_of(person: str) -> list[str]:
        chain = [person]
        taken = {person}

        def expand(who: str, leftwards: bool, skip_first: bool) -> None:
            keys = unions_of[who][1:] if skip_first else unions_of[who]
            for uk in keys:
                other = partner(uk, who)
                if other is None or other in taken or other in reserved or gen[other] != gen[who]:
                    continue
                taken.add(other)
                if leftwards:
                    chain.insert(0, other)
                else:
                    chain.append(other)
                expand(other, leftwards, skip_first=False)

        first = unions_of[person][:1]
        if first:
            other = partner(first[0], person)
            if other is not None and other not in reserved and gen[other] == gen[person]:
                taken.add(other)
                chain.insert(0, other)
                expand(other, True, skip_first=False)
        expand(person, False, skip_first=True)
        return chain

    def place(person: str) -> list[str]:
        cluster = cluster_of(person)
        reserved.update(cluster)
        g = gen[person]
        placed: list[str] = []
        kid_xs: list[float] = []
        seen_unions: list[str] = []
        for member in cluster:
            for uk in unions_of[member]:
                if uk not in seen_unions:
                    seen_unions.append(uk)
        for uk in seen_unions:
            for c in sorted(kids_of_union[uk], key=birth_order):
                kid = _k(c.get("child"))
                if kid in reserved:
                    continue
                placed.extend(place(kid))
                kid_xs.append(x[kid])
        width = (len(cluster) - 1) * SLOT
        left = next_x[g]
        if kid_xs:
            wanted = (min(kid_xs) + max(kid_xs)) / 2 - width / 2
            if wanted >= left:
                left = wanted
            else:
                shift = left - wanted
                for k in placed:
                    x[k] += shift
                for k in placed:
                    next_x[gen[k]] = max(next_x[gen[k]], x[k] + SLOT)
        for i, member in enumerate(cluster):
            x[member] = left + i * SLOT
        next_x[g] = max(next_x[g], left + width + SLOT)
        return cluster + placed

    for key in sorted(by_key, key=lambda k: (gen[k], order[k])):
        if key not in reserved:
            place(key)

    nodes: dict[str, PersonNode] = {}
    for key, p in by_key.items():
        cx, cy = round(x[key]), _centre_y(gen[key])
        gender = p.get("gender") or Gender.UNKNOWN
        deceased = bool(p.get("deceased") or p.get("death_year"))
        nodes[key] = PersonNode(
            key=key,
            name=p.get("name") or key,
            lines=wrap_label(p.get("name") or key, width=NAME_CHARS, max_lines=2),
            gender=gender,
            generation=gen[key],
            x=cx,
            y=cy,
            deceased=deceased,
            is_index=bool(p.get("is_index")),
            in_household=bool(p.get("in_household")),
            years=_years(p),
            shapes=symbol_shapes(gender, cx, cy, deceased=deceased, is_index=bool(p.get("is_index"))),
            question_mark=gender not in (Gender.MALE, Gender.FEMALE, Gender.OTHER),
        )

    union_lines: dict[str, UnionLine] = {}
    stubs: dict[str, int] = defaultdict(int)
    for u in unions:
        uk = _k(u.get("key"))
        a = nodes[_k(u.get("partner_a"))]
        b = nodes.get(_k(u.get("partner_b")))
        union_lines[uk] = _union_line(u, a, b, stubs)

    child_lines: list[ChildLine] = []
    bar_index: dict[int, int] = defaultdict(int)
    for uk, kids in kids_of_union.items():
        if not kids:
            continue
        line = union_lines[uk]
        kid_nodes = [(c, nodes[_k(c.get("child"))]) for c in sorted(kids, key=birth_order)]
        child_gen = min(n.generation for _c, n in kid_nodes)
        k = bar_index[child_gen] % 4
        bar_index[child_gen] += 1
        bar_y = _row_top(child_gen) - 6 - 8 * k
        child_lines.extend(_child_lines(uk, line, kid_nodes, bar_y))

    relation_lines = []
    pair_count: dict[frozenset, int] = defaultdict(int)
    row_order = {
        key: sorted((n for n in nodes.values() if n.generation == node.generation), key=lambda n: n.x).index(node)
        for key, node in nodes.items()
    }
    for r in relations:
        a, b = nodes.get(_k(r.get("person_a"))), nodes.get(_k(r.get("person_b")))
        kind = r.get("kind")
        if a is None or b is None or a.key == b.key or kind not in RelationKind.values:
            continue
        pair = frozenset((a.key, b.key))
        nth = pair_count[pair]
        pair_count[pair] += 1
        adjacent = a.generation == b.generation and abs(row_order[a.key] - row_order[b.key]) == 1
        relation_lines.append(
            RelationLine(kind, a.key, b.key, relation_shapes(kind, *_relation_segment(a, b, nth, adjacent)))
        )

    households = _household_outlines(list(nodes.values()))
    width = max(n.x for n in nodes.values()) + HALF + RIGHT_ROOM + MARGIN_X
    for line in union_lines.values():
        width = max(width, *(x + 40 for _t, x, _y, _a in line.labels), 0)
    deepest = max(n.generation for n in nodes.values())
    height = _row_top(deepest) + 20 + SIZE + 14 + 13 * 2 + 14
    people_sorted = sorted(nodes.values(), key=lambda n: (n.generation, n.x))
    return GenogramLayout(
        people=people_sorted,
        unions=list(union_lines.values()),
        children=child_lines,
        relations=relation_lines,
        households=households,
        width=int(width),
        height=int(height),
        generations=deepest + 1,
    )


def _union_line(u: Mapping, a: PersonNode, b: PersonNode | None, stubs: dict[str, int]) -> UnionLine:
    kind = u.get("kind") or UnionKind.MARRIAGE
    y = a.y
    if b is not None and b.y == a.y:
        left, right = (a, b) if a.x <= b.x else (b, a)
        x1, x2 = left.x + HALF, right.x - HALF
        if right.x - left.x > SLOT + 1:  # not neighbours: below the symbols, beneath the names
            y = a.y + HALF + 44
            d = f"M{left.x},{a.y + HALF} V{y} H{right.x} V{a.y + HALF}"
            x1, x2 = left.x, right.x
        else:
            d = f"M{x1},{y} H{x2}"
    elif b is not None:  # partners in different rows (should not happen after layout): a plain link
        x1, x2 = a.x, b.x
        d = f"M{a.x},{a.y + HALF} L{b.x},{b.y + HALF}"
        y = (a.y + b.y) // 2
    else:
        side = 1 if stubs[a.key] % 2 == 0 else -1
        stubs[a.key] += 1
        x1 = a.x + side * HALF
        x2 = x1 + side * STUB
        d = f"M{x1},{y} H{x2}"
        x1, x2 = min(x1, x2), max(x1, x2)
    mid_x = (x1 + x2) // 2 if b is not None else (x2 if x2 > a.x else x1)
    shapes = [Shape(d, dash="6 4" if kind == UnionKind.COHABITATION else "", width=2, kind="union")]
    slashes = {UnionKind.SEPARATED: [0], UnionKind.DIVORCED: [-4, 4]}.get(kind, [])
    sx = (x1 + x2) // 2 if b is not None else mid_x
    for off in slashes:
        sx2 = sx + off + (8 if b is not None else 0) * (1 if b is not None else 0)
        shapes.append(Shape(f"M{sx2 - 4},{y + 7} L{sx2 + 4},{y - 7}", width=2, kind="slash"))
    since, until = u.get("since"), u.get("until")
    label = f"{since or '?'}–{until}" if until else (str(since) if since else "")
    labels = []
    if since:
        labels.append((str(since), mid_x - 3, y + 11, "end"))
    if until:
        labels.append((f"–{until}", mid_x + 3, y + 11, "start"))
    return UnionLine(
        key=_k(u.get("key")),
        kind=kind,
        partners=(a.key, b.key if b else None),
        shapes=shapes,
        label=label,
        labels=labels,
        mid_x=mid_x,
        mid_y=y,
    )


def _child_lines(uk: str, line: UnionLine, kid_nodes: list[tuple[Mapping, PersonNode]], bar_y: int) -> list[ChildLine]:
    result: list[ChildLine] = []
    groups: dict[str, list[PersonNode]] = defaultdict(list)
    for c, n in kid_nodes:
        if _k(c.get("twin_group")):
            groups[_k(c.get("twin_group"))].append(n)
    fork_x = {g: sum(n.x for n in ns) // len(ns) for g, ns in groups.items() if len(ns) > 1}
    xs = [line.mid_x]
    for c, n in kid_nodes:
        group = _k(c.get("twin_group"))
        xs.append(fork_x.get(group, n.x))
    # The descent from the union and the sibling bar belong to the first child's line.
    trunk = Shape(f"M{line.mid_x},{line.mid_y} V{bar_y} M{min(xs)},{bar_y} H{max(xs)}", width=1.5, kind="trunk")
    for i, (c, n) in enumerate(kid_nodes):
        kind = c.get("kind") or ChildKind.BIOLOGICAL
        group = _k(c.get("twin_group"))
        start = fork_x.get(group, n.x)
        dash = {ChildKind.ADOPTED: "6 4", ChildKind.FOSTER: "2 3"}.get(kind, "")
        d = f"M{start},{bar_y} L{n.x},{n.top}"
        shapes = ([trunk] if i == 0 else []) + [Shape(d, dash=dash, width=1.5, kind=f"child-{kind}")]
        result.append(ChildLine(uk, n.key, kind, group if group in fork_x else "", shapes))
    return result


# --- Relations --------------------------------------------------------------------------------

RED = "#b3261e"
DARK_RED = "#7a1010"
BLUE = "#1f5fa8"
GREEN = "#1d6b3a"

# kind -> (colour, description of the drawing) for the legend and the docs.
RELATION_STYLES = {
    RelationKind.CLOSE: BLUE,
    RelationKind.FUSED: BLUE,
    RelationKind.DISTANT: MUTED,
    RelationKind.CONFLICT: RED,
    RelationKind.CLOSE_HOSTILE: RED,
    RelationKind.CUT_OFF: INK,
    RelationKind.PHYSICAL_ABUSE: DARK_RED,
    RelationKind.EMOTIONAL_ABUSE: DARK_RED,
    RelationKind.SEXUAL_ABUSE: DARK_RED,
    RelationKind.CARETAKER: GREEN,
}


def _relation_segment(a: PersonNode, b: PersonNode, nth: int, adjacent: bool) -> tuple[float, ...]:
    """The segment a relation is drawn along, clear of the symbols and of the union line."""
    if a.generation == b.generation:
        y = a.y - 11 + (8 * nth if nth else 0) if adjacent else a.y - 11 - 8 * nth
        sign = 1 if b.x > a.x else -1
        return (a.x + sign * (HALF + 3), y, b.x - sign * (HALF + 3), y)
    length = math.hypot(b.x - a.x, b.y - a.y)
    ux, uy = (b.x - a.x) / length, (b.y - a.y) / length
    trim = HALF + 5
    off = 8 * nth
    return (
        a.x + ux * trim - uy * off,
        a.y + uy * trim + ux * off,
        b.x - ux * trim - uy * off,
        b.y - uy * trim + ux * off,
    )


def _offset(x1, y1, x2, y2, d) -> tuple[float, float, float, float]:
    length = math.hypot(x2 - x1, y2 - y1) or 1
    nx, ny = -(y2 - y1) / length * d, (x2 - x1) / length * d
    return x1 + nx, y1 + ny, x2 + nx, y2 + ny


def _line(x1, y1, x2, y2) -> str:
    return f"M{x1:.1f},{y1:.1f} L{x2:.1f},{y2:.1f}"


def _zigzag(x1, y1, x2, y2, amplitude: float = 4, step: float = 7) -> str:
    length = math.hypot(x2 - x1, y2 - y1) or 1
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    nx, ny = -uy, ux
    n = max(2, int(length // step))
    points = [f"M{x1:.1f},{y1:.1f}"]
    for i in range(1, n):
        t = length * i / n
        side = amplitude if i % 2 else -amplitude
        points.append(f"L{x1 + ux * t + nx * side:.1f},{y1 + uy * t + ny * side:.1f}")
    points.append(f"L{x2:.1f},{y2:.1f}")
    return " ".join(points)


def _arrowhead(x1, y1, x2, y2, size: float = 8) -> str:
    length = math.hypot(x2 - x1, y2 - y1) or 1
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    bx, by = x2 - ux * size, y2 - uy * size
    return (
        f"M{x2:.1f},{y2:.1f} L{bx - uy * size / 2:.1f},{by + ux * size / 2:.1f} "
        f"L{bx + uy * size / 2:.1f},{by - ux * size / 2:.1f} Z"
    )


def relation_shapes(kind: str, x1: float, y1: float, x2: float, y2: float) -> list[Shape]:
    """The strokes of one emotional relationship along the segment (x1, y1) → (x2, y2)."""
    colour = RELATION_STYLES.get(kind, INK)
    seg = (x1, y1, x2, y2)
    if kind == RelationKind.CLOSE:
        return [Shape(_line(*_offset(*seg, d)), stroke=colour, width=1.2, kind=kind) for d in (-2.5, 2.5)]
    if kind == RelationKind.FUSED:
        return [Shape(_line(*_offset(*seg, d)), stroke=colour, width=1.2, kind=kind) for d in (-4, 0, 4)]
    if kind == RelationKind.DISTANT:
        return [Shape(_line(*seg), stroke=colour, width=1.5, dash="3 5", kind=kind)]
    if kind == RelationKind.CONFLICT:
        return [Shape(_zigzag(*seg), stroke=colour, width=1.5, kind=kind)]
    if kind == RelationKind.CLOSE_HOSTILE:
        return [Shape(_line(*_offset(*seg, d)), stroke=BLUE, width=1.2, kind=kind) for d in (-5, 5)] + [
            Shape(_zigzag(*seg, amplitude=3), stroke=colour, width=1.5, kind=kind)
        ]
    if kind == RelationKind.CUT_OFF:
        length = math.hypot(x2 - x1, y2 - y1) or 1
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        gap = 5
        d = f"{_line(x1, y1, mx - ux * gap, my - uy * gap)} {_line(mx + ux * gap, my + uy * gap, x2, y2)}"
        bars = " ".join(
            _line(*_offset(mx + ux * s - uy * 7, my + uy * s + ux * 7, mx + ux * s + uy * 7, my + uy * s - ux * 7, 0))
            for s in (-gap, gap)
        )
        return [Shape(d, stroke=colour, width=1.5, kind=kind), Shape(bars, stroke=colour, width=2, kind=kind)]
    if kind in (RelationKind.PHYSICAL_ABUSE, RelationKind.EMOTIONAL_ABUSE, RelationKind.SEXUAL_ABUSE):
        length = math.hypot(x2 - x1, y2 - y1) or 1
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        ex, ey = x2 - ux * 8, y2 - uy * 8
        shapes = []
        if kind == RelationKind.PHYSICAL_ABUSE:
            shapes.append(Shape(_zigzag(x1, y1, ex, ey, amplitude=5, step=6), stroke=colour, width=2.5, kind=kind))
        elif kind == RelationKind.EMOTIONAL_ABUSE:
            shapes.append(Shape(_zigzag(x1, y1, ex, ey, amplitude=4), stroke=colour, width=1.5, dash="5 3", kind=kind))
        else:
            shapes.append(Shape(_zigzag(x1, y1, ex, ey, amplitude=4), stroke=colour, width=1.5, kind=kind))
            shapes.extend(Shape(_line(*_offset(x1, y1, ex, ey, d)), stroke=colour, width=1, kind=kind) for d in (-6, 6))
        shapes.append(Shape(_arrowhead(x1, y1, x2, y2), stroke=colour, width=1, fill=colour, kind=kind))
        return shapes
    if kind == RelationKind.CARETAKER:
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        return [
            Shape(_line(x1, y1, x2 - (x2 - x1) * 0.05, y2 - (y2 - y1) * 0.05), stroke=colour, width=2, kind=kind),
            Shape(_arrowhead(x1, y1, x2, y2), stroke=colour, width=1, fill=colour, kind=kind),
            Shape(_circle(mx, my, 4), stroke=colour, width=1.5, fill="#ffffff", kind=kind),
        ]
    return [Shape(_line(*seg), stroke=colour, kind=kind)]


# --- Household --------------------------------------------------------------------------------


def _household_outlines(nodes: list[PersonNode]) -> list[Shape]:
    rows: dict[int, list[int]] = defaultdict(list)
    for n in nodes:
        if n.in_household:
            rows[n.generation].append(n.x)
    if not rows:
        return []
    runs: list[list[int]] = []
    for g in sorted(rows):
        if runs and runs[-1][-1] == g - 1:
            runs[-1].append(g)
        else:
            runs.append([g])
    outlines = []
    pad = 50
    for run in runs:
        bands = [
            (min(rows[g]) - pad, max(rows[g]) + pad, _row_top(g) - 2, _row_top(g) + 20 + SIZE + 14 + 13 * 2 + 2)
            for g in run
        ]
        # consecutive bands touch: the bottom of one is the top of the next
        for i in range(len(bands) - 1):
            left, right, top, _bottom = bands[i]
            bands[i] = (left, right, top, bands[i + 1][2])
        points = []
        for _left, right, top, bottom in bands:
            points += [(right, top), (right, bottom)]
        for left, _right, top, bottom in reversed(bands):
            points += [(left, bottom), (left, top)]
        d = "M" + " L".join(f"{px},{py}" for px, py in points) + " Z"
        outlines.append(Shape(d, stroke=HOUSEHOLD, width=1.5, dash="2 4", kind="household"))
    return outlines


# --- Legend -----------------------------------------------------------------------------------


@dataclass
class LegendItem:
    key: str
    shapes: list[Shape]
    question_mark: bool = False

    @property
    def label(self) -> str:
        return str(LEGEND_LABELS.get(self.key, self.key))


LEGEND_LABELS = {
    Gender.MALE: _("male (square)"),
    Gender.FEMALE: _("female (circle)"),
    Gender.OTHER: _("other gender (diamond)"),
    Gender.UNKNOWN: _("gender unknown (dashed square with ?)"),
    "deceased": _("deceased (X; years of birth and death above)"),
    "index": _("index person (double outline)"),
    "household": _("household (dotted outline)"),
    "twins": _("twins (forked from one point)"),
    **{f"union-{k}": v for k, v in UnionKind.choices},
    f"union-{UnionKind.SEPARATED}": _("separated (one slash)"),
    f"union-{UnionKind.DIVORCED}": _("divorced (two slashes)"),
    f"union-{UnionKind.COHABITATION}": _("living together (dashed)"),
    f"child-{ChildKind.BIOLOGICAL}": _("biological child (solid)"),
    f"child-{ChildKind.ADOPTED}": _("adopted child, anak angkat (dashed)"),
    f"child-{ChildKind.FOSTER}": _("foster child (dotted)"),
    **{f"relation-{k}": v for k, v in RelationKind.choices},
    f"relation-{RelationKind.PHYSICAL_ABUSE}": _("physical abuse (arrow to the person harmed)"),
    f"relation-{RelationKind.EMOTIONAL_ABUSE}": _("emotional abuse (arrow to the person harmed)"),
    f"relation-{RelationKind.SEXUAL_ABUSE}": _("sexual abuse (arrow to the person harmed)"),
    f"relation-{RelationKind.CARETAKER}": _("caretaker (arrow to the person cared for)"),
}


def legend_items(layout: GenogramLayout) -> list[LegendItem]:
    """Sample drawings (in a 64×40 box) of what the layout uses, in a fixed order; labels in the template."""
    genders = {p.gender for p in layout.people}
    items: list[LegendItem] = []
    for gender in (Gender.MALE, Gender.FEMALE, Gender.OTHER, Gender.UNKNOWN):
        if gender in genders:
            items.append(
                LegendItem(
                    gender,
                    symbol_shapes(gender, 32, 20, deceased=False, is_index=False),
                    gender == Gender.UNKNOWN,
                )
            )
    if any(p.deceased for p in layout.people):
        items.append(LegendItem("deceased", symbol_shapes(Gender.MALE, 32, 20, deceased=True, is_index=False)))
    if any(p.is_index for p in layout.people):
        items.append(LegendItem("index", symbol_shapes(Gender.FEMALE, 32, 20, deceased=False, is_index=True)))
    if layout.households:
        items.append(
            LegendItem("household", [Shape("M4,6 H60 V34 H4 Z", stroke=HOUSEHOLD, dash="2 4", kind="household")])
        )
    union_kinds = {u.kind for u in layout.unions}
    for kind in UnionKind.values:
        if kind in union_kinds:
            shapes = [Shape("M4,20 H60", width=2, dash="6 4" if kind == UnionKind.COHABITATION else "")]
            for off in {UnionKind.SEPARATED: [0], UnionKind.DIVORCED: [-4, 4]}.get(kind, []):
                shapes.append(Shape(f"M{28 + off},27 L{36 + off},13", width=2))
            items.append(LegendItem(f"union-{kind}", shapes))
    child_kinds = {c.kind for c in layout.children}
    for kind in ChildKind.values:
        if kind in child_kinds:
            dash = {ChildKind.ADOPTED: "6 4", ChildKind.FOSTER: "2 3"}.get(kind, "")
            items.append(LegendItem(f"child-{kind}", [Shape("M32,4 V36", width=1.5, dash=dash)]))
    if any(c.twin_group for c in layout.children):
        items.append(LegendItem("twins", [Shape("M32,4 L16,36 M32,4 L48,36", width=1.5)]))
    for kind in RelationKind.values:
        if kind in layout.relation_kinds:
            items.append(LegendItem(f"relation-{kind}", relation_shapes(kind, 4, 20, 60, 20)))
    return items
