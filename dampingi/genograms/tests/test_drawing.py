import xml.etree.ElementTree as ET

from django.template.loader import render_to_string

from dampingi.genograms.drawing import layout_genogram, legend_items
from dampingi.genograms.models import RelationKind
from dampingi.genograms.selectors import tables
from dampingi.genograms.tests.helpers import family

SVG = "{http://www.w3.org/2000/svg}"


def _full(rows):
    people = [
        {
            "death_year": None,
            "birth_year": None,
            "deceased": False,
            "is_index": False,
            "in_household": False,
            "note": "",
            "person_id": None,
            **p,
        }
        for p in rows["people"]
    ]
    unions = [{"since": None, "until": None, **u} for u in rows["unions"]]
    children = [{"twin_group": "", **c} for c in rows["children"]]
    return {**rows, "people": people, "unions": unions, "children": children}


def _svg(rows) -> ET.Element:
    layout = layout_genogram(**rows)
    gv = {
        "layout": layout,
        "legend": legend_items(layout),
        "genogram": {"pk": 7},
        "number": 1,
        "table": tables(_full(rows)),
    }
    html = render_to_string("genograms/_genogram_svg.html", {"gv": gv, "small": False, "table_open": True})
    start, end = html.index("<svg"), html.index("</svg>") + len("</svg>")
    return ET.fromstring(html[start:end])


def _groups(root, cls):
    return [g for g in root.iter(f"{SVG}g") if cls in (g.get("class") or "").split()]


def test_svg_is_accessible_and_scales():
    root = _svg(family())
    assert root.get("role") == "img" and root.get("width") == "100%" and root.get("viewBox").startswith("0 0 ")
    assert root.find(f"{SVG}title").text.startswith("Genogram")
    assert "foreignObject" not in ET.tostring(root, encoding="unicode")
    assert "var(" not in ET.tostring(root, encoding="unicode")


def test_symbols_deaths_index_and_household():
    root = _svg(family())
    people = {g.get("data-key"): g for g in _groups(root, "person")}
    assert len(people) == 11
    assert "male" in people["P3"].get("class") and "female" in people["P1"].get("class")
    assert "other" in people["P10"].get("class") and "unknown" in people["P11"].get("class")
    odang = people["P2"]
    assert "deceased" in odang.get("class")
    assert [p.get("class") for p in odang.iter(f"{SVG}path")].count("death") == 1
    assert any(t.text == "1945–2015" for t in odang.iter(f"{SVG}text"))
    index_outlines = [p for p in people["P9"].iter(f"{SVG}path") if p.get("class") in ("outline", "index-outline")]
    assert len(index_outlines) == 2  # double outline
    assert not any(p.get("class") == "index-outline" for p in people["P8"].iter(f"{SVG}path"))
    households = [p for p in root.iter(f"{SVG}path") if p.get("class") == "household"]
    assert households and all(p.get("stroke-dasharray") for p in households)


def test_unions_children_and_twins():
    root = _svg(family())
    unions = {g.get("data-key"): g for g in _groups(root, "union")}
    assert "divorced" in unions["U2"].get("class")
    assert [p.get("class") for p in unions["U2"].iter(f"{SVG}path")].count("slash") == 2
    assert [p.get("class") for p in unions["U1"].iter(f"{SVG}path")].count("slash") == 0
    cohab = next(p for p in unions["U4"].iter(f"{SVG}path") if p.get("class") == "union")
    assert cohab.get("stroke-dasharray")
    lines = {g.get("data-child"): g for g in _groups(root, "child-line")}
    adopted = next(p for p in lines["P9"].iter(f"{SVG}path") if p.get("class") == "child-adopted")
    foster = next(p for p in lines["P10"].iter(f"{SVG}path") if p.get("class") == "child-foster")
    biological = next(p for p in lines["P8"].iter(f"{SVG}path") if p.get("class") == "child-biological")
    assert adopted.get("stroke-dasharray") != foster.get("stroke-dasharray")
    assert biological.get("stroke-dasharray") is None
    twins = [lines["P6"], lines["P7"]]
    assert all("twin" in g.get("class") for g in twins)
    starts = {
        next(p for p in g.iter(f"{SVG}path") if p.get("class") == "child-biological").get("d").split(" ")[0]
        for g in twins
    }
    assert len(starts) == 1  # both twins fork from one point


def test_each_relation_style_is_drawn():
    root = _svg(family())
    kinds = {g.get("class").split()[1] for g in _groups(root, "relation")}
    assert kinds == set(RelationKind.values)
    close = next(g for g in _groups(root, "relation") if "close" in g.get("class").split())
    fused = next(g for g in _groups(root, "fused"))
    assert len(list(close.iter(f"{SVG}path"))) == 2 and len(list(fused.iter(f"{SVG}path"))) == 3


def test_layout_parents_above_children_older_left_and_no_overlap():
    layout = layout_genogram(**family())
    by = {p.key: p for p in layout.people}
    rows = family()
    unions = {u["key"]: u for u in rows["unions"]}
    for c in rows["children"]:
        for parent in (unions[c["union"]]["partner_a"], unions[c["union"]]["partner_b"]):
            assert by[parent].y < by[c["child"]].y
    assert by["P8"].x < by["P9"].x  # Budi (2010) left of Nisa (2014)
    assert by["P2"].y == by["P1"].y and by["P3"].y == by["P4"].y == by["P5"].y  # partners share a row
    positions = [(p.x, p.y) for p in layout.people]
    assert len(positions) == len(set(positions))
    for row in {p.y for p in layout.people}:
        xs = sorted(p.x for p in layout.people if p.y == row)
        assert all(b - a >= 100 for a, b in zip(xs, xs[1:], strict=False))
    # remarriage: Asep between his first and second wife, each union joining neighbours
    assert by["P4"].x < by["P3"].x < by["P5"].x


def test_nobody_to_draw():
    assert layout_genogram([]) is None


def test_polygamy_and_unknown_partners_lay_out_without_overlap():
    people = [
        {"key": "P1", "name": "Haji Dullah", "gender": "male", "birth_year": 1950},
        {"key": "P2", "name": "Istri 1", "gender": "female", "birth_year": 1955},
        {"key": "P3", "name": "Istri 2", "gender": "female", "birth_year": 1960},
        {"key": "P4", "name": "Istri 3", "gender": "female", "birth_year": 1970, "is_index": True},
        {"key": "P5", "name": "Anak 1", "gender": "male", "birth_year": 1980},
        {"key": "P6", "name": "Anak 2", "gender": "female", "birth_year": 1985},
        {"key": "P7", "name": "Anak 3", "gender": "male", "birth_year": 1995},
        {"key": "P8", "name": "Cucu", "gender": "unknown", "birth_year": 2010},
    ]
    unions = [
        {"key": "U1", "partner_a": "P1", "partner_b": "P2", "kind": "marriage"},
        {"key": "U2", "partner_a": "P1", "partner_b": "P3", "kind": "marriage"},
        {"key": "U3", "partner_a": "P1", "partner_b": "P4", "kind": "marriage"},
        {"key": "U4", "partner_a": "P6", "partner_b": "", "kind": "cohabitation"},
    ]
    children = [
        {"union": "U1", "child": "P5", "kind": "biological"},
        {"union": "U2", "child": "P6", "kind": "biological"},
        {"union": "U3", "child": "P7", "kind": "biological"},
        {"union": "U4", "child": "P8", "kind": "biological"},
    ]
    layout = layout_genogram(people, unions, children)
    by = {p.key: p for p in layout.people}
    assert len({(p.x, p.y) for p in layout.people}) == len(people)
    assert by["P1"].y == by["P2"].y == by["P3"].y == by["P4"].y < by["P5"].y < by["P8"].y
    assert len(layout.unions) == 4 and layout.generations == 3
    root = _svg({"people": people, "unions": unions, "children": children, "relations": []})
    assert len(_groups(root, "union")) == 4
