"""Layout of an eco-map (Hartman 1978) for an inline SVG (`ecomaps/_ecomap_svg.html`).

Pure: no database, no templates, no translation. The input is the centre's label (the client
system's name), for a family the names of the household members shown inside the centre circle,
and the systems (`DrawSystem`) in their order. `layout_ecomap` returns an `EcoMapLayout`: the
centre circle, one circle per system on a ring around it (clockwise from the top), one link per
system with its line style, the jagged "stress" ticks, the arrowheads of the flow of energy, and
the geometry of the legend below the drawing.

Hartman's conventions: strong = thick line, moderate = normal line, tenuous = dashed line;
stressful = the line is crossed by slanted ticks (-/-/-/-); energy flowing to the client = an
arrowhead at the centre end, from the client = at the system end, both ways = both.

Every coordinate is an int: Django localises floats in templates ("12,5" in Indonesian), which
would break the SVG. The same input always gives the same output.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

STRONG, MODERATE, TENUOUS = "strong", "moderate", "tenuous"
TO_CLIENT, FROM_CLIENT, BOTH, NONE = "to_client", "from_client", "both", "none"

STROKE_WIDTH = {STRONG: 5, MODERATE: 2, TENUOUS: 2}
DASHES = {STRONG: "", MODERATE: "", TENUOUS: "8 6"}
LINE_COLOUR = "#1f2937"
STRESS_COLOUR = "#b91c1c"

SYSTEM_R = 46
CENTRE_MIN_R = 70
LINK_MIN = 80  # shortest distance between the centre circle and a system circle
RING_GAP = 14  # between neighbouring system circles
MARGIN = 12
MIN_WIDTH = 540  # room for the legend's two columns
NAME_CHARS = 11
NAME_LINES = 2
CENTRE_CHARS = 16
MEMBER_CHARS = 20
MAX_MEMBERS = 8
ARROW_LENGTH = 13
ARROW_HALF_WIDTH = 6
TICK_STEP = 9
TICK_HALF = 7
LEGEND_ROW = 22
LEGEND_COLUMN = 260
ELLIPSIS = "…"


@dataclass(frozen=True)
class DrawSystem:
    name: str
    category: str
    category_label: Any  # str or a lazy translation: rendered (and truncated) by the template
    strength: str
    stressful: bool = False
    flow: str = NONE
    note: str = ""


@dataclass
class TextLine:
    text: str
    y: int


@dataclass
class Centre:
    x: int
    y: int
    r: int
    label: str
    lines: list[TextLine]  # the label, wrapped
    members: list[TextLine]  # household members (family), at most MAX_MEMBERS
    more_members: int  # how many more members are not listed
    more_y: int


@dataclass
class Arrow:
    direction: str  # TO_CLIENT | FROM_CLIENT: where the arrowhead points
    points: str  # polygon points


@dataclass
class Link:
    strength: str
    stressful: bool
    flow: str
    x1: int  # system end
    y1: int
    x2: int  # centre end
    y2: int
    stroke_width: int
    dasharray: str
    stress_path: str  # "" unless stressful
    arrows: list[Arrow] = field(default_factory=list)


@dataclass
class SystemNode:
    number: int  # 1-based position, as in the table
    name: str
    category: str
    category_label: Any
    x: int
    y: int
    r: int
    lines: list[TextLine]
    category_y: int
    link: Link

    @property
    def strength(self) -> str:
        return self.link.strength


@dataclass
class LegendItem:
    kind: str  # strong | moderate | tenuous | stressful | to_client | from_client | both
    link: Link  # a short sample line
    text_x: int
    text_y: int


@dataclass
class EcoMapLayout:
    uid: str  # unique in the page: ids of <title> and <desc>
    width: int
    height: int
    centre: Centre
    nodes: list[SystemNode]
    legend: list[LegendItem]
    legend_y: int  # the line above the legend

    @property
    def links(self) -> list[Link]:
        return [n.link for n in self.nodes]


def wrap(text: str, *, width: int, max_lines: int) -> list[str]:
    """Greedy word wrap to at most `max_lines` lines; long words are cut; overflow ends in '…'."""
    words = " ".join(text.split()).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[: width - 1] + "-")
            word = word[width - 1 :]
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        lines = lines[: max_lines - 1] + [last[: width - 1].rstrip() + ELLIPSIS]
    return lines


def shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + ELLIPSIS


def _r(value: float) -> int:
    return int(round(value))


def _centre_radius(label_lines: int, member_lines: int) -> int:
    height = label_lines * 15 + (member_lines * 13 + 4 if member_lines else 0)
    return max(CENTRE_MIN_R, _r(height / 2 + 30))


def _ring_radius(centre_r: int, count: int) -> int:
    ring = centre_r + SYSTEM_R + LINK_MIN
    if count > 1:
        ring = max(ring, _r((2 * SYSTEM_R + RING_GAP) / (2 * math.sin(math.pi / count)) + 0.5))
    return ring


def _arrow(tip: tuple[float, float], direction: tuple[float, float], kind: str, width: int) -> Arrow:
    """An arrowhead with its tip at `tip`, pointing along the unit vector `direction`."""
    dx, dy = direction
    length = ARROW_LENGTH + width
    half = ARROW_HALF_WIDTH + width // 2
    bx, by = tip[0] - dx * length, tip[1] - dy * length
    px, py = -dy * half, dx * half
    points = f"{_r(tip[0])},{_r(tip[1])} {_r(bx + px)},{_r(by + py)} {_r(bx - px)},{_r(by - py)}"
    return Arrow(direction=kind, points=points)


def _stress_ticks(sx: float, sy: float, ex: float, ey: float) -> str:
    """Slanted ticks across the middle of the segment (the jagged mark of a stressful link)."""
    length = math.hypot(ex - sx, ey - sy)
    if length < 1:
        return ""
    ux, uy = (ex - sx) / length, (ey - sy) / length
    # Across the line, leaning along it: -/-/-/-
    tx, ty = -uy + 0.6 * ux, ux + 0.6 * uy
    norm = math.hypot(tx, ty)
    tx, ty = tx / norm * TICK_HALF, ty / norm * TICK_HALF
    count = max(3, min(7, _r(length * 0.4 / TICK_STEP)))
    start = length / 2 - (count - 1) * TICK_STEP / 2
    parts = []
    for i in range(count):
        d = start + i * TICK_STEP
        mx, my = sx + ux * d, sy + uy * d
        parts.append(f"M{_r(mx - tx)},{_r(my - ty)} L{_r(mx + tx)},{_r(my + ty)}")
    return " ".join(parts)


def _link(strength: str, stressful: bool, flow: str, start: tuple[float, float], end: tuple[float, float]) -> Link:
    """A link from `start` (the system's side) to `end` (the centre's side)."""
    width = STROKE_WIDTH.get(strength, STROKE_WIDTH[MODERATE])
    (sx, sy), (ex, ey) = start, end
    length = math.hypot(ex - sx, ey - sy) or 1.0
    ux, uy = (ex - sx) / length, (ey - sy) / length
    arrows = []
    line_start, line_end = (sx, sy), (ex, ey)
    inset = (ARROW_LENGTH + width) * 0.6  # the line stops inside the arrowhead, not at its tip
    if flow in (TO_CLIENT, BOTH):
        arrows.append(_arrow((ex, ey), (ux, uy), TO_CLIENT, width))
        line_end = (ex - ux * inset, ey - uy * inset)
    if flow in (FROM_CLIENT, BOTH):
        arrows.append(_arrow((sx, sy), (-ux, -uy), FROM_CLIENT, width))
        line_start = (sx + ux * inset, sy + uy * inset)
    return Link(
        strength=strength,
        stressful=stressful,
        flow=flow,
        x1=_r(line_start[0]),
        y1=_r(line_start[1]),
        x2=_r(line_end[0]),
        y2=_r(line_end[1]),
        stroke_width=width,
        dasharray=DASHES.get(strength, ""),
        stress_path=_stress_ticks(sx, sy, ex, ey) if stressful else "",
        arrows=arrows,
    )


def _legend(top: int, width: int) -> list[LegendItem]:
    samples = [
        ("strong", STRONG, False, NONE),
        ("moderate", MODERATE, False, NONE),
        ("tenuous", TENUOUS, False, NONE),
        ("stressful", MODERATE, True, NONE),
        ("to_client", MODERATE, False, TO_CLIENT),
        ("from_client", MODERATE, False, FROM_CLIENT),
        ("both", MODERATE, False, BOTH),
    ]
    rows = -(-len(samples) // 2)
    left = max(MARGIN, (width - 2 * LEGEND_COLUMN) // 2)
    items = []
    for i, (kind, strength, stressful, flow) in enumerate(samples):
        column, row = divmod(i, rows)
        x = left + column * LEGEND_COLUMN
        y = top + 14 + row * LEGEND_ROW
        # The sample runs from the "system" (right) to the "client" (left), as arrows read in the map.
        link = _link(strength, stressful, flow, (x + 64, y), (x, y))
        items.append(LegendItem(kind=kind, link=link, text_x=x + 76, text_y=y + 4))
    return items


def legend_height() -> int:
    return 14 + 4 * LEGEND_ROW


def layout_ecomap(
    *, centre: str, systems: Sequence[DrawSystem], members: Sequence[str] = (), uid: str = "ecomap"
) -> EcoMapLayout:
    """Place the centre circle and the systems on a ring around it; compute every line and arrow."""
    label_lines = wrap(centre or "?", width=CENTRE_CHARS, max_lines=2)
    shown_members = [shorten(m, MEMBER_CHARS) for m in list(members)[:MAX_MEMBERS]]
    more = max(0, len(members) - MAX_MEMBERS)
    member_lines = len(shown_members) + (1 if more else 0)
    centre_r = _centre_radius(len(label_lines), member_lines)
    count = len(systems)
    ring = _ring_radius(centre_r, count)
    size = 2 * (ring + SYSTEM_R + MARGIN)
    width = max(size, MIN_WIDTH)
    cx, cy = width // 2, size // 2

    # The centre's text block, vertically centred.
    block = len(label_lines) * 15 + (member_lines * 13 + 4 if member_lines else 0)
    y = cy - block // 2 + 11
    lines = []
    for text in label_lines:
        lines.append(TextLine(text, y))
        y += 15
    y += 2
    member_rows = []
    for text in shown_members:
        member_rows.append(TextLine(text, y))
        y += 13
    centre_node = Centre(
        x=cx,
        y=cy,
        r=centre_r,
        label=centre,
        lines=lines,
        members=member_rows,
        more_members=more,
        more_y=y,
    )

    nodes = []
    for i, system in enumerate(systems):
        angle = -math.pi / 2 + 2 * math.pi * i / count
        ux, uy = math.cos(angle), math.sin(angle)
        nx, ny = cx + ux * ring, cy + uy * ring
        start = (nx - ux * (SYSTEM_R + 2), ny - uy * (SYSTEM_R + 2))
        end = (cx + ux * (centre_r + 2), cy + uy * (centre_r + 2))
        name_lines = wrap(system.name, width=NAME_CHARS, max_lines=NAME_LINES)
        first = _r(ny) - 4 - (len(name_lines) - 1) * 13 // 2
        nodes.append(
            SystemNode(
                number=i + 1,
                name=system.name,
                category=system.category,
                category_label=system.category_label,
                x=_r(nx),
                y=_r(ny),
                r=SYSTEM_R,
                lines=[TextLine(t, first + j * 13) for j, t in enumerate(name_lines)],
                category_y=_r(ny) + 24,
                link=_link(system.strength, system.stressful, system.flow, start, end),
            )
        )
    legend_y = size + 4
    return EcoMapLayout(
        uid=uid,
        width=width,
        height=legend_y + legend_height() + MARGIN,
        centre=centre_node,
        nodes=nodes,
        legend=_legend(legend_y, width),
        legend_y=legend_y,
    )
