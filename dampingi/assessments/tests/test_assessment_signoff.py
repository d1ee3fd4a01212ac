"""The supervisor's sign-off of a completed assessment (approval kind "assessment")."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from dampingi.assessments import services
from dampingi.assessments.models import Assessment
from dampingi.audit.models import AuditEvent
from dampingi.cases.guards import assessment_ready
from dampingi.cases.models import Approval
from dampingi.cases.services import approval_decide, case_change_phase
from dampingi.testing.casework import add_problem, add_rating, assert_clean, case_in_phase

SIGNED_OFF = "an assessment signed off by the supervisor"


def _completed(worker):
    """A case in Assessment whose assessment the worker completed through the service."""
    case = case_in_phase(worker, "assessment")
    assessment = services.assessment_save(
        actor=worker,
        case=case,
        summary="Nenek 70 tahun merawat cucu; ibu bekerja di luar negeri.",
        strengths="Nenek sangat peduli.",
        risk_level="medium",
        expected_version=None,
    )
    add_problem(case)
    add_rating(case, worker)
    services.assessment_complete(actor=worker, case=case, expected_version=assessment.version)
    return case, Approval.objects.get(case=case, kind=Approval.Kind.ASSESSMENT)


def _state(case):
    assessment = Assessment.objects.get(case=case)
    return (
        assessment.completed_at,
        assessment.signed_off_by_id,
        assessment.signed_off_at,
        assessment.signoff_comment,
        assessment.version,
        list(Approval.objects.filter(case=case).values_list("kind", "status")),
        AuditEvent.objects.filter(case=case).exclude(action="case.view").count(),
    )


def _decide_url(case, approval):
    return reverse("cases:approval_decide", args=[case.pk, approval.pk])


def _post(approval, decision, comment=""):
    key = f"approval-{approval.pk}"
    return {f"{key}-decision": decision, f"{key}-comment": comment}


# --- Service ------------------------------------------------------------------------------------


def test_completing_the_assessment_requests_the_sign_off_and_is_audited(sari):
    case, approval = _completed(sari)
    assert approval.status == Approval.Status.PENDING and approval.requested_by == sari
    assert AuditEvent.objects.filter(case=case, action="approval.assessment.request", actor=sari).count() == 1
    assert assessment_ready(case) == [SIGNED_OFF]


def test_the_guard_refuses_leaving_assessment_before_the_sign_off(sari):
    case, _approval = _completed(sari)
    with pytest.raises(ValidationError, match=SIGNED_OFF):
        case_change_phase(actor=sari, case_id=case.pk, target="planning", expected_phase="assessment")
    case.refresh_from_db()
    assert case.phase == "assessment"


def test_supervisor_approves_the_sign_off_and_the_case_may_move_to_planning(sari, ratna):
    case, approval = _completed(sari)
    decided = approval_decide(actor=ratna, approval_id=approval.pk, approve=True, comment="Lengkap.")
    assert decided.status == Approval.Status.APPROVED and decided.decided_by == ratna
    assessment = Assessment.objects.get(case=case)
    assert assessment.signed_off_by == ratna and assessment.signed_off_at is not None
    assert assessment.completed_at is not None and assessment.signoff_comment == "Lengkap."
    assert AuditEvent.objects.filter(case=case, action="approval.assessment.approved", actor=ratna).count() == 1
    event = AuditEvent.objects.get(case=case, action="assessment.signoff", actor=ratna)
    assert event.before["signed_off_at"] is None and event.after["signed_off_by_id"] == ratna.pk
    assert assessment_ready(case) == []
    moved = case_change_phase(actor=sari, case_id=case.pk, target="planning", expected_phase="assessment")
    assert moved.phase == "planning"


def test_returning_needs_a_comment_and_changes_nothing_without_one(sari, ratna):
    case, approval = _completed(sari)
    before = _state(case)
    with pytest.raises(ValidationError) as exc:
        approval_decide(actor=ratna, approval_id=approval.pk, approve=False, comment="   ")
    assert "comment" in exc.value.message_dict
    assert _state(case) == before


def test_returning_reopens_the_assessment_and_completing_again_asks_again(sari, ratna):
    case, approval = _completed(sari)
    approval_decide(actor=ratna, approval_id=approval.pk, approve=False, comment="Lengkapi sumber daya keluarga.")
    assessment = Assessment.objects.get(case=case)
    assert assessment.completed_at is None and assessment.signed_off_at is None
    assert assessment.signoff_comment == "Lengkapi sumber daya keluarga."
    assert AuditEvent.objects.filter(case=case, action="approval.assessment.returned", actor=ratna).count() == 1
    assert AuditEvent.objects.filter(case=case, action="assessment.return", actor=ratna).count() == 1
    assert assessment_ready(case) == [SIGNED_OFF]

    # The worker revises and completes again: a new request waits for the supervisor.
    services.assessment_save(
        actor=sari,
        case=case,
        summary=assessment.summary,
        strengths=assessment.strengths,
        resources="PKH, kerabat di Cibiru",
        risk_level="medium",
        expected_version=assessment.version,
    )
    services.assessment_complete(actor=sari, case=case)
    pending = Approval.objects.filter(case=case, kind=Approval.Kind.ASSESSMENT, status=Approval.Status.PENDING)
    assert pending.count() == 1 and pending.get().pk != approval.pk
    assert AuditEvent.objects.filter(case=case, action="approval.assessment.request").count() == 2


def test_the_worker_may_not_decide_and_nothing_changes(sari):
    case, approval = _completed(sari)
    before = _state(case)
    with pytest.raises(PermissionDenied):
        approval_decide(actor=sari, approval_id=approval.pk, approve=True)
    assert _state(case) == before


@pytest.mark.parametrize("who", ["dedi", "hendra", "yogi"])
def test_others_may_not_decide_and_nothing_changes(sari, who, request):
    case, approval = _completed(sari)
    before = _state(case)
    with pytest.raises((PermissionDenied, Http404)):
        approval_decide(actor=request.getfixturevalue(who), approval_id=approval.pk, approve=True)
    assert _state(case) == before


# --- Views --------------------------------------------------------------------------------------


def test_supervisor_approves_on_the_case_page(client, sari, ratna):
    case, approval = _completed(sari)
    client.force_login(ratna)
    page = assert_clean(client.get(reverse("cases:detail", args=[case.pk])))
    assert "assessment sign-off" in page and _decide_url(case, approval) in page
    response = client.post(_decide_url(case, approval), _post(approval, "approve"))
    assert response.status_code == 302
    assessment = Assessment.objects.get(case=case)
    assert assessment.signed_off_by == ratna
    client.force_login(sari)
    html = assert_clean(client.get(reverse("cases:detail", args=[case.pk])))
    assert "Signed off by" in html and str(ratna) in html


def test_supervisor_returns_on_the_case_page_only_with_a_comment(client, sari, ratna):
    case, approval = _completed(sari)
    client.force_login(ratna)
    before = _state(case)
    refused = client.post(_decide_url(case, approval), _post(approval, "return"))
    assert refused.status_code == 200
    assert "Write what needs to be revised." in assert_clean(refused)
    assert _state(case) == before

    response = client.post(_decide_url(case, approval), _post(approval, "return", "Tambahkan risiko kesehatan."))
    assert response.status_code == 302
    assert Assessment.objects.get(case=case).completed_at is None
    client.force_login(sari)
    html = assert_clean(client.get(reverse("cases:detail", args=[case.pk])))
    assert "The supervisor returned the assessment for revision" in html and "Tambahkan risiko kesehatan." in html
    assert "Complete the assessment" in html


def test_the_worker_sees_that_the_assessment_waits_for_sign_off(client, sari):
    case, _approval = _completed(sari)
    client.force_login(sari)
    html = assert_clean(client.get(reverse("cases:detail", args=[case.pk])))
    assert "waiting for sign-off" in html


@pytest.mark.parametrize("who", ["sari", "dedi", "hendra"])
def test_only_the_supervisor_may_decide_on_the_page(client, sari, who, request):
    case, approval = _completed(sari)
    before = _state(case)
    client.force_login(request.getfixturevalue(who))
    response = client.post(_decide_url(case, approval), _post(approval, "approve"))
    assert response.status_code in (403, 404)
    assert _state(case) == before


def test_pending_sign_off_is_listed_with_its_label_on_the_approvals_page(client, sari, ratna):
    _completed(sari)
    client.force_login(ratna)
    listing = assert_clean(client.get(reverse("cases:approvals")))
    assert "assessment sign-off" in listing
