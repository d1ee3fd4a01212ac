"""Test data for the dashboards: cases in a phase, with tasks, follow-ups, approvals and notes.

Cases are opened through the real service (make_case); the casework rows a dashboard reads are
written directly, so that tests can build 3 or 30 cases quickly. Where a helper changes a case
directly (phase, closing, opening date), it rebuilds the case tally, as a bulk writer must.
"""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dampingi.cases.models import ActivityNote, Approval, Case, Termination
from dampingi.cases.phases import Phase
from dampingi.plans.models import Goal, Plan, Task
from dampingi.reports.tally import case_tally_rebuild
from dampingi.testing.factories import make_case


def today() -> datetime.date:
    return timezone.localdate()


def days_ago(n: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=n)


def assert_clean(response) -> None:
    body = response.content.decode()
    assert "INVALID_TEMPLATE_VARIABLE" not in body, body[body.find("INVALID_TEMPLATE_VARIABLE") - 200 :][:400]


def count_queries(client, url: str, **extra) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(ctx)


def in_phase(case: Case, phase: str, *, since_days: int = 5, closed: bool = False) -> Case:
    Case.objects.filter(pk=case.pk).update(
        phase=phase, phase_changed_at=days_ago(since_days), closed_at=timezone.now() if closed else None
    )
    case_tally_rebuild()
    case.refresh_from_db()
    return case


def opened(case: Case, *, days: int) -> Case:
    Case.objects.filter(pk=case.pk).update(opened_at=days_ago(days))
    case_tally_rebuild()
    case.refresh_from_db()
    return case


def task(
    case: Case, *, due_in_days: int, status: str = Task.Status.TO_DO, description: str = "Kunjungan rumah"
) -> Task:
    plan, _created = Plan.objects.get_or_create(case=case, defaults={"status": Plan.Status.APPROVED})
    goal = Goal.objects.create(plan=plan, description="Anak kembali sekolah", indicator="Hadir 90%")
    return Task.objects.create(
        plan=plan,
        goal=goal,
        description=description,
        responsible="worker",
        status=status,
        due_date=today() + datetime.timedelta(days=due_in_days),
    )


def followup(case: Case, *, in_days: int, closed: bool = True) -> Termination:
    in_phase(case, Phase.TERMINATION, since_days=10, closed=closed)
    return Termination.objects.create(
        case=case,
        reason=Termination.Reason.GOALS_ACHIEVED,
        summary="Tujuan tercapai.",
        followup_date=today() + datetime.timedelta(days=in_days),
        recorded_by=case.assigned_worker,
        recorded_at=days_ago(10),
    )


def approval(case: Case, *, kind: str = Approval.Kind.PLAN, by=None) -> Approval:
    return Approval.objects.create(
        case=case, kind=kind, requested_by=by or case.assigned_worker, requested_at=days_ago(2)
    )


def note(case: Case, *, days: int) -> ActivityNote:
    return ActivityNote.objects.create(
        case=case,
        kind=ActivityNote.Kind.HOME_VISIT,
        phase=case.phase,
        occurred_on=today() - datetime.timedelta(days=days),
        narrative="Kunjungan rumah.",
        author=case.assigned_worker,
    )


def caseload(worker, size: int) -> list[Case]:
    """`size` open cases of `worker` across the phases, each with something for every dashboard list."""
    phases = [Phase.INTERVENTION, Phase.EVALUATION, Phase.ENGAGEMENT, Phase.ASSESSMENT, Phase.PLANNING]
    cases = []
    for i in range(size):
        case = in_phase(make_case(worker=worker), phases[i % len(phases)], since_days=i + 1)
        opened(case, days=60 + i)
        task(case, due_in_days=-3 - i)
        task(case, due_in_days=10, description="Rujukan ke puskesmas")
        approval(case)
        if i % 2:
            note(case, days=2)
        cases.append(case)
    for i in range(size):
        followup(make_case(worker=worker), in_days=(3 + i % 25) * (1 if i % 2 else -1))
    return cases
