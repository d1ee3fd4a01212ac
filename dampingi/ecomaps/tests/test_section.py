"""The eco-map section of the case page."""

import pytest
from django.urls import reverse

from dampingi.cases.permissions import get_case_for_user_or_404
from dampingi.ecomaps.sections import ecomap_section
from dampingi.ecomaps.tests.helpers import draw, groups, parse_svg, system
from dampingi.testing.casework import assert_clean, render_section


def _render(case, user) -> str:
    return assert_clean(render_section("ecomaps/_section.html", ecomap_section, case=case, user=user))


def _systems(count, offset=0):
    return [system(f"Sistem {offset + i}", strength=("strong", "moderate", "tenuous")[i % 3]) for i in range(count)]


def test_without_eco_map_the_worker_is_invited_to_draw_one(case, sari):
    html = _render(case, sari)
    assert "No eco-map has been drawn yet." in html
    assert reverse("ecomaps:new", args=[case.pk]) in html and "Draw the eco-map" in html
    assert "<svg" not in html


def test_lists_the_versions_newest_first_with_the_latest_drawing_and_links(case, sari, ratna):
    draw(case, sari, *_systems(2))
    draw(case, ratna, *_systems(3))
    html = _render(case, sari)
    assert html.index(reverse("ecomaps:detail", args=[case.pk, 2])) < html.index(
        reverse("ecomaps:detail", args=[case.pk, 1])
    )
    assert "Ratna Dewi" in html and "Sari Lestari" in html and "Engagement" in html
    assert len(groups(parse_svg(html), "system", within="systems")) == 3
    assert reverse("ecomaps:compare", args=[case.pk]) in html
    assert reverse("ecomaps:print", args=[case.pk, 2]) in html
    assert "Draw a new version" in html


def test_the_manager_sees_the_section_without_the_draw_button(case, sari, hendra):
    draw(case, sari)
    html = _render(case, hendra)
    assert reverse("ecomaps:new", args=[case.pk]) not in html
    assert "<svg" in html


@pytest.mark.parametrize("versions, systems", [(1, 1), (6, 25)])
def test_the_section_runs_two_queries_whatever_the_data_size(case, sari, versions, systems, django_assert_num_queries):
    for v in range(versions):
        draw(case, sari, *_systems(systems, offset=v))
    fetched = get_case_for_user_or_404(sari, case.pk)
    with django_assert_num_queries(2):
        section = ecomap_section(case=fetched, user=sari)
    assert len(section["versions"]) == versions
    assert len(section["latest"]["systems"]) == systems


def test_without_eco_maps_the_section_runs_one_query(case, sari, django_assert_num_queries):
    fetched = get_case_for_user_or_404(sari, case.pk)
    with django_assert_num_queries(1):
        section = ecomap_section(case=fetched, user=sari)
    assert section["latest"] is None and section["versions"] == []


def test_the_supervisor_query_count_is_the_same(case, sari, ratna, django_assert_num_queries):
    draw(case, sari)
    fetched = get_case_for_user_or_404(ratna, case.pk)
    with django_assert_num_queries(2):
        ecomap_section(case=fetched, user=ratna)
