"""notify, and marking read: a user only ever touches their own notifications."""

import pytest
from django.core import mail
from django.utils.translation import gettext_lazy

from dampingi.notifications.models import Notification
from dampingi.notifications.services import message, notification_mark_read, notifications_mark_all_read, notify
from dampingi.notifications.tests.helpers import inbox


def test_notify_makes_one_row_per_recipient_and_skips_duplicates_and_inactive(sari, dedi, ratna):
    dedi.is_active = False
    dedi.save()
    made = notify(
        recipients=[sari, ratna, sari, dedi, None],
        kind=Notification.Kind.REFERRAL_RECEIVED,
        title="New referral",
        body="",
        url="/cases/",
    )
    assert sorted(n.recipient_id for n in made) == sorted([sari.pk, ratna.pk])
    assert inbox(dedi) == []


def test_notify_refuses_an_unknown_kind(sari):
    with pytest.raises(ValueError):
        notify(recipients=[sari], kind="gossip", title="x", body="", url="/")


def test_lazy_text_is_rendered_in_each_recipients_language(sari, ratna, settings, tmp_path):
    from dampingi.notifications.tests.helpers import write_mo

    write_mo(
        tmp_path / "id" / "LC_MESSAGES" / "django.mo",
        {
            "Approved: %(kind)s, case %(case)s": "Disetujui: %(kind)s, kasus %(case)s",
            "plan approval": "persetujuan rencana",
        },
    )
    settings.LOCALE_PATHS = [tmp_path]
    ratna.language, sari.language = "id", "en"
    notify(
        recipients=[sari, ratna],
        kind=Notification.Kind.APPROVAL_DECIDED,
        title=message(
            gettext_lazy("Approved: %(kind)s, case %(case)s"), kind=gettext_lazy("plan approval"), case="K-1"
        ),
        body="",
        url="/",
    )
    assert inbox(sari)[0].title == "Approved: plan approval, case K-1"
    assert inbox(ratna)[0].title == "Disetujui: persetujuan rencana, kasus K-1"


def test_long_text_is_cut_to_fit(sari):
    [n] = notify(recipients=[sari], kind="task_due", title="t" * 500, body="b" * 5000, url="/")
    assert len(n.title) == 200 and len(n.body) == 1000


def test_a_dedupe_key_makes_a_notification_once(sari, django_capture_on_commit_callbacks):
    sari.email, sari.language = "sari@dinsos.example.go.id", "en"
    sari.save()
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(recipients=[sari], kind="referral_overdue", title="x", body="", url="/", dedupe_key="k:1")
        second = notify(recipients=[sari], kind="referral_overdue", title="x", body="", url="/", dedupe_key="k:1")
    assert len(first) == 1 and second == []
    assert len(inbox(sari)) == 1 and len(mail.outbox) == 1


def test_marking_read_only_touches_own_notifications(sari, dedi):
    [own] = notify(recipients=[sari], kind="task_due", title="mine", body="", url="/")
    [other] = notify(recipients=[dedi], kind="task_due", title="his", body="", url="/")
    notification_mark_read(actor=sari, notification_id=own.pk)
    with pytest.raises(Notification.DoesNotExist):
        notification_mark_read(actor=sari, notification_id=other.pk)
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.read_at is not None and other.read_at is None


def test_mark_all_read_marks_only_the_actors_unread(sari, dedi):
    notify(recipients=[sari, dedi], kind="task_due", title="a", body="", url="/")
    notify(recipients=[sari], kind="task_due", title="b", body="", url="/")
    assert notifications_mark_all_read(actor=sari) == 2
    assert notifications_mark_all_read(actor=sari) == 0
    assert Notification.objects.filter(recipient=dedi, read_at__isnull=True).count() == 1
