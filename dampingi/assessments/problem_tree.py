"""Layout of a case's problem tree as a directed graph (cause → problem → effect), for an inline SVG.

Pure: no database, no templates. The input is a list of `TreeProblem` (build it from problems whose
factors and links are prefetched with `tree_problems`); `layout_tree` returns a `TreeLayout` with
positioned nodes and edges, or None when there is nothing to draw.

Layers, top to bottom: causes (one or more rows), problems (one row), effects (one or more rows).
Each problem owns a column block; its causes sit above it and its effects below it. Problems are
ordered so that linked problems sit next to each other (depth-first along the links, starting from
the input order); a link between problems is a curved arrow, below the problem row when it points
right and above it when it points left, so that a pair A→B, B→A shows as two distinct arcs.
Cycles between problems are detected (the edges closing them carry `in_cycle`) and drawn like any
other link; the walk marks what it has visited, so it always terminates. The same input always gives
the same output.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

NODE_WIDTH = 168
NODE_HEIGHT = 62
H_GAP = 20  # between nodes in a row
ROW_GAP = 16  # between rows of the same layer
LAYER_GAP = 64  # between causes and problems, problems and effects (room for the link arcs)
MARGIN = 12
MAX_PER_ROW = 2  # causes or effects of one problem side by side before wrapping to another row
LINE_CHARS = 22
MAX_LINES = 3
LINE_HEIGHT = 15
ELLIPSIS = "…"


@dataclass(frozen=True)
class TreeFactor:
    id: int
    text: str


@dataclass(frozen=True)
class TreeProblem:
    id: int
    title: str
    is_priority: bool = False
    causes: tuple[TreeFactor, ...] = ()
    effects: tuple[TreeFactor, ...] = ()
    leads_to: tuple[int, ...] = ()  # ids of other problems this one leads to


@dataclass
class Node:
    id: str
    kind: str  # "cause" | "problem" | "effect"
    label: str  # the full text (for the tooltip and screen readers)
    lines: list[str]  # the label wrapped to at most MAX_LINES lines
    x: int
    y: int
    width: int
    height: int
    priority: bool = False
    line_ys: list[int] = field(default_factory=list)  # baseline of each line

    @property
    def cx(self) -> int:
        return self.x + self.width // 2

    @property
    def text_x(self) -> int:
        return self.cx

    @property
    def line_pairs(self) -> list[tuple[str, int]]:
        return list(zip(self.lines, self.line_ys, strict=True))


@dataclass
class Edge:
    source: str  # node id
    target: str  # node id
    kind: str  # "cause-problem" | "problem-effect" | "problem-problem"
    path: str  # SVG path data
    in_cycle: bool = False


@dataclass
class TreeLayout:
    nodes: list[Node]
    edges: list[Edge]
    width: int
    height: int
    cycles: bool  # some links between problems form a cycle

    def nodes_of(self, kind: str) -> list[Node]:
        return [n for n in self.nodes if n.kind == kind]


def wrap_label(text: str, *, width: int = LINE_CHARS, max_lines: int = MAX_LINES) -> list[str]:
    """Greedy word wrap to at most `max_lines` lines; over-long words are cut; overflow ends in '…'."""
    words = " ".join(text.split()).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        while len(word) > width:  # a word longer than a line is split
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
        lines = lines[: max_lines - 1] + [(last[: width - 1]).rstrip() + ELLIPSIS]
    return lines


def tree_problems(problems: Iterable) -> list[TreeProblem]:
    """TreeProblems from Problem rows whose `factors` and `linked` are prefetched (no queries).

    Links to problems outside the given list are left out.
    """
    problems = list(problems)
    ids = {p.pk for p in problems}
    result = []
    for p in problems:
        factors = sorted(p.factors.all(), key=lambda f: f.pk)
        result.append(
            TreeProblem(
                id=p.pk,
                title=p.title,
                is_priority=p.is_priority,
                causes=tuple(TreeFactor(f.pk, f.text) for f in factors if f.kind == "cause"),
                effects=tuple(TreeFactor(f.pk, f.text) for f in factors if f.kind == "effect"),
                leads_to=tuple(sorted(t.pk for t in p.linked.all() if t.pk in ids and t.pk != p.pk)),
            )
        )
    return result


def order_problems(problems: list[TreeProblem]) -> list[TreeProblem]:
    """Linked problems next to each other: depth-first over the links (outgoing before incoming).

    Starts from each not yet placed problem in input order; neighbours are visited in input order.
    Iterative with a visited set, so cycles terminate.
    """
    index = {p.id: i for i, p in enumerate(problems)}
    by_id = {p.id: p for p in problems}
    incoming: dict[int, list[int]] = {p.id: [] for p in problems}
    for p in problems:
        for t in p.leads_to:
            if t in incoming:
                incoming[t].append(p.id)

    def neighbours(pid: int) -> list[int]:
        out = sorted((t for t in by_id[pid].leads_to if t in by_id), key=index.__getitem__)
        inc = sorted(incoming[pid], key=index.__getitem__)
        return out + [i for i in inc if i not in out]

    placed: list[int] = []
    seen: set[int] = set()
    for start in problems:
        if start.id in seen:
            continue
        stack = [start.id]
        while stack:
            pid = stack.pop()
            if pid in seen:
                continue
            seen.add(pid)
            placed.append(pid)
            stack.extend(reversed([n for n in neighbours(pid) if n not in seen]))
    return [by_id[pid] for pid in placed]


def cycle_edges(problems: list[TreeProblem]) -> set[tuple[int, int]]:
    """The links that lie on a cycle (source and target in the same strongly connected component)."""
    ids = [p.id for p in problems]
    graph = {p.id: [t for t in p.leads_to if t in set(ids)] for p in problems}
    # Tarjan's algorithm, iterative.
    counter = 0
    low: dict[int, int] = {}
    num: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    component: dict[int, int] = {}
    for root in ids:
        if root in num:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                num[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            recurse = False
            for j in range(i, len(graph[node])):
                nxt = graph[node][j]
                if nxt not in num:
                    work.append((node, j + 1))
                    work.append((nxt, 0))
                    recurse = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], num[nxt])
            if recurse:
                continue
            if low[node] == num[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component[member] = node
                    if member == node:
                        break
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return {(s, t) for s in graph for t in graph[s] if component[s] == component[t]}


def _rows(count: int, per_row: int) -> int:
    return -(-count // per_row) if count else 0


def _node(node_id: str, kind: str, text: str, x: int, y: int, priority: bool = False) -> Node:
    lines = wrap_label(text)
    first = y + NODE_HEIGHT // 2 - (len(lines) - 1) * LINE_HEIGHT // 2 + 5
    if priority:  # room for the small "priority" flag in the top-left corner
        first += 5
    return Node(
        id=node_id,
        kind=kind,
        label=text,
        lines=lines,
        x=x,
        y=y,
        width=NODE_WIDTH,
        height=NODE_HEIGHT,
        priority=priority,
        line_ys=[first + i * LINE_HEIGHT for i in range(len(lines))],
    )


def layout_tree(problems: list[TreeProblem]) -> TreeLayout | None:
    """Position the problems, their causes and effects in layers; None when there are no problems."""
    if not problems:
        return None
    ordered = order_problems(problems)
    looped = cycle_edges(problems)

    slots = {p.id: min(MAX_PER_ROW, max(1, len(p.causes), len(p.effects))) for p in ordered}
    cause_rows = max(_rows(len(p.causes), slots[p.id]) for p in ordered)
    effect_rows = max(_rows(len(p.effects), slots[p.id]) for p in ordered)
    row_step = NODE_HEIGHT + ROW_GAP
    causes_height = cause_rows * row_step - ROW_GAP if cause_rows else 0
    problem_y = MARGIN + (causes_height + LAYER_GAP if cause_rows else LAYER_GAP // 2)
    effect_y = problem_y + NODE_HEIGHT + LAYER_GAP

    nodes: list[Node] = []
    edges: list[Edge] = []
    problem_nodes: dict[int, Node] = {}
    x = MARGIN
    for p in ordered:
        block = slots[p.id] * NODE_WIDTH + (slots[p.id] - 1) * H_GAP
        pnode = _node(f"p{p.id}", "problem", p.title, x + (block - NODE_WIDTH) // 2, problem_y, p.is_priority)
        problem_nodes[p.id] = pnode
        for layer, factors in (("cause", p.causes), ("effect", p.effects)):
            per_row = slots[p.id]
            for i, factor in enumerate(factors):
                row, col = divmod(i, per_row)
                in_row = min(per_row, len(factors) - row * per_row)
                row_width = in_row * NODE_WIDTH + (in_row - 1) * H_GAP
                fx = x + (block - row_width) // 2 + col * (NODE_WIDTH + H_GAP)
                if layer == "cause":
                    # the row nearest the problems is the first one, further rows stack upwards
                    fy = problem_y - LAYER_GAP - NODE_HEIGHT - row * row_step
                    fnode = _node(f"c{factor.id}", "cause", factor.text, fx, fy)
                    path = f"M{fnode.cx},{fy + NODE_HEIGHT} L{pnode.cx},{problem_y}"
                    edges.append(Edge(fnode.id, pnode.id, "cause-problem", path))
                else:
                    fy = effect_y + row * row_step
                    fnode = _node(f"e{factor.id}", "effect", factor.text, fx, fy)
                    path = f"M{pnode.cx},{problem_y + NODE_HEIGHT} L{fnode.cx},{fy}"
                    edges.append(Edge(pnode.id, fnode.id, "problem-effect", path))
                nodes.append(fnode)
        nodes.append(pnode)
        x += block + H_GAP

    for p in ordered:
        for target_id in p.leads_to:
            if target_id not in problem_nodes:
                continue
            a, b = problem_nodes[p.id], problem_nodes[target_id]
            edges.append(Edge(a.id, b.id, "problem-problem", _arc(a, b), in_cycle=(p.id, target_id) in looped))

    width = x - H_GAP + MARGIN
    bottom = effect_y + (effect_rows * row_step - ROW_GAP if effect_rows else LAYER_GAP // 2 - NODE_HEIGHT)
    height = max(bottom, problem_y + NODE_HEIGHT + LAYER_GAP // 2) + MARGIN
    # Nodes in a stable reading order: layer by layer, left to right.
    rank = {"cause": 0, "problem": 1, "effect": 2}
    nodes.sort(key=lambda n: (rank[n.kind], n.y, n.x))
    return TreeLayout(nodes=nodes, edges=edges, width=width, height=height, cycles=bool(looped))


def _arc(a: Node, b: Node) -> str:
    """A curved arrow between two problems: below the row when pointing right, above when pointing left."""
    bend = min(LAYER_GAP - 12, 24 + abs(b.cx - a.cx) // 8)
    if b.cx >= a.cx:
        sx, tx = a.cx + 12, b.cx - 12
        y = a.y + a.height
        return f"M{sx},{y} C{sx},{y + bend} {tx},{y + bend} {tx},{y}"
    sx, tx = a.cx - 12, b.cx + 12
    y = a.y
    return f"M{sx},{y} C{sx},{y - bend} {tx},{y - bend} {tx},{y}"
