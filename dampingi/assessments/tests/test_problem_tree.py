import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dampingi.assessments.problem_tree import (
    MAX_LINES,
    TreeFactor,
    TreeProblem,
    layout_tree,
    order_problems,
    wrap_label,
)
from dampingi.assessments.sections import assessment_section
from dampingi.audit.models import AuditEvent
from dampingi.cases.permissions import get_case_for_user_or_404
from dampingi.testing.casework import add_problem, assert_clean, case_in_phase

SVG = "{http://www.w3.org/2000/svg}"


def _chain():
    """Three problems A → B → C, each with causes and effects (A has two causes)."""
    return [
        TreeProblem(
            1,
            "A",
            True,
            (TreeFactor(11, "a cause 1"), TreeFactor(12, "a cause 2")),
            (TreeFactor(13, "a effect"),),
            (2,),
        ),
        TreeProblem(2, "B", False, (TreeFactor(21, "b cause"),), (TreeFactor(22, "b effect"),), (3,)),
        TreeProblem(
            3,
            "C",
            False,
            (TreeFactor(31, "c cause"),),
            (TreeFactor(32, "c effect 1"), TreeFactor(33, "c effect 2")),
            (),
        ),
    ]


def _by_id(layout):
    return {n.id: n for n in layout.nodes}


def test_layout_has_a_node_per_problem_cause_and_effect_and_an_edge_per_relation():
    layout = layout_tree(_chain())
    kinds = [n.kind for n in layout.nodes]
    assert (kinds.count("cause"), kinds.count("problem"), kinds.count("effect")) == (4, 3, 4)
    edges = {(e.source, e.target, e.kind) for e in layout.edges}
    assert edges == {
        ("c11", "p1", "cause-problem"),
        ("c12", "p1", "cause-problem"),
        ("c21", "p2", "cause-problem"),
        ("c31", "p3", "cause-problem"),
        ("p1", "e13", "problem-effect"),
        ("p2", "e22", "problem-effect"),
        ("p3", "e32", "problem-effect"),
        ("p3", "e33", "problem-effect"),
        ("p1", "p2", "problem-problem"),
        ("p2", "p3", "problem-problem"),
    }
    assert not layout.cycles
    assert not any(e.in_cycle for e in layout.edges)
    nodes = _by_id(layout)
    assert nodes["p1"].priority and not nodes["p2"].priority


def test_causes_sit_above_problems_above_effects_and_nothing_overlaps():
    layout = layout_tree(_chain())
    causes, problems, effects = (layout.nodes_of(k) for k in ("cause", "problem", "effect"))
    assert max(n.y + n.height for n in causes) < min(n.y for n in problems)
    assert max(n.y + n.height for n in problems) < min(n.y for n in effects)
    assert len({n.y for n in problems}) == 1
    for a in layout.nodes:
        assert 0 <= a.x and a.x + a.width <= layout.width and 0 <= a.y and a.y + a.height <= layout.height
        for b in layout.nodes:
            if a is not b:
                apart = a.x + a.width <= b.x or b.x + b.width <= a.x or a.y + a.height <= b.y or b.y + b.height <= a.y
                assert apart, (a.id, b.id)


def test_linked_problems_sit_next_to_each_other():
    problems = [
        TreeProblem(1, "A", leads_to=(3,)),
        TreeProblem(2, "B"),
        TreeProblem(3, "C"),
        TreeProblem(4, "D", leads_to=(2,)),
    ]
    assert [p.id for p in order_problems(problems)] == [1, 3, 2, 4]
    layout = layout_tree(problems)
    xs = [n.id for n in sorted(layout.nodes_of("problem"), key=lambda n: n.x)]
    assert xs == ["p1", "p3", "p2", "p4"]


def test_layout_is_deterministic():
    first, second = layout_tree(_chain()), layout_tree(_chain())
    assert [(n.id, n.x, n.y, n.width, n.height, n.lines) for n in first.nodes] == [
        (n.id, n.x, n.y, n.width, n.height, n.lines) for n in second.nodes
    ]
    assert [(e.source, e.target, e.path) for e in first.edges] == [(e.source, e.target, e.path) for e in second.edges]
    assert (first.width, first.height) == (second.width, second.height)


def test_a_cycle_between_problems_terminates_and_draws_both_arrows():
    layout = layout_tree([TreeProblem(1, "A", leads_to=(2,)), TreeProblem(2, "B", leads_to=(1,)), TreeProblem(3, "C")])
    links = [e for e in layout.edges if e.kind == "problem-problem"]
    assert {(e.source, e.target) for e in links} == {("p1", "p2"), ("p2", "p1")}
    assert all(e.in_cycle for e in links)
    assert layout.cycles
    assert links[0].path != links[1].path  # one arc below the row, one above
    assert all(" C" in e.path for e in links)  # curved


def test_a_longer_cycle_is_detected_but_a_chain_leaving_it_is_not():
    layout = layout_tree(
        [
            TreeProblem(1, "A", leads_to=(2,)),
            TreeProblem(2, "B", leads_to=(3,)),
            TreeProblem(3, "C", leads_to=(1, 4)),
            TreeProblem(4, "D"),
        ]
    )
    cycle = {(e.source, e.target) for e in layout.edges if e.in_cycle}
    assert cycle == {("p1", "p2"), ("p2", "p3"), ("p3", "p1")}


def test_no_problems_means_no_tree():
    assert layout_tree([]) is None


def test_labels_are_wrapped_to_a_few_lines():
    lines = wrap_label(
        "Anak putus sekolah karena tidak punya biaya dan harus bekerja membantu nenek di pasar setiap hari"
    )
    assert 1 < len(lines) <= MAX_LINES
    assert lines[-1].endswith("…")
    assert wrap_label("Pendek") == ["Pendek"]
    assert all(len(line) <= 22 for line in wrap_label("x" * 80))


def _svg(html):
    match = re.search(r"<svg.*?</svg>", html, re.S)
    assert match, "no SVG in the page"
    return ET.fromstring(match.group(0))


def _seed_case(sari, title_a="Anak putus sekolah"):
    case = case_in_phase(sari, "assessment")
    a = add_problem(case, title_a, priority=True, factors=3)  # 2 causes, 1 effect
    b = add_problem(case, "Nenek sakit", factors=2)  # 1 cause, 1 effect
    c = add_problem(case, "Pendapatan tidak cukup", factors=1)  # 1 cause
    a.linked.add(b)
    b.linked.add(c)
    c.linked.add(b)
    return case


def test_the_svg_has_a_group_box_and_text_per_node_a_path_per_edge_and_an_arrow_marker(sari):
    case = _seed_case(sari, title_a="Anak <b>putus</b> & sekolah")
    case = get_case_for_user_or_404(sari, case.pk)
    section = assessment_section(case=case, user=sari)
    html = assert_clean(render_to_string("assessments/_section.html", {"case": case, "user": sari, "section": section}))
    svg = _svg(html)
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "Problem tree"
    nodes = svg.findall(f".//{SVG}g[@class='nodes']/{SVG}g")
    assert len(nodes) == 4 + 3 + 2  # causes, problems, effects
    assert len(svg.findall(f".//{SVG}rect")) == 9
    assert len(svg.findall(f".//{SVG}text")) == 9
    assert len(svg.findall(f".//{SVG}g[@class='edges']/{SVG}path")) == 4 + 2 + 3  # causes, effects, links
    markers = svg.findall(f".//{SVG}defs/{SVG}marker")
    assert len(markers) == 1 and markers[0].find(f"{SVG}path") is not None
    assert all(
        p.get("marker-end") == f"url(#{markers[0].get('id')})"
        for p in svg.iter(f"{SVG}path")
        if p.get("d")[0] == "M" and p.get("marker-end")
    )
    priority = [g for g in nodes if "priority" in g.get("class").split()]
    assert len(priority) == 1
    assert priority[0].find(f"{SVG}title").text == "Anak <b>putus</b> & sekolah"
    assert " ".join(t.text for t in priority[0].iter(f"{SVG}tspan")).startswith("Anak <b>putus</b> &")
    assert "<b>putus</b>" not in html  # escaped, not markup
    cycle = svg.findall(f".//{SVG}path[@class='edge problem-problem cycle']")
    assert len(cycle) == 2
    assert reverse("assessments:tree", args=[case.pk]) in html


def test_the_section_shows_no_svg_without_problems(sari):
    case = case_in_phase(sari, "assessment")
    case = get_case_for_user_or_404(sari, case.pk)
    section = assessment_section(case=case, user=sari)
    assert section["problem_tree"] is None
    html = assert_clean(render_to_string("assessments/_section.html", {"case": case, "user": sari, "section": section}))
    assert "<svg" not in html


@pytest.mark.parametrize(
    ("persona", "status"), [("sari", 200), ("ratna", 200), ("hendra", 200), ("dedi", 404), ("yogi", 404)]
)
def test_who_may_see_the_problem_tree_page(client, cast, persona, status):
    case = _seed_case(cast.sari)
    views_before = AuditEvent.objects.filter(case=case, action="case.view").count()
    client.force_login(getattr(cast, persona))
    response = client.get(reverse("assessments:tree", args=[case.pk]))
    assert response.status_code == status
    views_after = AuditEvent.objects.filter(case=case, action="case.view").count()
    if status == 200:
        html = assert_clean(response)
        assert html.startswith("<!DOCTYPE html>")
        assert "Nenek sakit" in html and case.reference in html
        svg = _svg(html)
        assert len(svg.findall(f".//{SVG}g[@class='nodes']/{SVG}g")) == 9
        assert views_after == views_before + 1
        assert "<form" not in html  # read-only, also for those who may work on the case
    else:
        assert views_after == views_before


def test_the_problem_tree_page_without_problems_says_so(client, sari):
    case = case_in_phase(sari, "assessment")
    client.force_login(sari)
    html = assert_clean(client.get(reverse("assessments:tree", args=[case.pk])))
    assert "<svg" not in html
    assert "No problems recorded yet." in html


def test_the_problem_tree_page_is_get_only(client, sari):
    case = _seed_case(sari)
    client.force_login(sari)
    assert client.post(reverse("assessments:tree", args=[case.pk])).status_code == 405


def test_the_problem_tree_page_runs_a_fixed_number_of_queries(client, sari):
    small = _seed_case(sari)
    big = case_in_phase(sari, "assessment")
    problems = [add_problem(big, f"Masalah {i}", factors=3) for i in range(12)]
    for a, b in zip(problems, problems[1:], strict=False):
        a.linked.add(b)
    client.force_login(sari)
    counts = []
    for case in (small, big):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("assessments:tree", args=[case.pk])).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
