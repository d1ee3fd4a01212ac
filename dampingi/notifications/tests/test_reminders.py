"""Due-date reminders with a fake clock: plan tasks, follow-ups, and the registry other apps use."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from dampingi.cases.models import Termination
from dampingi.cases.services import case_terminate
from dampingi.notifications import reminders, services
from dampingi.notifications.models import Notification
from dampingi.notifications.reminders import register_reminder, send_due_reminders, unregister_reminder
from dampingi.notifications.tests.helpers import inbox, jakarta
from dampingi.plans.models import Goal, Plan, Task
from dampingi.testing.factories import ClientSystemFactory, make_case

DUE = datetime.date(2026, 12, 10)
UTC = datetime.UTC


def make_task(case, due=DUE, **overrides):
    plan, _created = Plan.objects.get_or_create(case=case)
    goal = Goal.objects.create(plan=plan, description="Anak kembali sekolah", indicator="Hadir 90% sebulan")
    params = {"description": "Bertemu wali kelas", "responsible": "worker", "due_date": due}
    params.update(overrides)
    return Task.objects.create(plan=plan, goal=goal, **params)


def task_reminders(user):
    return [n for n in inbox(user) if n.kind == Notification.Kind.TASK_DUE]


def test_a_task_due_tomorrow_gives_nothing_today(sari, case):
    make_task(case)
    send_due_reminders(jakarta(2026, 12, 9, 9, 0))
    assert task_reminders(sari) == []


def test_the_reminder_fires_when_the_due_date_starts_in_jakarta_not_in_utc(sari, case):
    task = make_task(case)
    # 23:59 in Jakarta on the 9th is 16:59 UTC: still the day before.
    send_due_reminders(datetime.datetime(2026, 12, 9, 16, 59, tzinfo=UTC))
    assert task_reminders(sari) == []
    # 00:00 in Jakarta on the 10th is 17:00 UTC on the 9th: the due date has begun.
    send_due_reminders(datetime.datetime(2026, 12, 9, 17, 0, tzinfo=UTC))
    [reminder] = task_reminders(sari)
    assert reminder.title == f"A plan task is due today: case {case.reference}"
    assert "was due on 12/10/2026" in reminder.body
    assert reminder.url == f"/cases/{case.pk}/plan/tasks/"
    assert reminder.case == case
    assert reminder.dedupe_key == f"task_due:{task.pk}:2026-12-10"
    assert "wali kelas" not in reminder.title + reminder.body  # the task's own text is not copied


def test_reminders_follow_the_clock_when_no_time_is_given(sari, case):
    make_task(case)
    with time_machine.travel(jakarta(2026, 12, 9, 23, 58), tick=False):
        send_due_reminders()
    assert task_reminders(sari) == []
    with time_machine.travel(jakarta(2026, 12, 10, 0, 1), tick=False):
        send_due_reminders()
    assert len(task_reminders(sari)) == 1


def test_running_the_job_twice_or_every_day_after_notifies_once(sari, case, django_capture_on_commit_callbacks):
    sari.email, sari.language = "sari@dinsos.example.go.id", "en"
    sari.save()
    make_task(case)
    with django_capture_on_commit_callbacks(execute=True):
        made = send_due_reminders(jakarta(2026, 12, 10, 0, 15))
        again = send_due_reminders(jakarta(2026, 12, 10, 0, 15))
        send_due_reminders(jakarta(2026, 12, 12, 8, 0))
    assert len(made) == 1 and again == []
    [reminder] = task_reminders(sari)
    assert len(mail.outbox) == 1
    reminder.refresh_from_db()
    assert reminder.emailed_at is not None


def test_an_overdue_task_says_overdue_and_fires_once(sari, case):
    make_task(case)
    send_due_reminders(jakarta(2026, 12, 13, 7, 0))
    send_due_reminders(jakarta(2026, 12, 14, 7, 0))
    [reminder] = task_reminders(sari)
    assert reminder.title == f"A plan task is overdue: case {case.reference}"


def test_a_task_done_before_its_due_date_never_reminds(sari, case):
    make_task(case, status=Task.Status.DONE, completed_on=datetime.date(2026, 12, 8))
    make_task(case, status=Task.Status.CANCELLED, progress_note="Tidak diperlukan lagi.")
    send_due_reminders(jakarta(2026, 12, 10, 8, 0))
    assert task_reminders(sari) == []


def test_reminders_stop_once_the_task_is_done(sari, case):
    task = make_task(case)
    send_due_reminders(jakarta(2026, 12, 10, 8, 0))
    # Postponed, and done before the new date: no reminder for the new date.
    task.due_date = datetime.date(2026, 12, 20)
    task.save()
    send_due_reminders(jakarta(2026, 12, 15, 8, 0))
    Task.objects.filter(pk=task.pk).update(status=Task.Status.DONE, completed_on=datetime.date(2026, 12, 18))
    send_due_reminders(jakarta(2026, 12, 20, 8, 0))
    send_due_reminders(jakarta(2026, 12, 21, 8, 0))
    assert [n.dedupe_key for n in task_reminders(sari)] == [f"task_due:{task.pk}:2026-12-10"]


def test_a_postponed_task_reminds_again_on_its_new_date(sari, case):
    task = make_task(case)
    send_due_reminders(jakarta(2026, 12, 10, 8, 0))
    Task.objects.filter(pk=task.pk).update(due_date=datetime.date(2026, 12, 20))
    send_due_reminders(jakarta(2026, 12, 19, 8, 0))
    assert len(task_reminders(sari)) == 1
    send_due_reminders(jakarta(2026, 12, 20, 8, 0))
    assert [n.dedupe_key for n in task_reminders(sari)] == [
        f"task_due:{task.pk}:2026-12-10",
        f"task_due:{task.pk}:2026-12-20",
    ]


def test_a_task_overdue_beyond_the_lookback_does_not_remind(sari, case):
    make_task(case, due=DUE - datetime.timedelta(days=reminders.LOOKBACK_DAYS + 1))
    send_due_reminders(jakarta(2026, 12, 10, 8, 0))
    assert task_reminders(sari) == []


def test_a_task_on_a_closed_case_does_not_remind(sari, case):
    from django.utils import timezone

    make_task(case)
    case.phase, case.closed_at = "termination", timezone.now()
    case.save()
    send_due_reminders(jakarta(2026, 12, 10, 8, 0))
    assert task_reminders(sari) == []


def test_the_reminder_goes_to_the_worker_assigned_to_the_case(sari, dedi, ratna, cast):
    other = make_case(worker=dedi, client_system=ClientSystemFactory(created_by=dedi))
    make_task(other)
    send_due_reminders(jakarta(2026, 12, 10, 8, 0))
    assert task_reminders(sari) == []
    assert len(task_reminders(dedi)) == 1
    assert task_reminders(ratna) == []


def test_the_job_runs_a_fixed_number_of_queries_whatever_the_number_due(sari, ratna, case):
    make_task(case)
    with CaptureQueriesContext(connection) as few:
        assert len(send_due_reminders(jakarta(2026, 12, 10, 8, 0))) == 1
    Notification.objects.all().delete()
    for _i in range(6):
        more = make_case(worker=sari, client_system=ClientSystemFactory(created_by=sari))
        make_task(more)
        make_task(more)
    with CaptureQueriesContext(connection) as many:
        assert len(send_due_reminders(jakarta(2026, 12, 10, 8, 0))) == 13
    assert len(many.captured_queries) == len(few.captured_queries)


# --- Follow-up after termination ---------------------------------------------------------------------


def terminate(case, worker, followup_date):
    return case_terminate(
        actor=worker,
        case_id=case.pk,
        reason=Termination.Reason.MOVED,
        summary="Keluarga pindah ke Garut; dirujuk ke Dinsos Garut.",
        followup_date=followup_date,
    )


def followups(user):
    return [n for n in inbox(user) if n.kind == Notification.Kind.FOLLOWUP_DUE]


def test_a_followup_reminds_the_worker_on_its_date_once(sari, ratna, case):
    termination = terminate(case, sari, DUE)
    send_due_reminders(jakarta(2026, 12, 9, 23, 59))
    assert followups(sari) == []
    send_due_reminders(jakarta(2026, 12, 10, 0, 0))
    send_due_reminders(jakarta(2026, 12, 11, 9, 0))
    [reminder] = followups(sari)
    assert reminder.title == f"Follow-up due: case {case.reference}"
    assert reminder.url == f"/cases/{case.pk}/#termination"
    assert reminder.dedupe_key == f"followup_due:{termination.pk}:2026-12-10"
    assert followups(ratna) == []


def test_a_reopened_case_has_no_followup_to_remind(sari, ratna, case):
    from dampingi.cases.models import Approval
    from dampingi.cases.services import approval_decide, case_reopen

    terminate(case, sari, DUE)
    closure = Approval.objects.get(case=case, kind=Approval.Kind.CLOSURE)
    approval_decide(actor=ratna, approval_id=closure.pk, approve=True)
    case_reopen(actor=ratna, case_id=case.pk, reason="Keluarga kembali ke Cileunyi.")
    send_due_reminders(jakarta(2026, 12, 10, 8, 0))
    assert followups(sari) == []


# --- The registry other apps add their reminders to ------------------------------------------------------


@pytest.fixture
def referral_reminder(case, sari):
    seen = []

    def referral_overdue(now):
        seen.append(now)
        if now.date() >= DUE:
            yield {
                "recipients": [sari],
                "kind": Notification.Kind.REFERRAL_OVERDUE,
                "title": "Referral not answered",
                "body": "",
                "url": f"/cases/{case.pk}/",
                "case": case,
                "dedupe_key": "referral_overdue:1:2026-12-10",
            }

    register_reminder(referral_overdue)
    yield seen
    unregister_reminder(referral_overdue)
    assert referral_overdue not in reminders.registered_reminders()


def test_a_registered_reminder_is_called_with_the_time_and_fires_once(sari, referral_reminder):
    send_due_reminders(jakarta(2026, 12, 9, 8, 0))
    send_due_reminders(jakarta(2026, 12, 10, 8, 0))
    send_due_reminders(jakarta(2026, 12, 10, 8, 15))
    assert referral_reminder == [jakarta(2026, 12, 9, 8, 0), jakarta(2026, 12, 10, 8, 0), jakarta(2026, 12, 10, 8, 15)]
    assert [n.kind for n in inbox(sari)] == [Notification.Kind.REFERRAL_OVERDUE]


def test_the_built_in_reminders_are_registered():
    assert reminders.plan_task_reminders in reminders.registered_reminders()
    assert reminders.followup_reminders in reminders.registered_reminders()


def test_a_failing_reminder_does_not_stop_the_others(sari, case):
    make_task(case)

    def broken(now):
        raise RuntimeError("referrals table missing")
        yield  # pragma: no cover

    def without_key(now):
        yield {"recipients": [sari], "kind": "referral_overdue", "title": "x", "url": "/"}

    register_reminder(broken)
    register_reminder(without_key)
    try:
        send_due_reminders(jakarta(2026, 12, 10, 8, 0))
    finally:
        unregister_reminder(broken)
        unregister_reminder(without_key)
    assert [n.kind for n in inbox(sari)] == [Notification.Kind.TASK_DUE]


# --- Races: two workers at once ---------------------------------------------------------------------


def test_the_database_refuses_a_second_row_for_the_same_recipient_and_key(sari):
    Notification.objects.create(recipient=sari, kind="task_due", title="a", dedupe_key="task_due:1:2026-12-10")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=sari, kind="task_due", title="b", dedupe_key="task_due:1:2026-12-10")
    # Notifications without a key are not limited.
    Notification.objects.create(recipient=sari, kind="approval_decided", title="c")
    Notification.objects.create(recipient=sari, kind="approval_decided", title="d")


def test_a_worker_that_loses_the_race_leaves_one_row_and_one_email(
    sari, case, monkeypatch, django_capture_on_commit_callbacks
):
    """The other worker inserted the same reminder after this one looked: the insert is skipped."""
    sari.email, sari.language = "sari@dinsos.example.go.id", "en"
    sari.save()
    make_task(case)
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(jakarta(2026, 12, 10, 8, 0))
    monkeypatch.setattr(services, "_existing_keys", lambda pairs: set())
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(jakarta(2026, 12, 10, 8, 0))
    assert len(task_reminders(sari)) == 1
    assert len(mail.outbox) == 1


def test_an_email_task_run_twice_sends_once(sari, case):
    from dampingi.notifications.emails import notification_email_send

    sari.email, sari.language = "sari@dinsos.example.go.id", "en"
    sari.save()
    make_task(case)
    [reminder] = send_due_reminders(jakarta(2026, 12, 10, 8, 0))
    assert notification_email_send(notification_id=reminder.pk) is True
    assert notification_email_send(notification_id=reminder.pk) is False
    assert len(mail.outbox) == 1
