import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dampingi.assessments.services import PhaseClosedError
from dampingi.audit.models import AuditEvent
from dampingi.cases.guards import planning_ready
from dampingi.cases.models import ActivityNote, Approval
from dampingi.cases.services import approval_decide, case_change_phase
from dampingi.core.concurrency import ConcurrentEditError
from dampingi.plans import services
from dampingi.plans.gas import LEVEL_FIELDS
from dampingi.plans.models import Evaluation, Goal, GoalResult, Plan, Task
from dampingi.testing.casework import GAS_LEVELS, add_plan, add_problem, add_stakeholder, case_in_phase, set_phase

IN_A_MONTH = timezone.localdate() + datetime.timedelta(days=30)


def _goal(actor, case, **overrides):
    data = {
        "description": "Anak kembali sekolah",
        "indicator": "Hadir 4 hari per minggu",
        "levels": [GAS_LEVELS[name] for name in LEVEL_FIELDS],
    }
    data.update(overrides)
    return services.goal_add(actor=actor, case=case, **data)


def _task(actor, case, goal, **overrides):
    data = {"description": "Bertemu wali kelas", "responsible": "worker", "due_date": IN_A_MONTH}
    data.update(overrides)
    return services.task_add(actor=actor, case=case, goal_id=goal.pk, **data)


def test_first_goal_creates_the_plan_and_both_are_audited(sari):
    case = case_in_phase(sari, "planning")
    problem = add_problem(case, priority=True)
    goal = _goal(sari, case, problem=problem, target_date=IN_A_MONTH)
    assert goal.plan.case == case and goal.plan.status == Plan.Status.DRAFT and goal.problem == problem
    actions = set(AuditEvent.objects.filter(case=case).values_list("action", flat=True))
    assert {"plan.create", "goal.create"} <= actions


def test_goal_refuses_a_target_date_before_opening_and_a_problem_of_another_case(sari):
    case = case_in_phase(sari, "planning")
    foreign = add_problem(case_in_phase(sari, "planning"))
    before_opening = timezone.localdate(case.opened_at) - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        _goal(sari, case, target_date=before_opening, problem=foreign)
    assert set(exc.value.message_dict) == {"target_date", "problem"}
    assert not Goal.objects.filter(plan__case=case).exists()
    assert not Plan.objects.filter(case=case).exists()


def test_task_with_a_stakeholder_of_the_case(sari):
    case = case_in_phase(sari, "planning")
    teacher = add_stakeholder(case)
    goal = _goal(sari, case)
    task = _task(sari, case, goal, responsible="community", stakeholder=teacher)
    assert task.plan == goal.plan and task.stakeholder == teacher and task.status == Task.Status.TO_DO
    assert AuditEvent.objects.filter(case=case, action="task.create").count() == 1


def test_task_refuses_a_stakeholder_of_another_case_and_a_due_date_before_opening(sari):
    case = case_in_phase(sari, "planning")
    stranger = add_stakeholder(case_in_phase(sari, "planning"), "Orang lain")
    goal = _goal(sari, case)
    before_opening = timezone.localdate(case.opened_at) - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        _task(sari, case, goal, stakeholder=stranger, due_date=before_opening)
    assert set(exc.value.message_dict) == {"stakeholder", "due_date"}
    assert not Task.objects.filter(plan__case=case).exists()


def test_task_for_a_goal_of_another_case_is_refused(sari):
    case = case_in_phase(sari, "planning")
    _goal(sari, case)
    other = case_in_phase(sari, "planning")
    foreign_goal = _goal(sari, other)
    with pytest.raises(ValidationError):
        _task(sari, case, foreign_goal)
    assert not Task.objects.exists()


def test_planning_edits_are_refused_outside_planning_and_while_the_plan_is_with_the_supervisor(sari):
    case = case_in_phase(sari, "assessment")
    with pytest.raises(PhaseClosedError, match="only while the case is in the Planning phase"):
        _goal(sari, case)
    set_phase(case, "planning")
    add_plan(case, status=Plan.Status.SUBMITTED)
    with pytest.raises(PhaseClosedError, match="waiting for approval"):
        _goal(sari, case)
    Plan.objects.filter(case=case).update(status=Plan.Status.APPROVED)
    with pytest.raises(PhaseClosedError, match="approved"):
        services.plan_update_approach(actor=sari, case=case, approach="x", expected_version=1)
    assert Goal.objects.filter(plan__case=case).count() == 1


def test_a_manager_may_not_change_the_plan(sari, hendra):
    case = case_in_phase(sari, "planning")
    with pytest.raises(PermissionDenied):
        _goal(hendra, case)
    assert not Plan.objects.filter(case=case).exists()
    assert not AuditEvent.objects.filter(case=case, action__startswith="plan").exists()


def test_approach_creates_then_edits_the_plan_with_optimistic_locking(sari):
    case = case_in_phase(sari, "planning")
    plan = services.plan_update_approach(actor=sari, case=case, approach="Pendekatan keluarga", expected_version=None)
    plan = services.plan_update_approach(actor=sari, case=case, approach="Versi dua", expected_version=plan.version)
    with pytest.raises(ConcurrentEditError):
        services.plan_update_approach(actor=sari, case=case, approach="Basi", expected_version=1)
    with pytest.raises(ConcurrentEditError):
        services.plan_update_approach(actor=sari, case=case, approach="Baru", expected_version=None)
    assert Plan.objects.get(case=case).approach == "Versi dua"


def test_goal_and_task_edits_use_optimistic_locking(sari, ratna):
    case = case_in_phase(sari, "planning")
    goal = _goal(sari, case)
    task = _task(sari, case, goal)
    services.task_update(
        actor=ratna,
        case=case,
        task_id=task.pk,
        expected_version=task.version,
        goal_id=goal.pk,
        description="Kunjungan sekolah",
        responsible="worker",
        due_date=IN_A_MONTH,
    )
    with pytest.raises(ConcurrentEditError):
        services.task_update(
            actor=sari,
            case=case,
            task_id=task.pk,
            expected_version=task.version,
            goal_id=goal.pk,
            description="Versi basi",
            responsible="client",
            due_date=IN_A_MONTH,
        )
    assert Task.objects.get(pk=task.pk).description == "Kunjungan sekolah"
    services.goal_update(
        actor=sari,
        case=case,
        goal_id=goal.pk,
        expected_version=goal.version,
        description="Tujuan baru",
        indicator="Nilai rapor",
    )
    with pytest.raises(ConcurrentEditError):
        services.goal_update(
            actor=sari, case=case, goal_id=goal.pk, expected_version=goal.version, description="basi", indicator="x"
        )
    assert Goal.objects.get(pk=goal.pk).description == "Tujuan baru"


def test_a_task_may_move_to_another_goal_of_the_same_plan(sari):
    case = case_in_phase(sari, "planning")
    first, second = _goal(sari, case), _goal(sari, case, description="Gizi membaik")
    task = _task(sari, case, first)
    moved = services.task_update(
        actor=sari,
        case=case,
        task_id=task.pk,
        expected_version=task.version,
        goal_id=second.pk,
        description=task.description,
        responsible="family",
        due_date=IN_A_MONTH,
    )
    assert moved.goal == second and moved.responsible == "family"


def test_delete_goal_and_task_unless_work_was_recorded(sari):
    case = case_in_phase(sari, "planning")
    goal = _goal(sari, case)
    task = _task(sari, case, goal)
    services.task_delete(actor=sari, case=case, task_id=task.pk, expected_version=task.version)
    assert not Task.objects.filter(pk=task.pk).exists()
    worked = _task(sari, case, goal)
    ActivityNote.objects.create(
        case=case,
        kind="home_visit",
        phase="planning",
        occurred_on=timezone.localdate(),
        narrative="x",
        task=worked,
        author=sari,
    )
    with pytest.raises(ValidationError, match="Mark it cancelled"):
        services.task_delete(actor=sari, case=case, task_id=worked.pk, expected_version=worked.version)
    Task.objects.filter(pk=worked.pk).update(status=Task.Status.DONE)
    with pytest.raises(ValidationError, match="has started"):
        services.goal_delete(actor=sari, case=case, goal_id=goal.pk, expected_version=goal.version)
    evaluated = _goal(sari, case, description="Sudah dievaluasi")
    evaluation = Evaluation.objects.create(
        case=case, client_view="x", summary="y", evaluated_on=timezone.localdate(), evaluated_by=sari
    )
    GoalResult.objects.create(evaluation=evaluation, goal=evaluated, result="partly", evidence="z")
    with pytest.raises(ValidationError, match="was evaluated"):
        services.goal_delete(actor=sari, case=case, goal_id=evaluated.pk, expected_version=evaluated.version)
    fresh = _goal(sari, case, description="Salah ketik")
    _task(sari, case, fresh)
    services.goal_delete(actor=sari, case=case, goal_id=fresh.pk, expected_version=fresh.version)
    assert not Goal.objects.filter(pk=fresh.pk).exists()
    assert AuditEvent.objects.get(case=case, action="goal.delete").before["tasks"][0]["description"]


def test_send_for_approval_creates_the_approval_and_locks_the_plan(sari):
    case = case_in_phase(sari, "planning")
    goal = _goal(sari, case)
    _task(sari, case, goal)
    plan = services.plan_send_for_approval(actor=sari, case=case)
    assert plan.status == Plan.Status.SUBMITTED
    assert Approval.objects.filter(case=case, kind="plan", status="pending").count() == 1
    with pytest.raises(PhaseClosedError):
        services.plan_send_for_approval(actor=sari, case=case)


def test_send_for_approval_is_refused_without_goals_or_with_a_goal_without_tasks(sari):
    case = case_in_phase(sari, "planning")
    with pytest.raises(ValidationError, match="at least one goal"):
        services.plan_send_for_approval(actor=sari, case=case)
    _goal(sari, case, description="Tanpa tugas")
    with pytest.raises(ValidationError, match="Tanpa tugas"):
        services.plan_send_for_approval(actor=sari, case=case)
    assert Plan.objects.get(case=case).status == Plan.Status.DRAFT
    assert not Approval.objects.filter(case=case).exists()


def test_returned_plan_can_be_revised_and_sent_again_then_approved(sari, ratna):
    case = case_in_phase(sari, "planning")
    goal = _goal(sari, case)
    _task(sari, case, goal)
    services.plan_send_for_approval(actor=sari, case=case)
    approval = Approval.objects.get(case=case, status="pending")
    approval_decide(actor=ratna, approval_id=approval.pk, approve=False, comment="Indikator kurang terukur.")
    plan = Plan.objects.get(case=case)
    assert plan.status == Plan.Status.RETURNED and plan.supervisor_comment == "Indikator kurang terukur."
    services.goal_update(
        actor=sari,
        case=case,
        goal_id=goal.pk,
        expected_version=goal.version,
        description=goal.description,
        indicator="Hadir minimal 16 hari per bulan",
    )
    services.plan_send_for_approval(actor=sari, case=case)
    approval_decide(actor=ratna, approval_id=Approval.objects.get(case=case, status="pending").pk, approve=True)
    assert Plan.objects.get(case=case).status == Plan.Status.APPROVED
    assert planning_ready(case) == []
    case_change_phase(actor=sari, case_id=case.pk, target="intervention")
