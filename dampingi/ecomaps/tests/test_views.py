import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dampingi.audit.models import AuditEvent
from dampingi.cases.models import Case
from dampingi.ecomaps.models import EcoMap
from dampingi.ecomaps.tests.helpers import counts, draw, form_data, groups, parse_svg, system, today
from dampingi.testing.casework import add_stakeholder, assert_clean


def _new(case):
    return reverse("ecomaps:new", args=[case.pk])


def _detail(case, number=1):
    return reverse("ecomaps:detail", args=[case.pk, number])


def _print(case, number=1):
    return reverse("ecomaps:print", args=[case.pk, number])


def _compare(case):
    return reverse("ecomaps:compare", args=[case.pk])


def _value(html: str, name: str) -> bool:
    return f'name="{name}"' in html


# --- The new-version page --------------------------------------------------------------------------


def test_new_page_starts_from_the_stakeholders(client, sari, case):
    add_stakeholder(case, "Bu Guru Yanti")
    client.force_login(sari)
    html = assert_clean(client.get(_new(case)))
    assert 'value="Bu Guru Yanti"' in html
    assert "stakeholders and the client's family are filled in" in html
    assert 'name="systems-TOTAL_FORMS" value="3"' in html  # one prefilled row and two empty ones


def test_new_page_starts_from_the_latest_version(client, sari, case):
    draw(case, sari, system("Puskesmas Cileunyi", category="health", strength="strong", stressful=True))
    client.force_login(sari)
    html = assert_clean(client.get(_new(case)))
    assert 'value="Puskesmas Cileunyi"' in html
    assert "The systems of version 1" in html
    assert 'name="systems-0-stressful" id="id_systems-0-stressful" checked' in html


def test_drawing_a_version_redirects_to_it(client, sari, case):
    client.force_login(sari)
    data = form_data(
        system("Nenek Enok", category="family", strength="strong", flow="to_client"),
        system("Pinjol", category="online", strength="tenuous", stressful=True),
        extra=2,
        note="Awal",
    )
    response = client.post(_new(case), data)
    ecomap = EcoMap.objects.get(case=case)
    assert response.status_code == 302 and response["Location"] == _detail(case, 1)
    assert [s.name for s in ecomap.systems.all()] == ["Nenek Enok", "Pinjol"]
    assert ecomap.systems.get(name="Pinjol").stressful is True
    assert ecomap.note == "Awal"


def test_rows_ticked_for_deletion_or_left_empty_are_left_out(client, sari, case):
    client.force_login(sari)
    data = form_data(system("Puskesmas", category="health"), system("Pinjol", category="online"), extra=1)
    data["systems-1-DELETE"] = "on"
    assert client.post(_new(case), data).status_code == 302
    assert list(EcoMap.objects.get().systems.values_list("name", flat=True)) == ["Puskesmas"]


def test_errors_are_shown_next_to_the_fields_and_the_input_is_kept(client, sari, case):
    client.force_login(sari)
    tomorrow = today() + datetime.timedelta(days=1)
    data = form_data(
        system("Nenek Enok", category="family", note="tinggal serumah"),
        system("Posyandu Melati", category="", strength="strong"),
        drawn_on=tomorrow,
        note="Catatan saya",
    )
    before = counts()
    response = client.post(_new(case), data)
    html = assert_clean(response)
    assert response.status_code == 200
    assert counts() == before
    # the form's own error (missing kind) sits with the row
    row = html[html.index('value="Posyandu Melati"') - 2000 :]
    assert "This field is required." in row[: row.index("System 3") if "System 3" in row else len(row)]
    assert 'value="Nenek Enok"' in html and 'value="tinggal serumah"' in html
    assert "Catatan saya" in html and f'value="{tomorrow.isoformat()}"' in html
    # once the row is fixed, the service refuses the date, next to the date field
    data["systems-1-category"] = "health"
    html = assert_clean(client.post(_new(case), data))
    date_block = html[html.index('id="id_drawn_on"') - 600 : html.index('id="id_drawn_on"') + 300]
    assert "The date cannot be in the future." in date_block
    assert 'value="Posyandu Melati"' in html
    assert counts() == before


def test_the_same_system_twice_is_marked_on_the_second_row(client, sari, case):
    client.force_login(sari)
    data = form_data(system("Puskesmas", category="health"), system("puskesmas ", category="health"))
    html = assert_clean(client.post(_new(case), data))
    assert "This system is already listed above." in html
    assert html.index("This system is already listed above.") > html.index('name="systems-1-name"') - 1500
    assert counts()["maps"] == 0


def test_an_empty_map_is_refused_above_the_rows(client, sari, case):
    client.force_login(sari)
    html = assert_clean(client.post(_new(case), form_data(extra=3)))
    assert "Add at least one system around the client." in html
    assert counts()["maps"] == 0


def test_a_refusal_of_the_service_about_the_systems_is_shown_above_the_rows(client, sari, case):
    from dampingi.testing.factories import make_case

    foreign = add_stakeholder(make_case(worker=sari))
    client.force_login(sari)
    html = assert_clean(client.post(_new(case), form_data(system("Bu Guru", stakeholder=str(foreign.pk)))))
    assert "A system refers to a stakeholder of another case." in html
    assert 'value="Bu Guru"' in html
    assert counts()["maps"] == 0


def test_add_rows_keeps_everything_typed_without_errors_and_saves_nothing(client, sari, case):
    client.force_login(sari)
    data = form_data(
        system("Nenek Enok", category="family", strength="strong", stressful=True, flow="both", note="dekat"),
        system("Posyandu", category=""),  # incomplete: no error is shown yet
        extra=1,
        drawn_on="2020-13-45",
        note="Catatan",
        more="1",
    )
    html = assert_clean(client.post(_new(case), data))
    assert counts()["maps"] == 0
    assert 'name="systems-TOTAL_FORMS" value="6"' in html  # 2 typed + 1 empty + 3 more
    assert 'value="Nenek Enok"' in html and 'value="dekat"' in html and 'value="Posyandu"' in html
    assert 'name="systems-0-stressful" id="id_systems-0-stressful" checked' in html
    assert '<option value="strong" selected>' in html and '<option value="both" selected>' in html
    assert 'value="2020-13-45"' in html and "Catatan" in html
    assert "This field is required." not in html and "form-errors" not in html
    # and what was kept can be recorded as it stands once completed
    kept = form_data(
        system("Nenek Enok", category="family", strength="strong", stressful=True, flow="both", note="dekat"),
        system("Posyandu", category="health"),
        extra=4,
    )
    assert client.post(_new(case), kept).status_code == 302


def test_add_rows_drops_rows_ticked_for_deletion(client, sari, case):
    client.force_login(sari)
    data = form_data(system("Puskesmas", category="health"), system("Pinjol", category="online"), more="1")
    data["systems-1-DELETE"] = "on"
    html = assert_clean(client.post(_new(case), data))
    assert 'value="Puskesmas"' in html and 'value="Pinjol"' not in html


def test_a_closed_case_sends_the_supervisor_back_with_a_message(client, ratna, case):
    Case.objects.filter(pk=case.pk).update(phase="termination", closed_at=timezone.now())
    client.force_login(ratna)
    response = client.get(_new(case), follow=True)
    assert "The case is closed: its eco-map can no longer be drawn." in response.content.decode()
    assert client.post(_new(case), form_data(system())).status_code == 302
    assert counts()["maps"] == 0


# --- Reading pages ---------------------------------------------------------------------------------


def test_detail_shows_the_drawing_the_table_and_who_when_phase(client, sari, case):
    draw(case, sari, system("Puskesmas", category="health", note="bidan ramah"), note="Peta awal")
    client.force_login(sari)
    html = assert_clean(client.get(_detail(case)))
    assert "Eco-map version 1" in html and "Sari Lestari" in html and "Engagement" in html
    assert "bidan ramah" in html and "Peta awal" in html and "welfare" not in html
    root = parse_svg(html)
    assert len(groups(root, "system", within="systems")) == 1
    assert reverse("ecomaps:new", args=[case.pk]) in html
    assert reverse("ecomaps:print", args=[case.pk, 1]) in html


def test_an_unknown_version_is_404(client, sari, case):
    client.force_login(sari)
    assert client.get(_detail(case, 9)).status_code == 404
    assert client.get(_print(case, 9)).status_code == 404


def test_print_page_is_a_standalone_document(client, sari, case):
    draw(case, sari, system("Puskesmas", category="health"))
    client.force_login(sari)
    html = assert_clean(client.get(_print(case)))
    assert html.startswith("<!DOCTYPE html>")
    assert 'class="topbar"' not in html
    assert "@media print" in html
    assert parse_svg(html).get("role") == "img"
    assert "<table" in html


def _two_versions(case, sari):
    draw(
        case,
        sari,
        system("Nenek Enok", category="family", strength="strong"),
        system("Pinjol", category="online", strength="moderate", stressful=True, flow="from_client"),
        system("Puskesmas", category="health", strength="tenuous"),
    )
    draw(case, sari, system("Nenek Enok", category="family", strength="strong"), system("Puskesmas", category="health"))
    return draw(
        case,
        sari,
        system("Nenek Enok", category="family", strength="strong", flow="to_client"),
        system("puskesmas", category="health", strength="strong"),
        system("Karang Taruna", category="community"),
    )


def test_compare_defaults_to_the_first_and_the_latest_with_the_differences(client, sari, case):
    _two_versions(case, sari)
    client.force_login(sari)
    response = client.get(_compare(case))
    html = assert_clean(response)
    assert html.count("<svg") == 2
    assert response.context["before"]["ecomap"].number == 1 and response.context["after"]["ecomap"].number == 3
    differences = {
        (d.kind, d.name): [(c.field, c.old, c.new) for c in d.changes] for d in response.context["differences"]
    }
    assert differences == {
        ("removed", "Pinjol"): [],
        ("changed", "Nenek Enok"): [("flow", "none", "to the client")],
        ("changed", "puskesmas"): [("strength", "tenuous", "strong")],
        ("added", "Karang Taruna"): [],
    }
    assert "removed" in html and "added" in html and "flow of energy changed" in html


def test_compare_other_versions_chosen_by_get(client, sari, case):
    _two_versions(case, sari)
    client.force_login(sari)
    response = client.get(_compare(case), {"a": 2, "b": 3})
    assert (response.context["before"]["ecomap"].number, response.context["after"]["ecomap"].number) == (2, 3)
    assert [d.kind for d in response.context["differences"]] == ["changed", "changed", "added"]
    # a version that does not exist falls back to the defaults
    response = client.get(_compare(case), {"a": 7, "b": 3})
    assert (response.context["before"]["ecomap"].number, response.context["after"]["ecomap"].number) == (1, 3)
    assert_clean(response)


def test_compare_without_eco_maps_says_so(client, sari, case):
    client.force_login(sari)
    html = assert_clean(client.get(_compare(case)))
    assert "No eco-map has been drawn yet." in html


def test_same_version_twice_shows_no_differences(client, sari, case):
    draw(case, sari)
    client.force_login(sari)
    html = assert_clean(client.get(_compare(case)))
    assert "No differences: the same systems with the same links." in html


# --- Permission matrix -----------------------------------------------------------------------------


def _read_urls(case):
    return [_detail(case), _print(case), _compare(case)]


@pytest.mark.parametrize("who", ["sari", "ratna", "hendra"])
def test_who_may_see_the_case_reads_every_page_and_the_view_is_recorded(client, case, who, request, sari):
    draw(case, sari)
    client.force_login(request.getfixturevalue(who))
    for url in _read_urls(case):
        before = AuditEvent.objects.filter(action="case.view", case_id=case.pk).count()
        assert_clean(client.get(url))
        assert AuditEvent.objects.filter(action="case.view", case_id=case.pk).count() == before + 1


def test_an_outsider_gets_404_everywhere_and_nothing_changes(client, case, sari, dedi):
    draw(case, sari)
    client.force_login(dedi)
    before = counts()
    views_before = AuditEvent.objects.filter(action="case.view").count()
    for url in [*_read_urls(case), _new(case)]:
        assert client.get(url).status_code == 404
    assert client.post(_new(case), form_data(system("Baru"))).status_code == 404
    assert counts() == before
    assert AuditEvent.objects.filter(action="case.view").count() == views_before


def test_the_manager_reads_but_may_not_draw_and_nothing_changes(client, case, sari, hendra):
    draw(case, sari)
    client.force_login(hendra)
    html = assert_clean(client.get(_detail(case)))
    assert reverse("ecomaps:new", args=[case.pk]) not in html
    before = counts()
    assert client.get(_new(case)).status_code == 403
    assert client.post(_new(case), form_data(system("Baru"))).status_code == 403
    assert client.post(_new(case), form_data(system("Baru"), more="1")).status_code == 403
    assert counts() == before


def test_the_supervisor_may_draw(client, case, ratna):
    client.force_login(ratna)
    assert client.post(_new(case), form_data(system("Puskesmas", category="health"))).status_code == 302
    assert EcoMap.objects.get().drawn_by == ratna


def test_anonymous_users_are_sent_to_sign_in(client, case):
    response = client.get(_new(case))
    assert response.status_code == 302 and "login" in response["Location"]


# --- Fixed number of queries ------------------------------------------------------------------------


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_pages_run_the_same_number_of_queries_whatever_the_data_size(client, sari, case):
    from dampingi.testing.factories import ClientSystemFactory, make_case

    small = case
    draw(small, sari, system("A"))
    draw(small, sari, system("A"))
    large = make_case(worker=sari, client_system=ClientSystemFactory(created_by=sari))
    for v in range(5):
        draw(large, sari, *[system(f"Sistem {v}-{i}", stakeholder_id=None) for i in range(20)])
    add_stakeholder(large)
    client.force_login(sari)
    for name, args in [("detail", [2]), ("print", [2]), ("compare", []), ("new", [])]:
        counts_ = [_queries(client, reverse(f"ecomaps:{name}", args=[c.pk, *args])) for c in (small, large)]
        assert counts_[0] == counts_[1], name


def test_a_post_without_the_formset_management_data_is_answered_with_an_error(client, sari, case):
    client.force_login(sari)
    for extra in ({}, {"more": "1"}):
        response = client.post(_new(case), {"drawn_on": today().isoformat(), **extra})
        assert response.status_code == 200
        assert_clean(response)
    assert counts()["maps"] == 0
