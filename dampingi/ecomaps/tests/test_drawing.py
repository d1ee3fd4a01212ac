"""The layout (pure) and the SVG drawn from it, checked structurally with xml.etree."""

from django.template.loader import render_to_string

from dampingi.ecomaps.drawing import DrawSystem, layout_ecomap, wrap
from dampingi.ecomaps.tests.helpers import SVG, classes, groups, parse_svg


def _system(name, strength="moderate", stressful=False, flow="none", category="school"):
    return DrawSystem(
        name=name, category=category, category_label="school", strength=strength, stressful=stressful, flow=flow
    )


SYSTEMS = [
    _system("Nenek Enok", "strong", flow="to_client", category="family"),
    _system("SDN 1 Cileunyi", "moderate", flow="from_client"),
    _system("Puskesmas Cileunyi", "tenuous", flow="both", category="health"),
    _system("Pinjol", "moderate", stressful=True, category="online"),
    _system("Karang Taruna", "strong", stressful=True, flow="none", category="community"),
]


def _svg(systems=SYSTEMS, **kwargs):
    layout = layout_ecomap(centre="Putri Lestari", systems=systems, uid="t", **kwargs)
    return parse_svg(render_to_string("ecomaps/_ecomap_svg.html", {"drawing": layout})), layout


def _link(root, index):
    return groups(root, "link", within="links")[index]


def _line(group):
    return group.find(f"{SVG}line")


def test_svg_is_accessible_and_scales_to_its_container():
    root, layout = _svg()
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox") == f"0 0 {layout.width} {layout.height}"
    assert root.find(f"{SVG}title").text == "Eco-map of Putri Lestari"
    assert root.find(f"{SVG}desc") is not None


def test_one_circle_per_system_around_one_centre_circle():
    root, _ = _svg()
    systems = groups(root, "system", within="systems")
    assert len(systems) == 5
    assert all(g.find(f"{SVG}circle") is not None for g in systems)
    assert len(groups(root, "centre")) == 1
    assert len(groups(root, "link", within="links")) == 5


def test_strong_lines_are_thicker_than_moderate_ones_and_tenuous_ones_are_dashed():
    root, _ = _svg()
    strong, moderate, tenuous = (_line(_link(root, i)) for i in (0, 1, 2))
    assert float(strong.get("stroke-width")) > float(moderate.get("stroke-width"))
    assert tenuous.get("stroke-dasharray")
    assert strong.get("stroke-dasharray") is None and moderate.get("stroke-dasharray") is None


def test_stressful_links_are_crossed_by_ticks():
    root, _ = _svg()
    stressful = [g for g in groups(root, "link", within="links") if "stressful" in classes(g)]
    assert len(stressful) == 2
    for g in stressful:
        ticks = g.find(f"{SVG}path")
        assert "stress" in classes(ticks)
        assert ticks.get("d").count("M") >= 3
    assert _link(root, 0).find(f"{SVG}path") is None


def test_arrows_follow_the_flow_of_energy():
    root, layout = _svg()
    arrows = [[classes(p) - {"arrow"} for p in _link(root, i).iter(f"{SVG}polygon")] for i in range(5)]
    assert arrows == [[{"to_client"}], [{"from_client"}], [{"to_client"}, {"from_client"}], [], []]
    # to the client: the arrowhead's tip lies on the centre circle's edge
    tip = layout.nodes[0].link.arrows[0].points.split()[0]
    x, y = (int(v) for v in tip.split(","))
    distance = ((x - layout.centre.x) ** 2 + (y - layout.centre.y) ** 2) ** 0.5
    assert abs(distance - (layout.centre.r + 2)) <= 1.5


def test_legend_explains_every_convention():
    root, _ = _svg()
    legend = groups(root, "legend")[0]
    texts = [t.text for t in legend.iter(f"{SVG}text")]
    assert texts == [
        "strong link",
        "moderate link",
        "tenuous link",
        "stressful link",
        "energy flows to the client",
        "energy flows from the client",
        "energy flows both ways",
    ]


def test_only_plain_shapes_and_presentation_attributes():
    root, _ = _svg()
    tags = {el.tag.replace(SVG, "") for el in root.iter()}
    assert tags <= {"svg", "title", "desc", "rect", "g", "line", "path", "polygon", "circle", "text", "tspan"}
    assert not any(el.get("style") for el in root.iter())


def test_family_members_are_listed_inside_the_centre_and_the_rest_counted():
    members = [f"Anggota {i}" for i in range(11)]
    root, layout = _svg(members=members)
    centre_text = [t.text for t in groups(root, "centre")[0].iter(f"{SVG}tspan")]
    assert centre_text[0] == "Putri Lestari"
    assert centre_text[1:9] == members[:8]
    assert centre_text[9] == "and 3 more"
    assert layout.centre.r > layout_ecomap(centre="Putri Lestari", systems=SYSTEMS).centre.r


def test_system_circles_never_overlap_however_many_there_are():
    for count in (1, 2, 7, 12, 40):
        layout = layout_ecomap(centre="X", systems=[_system(f"S{i}") for i in range(count)])
        nodes = layout.nodes
        for a in nodes:
            assert 0 <= a.x - a.r and a.x + a.r <= layout.width and 0 <= a.y - a.r
            distance_to_centre = ((a.x - layout.centre.x) ** 2 + (a.y - layout.centre.y) ** 2) ** 0.5
            assert distance_to_centre >= layout.centre.r + a.r + 40
            for b in nodes:
                if a is not b:
                    assert ((a.x - b.x) ** 2 + (a.y - b.y) ** 2) ** 0.5 >= a.r + b.r
        assert layout.legend_y >= max((n.y + n.r for n in nodes), default=0)


def test_layout_is_deterministic_and_uses_whole_numbers():
    a = layout_ecomap(centre="Putri", systems=SYSTEMS)
    b = layout_ecomap(centre="Putri", systems=SYSTEMS)
    assert a == b
    assert all(isinstance(v, int) for n in a.nodes for v in (n.x, n.y, n.link.x1, n.link.y2))


def test_long_names_are_wrapped_and_shortened():
    assert wrap("Lembaga Kesejahteraan Sosial Anak Harapan Bangsa", width=11, max_lines=2) == [
        "Lembaga",
        "Kesejahter…",
    ]
    assert wrap("", width=11, max_lines=2) == [""]
