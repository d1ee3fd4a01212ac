"""What the printable case summary and the case timeline get from the eco-maps."""

import datetime

import weasyprint
from django.template.loader import render_to_string
from django.utils import timezone

from dampingi.ecomaps.selectors import ecomap_summary, timeline_entries
from dampingi.ecomaps.tests.helpers import draw, groups, parse_svg, system
from dampingi.testing.casework import assert_clean, set_phase


def _render(summary) -> str:
    return assert_clean(render_to_string("ecomaps/_summary.html", {"ecomap_summary": summary}))


def test_no_eco_map_gives_none_and_a_short_line(case):
    assert ecomap_summary(case) is None
    assert "No eco-map has been drawn." in _render(None)


def test_one_version_is_both_first_and_latest(case, sari, django_assert_num_queries):
    ecomap = draw(case, sari, system("Puskesmas", category="health"))
    with django_assert_num_queries(2):
        summary = ecomap_summary(case)
    assert summary["same"] is True
    assert summary["first"]["ecomap"] == summary["latest"]["ecomap"] == ecomap
    assert [s.name for s in summary["latest"]["systems"]] == ["Puskesmas"]
    assert len(summary["latest"]["drawing"].nodes) == 1
    html = _render(summary)
    assert html.count("<svg") == 1
    assert "At intake" not in html


def test_intake_and_latest_side_by_side_in_two_queries(case, sari, django_assert_num_queries):
    draw(case, sari, system("Puskesmas", category="health"))
    draw(case, sari, system("Puskesmas", category="health"), system("Karang Taruna", category="community"))
    set_phase(case, "termination")
    latest = draw(case, sari, system("Karang Taruna", category="community", strength="strong"))
    with django_assert_num_queries(2):
        summary = ecomap_summary(case)
    assert summary["same"] is False
    assert summary["first"]["ecomap"].number == 1
    assert summary["latest"]["ecomap"] == latest
    assert summary["latest"]["phase_label"] == "Termination"
    html = _render(summary)
    assert html.count("<svg") == 2
    assert "At intake" in html and "Latest" in html
    assert "<a " not in html and "<button" not in html and "<form" not in html
    root = parse_svg(html[html.index("Latest") :])
    assert len(groups(root, "system", within="systems")) == 1


def test_weasyprint_prints_the_summary_to_pdf(case, sari):
    draw(
        case,
        sari,
        system("Nenek Enok", category="family", strength="strong", flow="both"),
        system("Pinjol", category="online", strength="tenuous", stressful=True, flow="from_client"),
        note="Catatan & <penting>",
    )
    draw(case, sari, system("Nenek Enok", category="family", strength="strong", flow="to_client"))
    html = _render(ecomap_summary(case))
    page = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>x</title></head><body>{html}</body></html>'
    )
    pdf = weasyprint.HTML(string=page).write_pdf()
    assert pdf.startswith(b"%PDF")


def test_timeline_entries_in_one_query_in_both_directions(case, sari, django_assert_num_queries):
    draw(case, sari, drawn_on=timezone.localdate() - datetime.timedelta(days=0))
    draw(case, sari)
    draw(case, sari)
    with django_assert_num_queries(1):
        newest = timeline_entries(case, newest_first=True, upto=2)
    assert [e["text"] for e in newest] == ["Eco-map version 3 drawn", "Eco-map version 2 drawn"]
    entry = newest[0]
    assert entry["actor"] == sari
    assert entry["day"] == timezone.localdate()
    assert timezone.is_aware(entry["at"])
    assert entry["url"] == f"/cases/{case.pk}/ecomaps/3/"
    with django_assert_num_queries(1):
        oldest = timeline_entries(case, newest_first=False, upto=None)
    assert [e["text"] for e in oldest] == [f"Eco-map version {n} drawn" for n in (1, 2, 3)]
