"""The "see all" pages behind the dashboards: overdue tasks, follow-ups, cases without activity."""

import pytest
from django.urls import reverse

from dampingi.cases.phases import Phase
from dampingi.reports.tests import helpers
from dampingi.testing.factories import make_case

PAGES = ["reports:overdue_tasks", "reports:followups", "reports:inactive_cases"]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("persona, status", [("sari", 200), ("ratna", 200), ("hendra", 404), ("yogi", 404)])
def test_list_pages_are_for_workers_and_supervisors_only(client, cast, name, persona, status):
    client.force_login(getattr(cast, persona))
    response = client.get(reverse(name))
    assert response.status_code == status
    if status == 200:
        helpers.assert_clean(response)


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302


def test_worker_sees_only_own_overdue_tasks_and_supervisor_sees_the_team(client, sari, dedi, ratna):
    helpers.task(helpers.in_phase(make_case(worker=sari), Phase.INTERVENTION), due_in_days=-3, description="Tugas Sari")
    helpers.task(helpers.in_phase(make_case(worker=dedi), Phase.EVALUATION), due_in_days=-5, description="Tugas Dedi")
    client.force_login(sari)
    body = client.get(reverse("reports:overdue_tasks")).content.decode()
    assert "Tugas Sari" in body and "Tugas Dedi" not in body
    assert "3 days late" in body or "3 hari" in body
    client.force_login(ratna)
    body = client.get(reverse("reports:overdue_tasks")).content.decode()
    assert "Tugas Sari" in body and "Tugas Dedi" in body


def test_followups_page_switches_between_due_and_overdue(client, sari):
    soon = helpers.followup(make_case(worker=sari), in_days=3)
    late = helpers.followup(make_case(worker=sari), in_days=-3)
    client.force_login(sari)
    due = client.get(reverse("reports:followups"))
    assert [t.pk for t in due.context["page_obj"].object_list] == [soon.pk]
    overdue = client.get(reverse("reports:followups"), {"when": "overdue"})
    assert [t.pk for t in overdue.context["page_obj"].object_list] == [late.pk]
    helpers.assert_clean(overdue)


def test_inactive_cases_page_lists_silent_open_cases(client, sari, ratna):
    silent = helpers.opened(make_case(worker=sari), days=50)
    closed = helpers.in_phase(helpers.opened(make_case(worker=sari), days=50), Phase.TERMINATION, closed=True)
    client.force_login(ratna)
    response = client.get(reverse("reports:inactive_cases"))
    pks = [c.pk for c in response.context["page_obj"].object_list]
    assert silent.pk in pks and closed.pk not in pks


@pytest.mark.parametrize("name", PAGES)
def test_list_pages_are_paginated_with_a_fixed_number_of_queries(
    client, sari, ratna, settings, name, django_assert_num_queries
):
    settings.DAMPINGI_PAGE_SIZE = 5
    helpers.caseload(sari, 3)
    client.force_login(ratna)
    expected = helpers.count_queries(client, reverse(name))
    helpers.caseload(sari, 20)
    with django_assert_num_queries(expected):
        response = client.get(reverse(name), {"page": 2})
    page = response.context["page_obj"]
    assert page.number == 2
    assert len(page.object_list) == 5
    assert "page=1" in response.content.decode()  # the link back to the first page
