"""Sending a referral: consent, the service's status and capacity, the answer-by date; notifications."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dampingi.audit.models import AuditEvent
from dampingi.cases.services import consent_withdraw
from dampingi.directory.models import Service
from dampingi.notifications.models import Notification
from dampingi.notifications.reminders import send_due_reminders
from dampingi.referrals.models import Referral
from dampingi.referrals.services import referral_move, referral_send, referral_update
from dampingi.referrals.tests.conftest import counts, future, new_referral, sharing_consent
from dampingi.testing.cases import record_consent


def errors_of(exc) -> dict:
    return exc.value.message_dict


def test_a_case_consent_that_covers_sharing_allows_sending(sent):
    assert sent.status == "requested"
    assert sent.sent_at is not None
    assert AuditEvent.objects.filter(action="referral.send", target_id=str(sent.pk)).exists()
    assert not AuditEvent.objects.filter(action="referral.consent_override").exists()


def test_without_any_consent_sending_is_refused_and_nothing_is_written(referred_case, gizi_service, sari):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        new_referral(referred_case, gizi_service, sari, consent_id=None, send=True)
    assert "has not consented" in errors_of(exc)["consent_basis"][0]
    assert counts() == before


def test_a_draft_without_consent_may_be_saved_but_not_sent(referred_case, gizi_service, sari):
    draft = new_referral(referred_case, gizi_service, sari, consent_id=None)
    assert draft.status == "draft"
    with pytest.raises(ValidationError) as exc:
        referral_send(actor=sari, referral_id=draft.pk)
    assert "consent_basis" in errors_of(exc)


def test_a_consent_withdrawn_after_the_draft_refuses_sending(draft, referred_case, sari):
    consent = sharing_consent(referred_case)
    consent_withdraw(actor=sari, case_id=referred_case.pk, consent_id=consent.pk, withdrawn_on=timezone.localdate())
    before = counts()
    with pytest.raises(ValidationError) as exc:
        referral_send(actor=sari, referral_id=draft.pk)
    assert "withdrawn" in errors_of(exc)["consent"][0]
    assert counts() == before
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_consent_that_does_not_cover_sharing_is_refused(referred_case, gizi_service, sari):
    processing_only = record_consent(referred_case, sari, covers_sharing=False, giver_name="Iyah")
    with pytest.raises(ValidationError) as exc:
        new_referral(referred_case, gizi_service, sari, consent_id=processing_only.pk, send=True)
    assert errors_of(exc)["consent"] == [
        "This consent does not cover sharing with the services the client is referred to."
    ]


def test_a_consent_of_another_case_is_refused(referred_case, gizi_service, sari):
    from dampingi.testing.factories import make_case

    other = make_case(worker=sari)
    record_consent(other, sari)
    with pytest.raises(ValidationError) as exc:
        new_referral(referred_case, gizi_service, sari, consent_id=sharing_consent(other).pk)
    assert errors_of(exc)["consent"] == ["Choose a consent of this case."]


def test_a_consent_given_for_the_referral_allows_sending(referred_case, gizi_service, sari):
    referral = new_referral(
        referred_case,
        gizi_service,
        sari,
        consent_id=None,
        consent_given_by="guardian",
        consent_giver_name="Iyah",
        consent_method="verbal",
        consent_given_on=timezone.localdate(),
        send=True,
    )
    assert referral.status == "requested"
    assert referral.has_referral_consent


def test_an_incomplete_referral_consent_is_refused(referred_case, gizi_service, sari):
    with pytest.raises(ValidationError) as exc:
        new_referral(referred_case, gizi_service, sari, consent_id=None, consent_giver_name="Iyah", send=True)
    assert "consent_giver_name" in errors_of(exc)


def test_an_override_with_a_reason_sends_and_is_audited_as_such(referred_case, gizi_service, sari):
    referral = new_referral(
        referred_case,
        gizi_service,
        sari,
        consent_id=None,
        override_reason="Anak dalam bahaya, wali tidak ada.",
        send=True,
    )
    assert referral.status == "requested"
    event = AuditEvent.objects.get(action="referral.consent_override")
    assert event.actor == sari and event.case_id == referred_case.pk
    assert event.after["reason"] == "Anak dalam bahaya, wali tidak ada."


def test_two_consent_bases_at_once_are_refused(referred_case, gizi_service, sari):
    with pytest.raises(ValidationError) as exc:
        new_referral(referred_case, gizi_service, sari, override_reason="Darurat")
    assert "consent_basis" in errors_of(exc)


def test_a_service_without_capacity_is_refused(referred_case, gizi_service, sari):
    Service.objects.filter(pk=gizi_service.pk).update(capacity="no_capacity")
    draft = new_referral(referred_case, gizi_service, sari)
    with pytest.raises(ValidationError) as exc:
        referral_send(actor=sari, referral_id=draft.pk)
    assert errors_of(exc)["service"] == ["Layanan gizi anak has no capacity now: choose another service."]


def test_a_waiting_list_needs_confirmation(referred_case, gizi_service, sari):
    Service.objects.filter(pk=gizi_service.pk).update(capacity="waitlist")
    draft = new_referral(referred_case, gizi_service, sari)
    with pytest.raises(ValidationError) as exc:
        referral_send(actor=sari, referral_id=draft.pk)
    assert "waiting list" in errors_of(exc)["confirm_waitlist"][0]
    referral_send(actor=sari, referral_id=draft.pk, confirm_waitlist=True)
    draft.refresh_from_db()
    assert draft.status == "requested"


@pytest.mark.parametrize("status", ["inactive", "defunct", "temporarily closed"])
def test_a_service_that_is_not_active_is_refused(status, referred_case, gizi_service, sari):
    Service.objects.filter(pk=gizi_service.pk).update(status=status)
    gizi_service.refresh_from_db()
    before = counts()
    with pytest.raises(ValidationError) as exc:
        new_referral(referred_case, gizi_service, sari)
    assert "choose another service" in errors_of(exc)["service"][0]
    assert counts() == before


def test_a_service_closed_after_the_draft_refuses_sending(draft, gizi_service, sari):
    Service.objects.filter(pk=gizi_service.pk).update(status="inactive")
    with pytest.raises(ValidationError) as exc:
        referral_send(actor=sari, referral_id=draft.pk)
    assert "service" in errors_of(exc)


@pytest.mark.parametrize("days", [0, -3])
def test_the_answer_by_date_must_be_in_the_future(days, referred_case, gizi_service, sari):
    with pytest.raises(ValidationError) as exc:
        new_referral(referred_case, gizi_service, sari, answer_by=future(days))
    assert errors_of(exc)["answer_by"] == ["The answer-by date must be after today."]


def test_a_draft_whose_answer_by_date_passed_cannot_be_sent(draft, sari):
    Referral.objects.filter(pk=draft.pk).update(answer_by=timezone.localdate())
    with pytest.raises(ValidationError) as exc:
        referral_send(actor=sari, referral_id=draft.pk)
    assert "answer_by" in errors_of(exc)


def test_the_minimum_is_shared_by_default_and_identity_always(referred_case, gizi_service, sari):
    assert new_referral(referred_case, gizi_service, sari).shared_sections == ["identity-basic"]
    chosen = new_referral(referred_case, gizi_service, sari, shared_sections=["contact"])
    assert chosen.shared_sections == ["identity-basic", "contact"]


def test_notes_are_refused_unless_their_section_is_ticked(referred_case, gizi_service, sari):
    with pytest.raises(ValidationError) as exc:
        new_referral(referred_case, gizi_service, sari, notes_for_service="Nenek sulit berjalan.")
    assert "notes_for_service" in errors_of(exc)


def test_a_stale_draft_update_is_refused(draft, gizi_service, sari):
    from dampingi.core.concurrency import ConcurrentEditError

    kwargs = {
        "actor": sari,
        "referral_id": draft.pk,
        "service": gizi_service,
        "reason": "Baru",
        "urgency": "routine",
        "answer_by": future(3),
        "consent_id": draft.consent_id,
    }
    referral_update(expected_version=draft.version, **kwargs)
    with pytest.raises(ConcurrentEditError):
        referral_update(expected_version=draft.version, **kwargs)


# --- Notifications --------------------------------------------------------------------------------


def test_sending_notifies_the_partner_organisation_and_an_answer_notifies_the_worker(
    referred_case, gizi_service, sari, puskesmas_staff, lbh_staff
):
    referral = new_referral(referred_case, gizi_service, sari, send=True)
    received = Notification.objects.get(kind="referral_received")
    assert received.recipient == puskesmas_staff
    assert referral.reference in received.title
    assert "Putri" not in received.title + received.body  # no client details leave by e-mail
    referral_move(actor=puskesmas_staff, referral_id=referral.pk, target="accepted", expected_status="requested")
    answered = Notification.objects.get(kind="referral_answered")
    assert answered.recipient == sari
    assert not Notification.objects.filter(recipient=lbh_staff).exists()


def test_starting_or_holding_does_not_notify_the_worker(sent, puskesmas_staff):
    referral_move(actor=puskesmas_staff, referral_id=sent.pk, target="accepted", expected_status="requested")
    referral_move(actor=puskesmas_staff, referral_id=sent.pk, target="in-progress", expected_status="accepted")
    assert Notification.objects.filter(kind="referral_answered").count() == 1


def test_an_overdue_referral_reminds_the_worker_once(sent, sari, puskesmas_staff):
    Referral.objects.filter(pk=sent.pk).update(answer_by=timezone.localdate() - datetime.timedelta(days=2))
    send_due_reminders()
    send_due_reminders()
    overdue = Notification.objects.filter(kind="referral_overdue")
    assert [n.recipient for n in overdue] == [sari]


def test_an_answered_referral_is_not_reminded(sent, puskesmas_staff):
    referral_move(actor=puskesmas_staff, referral_id=sent.pk, target="accepted", expected_status="requested")
    Referral.objects.filter(pk=sent.pk).update(answer_by=timezone.localdate() - datetime.timedelta(days=2))
    send_due_reminders()
    assert not Notification.objects.filter(kind="referral_overdue").exists()
