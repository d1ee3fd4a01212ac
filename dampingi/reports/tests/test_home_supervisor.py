import datetime

from django.urls import reverse

from dampingi.accounts.models import Role
from dampingi.cases.models import Approval
from dampingi.cases.phases import Phase
from dampingi.reports.tests import helpers
from dampingi.testing.factories import TeamFactory, UserFactory, make_case

HOME = "/"


def test_supervisor_sees_open_cases_of_both_teams_by_phase_and_by_worker(client, sari, dedi, ratna):
    helpers.in_phase(make_case(worker=sari), Phase.PLANNING)
    helpers.in_phase(make_case(worker=sari), Phase.INTERVENTION)
    make_case(worker=dedi)
    helpers.in_phase(make_case(worker=dedi), Phase.TERMINATION, closed=True)
    client.force_login(ratna)
    response = client.get(HOME)
    helpers.assert_clean(response)
    counts = {p["phase"]: p["count"] for p in response.context["phases"]}
    assert counts == {
        Phase.ENGAGEMENT: 1,
        Phase.ASSESSMENT: 0,
        Phase.PLANNING: 1,
        Phase.INTERVENTION: 1,
        Phase.EVALUATION: 0,
        Phase.TERMINATION: 0,
    }
    workers = {row["assigned_worker__username"]: row for row in response.context["workers"]}
    assert workers["sari"]["total"] == 2 and workers["sari"]["n_planning"] == 1
    assert workers["dedi"]["total"] == 1 and workers["dedi"]["n_engagement"] == 1
    body = response.content.decode()
    assert "Sari Lestari" in body and "Dedi Kurniawan" in body


def test_supervisor_does_not_see_teams_they_do_not_supervise(client, ratna):
    other_supervisor = UserFactory(username="wawan", role=Role.SUPERVISOR)
    team = TeamFactory(name="Tim Garut", supervisor=other_supervisor)
    outsider = UserFactory(username="euis", team=team)
    case = make_case(worker=outsider)
    client.force_login(ratna)
    response = client.get(HOME)
    assert case.reference not in response.content.decode()
    assert response.context["open_total"] == 0


def test_pending_plan_and_closure_approvals_link_to_the_case_page(client, sari, ratna):
    plan = helpers.approval(make_case(worker=sari))
    closure = helpers.approval(helpers.in_phase(make_case(worker=sari), Phase.TERMINATION), kind=Approval.Kind.CLOSURE)
    decided = helpers.approval(make_case(worker=sari))
    decided.status = Approval.Status.RETURNED
    decided.save()
    client.force_login(ratna)
    response = client.get(HOME)
    assert {a.pk for a in response.context["pending_approvals"].rows} == {plan.pk, closure.pk}
    body = response.content.decode()
    assert reverse("cases:detail", args=[plan.case_id]) in body
    assert reverse("cases:detail", args=[closure.case_id]) in body


def test_a_request_still_waiting_on_a_closed_case_stays_on_the_approvals_list(client, sari, ratna):
    # A plan sent for approval, then the case terminated and its closure approved: the plan's
    # request is still waiting for the supervisor, though the case no longer counts as open.
    closed = helpers.in_phase(make_case(worker=sari), Phase.TERMINATION, closed=True)
    waiting = helpers.approval(closed)
    client.force_login(ratna)
    response = client.get(HOME)
    assert [a.pk for a in response.context["pending_approvals"].rows] == [waiting.pk]
    assert response.context["open_total"] == 0
    assert reverse("cases:detail", args=[closed.pk]) in response.content.decode()


def test_overdue_tasks_across_the_team_show_the_worker(client, sari, dedi, ratna):
    helpers.task(helpers.in_phase(make_case(worker=sari), Phase.INTERVENTION), due_in_days=-2, description="Tugas Sari")
    helpers.task(helpers.in_phase(make_case(worker=dedi), Phase.EVALUATION), due_in_days=-9, description="Tugas Dedi")
    client.force_login(ratna)
    response = client.get(HOME)
    assert [t.description for t in response.context["overdue_tasks"].rows] == ["Tugas Dedi", "Tugas Sari"]
    assert "Dedi Kurniawan" in response.content.decode()


def test_cases_without_activity_for_30_days_are_flagged(client, sari, ratna):
    silent = helpers.opened(make_case(worker=sari), days=90)
    helpers.note(silent, days=45)
    never = helpers.opened(make_case(worker=sari), days=40)
    active = helpers.opened(make_case(worker=sari), days=90)
    helpers.note(active, days=3)
    make_case(worker=sari)  # opened today: not yet due for activity
    client.force_login(ratna)
    response = client.get(HOME)
    rows = response.context["inactive_cases"].rows
    assert [c.pk for c in rows] == [never.pk, silent.pk]  # never any activity first
    assert rows[1].last_activity == helpers.today() - datetime.timedelta(days=45)


def test_supervisor_home_runs_a_fixed_number_of_queries(client, sari, dedi, ratna, django_assert_num_queries):
    helpers.caseload(sari, 3)
    client.force_login(ratna)
    expected = helpers.count_queries(client, HOME)
    helpers.caseload(sari, 15)
    helpers.caseload(dedi, 15)
    with django_assert_num_queries(expected):
        response = client.get(HOME)
    assert response.context["open_total"] == 33
    assert len(response.context["workers"]) == 2
