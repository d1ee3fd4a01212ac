import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dampingi.assessments.services import PhaseClosedError
from dampingi.audit.models import AuditEvent
from dampingi.cases.guards import evaluation_ready
from dampingi.core.concurrency import ConcurrentEditError
from dampingi.plans import services
from dampingi.plans.models import Evaluation, GoalResult, Plan, Task
from dampingi.testing.casework import add_plan, case_in_phase, set_phase

TODAY = timezone.localdate


def _task_in(sari, phase):
    case = case_in_phase(sari, phase)
    add_plan(case, status=Plan.Status.APPROVED)
    return case, Task.objects.get(plan__case=case)


def _progress(actor, case, task, **overrides):
    data = {"status": "in_progress", "progress_note": "Sudah bertemu guru."}
    data.update(overrides)
    return services.task_progress_update(
        actor=actor, case=case, task_id=task.pk, expected_version=data.pop("version", task.version), **data
    )


def test_done_sets_the_completion_date_and_reopening_clears_it(sari):
    case, task = _task_in(sari, "intervention")
    task = _progress(sari, case, task)
    assert task.status == "in_progress" and task.completed_on is None
    task = _progress(sari, case, task, status="done", progress_note="Anak kembali sekolah.")
    assert task.completed_on == TODAY()
    task = _progress(sari, case, task, status="in_progress")
    assert task.completed_on is None
    assert AuditEvent.objects.filter(case=case, action="task.progress").count() == 3


def test_saving_a_done_task_again_keeps_its_completion_date(sari):
    case, task = _task_in(sari, "evaluation")
    earlier = TODAY() - datetime.timedelta(days=5)
    Task.objects.filter(pk=task.pk).update(status="done", completed_on=earlier)
    task.refresh_from_db()
    assert _progress(sari, case, task, status="done", progress_note="Catatan tambahan").completed_on == earlier


def test_cancelling_needs_a_reason(sari):
    case, task = _task_in(sari, "intervention")
    with pytest.raises(ValidationError) as exc:
        _progress(sari, case, task, status="cancelled", progress_note="  ")
    assert "progress_note" in exc.value.message_dict
    assert Task.objects.get(pk=task.pk).status == "todo"


def test_progress_is_refused_outside_intervention_and_evaluation(sari):
    case, task = _task_in(sari, "planning")
    with pytest.raises(PhaseClosedError, match="Intervention and Evaluation"):
        _progress(sari, case, task)
    assert Task.objects.get(pk=task.pk).status == "todo"


def test_progress_with_a_stale_version_is_a_conflict(sari, ratna):
    case, task = _task_in(sari, "intervention")
    _progress(ratna, case, task, progress_note="Versi supervisor")
    with pytest.raises(ConcurrentEditError):
        _progress(sari, case, task, progress_note="Versi basi")
    assert Task.objects.get(pk=task.pk).progress_note == "Versi supervisor"


def test_progress_by_a_manager_or_on_a_task_of_another_case_is_refused(sari, hendra):
    case, task = _task_in(sari, "intervention")
    other, foreign = _task_in(sari, "intervention")
    with pytest.raises(PermissionDenied):
        _progress(hendra, case, task)
    with pytest.raises(ValidationError):
        _progress(sari, case, foreign)
    assert set(Task.objects.values_list("status", flat=True)) == {"todo"}


def _record(actor, case, results=None, **overrides):
    goals = list(Plan.objects.get(case=case).goals.all())
    data = {
        "evaluated_on": TODAY(),
        "client_view": "Nenek merasa terbantu; cucu senang sekolah lagi.",
        "summary": "Tujuan sekolah tercapai, gizi sebagian.",
        "results": results if results is not None else [(g.pk, "achieved", "Absensi 18/20 hari") for g in goals],
    }
    data.update(overrides)
    return services.evaluation_record(actor=actor, case=case, **data)


def test_evaluation_records_every_goal_and_satisfies_the_phase_guard(sari):
    case = case_in_phase(sari, "evaluation")
    add_plan(case, goals=2, status=Plan.Status.APPROVED)
    assert evaluation_ready(case)
    evaluation = _record(sari, case)
    assert evaluation.results.count() == 2 and evaluation.evaluated_by == sari
    assert evaluation_ready(case) == []
    event = AuditEvent.objects.get(case=case, action="evaluation.create")
    assert len(event.after["results"]) == 2


def test_every_goal_must_be_rated_with_evidence(sari):
    case = case_in_phase(sari, "evaluation")
    plan = add_plan(case, goals=2, status=Plan.Status.APPROVED)
    first, second = plan.goals.all()
    with pytest.raises(ValidationError) as exc:
        _record(sari, case, results=[(first.pk, "achieved", "Bukti"), (second.pk, "partly", "  ")])
    assert second.description in exc.value.message_dict["__all__"][0]
    assert not Evaluation.objects.filter(case=case).exists()


def test_evaluation_refuses_future_dates_dates_before_the_phase_and_missing_views(sari):
    case = case_in_phase(sari, "evaluation")
    add_plan(case, status=Plan.Status.APPROVED)
    with pytest.raises(ValidationError) as exc:
        _record(sari, case, evaluated_on=TODAY() + datetime.timedelta(days=1), client_view=" ", summary="")
    assert set(exc.value.message_dict) == {"evaluated_on", "client_view", "summary"}
    set_phase(case, "evaluation", since=timezone.now() - datetime.timedelta(days=2))
    with pytest.raises(ValidationError, match="before the case entered Evaluation"):
        _record(sari, case, evaluated_on=TODAY() - datetime.timedelta(days=3))
    assert _record(sari, case, evaluated_on=TODAY() - datetime.timedelta(days=2)).pk
    assert Evaluation.objects.filter(case=case).count() == 1


def test_evaluation_is_refused_outside_evaluation_for_a_foreign_goal_and_for_a_manager(sari, hendra):
    case = case_in_phase(sari, "intervention")
    add_plan(case, status=Plan.Status.APPROVED)
    with pytest.raises(PhaseClosedError, match="Evaluation phase"):
        _record(sari, case)
    set_phase(case, "evaluation")
    other = case_in_phase(sari, "evaluation")
    foreign_goal = add_plan(other, status=Plan.Status.APPROVED).goals.get()
    own_goal = Plan.objects.get(case=case).goals.get()
    with pytest.raises(ValidationError, match="not in this case's plan"):
        _record(sari, case, results=[(own_goal.pk, "achieved", "a"), (foreign_goal.pk, "achieved", "b")])
    with pytest.raises(PermissionDenied):
        _record(hendra, case)
    assert not Evaluation.objects.exists() and not GoalResult.objects.exists()


def test_evaluation_without_goals_is_refused(sari):
    case = case_in_phase(sari, "evaluation")
    with pytest.raises(ValidationError, match="no goals"):
        services.evaluation_record(
            actor=sari, case=case, evaluated_on=TODAY(), client_view="a", summary="b", results=[]
        )
    assert not Evaluation.objects.exists()
