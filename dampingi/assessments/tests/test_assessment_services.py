import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dampingi.assessments import services
from dampingi.assessments.models import Assessment, Problem, ProblemFactor, SocialFunctioningRating
from dampingi.audit.models import AuditEvent
from dampingi.cases.guards import assessment_ready
from dampingi.cases.services import case_change_phase
from dampingi.core.concurrency import ConcurrentEditError
from dampingi.testing.casework import (
    add_assessment,
    add_plan,
    add_problem,
    add_rating,
    case_in_phase,
    set_phase,
)


def _save(actor, case, expected_version=None, **overrides):
    data = {
        "summary": "Nenek 70 tahun merawat cucu; ibu bekerja di luar negeri.",
        "strengths": "Nenek sangat peduli.",
        "resources": "PKH, puskesmas",
        "risks": "Gizi kurang",
        "risk_level": "medium",
    }
    data.update(overrides)
    return services.assessment_save(actor=actor, case=case, expected_version=expected_version, **data)


def test_first_save_creates_the_assessment_and_is_audited(sari):
    case = case_in_phase(sari, "assessment")
    assessment = _save(sari, case)
    assert assessment.case == case and assessment.created_by == sari and assessment.completed_at is None
    assert AuditEvent.objects.filter(case=case, action="assessment.create", actor=sari).count() == 1


def test_editing_with_the_current_version_saves_and_bumps_the_version(sari, ratna):
    case = case_in_phase(sari, "assessment")
    assessment = _save(sari, case)
    updated = _save(ratna, case, expected_version=assessment.version, summary="Diperbarui oleh supervisor.")
    assert updated.version == assessment.version + 1
    assert Assessment.objects.get(pk=assessment.pk).summary == "Diperbarui oleh supervisor."
    event = AuditEvent.objects.get(case=case, action="assessment.update")
    assert event.before["summary"].startswith("Nenek") and event.after["summary"] == "Diperbarui oleh supervisor."


def test_editing_a_version_someone_else_saved_meanwhile_is_a_conflict(sari):
    case = case_in_phase(sari, "assessment")
    assessment = _save(sari, case)
    _save(sari, case, expected_version=assessment.version, summary="Versi kedua")
    with pytest.raises(ConcurrentEditError):
        _save(sari, case, expected_version=assessment.version, summary="Versi basi")
    assert Assessment.objects.get(pk=assessment.pk).summary == "Versi kedua"
    assert AuditEvent.objects.filter(case=case, action="assessment.update").count() == 1


def test_creating_when_someone_else_already_started_the_assessment_is_a_conflict(sari):
    case = case_in_phase(sari, "assessment")
    _save(sari, case)
    with pytest.raises(ConcurrentEditError):
        _save(sari, case, expected_version=None)
    assert Assessment.objects.filter(case=case).count() == 1


def test_writes_outside_the_assessment_phase_are_refused_with_a_clear_message(sari):
    case = case_in_phase(sari, "planning")
    with pytest.raises(services.PhaseClosedError, match="only while the case is in the Assessment phase"):
        _save(sari, case)
    with pytest.raises(services.PhaseClosedError):
        services.problem_add(actor=sari, case=case, title="Hutang")
    assert not Assessment.objects.filter(case=case).exists()
    assert not Problem.objects.filter(case=case).exists()


def test_a_manager_who_can_read_the_case_may_not_write_the_assessment(sari, hendra):
    case = case_in_phase(sari, "assessment")
    with pytest.raises(PermissionDenied):
        _save(hendra, case)
    assert not Assessment.objects.filter(case=case).exists()
    assert not AuditEvent.objects.filter(case=case, action__startswith="assessment").exists()


def test_worker_of_another_team_may_not_write_the_assessment(sari, dedi):
    case = case_in_phase(sari, "assessment")
    with pytest.raises(PermissionDenied):
        services.problem_add(actor=dedi, case=case, title="Hutang")
    assert not Problem.objects.filter(case=case).exists()


def test_complete_lists_everything_that_is_missing(sari):
    case = case_in_phase(sari, "assessment")
    _save(sari, case, summary="", strengths="  ")
    with pytest.raises(ValidationError) as exc:
        services.assessment_complete(actor=sari, case=case)
    message = exc.value.messages[0]
    for part in ("summary of the situation", "strengths", "at least one problem", "social functioning rating"):
        assert part in message
    assert Assessment.objects.get(case=case).completed_at is None


def test_complete_without_any_assessment_names_the_summary(sari):
    case = case_in_phase(sari, "assessment")
    add_problem(case)
    add_rating(case, sari)
    with pytest.raises(ValidationError, match="summary of the situation"):
        services.assessment_complete(actor=sari, case=case)


def test_complete_sets_completed_at_and_the_guard_then_waits_for_the_sign_off(sari):
    case = case_in_phase(sari, "assessment")
    assessment = _save(sari, case)
    add_problem(case)
    add_rating(case, sari)
    assert assessment_ready(case)
    done = services.assessment_complete(actor=sari, case=case, expected_version=assessment.version)
    assert done.completed_at is not None and done.signed_off_at is None
    assert assessment_ready(case) == ["an assessment signed off by the supervisor"]
    assert AuditEvent.objects.filter(case=case, action="assessment.complete").count() == 1


def test_complete_with_a_stale_version_is_a_conflict(sari):
    case = case_in_phase(sari, "assessment")
    assessment = _save(sari, case)
    add_problem(case)
    add_rating(case, sari)
    _save(sari, case, expected_version=assessment.version, summary="Diubah")
    with pytest.raises(ConcurrentEditError):
        services.assessment_complete(actor=sari, case=case, expected_version=assessment.version)
    assert Assessment.objects.get(pk=assessment.pk).completed_at is None


def test_a_completed_assessment_is_not_edited_nor_completed_twice(sari):
    case = case_in_phase(sari, "assessment")
    done = add_assessment(case, sari, completed=True)
    with pytest.raises(ValidationError, match="Start a new assessment"):
        _save(sari, case, expected_version=done.version)
    with pytest.raises(ValidationError, match="already complete"):
        services.assessment_complete(actor=sari, case=case)


def test_a_new_cycle_starts_a_new_assessment_and_keeps_the_old_one(sari):
    case = case_in_phase(sari, "evaluation")
    old = add_assessment(case, sari, completed=True, summary="Siklus pertama")
    case_change_phase(actor=sari, case_id=case.pk, target="assessment", reason="Masalah baru: hutang pinjol.")
    case.refresh_from_db()
    new = services.assessment_start_new(actor=sari, case=case)
    assert new.pk != old.pk and new.completed_at is None
    assert new.summary == "Siklus pertama" and new.strengths == old.strengths
    old.refresh_from_db()
    assert old.completed_at is not None
    assert list(Assessment.objects.filter(case=case)) == [new, old]
    assert AuditEvent.objects.get(case=case, action="assessment.start_new").after["previous_id"] == old.pk


def test_a_new_assessment_is_refused_while_one_is_in_progress_or_none_exists(sari):
    case = case_in_phase(sari, "assessment")
    with pytest.raises(ValidationError, match="no assessment yet"):
        services.assessment_start_new(actor=sari, case=case)
    add_assessment(case, sari)
    with pytest.raises(ValidationError, match="already in progress"):
        services.assessment_start_new(actor=sari, case=case)
    assert Assessment.objects.filter(case=case).count() == 1


def test_problem_with_several_causes_and_effects_and_a_link(sari):
    case = case_in_phase(sari, "assessment")
    debt = services.problem_add(actor=sari, case=case, title="Hutang pinjol", is_priority=True)
    conflict = services.problem_add(
        actor=sari,
        case=case,
        title="Konflik keluarga",
        causes=["Ancaman penagih", "Judi online"],
        effects=["Anak menarik diri"],
        leads_to=[debt],
    )
    assert sorted(conflict.factors.filter(kind="cause").values_list("text", flat=True)) == [
        "Ancaman penagih",
        "Judi online",
    ]
    assert list(conflict.factors.filter(kind="effect").values_list("text", flat=True)) == ["Anak menarik diri"]
    assert list(conflict.linked.all()) == [debt]
    assert list(debt.linked_from.all()) == [conflict]
    event = AuditEvent.objects.get(case=case, action="problem.create", target_id=str(conflict.pk))
    assert event.after["linked"] == [debt.pk] and len(event.after["factors"]) == 3


def test_problem_update_changes_links_and_refuses_a_self_link_or_a_stale_version(sari):
    case = case_in_phase(sari, "assessment")
    a = add_problem(case, "Hutang")
    b = add_problem(case, "Konflik")
    updated = services.problem_update(
        actor=sari,
        case=case,
        problem_id=a.pk,
        expected_version=a.version,
        title="Hutang pinjol",
        is_priority=True,
        leads_to=[b],
    )
    assert updated.is_priority and list(updated.linked.all()) == [b]
    with pytest.raises(ValidationError):
        services.problem_update(
            actor=sari, case=case, problem_id=a.pk, expected_version=updated.version, title="x", leads_to=[a]
        )
    with pytest.raises(ConcurrentEditError):
        services.problem_update(actor=sari, case=case, problem_id=a.pk, expected_version=a.version, title="basi")
    assert Problem.objects.get(pk=a.pk).title == "Hutang pinjol"


def test_problems_of_another_case_can_neither_be_linked_nor_changed(sari):
    case = case_in_phase(sari, "assessment")
    other = case_in_phase(sari, "assessment")
    mine = add_problem(case, "Milik kasus ini")
    foreign = add_problem(other, "Milik kasus lain")
    with pytest.raises(ValidationError):
        services.problem_add(actor=sari, case=case, title="Baru", leads_to=[foreign])
    with pytest.raises(ValidationError):
        services.problem_update(
            actor=sari, case=case, problem_id=foreign.pk, expected_version=foreign.version, title="dibajak"
        )
    with pytest.raises(ValidationError):
        services.factor_add(actor=sari, case=case, problem_id=foreign.pk, kind="cause", text="x")
    assert list(Problem.objects.filter(case=case)) == [mine]
    assert Problem.objects.get(pk=foreign.pk).title == "Milik kasus lain"


def test_factor_add_and_delete(sari):
    case = case_in_phase(sari, "assessment")
    problem = add_problem(case, factors=0)
    factor = services.factor_add(actor=sari, case=case, problem_id=problem.pk, kind="effect", text="Tidak sekolah")
    assert factor.problem == problem and factor.kind == "effect"
    services.factor_delete(actor=sari, case=case, factor_id=factor.pk)
    assert not ProblemFactor.objects.filter(pk=factor.pk).exists()
    with pytest.raises(ValidationError, match="already removed"):
        services.factor_delete(actor=sari, case=case, factor_id=factor.pk)
    actions = list(AuditEvent.objects.filter(case=case).values_list("action", flat=True))
    assert "problem_factor.create" in actions and "problem_factor.delete" in actions


def test_problem_delete_removes_it_unless_a_goal_addresses_it(sari):
    case = case_in_phase(sari, "assessment")
    loose = add_problem(case, "Salah ketik")
    kept = add_problem(case, "Gizi kurang")
    add_plan(case, problem=kept)
    services.problem_delete(actor=sari, case=case, problem_id=loose.pk, expected_version=loose.version)
    assert not Problem.objects.filter(pk=loose.pk).exists()
    assert AuditEvent.objects.get(case=case, action="problem.delete").before["title"] == "Salah ketik"
    with pytest.raises(ValidationError, match="goal of the plan"):
        services.problem_delete(actor=sari, case=case, problem_id=kept.pk, expected_version=kept.version)
    with pytest.raises(ConcurrentEditError):
        services.problem_delete(actor=sari, case=case, problem_id=kept.pk, expected_version=kept.version + 5)
    assert Problem.objects.filter(pk=kept.pk).exists()


def _rate(actor, case, **overrides):
    data = {
        "occasion": "intake",
        "rated_on": timezone.localdate(),
        "basic_needs": 2,
        "social_roles": 3,
        "problem_solving": 4,
        "evidence": "Observasi kunjungan rumah.",
    }
    data.update(overrides)
    return services.rating_add(actor=actor, case=case, **data)


def test_rating_is_recorded_with_its_evidence_and_audited(sari):
    case = case_in_phase(sari, "assessment")
    rating = _rate(sari, case)
    assert rating.average == 3.0 and rating.rated_by == sari
    assert AuditEvent.objects.filter(case=case, action="functioning_rating.create").count() == 1


def test_rating_refuses_a_future_date_a_date_before_opening_and_scores_outside_1_to_5(sari):
    case = case_in_phase(sari, "assessment")
    with pytest.raises(ValidationError) as exc:
        _rate(sari, case, rated_on=timezone.localdate() + datetime.timedelta(days=1), basic_needs=9)
    assert set(exc.value.message_dict) == {"rated_on", "basic_needs"}
    with pytest.raises(ValidationError) as exc:
        _rate(sari, case, rated_on=timezone.localdate(case.opened_at) - datetime.timedelta(days=3), problem_solving=0)
    assert set(exc.value.message_dict) == {"rated_on", "problem_solving"}
    assert not SocialFunctioningRating.objects.filter(case=case).exists()


def test_rating_is_allowed_in_evaluation_but_not_in_intervention(sari):
    case = case_in_phase(sari, "evaluation")
    assert _rate(sari, case, occasion="review").occasion == "review"
    set_phase(case, "intervention")
    with pytest.raises(services.PhaseClosedError, match="Assessment and Evaluation"):
        _rate(sari, case)
    assert SocialFunctioningRating.objects.filter(case=case).count() == 1
