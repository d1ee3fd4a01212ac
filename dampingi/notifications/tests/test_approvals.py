"""The approval hooks in dampingi.cases.services: request → supervisor, decision → worker."""

import pytest
from django.core import mail

from dampingi.accounts.models import Role
from dampingi.cases.models import Approval
from dampingi.cases.services import approval_decide
from dampingi.notifications.models import Notification
from dampingi.notifications.tests.helpers import inbox, write_mo
from dampingi.testing.cases import submitted_plan
from dampingi.testing.factories import UserFactory, make_case


def test_plan_sent_for_approval_notifies_the_case_supervisor(sari, ratna, case, django_capture_on_commit_callbacks):
    ratna.email = "ratna@dinsos.example.go.id"
    ratna.save()
    with django_capture_on_commit_callbacks(execute=True):
        approval = submitted_plan(case, sari)
    [notification] = inbox(ratna)
    assert notification.kind == Notification.Kind.APPROVAL_REQUESTED
    assert notification.case == case
    assert notification.title == f"Waiting for your decision: plan approval, case {case.reference}"
    assert "Sari Lestari asks you to decide on the plan approval" in notification.body
    assert notification.url == f"/cases/{case.pk}/#planning"
    assert inbox(sari) == []
    [email] = mail.outbox
    assert email.to == ["ratna@dinsos.example.go.id"]
    assert case.reference in email.subject
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert approval.status == Approval.Status.PENDING


def test_asking_again_while_a_request_is_pending_does_not_notify_twice(sari, ratna, case):
    submitted_plan(case, sari)
    submitted_plan(case, sari)
    assert len(inbox(ratna)) == 1


def test_request_goes_to_the_team_supervisor_when_the_case_supervisor_cannot_decide(sari, ratna, cast):
    # A case whose recorded supervisor is no longer a supervisor: the team's supervisor decides.
    former = UserFactory(username="former", role=Role.WORKER)
    case = make_case(worker=sari, supervisor=former)
    submitted_plan(case, sari)
    assert [n.kind for n in inbox(ratna)] == [Notification.Kind.APPROVAL_REQUESTED]
    assert inbox(former) == []


def test_closure_request_notifies_the_supervisor(sari, ratna, case):
    from dampingi.cases.models import Termination
    from dampingi.cases.services import case_terminate

    case_terminate(actor=sari, case_id=case.pk, reason=Termination.Reason.MOVED, summary="Keluarga pindah ke Garut.")
    [notification] = inbox(ratna)
    assert "closure approval" in notification.title
    assert notification.url.endswith("#termination")


def test_approval_notifies_the_worker_who_asked(sari, ratna, case, django_capture_on_commit_callbacks):
    sari.email = "sari@dinsos.example.go.id"
    sari.save()
    approval = submitted_plan(case, sari)
    with django_capture_on_commit_callbacks(execute=True):
        approval_decide(actor=ratna, approval_id=approval.pk, approve=True)
    [notification] = inbox(sari)
    assert notification.kind == Notification.Kind.APPROVAL_DECIDED
    assert notification.title == f"Approved: plan approval, case {case.reference}"
    assert "Ratna Dewi approved the plan approval" in notification.body
    assert [m.to for m in mail.outbox] == [["sari@dinsos.example.go.id"]]


def test_return_notifies_the_worker_without_copying_the_comment(sari, ratna, case):
    approval = submitted_plan(case, sari)
    approval_decide(actor=ratna, approval_id=approval.pk, approve=False, comment="Tujuan gizi belum terukur.")
    [notification] = inbox(sari)
    assert notification.title == f"Returned for revision: plan approval, case {case.reference}"
    assert "Read the comment on the case page" in notification.body
    assert "gizi" not in notification.title + notification.body


def test_a_refused_decision_notifies_nobody(sari, ratna, dedi, case):
    from django.http import Http404

    approval = submitted_plan(case, sari)
    with pytest.raises(Http404):
        approval_decide(actor=dedi, approval_id=approval.pk, approve=True)
    assert inbox(sari) == []


def test_no_email_for_a_user_without_address(sari, ratna, case, django_capture_on_commit_callbacks):
    assert ratna.email == ""
    with django_capture_on_commit_callbacks(execute=True):
        submitted_plan(case, sari)
    [notification] = inbox(ratna)
    assert notification.emailed_at is None
    assert mail.outbox == []


def test_no_email_when_the_transaction_rolls_back(sari, ratna, case, django_capture_on_commit_callbacks):
    from django.db import transaction

    ratna.email = "ratna@dinsos.example.go.id"
    ratna.save()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                submitted_plan(case, sari)
                raise RuntimeError("the request failed after the plan was sent")
        except RuntimeError:
            pass
    assert inbox(ratna) == []
    assert mail.outbox == []


def test_email_is_written_in_each_recipients_language(
    sari, ratna, case, settings, tmp_path, django_capture_on_commit_callbacks
):
    """Ratna reads Indonesian, Sari English: each gets text and e-mail in their own language."""
    write_mo(
        tmp_path / "id" / "LC_MESSAGES" / "django.mo",
        {
            "Hello %(name)s,": "Halo %(name)s,",
            "Waiting for your decision: %(kind)s, case %(case)s": "Menunggu keputusan Anda: %(kind)s, kasus %(case)s",
            "plan approval": "persetujuan rencana",
        },
    )
    settings.LOCALE_PATHS = [tmp_path]
    ratna.email, ratna.language = "ratna@dinsos.example.go.id", "id"
    ratna.save()
    sari.email, sari.language = "sari@dinsos.example.go.id", "en"
    sari.save()
    with django_capture_on_commit_callbacks(execute=True):
        approval = submitted_plan(case, sari)
    with django_capture_on_commit_callbacks(execute=True):
        approval_decide(actor=ratna, approval_id=approval.pk, approve=True)
    to_ratna, to_sari = mail.outbox
    assert to_ratna.to == ["ratna@dinsos.example.go.id"]
    assert to_ratna.extra_headers["Content-Language"] == "id"
    assert to_ratna.subject == f"[Dampingi] Menunggu keputusan Anda: persetujuan rencana, kasus {case.reference}"
    assert to_ratna.body.startswith("Halo Ratna,")
    assert inbox(ratna)[0].title.startswith("Menunggu keputusan Anda")
    assert to_sari.extra_headers["Content-Language"] == "en"
    assert to_sari.body.startswith("Hello Sari,")
    assert to_sari.subject == f"[Dampingi] Approved: plan approval, case {case.reference}"
