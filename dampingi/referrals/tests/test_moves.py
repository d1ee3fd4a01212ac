"""The status table: every move from every status to every status, by each side."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from dampingi.audit.models import AuditEvent
from dampingi.referrals.models import ReferralEvent
from dampingi.referrals.services import ReferralMoveError, referral_move
from dampingi.referrals.states import TRANSITIONS, Side, Status, move_for, moves_from
from dampingi.referrals.tests.conftest import counts, put_in_status


def test_the_table_has_the_moves_of_the_fhir_task_lifecycle():
    S = Status
    expected = {
        (S.DRAFT, S.REQUESTED), (S.DRAFT, S.CANCELLED),
        (S.REQUESTED, S.ACCEPTED), (S.REQUESTED, S.REJECTED), (S.REQUESTED, S.CANCELLED),
        (S.ACCEPTED, S.IN_PROGRESS), (S.ACCEPTED, S.ON_HOLD), (S.ACCEPTED, S.COMPLETED),
        (S.ACCEPTED, S.FAILED), (S.ACCEPTED, S.CANCELLED),
        (S.IN_PROGRESS, S.ON_HOLD), (S.ON_HOLD, S.IN_PROGRESS),
        (S.IN_PROGRESS, S.COMPLETED), (S.IN_PROGRESS, S.FAILED), (S.IN_PROGRESS, S.CANCELLED),
        (S.ON_HOLD, S.COMPLETED), (S.ON_HOLD, S.FAILED), (S.ON_HOLD, S.CANCELLED),
    } | {(s, S.ENTERED_IN_ERROR) for s in S if s != S.ENTERED_IN_ERROR}  # fmt: skip
    assert set(TRANSITIONS) == expected


def test_the_referring_side_sends_cancels_and_corrects_the_receiving_side_answers():
    referring = {m.verb for m in TRANSITIONS.values() if m.side == Side.REFERRING}
    receiving = {m.verb for m in TRANSITIONS.values() if m.side == Side.RECEIVING}
    assert referring == {"send", "cancel", "error"}
    assert receiving == {"accept", "reject", "start", "hold", "resume", "complete", "fail"}
    assert {m.verb for m in moves_from(Status.REQUESTED, Side.RECEIVING)} == {"accept", "reject"}


SOURCES_BY_SIDE = [(s, side) for s in Status for side in Side]


@pytest.mark.parametrize(("source", "side"), SOURCES_BY_SIDE, ids=[f"from-{s}-by-{d}" for s, d in SOURCES_BY_SIDE])
def test_every_move_by_each_side(source, side, draft, sari, puskesmas_staff):
    """From `source`, try every target as `side`: allowed exactly when the table names that side."""
    actor = sari if side == Side.REFERRING else puskesmas_staff
    for target in Status:
        referral = put_in_status(draft, source)
        move = move_for(source, target)
        before = counts()
        call = {
            "actor": actor,
            "referral_id": referral.pk,
            "target": target,
            "expected_status": source,
            "reason": "Alasan tertulis.",
            "outcome": "Anak sudah diperiksa dan mendapat PMT.",
        }
        if move is not None and move.side == side:
            referral_move(**call)
            referral.refresh_from_db()
            assert referral.status == target, (source, target)
            event = ReferralEvent.objects.filter(referral=referral).latest("id")
            assert (event.from_status, event.to_status, event.actor_id) == (source, target, actor.pk)
            assert AuditEvent.objects.filter(action=f"referral.{move.verb}", target_id=str(referral.pk)).exists()
            continue
        if side == Side.RECEIVING and source == Status.DRAFT:
            expected = Http404  # the partner does not see drafts at all
        elif move is None:
            expected = ReferralMoveError
        else:
            expected = PermissionDenied
        with pytest.raises(expected):
            referral_move(**call)
        referral.refresh_from_db()
        assert referral.status == source, (source, target)
        assert counts() == before, (source, target)


def test_reject_needs_a_reason(sent, puskesmas_staff):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        referral_move(actor=puskesmas_staff, referral_id=sent.pk, target="rejected", expected_status="requested")
    assert exc.value.message_dict["reason"] == ["Say why the referral is rejected."]
    assert counts() == before
    referral_move(
        actor=puskesmas_staff, referral_id=sent.pk, target="rejected", expected_status="requested", reason="Penuh"
    )
    sent.refresh_from_db()
    assert (sent.status, sent.status_reason) == ("rejected", "Penuh")
    assert sent.answered_at is not None and sent.closed_at is not None


@pytest.mark.parametrize("target", ["completed", "failed"])
def test_complete_and_fail_need_the_outcome(target, sent, puskesmas_staff):
    accepted = put_in_status(sent, "in-progress")
    before = counts()
    with pytest.raises(ValidationError) as exc:
        referral_move(
            actor=puskesmas_staff, referral_id=accepted.pk, target=target, expected_status="in-progress", outcome="  "
        )
    assert "outcome" in exc.value.message_dict
    assert counts() == before
    referral_move(
        actor=puskesmas_staff, referral_id=accepted.pk, target=target, expected_status="in-progress", outcome="Selesai"
    )
    accepted.refresh_from_db()
    assert (accepted.status, accepted.outcome) == (target, "Selesai")
    assert accepted.closed_at is not None


def test_cancelling_a_sent_referral_needs_a_reason(sent, sari):
    with pytest.raises(ValidationError) as exc:
        referral_move(actor=sari, referral_id=sent.pk, target="cancelled", expected_status="requested")
    assert exc.value.message_dict["reason"] == ["Say why."]


def test_a_stale_move_is_refused_with_a_clear_message(sent, puskesmas_staff):
    referral_move(actor=puskesmas_staff, referral_id=sent.pk, target="accepted", expected_status="requested")
    before = counts()
    with pytest.raises(ReferralMoveError) as exc:
        referral_move(
            actor=puskesmas_staff, referral_id=sent.pk, target="rejected", expected_status="requested", reason="x"
        )
    assert exc.value.code == "stale"
    assert exc.value.messages == ["The referral is already accepted. Reload the page to see its current state."]
    assert counts() == before


def test_the_history_records_each_move_in_order(sent, sari, puskesmas_staff):
    referral_move(actor=puskesmas_staff, referral_id=sent.pk, target="accepted", expected_status="requested")
    referral_move(actor=puskesmas_staff, referral_id=sent.pk, target="in-progress", expected_status="accepted")
    referral_move(
        actor=puskesmas_staff, referral_id=sent.pk, target="on-hold", expected_status="in-progress", reason="Libur"
    )
    referral_move(actor=puskesmas_staff, referral_id=sent.pk, target="in-progress", expected_status="on-hold")
    referral_move(
        actor=puskesmas_staff,
        referral_id=sent.pk,
        target="completed",
        expected_status="in-progress",
        outcome="Gizi baik",
    )
    steps = list(ReferralEvent.objects.filter(referral=sent).values_list("from_status", "to_status", "note"))
    assert steps == [
        ("", "draft", ""),
        ("draft", "requested", ""),
        ("requested", "accepted", ""),
        ("accepted", "in-progress", ""),
        ("in-progress", "on-hold", "Libur"),
        ("on-hold", "in-progress", ""),
        ("in-progress", "completed", "Gizi baik"),
    ]
    sent.refresh_from_db()
    assert sent.version == 7


def test_the_manager_reads_but_may_not_move(sent, hendra):
    before = counts()
    with pytest.raises(PermissionDenied):
        referral_move(actor=hendra, referral_id=sent.pk, target="cancelled", expected_status="requested", reason="x")
    assert counts() == before


def test_partner_of_another_organisation_gets_404(sent, lbh_staff):
    with pytest.raises(Http404):
        referral_move(actor=lbh_staff, referral_id=sent.pk, target="accepted", expected_status="requested")


def test_worker_of_another_team_gets_404(sent, dedi):
    with pytest.raises(Http404):
        referral_move(actor=dedi, referral_id=sent.pk, target="cancelled", expected_status="requested", reason="x")


def test_the_supervisor_may_cancel_for_the_team(sent, ratna):
    referral_move(actor=ratna, referral_id=sent.pk, target="cancelled", expected_status="requested", reason="Pindah")
    sent.refresh_from_db()
    assert sent.status == "cancelled"
