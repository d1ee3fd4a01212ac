import datetime
import io

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from dampingi.audit.models import AuditEvent
from dampingi.genograms import selectors, services
from dampingi.genograms.forms import GenogramEditor
from dampingi.genograms.models import Genogram, GenogramPerson
from dampingi.genograms.sections import SECTION_QUERIES, genogram_section
from dampingi.genograms.tests.helpers import family
from dampingi.testing.casework import assert_clean, render_section
from dampingi.testing.clients import register_family
from dampingi.testing.factories import make_case


@pytest.fixture
def case(sari):
    return make_case(worker=sari, client_system=register_family(actor=sari))


def _post_data(rows=None, **extra):
    data = GenogramEditor.rows_as_data(rows or family(), drawn_on=timezone.localdate(), note="Kunjungan rumah")
    data.update(extra)
    return data


def _draw(case, user, rows=None, **kw):
    rows = rows or family()
    return services.genogram_draw(actor=user, case=case, drawn_on=timezone.localdate(), note="", **rows, **kw)


def test_worker_draws_a_version_and_it_is_audited(client, sari, case):
    client.force_login(sari)
    response = client.post(reverse("genograms:new", args=[case.pk]), _post_data())
    assert response.status_code == 302
    genogram = Genogram.objects.get(case=case)
    assert genogram.number == 1 and genogram.people.count() == 11 and genogram.unions.count() == 4
    assert AuditEvent.objects.filter(action="genograms.draw", case_id=case.pk).count() == 1
    page = assert_clean(client.get(response["Location"]))
    assert "Genogram, version 1" in page and "<svg" in page and "The genogram as a table" in page
    _draw(case, sari)
    assert list(case.genograms.values_list("number", flat=True)) == [1, 2]


def test_editor_keeps_input_and_shows_error_next_to_the_field(client, sari, case):
    client.force_login(sari)
    rows = family()
    rows["people"][1]["death_year"] = 1940
    rows["people"][3]["name"] = "Yati Typed Just Now"
    response = client.post(reverse("genograms:new", args=[case.pk]), _post_data(rows))
    assert response.status_code == 200
    page = assert_clean(response)
    assert "The year of death cannot be before the year of birth." in page
    assert "Yati Typed Just Now" in page and 'value="1940"' in page
    assert not Genogram.objects.exists()


def test_missing_index_person_is_shown_in_the_people_list(client, sari, case):
    client.force_login(sari)
    rows = family()
    rows["people"][8]["is_index"] = False
    page = assert_clean(client.post(reverse("genograms:new", args=[case.pk]), _post_data(rows)))
    people = page[page.index('class="card genogram-people"') : page.index('class="card genogram-unions"')]
    assert "Mark exactly one person as the index person (the client)." in people
    assert 'value="Kang Ujang"' in page and not Genogram.objects.exists()


def test_add_rows_keeps_everything_and_offers_new_people_in_the_selects(client, sari, case):
    client.force_login(sari)
    data = _post_data(more="people")
    data["people-0-name"] = "Enok Edited"
    response = client.post(reverse("genograms:new", args=[case.pk]), data)
    page = assert_clean(response)
    assert "Enok Edited" in page and 'name="people-11-key" value="P12"' in page
    assert 'name="people-TOTAL_FORMS" value="14"' in page
    assert '<option value="P1">P1 · Enok Edited</option>' in page
    assert not Genogram.objects.exists()


def test_first_version_is_prefilled_from_the_registered_family(client, sari, case):
    rows = selectors.editor_rows(case)
    names = [p["name"] for p in rows["people"]]
    assert "Enok Suhaenah" in names and "Siti Aminah" in names
    enok = next(p for p in rows["people"] if p["name"] == "Enok Suhaenah")
    siti = next(p for p in rows["people"] if p["name"] == "Siti Aminah")
    assert enok["is_index"] and enok["in_household"] and siti["in_household"] and enok["birth_year"] == 1950
    assert enok["gender"] == "female" and enok["person_id"]
    from dampingi.genograms import rules

    assert rules.validate(**rows) == {}
    assert rules.generation_count(rows["people"], rows["unions"], rows["children"]) == 3  # grandmother, parent, Siti
    client.force_login(sari)
    page = assert_clean(client.get(reverse("genograms:new", args=[case.pk])))
    assert 'value="Enok Suhaenah"' in page and "Add rows for people" in page


def test_prefill_maps_relationships():
    born = datetime.date
    members = [
        {
            "person_id": 1,
            "name": "Head",
            "sex": "M",
            "birth_date": born(1970, 1, 1),
            "relationship": "head",
            "is_head": True,
        },
        {
            "person_id": 2,
            "name": "Wife",
            "sex": "F",
            "birth_date": born(1972, 1, 1),
            "relationship": "spouse",
            "is_head": False,
        },
        {
            "person_id": 3,
            "name": "Son",
            "sex": "M",
            "birth_date": born(1995, 1, 1),
            "relationship": "child",
            "is_head": False,
        },
        {
            "person_id": 4,
            "name": "Angkat",
            "sex": "F",
            "birth_date": born(2005, 1, 1),
            "relationship": "adopted",
            "is_head": False,
        },
        {
            "person_id": 5,
            "name": "Grandpa",
            "sex": "M",
            "birth_date": born(1940, 1, 1),
            "relationship": "parent",
            "is_head": False,
        },
        {
            "person_id": 6,
            "name": "Cucu",
            "sex": "F",
            "birth_date": born(2018, 1, 1),
            "relationship": "grandchild",
            "is_head": False,
        },
        {
            "person_id": 7,
            "name": "Me",
            "sex": "F",
            "birth_date": born(2000, 1, 1),
            "relationship": "self",
            "is_head": False,
        },
    ]
    rows = selectors.rows_from_members(members)
    key = {p["name"]: p["key"] for p in rows["people"]}
    unions = {frozenset({u["partner_a"], u["partner_b"]} - {""}): u for u in rows["unions"]}
    marriage = unions[frozenset({key["Head"], key["Wife"]})]
    kids = {c["child"]: c for c in rows["children"] if c["union"] == marriage["key"]}
    assert kids[key["Son"]]["kind"] == "biological" and kids[key["Angkat"]]["kind"] == "adopted"
    parents = unions[frozenset({key["Grandpa"]})]
    assert any(c["union"] == parents["key"] and c["child"] == key["Head"] for c in rows["children"])
    # two children: the grandchild hangs below an "unknown" parent, a child of the marriage
    cucu = next(c for c in rows["children"] if c["child"] == key["Cucu"])
    parent = next(u for u in rows["unions"] if u["key"] == cucu["union"])["partner_a"]
    assert any(c["union"] == marriage["key"] and c["child"] == parent for c in rows["children"])
    assert next(p for p in rows["people"] if p["key"] == parent)["gender"] == "unknown"
    assert [p["name"] for p in rows["people"] if p["is_index"]] == ["Me"]


def test_later_versions_are_prefilled_from_the_latest(sari, case):
    _draw(case, sari)
    rows = selectors.editor_rows(case)
    assert [p["name"] for p in rows["people"]] == [p["name"] for p in family()["people"]]
    assert len(rows["children"]) == 6 and len(rows["relations"]) == 10


def test_comparison_lists_differences(client, sari, case):
    _draw(case, sari)
    rows = family()
    rows["people"][0]["death_year"] = 2025
    rows["people"].append({"key": "P12", "name": "Bayi", "gender": "male", "birth_year": 2025})
    rows["children"].append({"union": "U3", "child": "P12", "kind": "biological", "twin_group": ""})
    rows["unions"][2]["kind"] = "separated"
    rows["relations"] = rows["relations"][1:]
    _draw(case, sari, rows)
    client.force_login(sari)
    page = assert_clean(client.get(reverse("genograms:compare", args=[case.pk])))
    assert "Bayi added." in page
    assert "Enok Suhaenah died (2025)." in page
    assert "Asep &amp; Rina: marriage → separated." in page
    assert "Ended: Enok Suhaenah – Nisa, caretaker." in page


def test_permission_matrix(client, sari, dedi, hendra, case):
    genogram = _draw(case, sari)
    urls = [
        reverse("genograms:detail", args=[case.pk, 1]),
        reverse("genograms:print", args=[case.pk, 1]),
        reverse("genograms:compare", args=[case.pk]),
        reverse("genograms:new", args=[case.pk]),
    ]
    client.force_login(dedi)
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.post(urls[3], _post_data()).status_code == 404
    client.force_login(hendra)
    for url in urls[:3]:
        assert_clean(client.get(url))
    events = AuditEvent.objects.count()
    assert client.get(urls[3]).status_code == 403
    assert client.post(urls[3], _post_data()).status_code == 403
    assert Genogram.objects.filter(case=case).count() == 1 and genogram.people.count() == 11
    assert AuditEvent.objects.count() == events
    assert not AuditEvent.objects.filter(action="genograms.draw", actor=hendra).exists()


def test_pages_record_the_view(client, sari, case):
    _draw(case, sari)
    client.force_login(sari)
    before = AuditEvent.objects.filter(action="case.view").count()
    client.get(reverse("genograms:detail", args=[case.pk, 1]))
    assert AuditEvent.objects.filter(action="case.view").count() == before + 1


def test_print_page_is_standalone(client, sari, case):
    _draw(case, sari)
    client.force_login(sari)
    page = assert_clean(client.get(reverse("genograms:print", args=[case.pk, 1])))
    assert "<!DOCTYPE html>" in page and "genogram-people" in page and 'role="img"' in page


def test_detail_warns_when_fewer_than_three_generations(client, sari, case):
    rows = family(children=[{"union": "U3", "child": "P8", "kind": "biological", "twin_group": ""}])
    _draw(case, sari, rows)
    client.force_login(sari)
    page = assert_clean(client.get(reverse("genograms:detail", args=[case.pk, 1])))
    assert "a genogram shows at least three" in page


def test_section_query_count_is_fixed(sari, case, django_assert_num_queries):
    with django_assert_num_queries(1):
        genogram_section(case=case, user=sari)
    html = assert_clean(render_section("genograms/_section.html", genogram_section, case=case, user=sari))
    assert "No genogram has been drawn yet" in html
    _draw(case, sari, family(relations=[]))
    with django_assert_num_queries(SECTION_QUERIES):
        genogram_section(case=case, user=sari)
    for _ in range(3):
        _draw(case, sari)
    with django_assert_num_queries(SECTION_QUERIES):
        section = genogram_section(case=case, user=sari)
    assert len(section["versions"]) == 4
    html = assert_clean(render_section("genograms/_section.html", genogram_section, case=case, user=sari))
    assert "Compare the first and the latest version" in html


def _summary_html(case):
    summary = selectors.genogram_summary(case)
    return summary, render_to_string("genograms/_summary.html", {"summary": summary, "case": case})


def test_summary_none_then_single_then_intake_vs_latest(sari, case):
    assert selectors.genogram_summary(case) is None
    _draw(case, sari)
    summary, html = _summary_html(case)
    assert summary["same"] and "At intake" not in assert_clean(html)
    assert "<a " not in html and "<button" not in html
    rows = family()
    rows["people"][0]["death_year"] = 2025
    _draw(case, sari, rows)
    summary, html = _summary_html(case)
    assert not summary["same"] and summary["count"] == 2
    assert "At intake" in assert_clean(html) and "Enok Suhaenah died (2025)." in html
    assert "<a " not in html and "<button" not in html


def test_weasyprint_prints_the_summary(sari, case):
    from weasyprint import HTML

    _draw(case, sari)
    _summary, html = _summary_html(case)
    out = io.BytesIO()
    HTML(string=f"<!DOCTYPE html><html><body>{html}</body></html>").write_pdf(out)
    assert out.getvalue().startswith(b"%PDF")


def test_timeline_entries(sari, case, django_assert_num_queries):
    _draw(case, sari)
    _draw(case, sari)
    with django_assert_num_queries(1):
        entries = selectors.timeline_entries(case, newest_first=True, upto=1)
    assert len(entries) == 1 and entries[0]["text"] == "Genogram version 2 drawn"
    assert entries[0]["actor"] == sari and entries[0]["url"].endswith("/genograms/2/")
    assert timezone.is_aware(entries[0]["at"])
    oldest = selectors.timeline_entries(case, newest_first=False, upto=None)
    assert [e["text"] for e in oldest] == ["Genogram version 1 drawn", "Genogram version 2 drawn"]


def test_service_refusal_is_keyed_and_nothing_saved(sari, case):
    from django.core.exceptions import ValidationError

    rows = family()
    rows["unions"][0]["partner_b"] = "P2"
    with pytest.raises(ValidationError) as exc:
        _draw(case, sari, rows)
    assert "unions-0-partner_b" in exc.value.error_dict
    assert not GenogramPerson.objects.exists()
