import html

import pytest
from django.urls import reverse

from dampingi.assessments.models import Problem
from dampingi.instruments import services
from dampingi.instruments.definitions import digital_v1
from dampingi.instruments.models import Administration
from dampingi.instruments.selectors import instruments_section
from dampingi.instruments.tests.helpers import answers, assert_clean, counts, environment, role, today


def url(name, case, *args):
    return reverse(f"instruments:{name}", args=[case.pk, *args])


def pie_post(**overrides):
    data = {
        "administered_on": today().isoformat(),
        "role-TOTAL_FORMS": "1", "role-INITIAL_FORMS": "0",
        "env-TOTAL_FORMS": "1", "env-INITIAL_FORMS": "0",
        "mental-TOTAL_FORMS": "1", "mental-INITIAL_FORMS": "0",
        "physical-TOTAL_FORMS": "1", "physical-INITIAL_FORMS": "0",
        "role-0-role": "child", "role-0-problem_type": "loss",
        "role-0-severity": "4", "role-0-duration": "2", "role-0-coping": "3", "role-0-strengths": "Rajin mengaji",
        "env-0-problem": "", "env-0-detail": "", "env-0-severity": "", "env-0-duration": "",
        "mental-0-diagnosis": "Depresi ringan", "mental-0-client_reported": "",
        "physical-0-diagnosis": "", "physical-0-client_reported": "Asma",
    }  # fmt: skip
    data.update(overrides)
    return data


def screening_post(**ratings):
    data = {"administered_on": today().isoformat()}
    for key in digital_v1.ITEMS:
        data[f"rating_{key}"] = str(ratings.get(key, 0))
        data[f"notes_{key}"] = f"Catatan {key}" if key in ratings else ""
    return data


def test_worker_takes_the_pie_through_the_form(client, sari, assessed_case):
    client.force_login(sari)
    response = client.get(url("pie_new", assessed_case))
    assert response.status_code == 200
    assert_clean(response)
    response = client.post(url("pie_new", assessed_case), pie_post())
    adm = Administration.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", assessed_case, adm.pk)
    assert adm.pie_entries.get().strengths == "Rajin mengaji"
    assert adm.health_entries.count() == 2


def test_pie_severity_9_is_refused_with_a_field_error_and_the_input_is_kept(client, sari, assessed_case):
    client.force_login(sari)
    before = counts()
    response = client.post(url("pie_new", assessed_case), pie_post(**{"role-0-severity": "9"}))
    assert response.status_code == 200
    assert_clean(response)
    body = html.unescape(response.content.decode())
    assert "Enter a value from 1 to 6." in body
    assert 'name="role-0-severity" value="9"' in body
    assert 'value="Rajin mengaji"' in body
    assert response.context["forms"].roles.forms[0].errors["severity"] == ["Enter a value from 1 to 6."]
    assert counts() == before


def test_worker_takes_the_screening_and_adds_a_flagged_item_to_the_problem_tree(client, sari, assessed_case):
    client.force_login(sari)
    response = client.get(url("screening_new", assessed_case))
    assert response.status_code == 200
    assert_clean(response)
    response = client.post(url("screening_new", assessed_case), screening_post(harm_lending=3, face_to_face=1))
    adm = Administration.objects.get()
    assert response.status_code == 302
    response = client.get(url("detail", assessed_case, adm.pk))
    assert_clean(response)
    body = response.content.decode()
    assert url("add_problem", assessed_case, adm.pk, "harm_lending") in body
    assert url("add_problem", assessed_case, adm.pk, "face_to_face") not in body
    response = client.post(url("add_problem", assessed_case, adm.pk, "harm_lending"))
    assert response.status_code == 302
    problem = Problem.objects.get()
    assert (problem.title, problem.description) == ("Illegal online lending", "Catatan harm_lending")
    before = counts()
    response = client.post(url("add_problem", assessed_case, adm.pk, "harm_lending"), follow=True)
    assert "This item is already in the problem tree." in html.unescape(response.content.decode())
    assert counts() == before
    assert "in the problem tree" in response.content.decode()


def test_a_screening_without_every_rating_is_refused_and_the_notes_are_kept(client, sari, assessed_case):
    client.force_login(sari)
    data = screening_post(home_rules=2)
    data["rating_face_to_face"] = "7"
    del data["rating_harm_fraud"]
    before = counts()
    response = client.post(url("screening_new", assessed_case), data)
    assert response.status_code == 200
    assert_clean(response)
    body = response.content.decode()
    assert "Rate from 0 to 3." in body and "Rate this item." in body
    assert "Catatan home_rules" in body
    assert counts() == before


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [("sari", 200, None), ("ratna", 200, None), ("hendra", 200, 403), ("dedi", 404, 404), ("yogi", 404, 404)],
)
def test_permission_matrix_and_nothing_changes_on_denial(client, request, sari, assessed_case, persona, read, write):
    pie = services.pie_administer(actor=sari, case=assessed_case, administered_on=today(), role_problems=[role()])
    screening = services.screening_administer(
        actor=sari, case=assessed_case, administered_on=today(), answers=answers(home_rules=2)
    )
    client.force_login(request.getfixturevalue(persona))
    for target in (url("detail", assessed_case, pie.pk), url("compare", assessed_case, screening.pk)):
        response = client.get(target)
        assert response.status_code == read
        if read == 200:
            assert_clean(response)
    if write is None:
        return
    before = counts()
    assert client.get(url("pie_new", assessed_case)).status_code == write
    assert client.get(url("screening_new", assessed_case)).status_code == write
    assert client.post(url("pie_new", assessed_case), pie_post()).status_code == write
    assert client.post(url("screening_new", assessed_case), screening_post()).status_code == write
    assert client.post(url("add_problem", assessed_case, screening.pk, "home_rules")).status_code == write
    assert counts() == before


def test_health_factors_are_not_shown_to_the_manager(client, sari, hendra, assessed_case):
    adm = services.pie_administer(
        actor=sari,
        case=assessed_case,
        administered_on=today(),
        role_problems=[role()],
        health=[
            {"factor": 3, "diagnosis": "Depresi ringan", "client_reported": ""},
            {"factor": 4, "client_reported": "Asma"},
        ],
    )
    client.force_login(sari)
    body = client.get(url("detail", assessed_case, adm.pk)).content.decode()
    assert "Depresi ringan" in body and "Asma" in body
    client.force_login(hendra)
    for page in (url("detail", assessed_case, adm.pk), reverse("cases:detail", args=[assessed_case.pk])):
        response = client.get(page)
        assert response.status_code == 200
        assert_clean(response)
        body = response.content.decode()
        assert "Depresi ringan" not in body and "Asma" not in body and "Factor III" not in body
    # Not in the case page's list either, even for the worker.
    client.force_login(sari)
    body = client.get(reverse("cases:detail", args=[assessed_case.pk])).content.decode()
    assert "Depresi ringan" not in body


def test_compare_page_shows_old_and_new_values(client, sari, assessed_case):
    services.screening_administer(
        actor=sari, case=assessed_case, administered_on=today(), answers=answers(home_rules=3)
    )
    new = services.screening_administer(
        actor=sari, case=assessed_case, administered_on=today(), answers=answers(home_rules=1)
    )
    client.force_login(sari)
    response = client.get(url("compare", assessed_case, new.pk))
    assert_clean(response)
    rows = {r.label: r for r in response.context["rows"]}
    assert (rows["Changed rules and norms at home"].old, rows["Changed rules and norms at home"].new) == (3, 1)
    assert "-2" in response.content.decode()
    assert response.context["totals"]["change"] == "-2"
    pie = services.pie_administer(actor=sari, case=assessed_case, administered_on=today(), role_problems=[role()])
    response = client.get(url("compare", assessed_case, pie.pk))
    assert_clean(response)
    assert "no earlier administration" in response.content.decode()


def test_case_page_shows_the_section_with_links(client, sari, assessed_case):
    adm = services.pie_administer(
        actor=sari, case=assessed_case, administered_on=today(), role_problems=[role(severity=6)],
        environment_problems=[environment()],
    )  # fmt: skip
    client.force_login(sari)
    response = client.get(reverse("cases:detail", args=[assessed_case.pk]))
    assert_clean(response)
    body = response.content.decode()
    assert url("pie_new", assessed_case) in body and url("detail", assessed_case, adm.pk) in body
    assert "catastrophic" in body


def test_outside_the_instrument_phases_the_form_redirects_with_a_message(client, sari):
    from dampingi.testing.factories import make_case

    case = make_case(worker=sari)
    client.force_login(sari)
    response = client.get(url("pie_new", case), follow=True)
    assert "Instruments are taken in the Assessment and Evaluation phases" in html.unescape(response.content.decode())
    assert url("pie_new", case) not in response.content.decode()


def test_instruments_section_runs_a_fixed_number_of_queries(sari, assessed_case, django_assert_num_queries):
    from dampingi.testing.cases import walk_to
    from dampingi.testing.factories import ClientSystemFactory, make_case

    other = walk_to(make_case(worker=sari, client_system=ClientSystemFactory(created_by=sari)), "assessment",
                    worker=sari, supervisor=assessed_case.supervisor)  # fmt: skip
    for case, n in ((assessed_case, 1), (other, 5)):
        for i in range(n):
            services.pie_administer(actor=sari, case=case, administered_on=today(), role_problems=[role(), role()])
            services.screening_administer(
                actor=sari, case=case, administered_on=today(), answers=answers(face_to_face=i % 4)
            )
    with django_assert_num_queries(3):
        small = instruments_section(case=assessed_case, user=sari)
    with django_assert_num_queries(3):
        big = instruments_section(case=other, user=sari)
    assert len(small["rows"]) == 2 and len(big["rows"]) == 10
    assert big["rows"][0].previous is not None and big["rows"][-1].previous is None


def test_a_future_date_is_refused_next_to_the_date_field(client, sari, assessed_case):
    client.force_login(sari)
    future = today(-3).isoformat()
    before = counts()
    for name, data in (("screening_new", screening_post()), ("pie_new", pie_post())):
        data["administered_on"] = future
        response = client.post(url(name, assessed_case), data)
        assert response.status_code == 200
        assert_clean(response)
        form = response.context["form"] if name == "screening_new" else response.context["forms"].date
        assert form.errors["administered_on"] == ["The date cannot be in the future."]
    assert counts() == before


def test_the_screening_is_taken_again_in_evaluation_and_compared(client, sari, ratna, assessed_case):
    from dampingi.testing.cases import walk_to

    first = services.screening_administer(
        actor=sari, case=assessed_case, administered_on=today(), answers=answers(harm_gambling=3)
    )
    case = walk_to(assessed_case, "evaluation", worker=sari, supervisor=ratna)
    client.force_login(sari)
    response = client.post(url("screening_new", case), screening_post(harm_gambling=1))
    assert response.status_code == 302
    second = Administration.objects.exclude(pk=first.pk).get()
    assert second.phase == "evaluation"
    response = client.get(url("detail", case, second.pk))
    assert_clean(response)
    # Problems are added to the tree in Assessment only.
    assert (
        url("add_problem", case, first.pk, "harm_gambling")
        not in client.get(url("detail", case, first.pk)).content.decode()
    )
    response = client.get(url("compare", case, second.pk))
    row = next(r for r in response.context["rows"] if r.label == "Online gambling")
    assert (row.old, row.new, row.change_text) == (3, 1, "-2")
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert url("compare", case, second.pk) in body


def test_pages_render_in_indonesian(client, sari, assessed_case):
    from dampingi.accounts.models import User

    adm = services.screening_administer(
        actor=sari, case=assessed_case, administered_on=today(), answers=answers(home_rules=2)
    )
    pie = services.pie_administer(actor=sari, case=assessed_case, administered_on=today(), role_problems=[role()])
    User.objects.filter(pk=sari.pk).update(language="id")
    client.force_login(sari)
    for page in (
        url("pie_new", assessed_case),
        url("screening_new", assessed_case),
        url("detail", assessed_case, adm.pk),
        url("detail", assessed_case, pie.pk),
        url("compare", assessed_case, adm.pk),
        reverse("cases:detail", args=[assessed_case.pk]),
    ):
        response = client.get(page)
        assert response.status_code == 200
        assert_clean(response)


def test_more_rows_keeps_the_input_and_saves_nothing(client, sari, assessed_case):
    client.force_login(sari)
    before = counts()
    response = client.post(url("pie_new", assessed_case), {**pie_post(), "more": "1"})
    assert response.status_code == 200
    assert_clean(response)
    forms = response.context["forms"]
    assert len(forms.roles.forms) == 4 and len(forms.mental.forms) == 4
    assert 'value="Rajin mengaji"' in response.content.decode()
    assert counts() == before
