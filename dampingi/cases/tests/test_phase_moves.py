"""The move panel of the case page: forward, another cycle, termination, closure, reopening."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dampingi.audit.models import AuditEvent
from dampingi.cases.models import Approval, Case, PhaseTransition, Termination
from dampingi.cases.services import approval_decide, case_change_phase, case_terminate
from dampingi.cases.tests.conftest import assert_clean, page_text, row_counts
from dampingi.testing.cases import engage, record_evaluation, sign_contract, walk_to


def move(client, case, target, expected, reason=""):
    return client.post(
        reverse("cases:move", args=[case.pk]), {"target": target, "expected_phase": expected, "reason": reason}
    )


def terminate(client, case, expected, **data):
    payload = {"reason": "client_request", "summary": "Keluarga pindah ke Garut.", "expected_phase": expected}
    payload.update(data)
    return client.post(reverse("cases:terminate", args=[case.pk]), payload)


def test_forward_move_with_a_note_is_recorded_and_audited(client, sari, sari_case):
    engage(sari_case, sari)
    client.force_login(sari)
    response = move(client, sari_case, "assessment", "engagement", reason="Kontrak ditandatangani nenek.")
    assert response.status_code == 302
    assert response["Location"].endswith("#assessment")
    sari_case.refresh_from_db()
    assert sari_case.phase == "assessment"
    transition = PhaseTransition.objects.get(case=sari_case, to_phase="assessment")
    assert (transition.actor, transition.reason, transition.kind) == (sari, "Kontrak ditandatangani nenek.", "forward")
    assert AuditEvent.objects.filter(case=sari_case, action="case.phase.forward", actor=sari).exists()


def test_leaving_engagement_without_contract_and_consent_is_refused_with_the_missing_items(client, sari, sari_case):
    client.force_login(sari)
    before = row_counts()
    response = move(client, sari_case, "assessment", "engagement", reason="Catatan saya")
    assert response.status_code == 200
    assert_clean(response)
    form = response.context["panel"]["forward_form"]
    message = " ".join(form.non_field_errors())
    assert "Before the case can leave Engagement it needs: a signed contract, recorded consent" in message
    assert "Catatan saya" in response.content.decode()  # input kept
    assert row_counts() == before


def test_leaving_engagement_with_an_unsigned_contract_is_refused(client, sari, sari_case):
    sign_contract(sari_case, sari, signed_on=None)
    from dampingi.testing.cases import record_consent

    record_consent(sari_case, sari)
    client.force_login(sari)
    response = move(client, sari_case, "assessment", "engagement")
    message = " ".join(response.context["panel"]["forward_form"].non_field_errors())
    assert "a signed contract" in message
    assert "consent" not in message


def test_withdrawn_consent_does_not_count(client, sari, sari_case):
    from dampingi.cases.services import consent_withdraw

    engage(sari_case, sari)
    consent = sari_case.consents.get()
    consent_withdraw(actor=sari, case_id=sari_case.pk, consent_id=consent.pk, withdrawn_on=timezone.localdate())
    client.force_login(sari)
    response = move(client, sari_case, "assessment", "engagement")
    assert "recorded consent to data processing" in " ".join(
        response.context["panel"]["forward_form"].non_field_errors()
    )


@pytest.mark.parametrize(
    ("phase", "missing"),
    [
        ("assessment", "an assessment signed off by the supervisor"),
        ("planning", "a plan approved by the supervisor"),
        ("intervention", "at least one intervention activity note"),
    ],
)
def test_each_forward_guard_refuses_with_its_message(client, sari, ratna, sari_case, phase, missing):
    case = walk_to(sari_case, phase, worker=sari, supervisor=ratna)
    from dampingi.cases.phases import next_phase

    client.force_login(sari)
    before = row_counts()
    response = move(client, case, next_phase(phase), phase)
    assert response.status_code == 200
    assert missing in " ".join(response.context["panel"]["forward_form"].non_field_errors())
    assert row_counts() == before


def test_evaluation_needs_an_evaluation_before_goals_achieved(client, sari, ratna, sari_case):
    case = walk_to(sari_case, "evaluation", worker=sari, supervisor=ratna)
    client.force_login(sari)
    before = row_counts()
    response = terminate(client, case, "evaluation", reason="goals_achieved")
    assert response.status_code == 200
    errors = " ".join(response.context["panel"]["termination_form"].non_field_errors())
    assert "an evaluation of the goals with the client's view" in errors
    assert row_counts() == before


def test_a_forbidden_move_is_refused_clearly(client, sari, sari_case):
    engage(sari_case, sari)
    client.force_login(sari)
    before = row_counts()
    response = move(client, sari_case, "planning", "engagement")
    assert response.status_code == 200
    assert "A case cannot move from Engagement to Planning." in " ".join(
        response.context["panel"]["forward_form"].non_field_errors()
    )
    assert row_counts() == before


def test_a_stale_page_gets_the_already_moved_message_and_keeps_the_note(client, sari, sari_case):
    engage(sari_case, sari)
    case_change_phase(actor=sari, case_id=sari_case.pk, target="assessment", expected_phase="engagement")
    client.force_login(sari)
    before = row_counts()
    response = move(client, sari_case, "assessment", "engagement", reason="Tulisan saya")
    assert response.status_code == 200
    assert_clean(response)
    body = response.content.decode()
    assert "The case has already moved to Assessment. Reload the page to see its current state." in body
    assert "Tulisan saya" in body
    # The form now carries the phase the user sees.
    assert 'name="expected_phase" value="assessment"' in body
    assert row_counts() == before


def test_stale_termination_gets_the_already_moved_message(client, sari, sari_case):
    engage(sari_case, sari)
    case_change_phase(actor=sari, case_id=sari_case.pk, target="assessment", expected_phase="engagement")
    client.force_login(sari)
    before = row_counts()
    response = terminate(client, sari_case, "engagement")
    assert "The case has already moved to Assessment" in response.content.decode()
    assert row_counts() == before


def test_cycle_back_requires_a_reason_shown_on_the_reason_field(client, sari, ratna, sari_case):
    case = walk_to(sari_case, "evaluation", worker=sari, supervisor=ratna)
    client.force_login(sari)
    before = row_counts()
    response = move(client, case, "assessment", "evaluation")
    assert response.status_code == 200
    form = response.context["panel"]["cycle_form"]
    assert "Say why the case goes back for another cycle." in form.errors["reason"]
    assert row_counts() == before
    response = move(client, case, "assessment", "evaluation", reason="Masalah baru muncul: utang pinjol.")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.phase == "assessment"
    assert PhaseTransition.objects.filter(case=case, kind="cycle", reason__contains="pinjol").exists()


def test_termination_asks_for_closure_and_the_supervisor_approves(client, sari, ratna, sari_case):
    client.force_login(sari)
    followup = timezone.localdate() + datetime.timedelta(days=90)
    response = terminate(client, sari_case, "engagement", followup_date=followup.isoformat())
    assert response.status_code == 302
    sari_case.refresh_from_db()
    assert sari_case.phase == "termination" and sari_case.is_open
    approval = Approval.objects.get(case=sari_case, kind="closure", status="pending")
    body = page_text(client.get(reverse("cases:detail", args=[sari_case.pk])))
    assert "The closure waits for the supervisor's approval." in body
    assert reverse("cases:approval_decide", args=[sari_case.pk, approval.pk]) not in body

    client.force_login(ratna)
    response = client.get(reverse("cases:detail", args=[sari_case.pk]))
    assert reverse("cases:approval_decide", args=[sari_case.pk, approval.pk]) in response.content.decode()
    response = client.post(
        reverse("cases:approval_decide", args=[sari_case.pk, approval.pk]),
        {f"approval-{approval.pk}-decision": "approve"},
    )
    assert response.status_code == 302
    sari_case.refresh_from_db()
    assert not sari_case.is_open
    assert AuditEvent.objects.filter(case=sari_case, action="case.close", actor=ratna).exists()


def test_follow_up_date_in_the_past_is_refused(client, sari, sari_case):
    client.force_login(sari)
    before = row_counts()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = terminate(client, sari_case, "engagement", followup_date=yesterday.isoformat())
    assert response.status_code == 200
    form = response.context["panel"]["termination_form"]
    assert "The follow-up date cannot be in the past." in form.errors["followup_date"]
    assert "Keluarga pindah ke Garut." in response.content.decode()
    assert row_counts() == before


def test_returned_closure_shows_the_comment_and_the_worker_resends(client, sari, ratna, sari_case):
    case_terminate(actor=sari, case_id=sari_case.pk, reason="lost_contact", summary="Tidak bisa dihubungi.")
    approval = Approval.objects.get(case=sari_case, kind="closure")
    approval_decide(actor=ratna, approval_id=approval.pk, approve=False, comment="Coba kunjungi sekali lagi.")
    client.force_login(sari)
    response = client.get(reverse("cases:detail", args=[sari_case.pk]))
    body = response.content.decode()
    assert "Coba kunjungi sekali lagi." in body
    assert "Update the termination and send it again" in body
    assert "Tidak bisa dihubungi." in body  # the form is prefilled
    response = terminate(client, sari_case, "termination", reason="moved", summary="Sudah dikunjungi; pindah.")
    assert response.status_code == 302
    assert Termination.objects.filter(case=sari_case).count() == 2
    assert Approval.objects.filter(case=sari_case, kind="closure", status="pending").count() == 1
    # While the closure waits, sending again is refused.
    response = terminate(client, sari_case, "termination")
    assert response.status_code == 200
    assert "The closure is already waiting for the supervisor's decision." in page_text(response)


def test_returning_requires_a_comment(client, sari, ratna, sari_case):
    case_terminate(actor=sari, case_id=sari_case.pk, reason="lost_contact", summary="Tidak bisa dihubungi.")
    approval = Approval.objects.get(case=sari_case, kind="closure")
    client.force_login(ratna)
    before = row_counts()
    url = reverse("cases:approval_decide", args=[sari_case.pk, approval.pk])
    response = client.post(url, {f"approval-{approval.pk}-decision": "return", f"approval-{approval.pk}-comment": ""})
    assert response.status_code == 200
    assert_clean(response)
    form = response.context["decisions"][0]["form"]
    assert "Write what needs to be revised." in form.errors["comment"]
    assert row_counts() == before
    response = client.post(
        url, {f"approval-{approval.pk}-decision": "return", f"approval-{approval.pk}-comment": "Lengkapi ringkasan."}
    )
    assert response.status_code == 302
    approval.refresh_from_db()
    assert (approval.status, approval.comment, approval.decided_by) == ("returned", "Lengkapi ringkasan.", ratna)


def test_deciding_twice_says_it_was_already_decided(client, sari, ratna, sari_case):
    case_terminate(actor=sari, case_id=sari_case.pk, reason="lost_contact", summary="Tidak bisa dihubungi.")
    approval = Approval.objects.get(case=sari_case, kind="closure")
    approval_decide(actor=ratna, approval_id=approval.pk, approve=False, comment="Lengkapi.")
    client.force_login(ratna)
    response = client.post(
        reverse("cases:approval_decide", args=[sari_case.pk, approval.pk]),
        {f"approval-{approval.pk}-decision": "approve"},
    )
    assert response.status_code == 200
    assert "This request has already been decided." in response.content.decode()


def test_plan_approval_on_the_case_page(client, sari, ratna, sari_case):
    from dampingi.plans.models import Plan
    from dampingi.testing.cases import submitted_plan

    case = walk_to(sari_case, "planning", worker=sari, supervisor=ratna)
    approval = submitted_plan(case, sari)
    client.force_login(ratna)
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "plan approval" in body
    response = client.post(
        reverse("cases:approval_decide", args=[case.pk, approval.pk]), {f"approval-{approval.pk}-decision": "approve"}
    )
    assert response.status_code == 302
    assert Plan.objects.get(case=case).status == Plan.Status.APPROVED


def _closed_case(sari, ratna, case):
    case_terminate(actor=sari, case_id=case.pk, reason="client_request", summary="Klien meminta berhenti.")
    approval = Approval.objects.get(case=case, kind="closure")
    approval_decide(actor=ratna, approval_id=approval.pk, approve=True)
    case.refresh_from_db()
    return case


def test_supervisor_reopens_a_closed_case_with_a_reason(client, sari, ratna, sari_case):
    case = _closed_case(sari, ratna, sari_case)
    client.force_login(ratna)
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:reopen", args=[case.pk]) in body
    before = row_counts()
    response = client.post(reverse("cases:reopen", args=[case.pk]), {"reason": "", "expected_phase": "termination"})
    assert response.status_code == 200
    assert response.context["panel"]["reopen_form"].errors["reason"]
    assert row_counts() == before
    response = client.post(
        reverse("cases:reopen", args=[case.pk]),
        {"reason": "Nenek melapor anak putus sekolah lagi.", "expected_phase": "termination"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.is_open and case.phase == "engagement"
    assert PhaseTransition.objects.filter(case=case, kind="reopen", actor=ratna, reason__contains="putus").exists()
    event = AuditEvent.objects.get(case=case, action="case.phase.reopen", actor=ratna)
    # The audit says what the case was before: closed, in Termination.
    assert event.before["phase"] == "termination" and event.before["closed_at"] is not None
    assert event.after["closed_at"] is None
    # A second submission of the same page is stale.
    response = client.post(
        reverse("cases:reopen", args=[case.pk]), {"reason": "Lagi.", "expected_phase": "termination"}
    )
    assert response.status_code == 200
    assert "The case has already been reopened" in response.content.decode()


@pytest.mark.parametrize("persona", ["sari", "hendra"])
def test_only_the_supervisor_may_reopen(client, request, sari, ratna, sari_case, persona):
    case = _closed_case(sari, ratna, sari_case)
    client.force_login(request.getfixturevalue(persona))
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:reopen", args=[case.pk]) not in body
    before = row_counts()
    response = client.post(reverse("cases:reopen", args=[case.pk]), {"reason": "x", "expected_phase": "termination"})
    assert response.status_code == 404
    assert row_counts() == before


def test_closed_case_takes_no_more_casework(client, sari, ratna, sari_case):
    case = _closed_case(sari, ratna, sari_case)
    client.force_login(sari)
    before = row_counts()
    assert move(client, case, "engagement", "termination").status_code == 404
    assert client.post(reverse("cases:note_add", args=[case.pk]), {}).status_code == 404
    assert row_counts() == before
    assert Case.objects.get(pk=case.pk).closed_at is not None


def test_the_full_walk_through_every_phase(client, sari, ratna, sari_case):
    """Engagement to closure through the pages, with the guard rows made by the test helpers."""
    from dampingi.testing import cases as walk

    client.force_login(sari)
    walk.engage(sari_case, sari)
    assert move(client, sari_case, "assessment", "engagement").status_code == 302
    walk.complete_assessment(sari_case, sari)
    assert move(client, sari_case, "planning", "assessment").status_code == 302
    approval = walk.submitted_plan(sari_case, sari)
    client.force_login(ratna)
    client.post(
        reverse("cases:approval_decide", args=[sari_case.pk, approval.pk]),
        {f"approval-{approval.pk}-decision": "approve"},
    )
    client.force_login(sari)
    assert move(client, sari_case, "intervention", "planning").status_code == 302
    walk.add_note(sari_case, sari)
    assert move(client, sari_case, "evaluation", "intervention").status_code == 302
    record_evaluation(sari_case, sari)
    assert terminate(client, sari_case, "evaluation", reason="goals_achieved").status_code == 302
    closure = Approval.objects.get(case=sari_case, kind="closure", status="pending")
    client.force_login(ratna)
    client.post(
        reverse("cases:approval_decide", args=[sari_case.pk, closure.pk]),
        {f"approval-{closure.pk}-decision": "approve"},
    )
    sari_case.refresh_from_db()
    assert not sari_case.is_open
    path = list(PhaseTransition.objects.filter(case=sari_case).values_list("to_phase", flat=True))
    assert path == ["engagement", "assessment", "planning", "intervention", "evaluation", "termination"]
    response = client.get(reverse("cases:detail", args=[sari_case.pk]))
    assert_clean(response)
    assert all(step["state"] in ("done", "current") for step in response.context["steps"])
