"""The huey wiring: the e-mail task and the periodic reminder task."""

import datetime

from django.core import mail
from huey.contrib.djhuey import HUEY

from dampingi.notifications import tasks
from dampingi.notifications.models import Notification
from dampingi.notifications.services import notify
from dampingi.notifications.tests.helpers import inbox
from dampingi.notifications.tests.test_reminders import make_task


def test_the_reminder_task_is_registered_with_huey_every_15_minutes():
    task_class = tasks.due_reminders.task_class
    assert task_class in HUEY._registry._periodic_tasks
    # huey runs crontabs in UTC (settings: "utc": True); a minute-only schedule is the same everywhere.
    at = datetime.datetime(2026, 12, 9, 17, 0)
    assert [type(t) for t in HUEY.read_periodic(at)].count(task_class) == 1
    for minute, due in ((0, True), (7, False), (15, True), (30, True), (44, False), (45, True)):
        assert task_class().validate_datetime(at.replace(minute=minute)) is due


def test_the_email_task_is_registered_with_huey():
    assert "dampingi.notifications.tasks.send_notification_email" in HUEY._registry._registry
    assert "dampingi.notifications.tasks.due_reminders" in HUEY._registry._registry


def test_calling_the_periodic_task_runs_the_reminders(sari, case):
    import time_machine

    from dampingi.notifications.tests.helpers import jakarta

    make_task(case)
    with time_machine.travel(jakarta(2026, 12, 10, 0, 15), tick=False):
        tasks.due_reminders()  # immediate mode in the tests: runs now, in this process
    assert [n.kind for n in inbox(sari)] == [Notification.Kind.TASK_DUE]
    assert tasks.due_reminders.call_local() == 0  # the plain function behind it; nothing new


def test_the_email_task_sends_and_marks_the_notification(sari, django_capture_on_commit_callbacks, emails):
    sari.email, sari.language = "sari@dinsos.example.go.id", "en"
    sari.save()
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = notify(
            recipients=[sari], kind="approval_decided", title="Approved: plan", body="Body text.", url="/cases/1/"
        )
    [email] = mail.outbox
    assert email.subject == "[Dampingi] Approved: plan"
    assert "Body text." in email.body
    assert "Open in Dampingi: https://dampingi.example.go.id/cases/1/" in email.body
    assert "https://dampingi.example.go.id/notifications/" in email.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    # Queued again (a retry, a second worker): nothing more is sent.
    tasks.send_notification_email(notification.pk)
    assert len(mail.outbox) == 1
