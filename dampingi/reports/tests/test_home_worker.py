from django.urls import reverse

from dampingi.cases.models import Approval
from dampingi.cases.phases import Phase
from dampingi.plans.models import Task
from dampingi.reports.selectors import LIST_LIMIT, bounded
from dampingi.reports.tests import helpers
from dampingi.testing.factories import make_case

HOME = "/"


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("reports:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_worker_sees_own_open_cases_by_phase_with_priority_and_days_in_phase(client, sari):
    case = helpers.in_phase(make_case(worker=sari, priority="urgent"), Phase.ASSESSMENT, since_days=12)
    client.force_login(sari)
    response = client.get(HOME)
    helpers.assert_clean(response)
    assert response.status_code == 200
    body = response.content.decode()
    assert case.reference in body
    assert case.client_system.name in body
    assert 'class="badge urgent"' in body
    assert "12 days" in body or "12 hari" in body
    phases = {p["phase"]: p for p in response.context["phases"]}
    assert phases[Phase.ASSESSMENT]["count"] == 1
    assert [c.pk for c in phases[Phase.ASSESSMENT]["cases"]] == [case.pk]
    assert phases[Phase.ASSESSMENT]["cases"][0].days_in_phase == 12
    assert response.context["open_total"] == 1
    assert f"{reverse('cases:list')}?phase=assessment&amp;mine=on" in body


def test_worker_does_not_see_cases_of_another_team_or_closed_cases(client, sari, dedi):
    other = make_case(worker=dedi)
    closed = helpers.in_phase(make_case(worker=sari), Phase.TERMINATION, closed=True)
    client.force_login(sari)
    response = client.get(HOME)
    body = response.content.decode()
    assert other.reference not in body
    assert closed.reference not in body
    assert response.context["open_total"] == 0


def test_a_long_phase_list_is_bounded_with_a_link_to_the_case_list(client, sari):
    for _ in range(10):
        make_case(worker=sari)
    client.force_login(sari)
    response = client.get(HOME)
    engagement = response.context["phases"][0]
    assert engagement["count"] == 10
    assert len(engagement["cases"]) == 8
    assert engagement["more"] == 2
    assert "?phase=engagement&amp;mine=on" in response.content.decode()


def test_overdue_tasks_exclude_done_cancelled_future_and_closed_cases(client, sari):
    case = helpers.in_phase(make_case(worker=sari), Phase.INTERVENTION)
    late = helpers.task(case, due_in_days=-4, description="Mengantar ke puskesmas")
    helpers.task(case, due_in_days=-4, status=Task.Status.DONE, description="Sudah selesai")
    helpers.task(case, due_in_days=-4, status=Task.Status.CANCELLED, description="Dibatalkan")
    helpers.task(case, due_in_days=3, description="Belum jatuh tempo")
    closed = helpers.in_phase(make_case(worker=sari), Phase.TERMINATION, closed=True)
    helpers.task(closed, due_in_days=-4, description="Kasus sudah ditutup")
    client.force_login(sari)
    response = client.get(HOME)
    assert [t.pk for t in response.context["overdue_tasks"].rows] == [late.pk]
    assert response.context["overdue_tasks"].total == 1
    assert "Mengantar ke puskesmas" in response.content.decode()


def test_tasks_of_a_plan_not_yet_carried_out_are_not_overdue(client, sari):
    planning = helpers.in_phase(make_case(worker=sari), Phase.PLANNING)
    helpers.task(planning, due_in_days=-4, description="Rencana belum disetujui")
    client.force_login(sari)
    assert client.get(HOME).context["overdue_tasks"].total == 0


def test_followups_due_soon_and_overdue_are_listed_apart(client, sari):
    soon = helpers.followup(make_case(worker=sari), in_days=12)
    late = helpers.followup(make_case(worker=sari), in_days=-5)
    helpers.followup(make_case(worker=sari), in_days=45)  # too far ahead
    helpers.followup(make_case(worker=sari), in_days=-90)  # long past
    client.force_login(sari)
    response = client.get(HOME)
    assert [t.pk for t in response.context["followups_due"].rows] == [soon.pk]
    assert [t.pk for t in response.context["followups_overdue"].rows] == [late.pk]


def test_followup_of_a_reopened_case_is_not_listed(client, sari):
    case = make_case(worker=sari)
    helpers.followup(case, in_days=5)
    helpers.in_phase(case, Phase.ENGAGEMENT)  # reopened: the follow-up is moot
    client.force_login(sari)
    assert client.get(HOME).context["followups_due"].total == 0


def test_pending_approvals_are_the_ones_the_worker_requested(client, sari, ratna):
    mine = helpers.approval(make_case(worker=sari))
    helpers.approval(make_case(worker=sari), by=ratna)
    decided = helpers.approval(make_case(worker=sari), kind=Approval.Kind.CLOSURE)
    decided.status = Approval.Status.APPROVED
    decided.save()
    client.force_login(sari)
    response = client.get(HOME)
    assert [a.pk for a in response.context["my_pending_approvals"].rows] == [mine.pk]


LISTS = ("overdue_tasks", "followups_due", "followups_overdue", "my_pending_approvals", "overdue_referrals")


def test_worker_home_runs_a_fixed_number_of_queries(client, sari, django_assert_num_queries):
    helpers.caseload(sari, 3)
    client.force_login(sari)
    expected = helpers.count_queries(client, HOME)  # every list short: its rows are its total
    helpers.caseload(sari, 30)
    response = client.get(HOME)
    full = [name for name in LISTS if len(response.context[name].rows) == LIST_LIMIT]
    assert full  # the larger caseload fills at least one list
    with django_assert_num_queries(expected + len(full)):  # a full list also counts its rows
        response = client.get(HOME)
    assert response.context["open_total"] == 33
    assert response.context["overdue_tasks"].total == 14  # one a case in Intervention or Evaluation
    assert len(response.context["overdue_tasks"].rows) == 14


def test_a_short_list_is_counted_from_its_rows_and_a_full_one_by_the_database(sari, django_assert_num_queries):
    helpers.caseload(sari, 3)
    short = Task.objects.order_by("pk")
    n = short.count()
    assert 0 < n < LIST_LIMIT
    with django_assert_num_queries(1):
        result = bounded(short)
    assert (len(result.rows), result.total, result.more) == (n, n, 0)
    with django_assert_num_queries(2):
        result = bounded(short, limit=n)  # exactly full: it cannot know whether more follow
    assert (result.total, result.more) == (n, 0)
    with django_assert_num_queries(2):
        result = bounded(short, limit=n - 1)
    assert (len(result.rows), result.total, result.more) == (n - 1, n, 1)
