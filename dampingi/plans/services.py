"""Writes to plans: goals, tasks, submission for approval, task progress, evaluation of goals.

The functions for the plan page lock the case row, check that the actor may work on the case and
that the case is in the phase the write belongs to (planning while the plan is a draft or returned;
task progress in Intervention and Evaluation; the evaluation in Evaluation), and write their audit
event in the same transaction. Edits of existing records use optimistic locking.
"""

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dampingi.accounts.models import User
from dampingi.assessments.models import Problem
from dampingi.assessments.services import PhaseClosedError
from dampingi.audit.services import audit_record, snapshot
from dampingi.cases.models import Approval, Case, Stakeholder
from dampingi.cases.permissions import lock_case_for_work
from dampingi.cases.phases import Phase
from dampingi.core.concurrency import ConcurrentEditError, save_versioned
from dampingi.plans.gas import GAS_LEVELS, LEVEL_FIELDS
from dampingi.plans.models import Evaluation, Goal, GoalResult, GoalScore, Plan, Task

EDITABLE_PLAN_STATUSES = (Plan.Status.DRAFT, Plan.Status.RETURNED)
TASK_PROGRESS_PHASES = (Phase.INTERVENTION, Phase.EVALUATION)
GOAL_FIELDS = ["description", "indicator", "target_date", "problem", *LEVEL_FIELDS, "weight"]
BASELINE_PHASES = (Phase.PLANNING, Phase.INTERVENTION)
FOLLOW_UP_PHASES = (Phase.INTERVENTION, Phase.EVALUATION)
SCORE_PHASES = (Phase.PLANNING, Phase.INTERVENTION, Phase.EVALUATION)
TASK_FIELDS = ["goal", "description", "responsible", "stakeholder", "due_date"]


def plan_get_or_create(*, actor: User, case: Case) -> Plan:
    plan, created = Plan.objects.get_or_create(case=case)
    if created:
        audit_record(actor=actor, action="plan.create", target=plan, case=case, after=snapshot(plan))
    return plan


def plan_submit(*, actor: User, case: Case) -> Plan:
    """The worker sends the plan to the supervisor. Needs at least one goal, each with a task."""
    from dampingi.cases.services import approval_request

    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(case=case)
        goals = list(plan.goals.prefetch_related("tasks"))
        if not goals:
            raise ValidationError(_("Add at least one goal before sending the plan for approval."), code="no_goals")
        without_tasks = [g.description for g in goals if not g.tasks.all()]
        if without_tasks:
            raise ValidationError(
                _("Every goal needs at least one task. Missing for: %(goals)s.") % {"goals": "; ".join(without_tasks)},
                code="goal_without_task",
            )
        undescribed = [g.description for g in goals if not g.gas_levels_complete]
        if undescribed:
            raise ValidationError(
                _(
                    "Every goal needs all five attainment levels (−2 to +2) described before the plan is sent "
                    "for approval. Missing for: %(goals)s."
                )
                % {"goals": "; ".join(undescribed)},
                code="gas_levels_missing",
            )
        if plan.status in (Plan.Status.SUBMITTED, Plan.Status.APPROVED):
            raise ValidationError(_("The plan is already with the supervisor or approved."), code="already_submitted")
        before = snapshot(plan)
        plan.status = Plan.Status.SUBMITTED
        plan.version += 1
        plan.save(update_fields=["status", "version", "updated_at"])
        audit_record(actor=actor, action="plan.submit", target=plan, case=case, before=before, after=snapshot(plan))
        approval_request(actor=actor, case=case, kind=Approval.Kind.PLAN)
    return plan


def plan_record_decision(*, actor: User, case: Case, approved: bool, comment: str) -> Plan:
    """Called by approval_decide inside its transaction."""
    plan = Plan.objects.select_for_update().get(case=case)
    before = snapshot(plan)
    plan.status = Plan.Status.APPROVED if approved else Plan.Status.RETURNED
    plan.supervisor_comment = comment
    plan.version += 1
    plan.save(update_fields=["status", "supervisor_comment", "version", "updated_at"])
    audit_record(actor=actor, action="plan.decision", target=plan, case=case, before=before, after=snapshot(plan))
    return plan


def plan_reopen_for_revision(*, actor: User, case: Case) -> Plan | None:
    """Another cycle back to Planning: the plan becomes a draft and needs approval again."""
    plan = Plan.objects.select_for_update().filter(case=case).first()
    if plan is None:
        return None
    before = snapshot(plan)
    plan.status = Plan.Status.DRAFT
    plan.version += 1
    plan.save(update_fields=["status", "version", "updated_at"])
    audit_record(actor=actor, action="plan.revise", target=plan, case=case, before=before, after=snapshot(plan))
    return plan


# --- Checks shared by the plan page's services ------------------------------------------------------


def planning_check_phase(case: Case) -> None:
    if case.phase != Phase.PLANNING or not case.is_open:
        raise PhaseClosedError(
            _("The plan can be changed only while the case is in the Planning phase. The case is now in %(phase)s.")
            % {"phase": case.get_phase_display()},
            code="wrong_phase",
        )


def plan_check_editable(plan: Plan | None) -> None:
    if plan is not None and plan.status not in EDITABLE_PLAN_STATUSES:
        raise PhaseClosedError(
            _("The plan is %(status)s and cannot be changed now.") % {"status": plan.get_status_display()},
            code="plan_locked",
        )


def task_progress_check_phase(case: Case) -> None:
    if case.phase not in TASK_PROGRESS_PHASES or not case.is_open:
        raise PhaseClosedError(
            _("Task progress is recorded in the Intervention and Evaluation phases. The case is now in %(phase)s.")
            % {"phase": case.get_phase_display()},
            code="wrong_phase",
        )


def evaluation_check_phase(case: Case) -> None:
    if case.phase != Phase.EVALUATION or not case.is_open:
        raise PhaseClosedError(
            _("An evaluation is recorded in the Evaluation phase. The case is now in %(phase)s.")
            % {"phase": case.get_phase_display()},
            code="wrong_phase",
        )


def _editable_plan(actor: User, case: Case) -> tuple[Case, Plan | None]:
    case = lock_case_for_work(actor, case)
    planning_check_phase(case)
    plan = Plan.objects.select_for_update().filter(case=case).first()
    plan_check_editable(plan)
    return case, plan


def _not_before_opening(case: Case, day: datetime.date | None, field: str, errors: dict) -> None:
    opened_on = timezone.localdate(case.opened_at)
    if day is not None and day < opened_on:
        errors[field] = _("The date cannot be before the case was opened (%(date)s).") % {"date": opened_on.isoformat()}


def _check_problem(case: Case, problem: Problem | None, errors: dict) -> None:
    if problem is not None and problem.case_id != case.pk:
        errors["problem"] = _("Choose a problem of this case.")


def _check_stakeholder(case: Case, stakeholder: Stakeholder | None, errors: dict) -> None:
    if stakeholder is not None and stakeholder.case_id != case.pk:
        errors["stakeholder"] = _("Choose a stakeholder of this case.")


def _check_gas(levels: Sequence[str] | None, weight: int | None, errors: dict) -> None:
    if levels is not None and len(levels) != len(LEVEL_FIELDS):
        raise ValueError("levels must hold five descriptions, from -2 to +2")
    if weight is not None and weight < 1:
        errors["weight"] = _("The weight must be a whole number of at least 1.")


def _level_values(levels: Sequence[str] | None) -> dict[str, str]:
    if levels is None:
        return {}
    return {name: (text or "").strip() for name, text in zip(LEVEL_FIELDS, levels, strict=True)}


def _plan_goal(plan: Plan | None, goal_id: int) -> Goal:
    goal = Goal.objects.select_for_update().filter(pk=goal_id, plan=plan).first() if plan is not None else None
    if goal is None:
        raise ValidationError({"goal": _("Choose a goal of this case's plan.")}, code="foreign_goal")
    return goal


def _plan_task(plan: Plan | None, task_id: int) -> Task:
    task = Task.objects.select_for_update().filter(pk=task_id, plan=plan).first() if plan is not None else None
    if task is None:
        raise ValidationError(_("This task is not part of the case's plan."), code="foreign_task")
    return task


# --- Planning --------------------------------------------------------------------------------------


def plan_update_approach(*, actor: User, case: Case, approach: str, expected_version: int | None) -> Plan:
    """Write the strategy and approach of the plan (creates the plan on first use)."""
    with transaction.atomic():
        case, plan = _editable_plan(actor, case)
        if plan is None:
            if expected_version is not None:
                raise ConcurrentEditError
            plan = plan_get_or_create(actor=actor, case=case)
            expected_version = plan.version
        elif expected_version is None:
            # Someone else created the plan after this user opened the empty form.
            raise ConcurrentEditError
        before = snapshot(plan)
        plan.approach = approach.strip()
        save_versioned(plan, expected_version=expected_version, fields=["approach", "updated_at"])
        audit_record(actor=actor, action="plan.update", target=plan, case=case, before=before, after=snapshot(plan))
        return plan


def goal_add(
    *,
    actor: User,
    case: Case,
    description: str,
    indicator: str,
    target_date: datetime.date | None = None,
    problem: Problem | None = None,
    levels: Sequence[str] | None = None,
    weight: int = 1,
) -> Goal:
    """Add a goal with its measurable indicator to the plan (creates the plan on first use).

    `levels` holds the five Goal Attainment Scaling levels from −2 to +2 (they may be written later,
    but the plan cannot be sent for approval before they are); `weight` is a positive integer.
    """
    with transaction.atomic():
        case, plan = _editable_plan(actor, case)
        errors: dict = {}
        _not_before_opening(case, target_date, "target_date", errors)
        _check_problem(case, problem, errors)
        _check_gas(levels, weight, errors)
        if errors:
            raise ValidationError(errors, code="invalid")
        if plan is None:
            plan = plan_get_or_create(actor=actor, case=case)
        goal = Goal.objects.create(
            plan=plan,
            description=description.strip(),
            indicator=indicator.strip(),
            target_date=target_date,
            problem=problem,
            weight=weight,
            **_level_values(levels),
        )
        audit_record(actor=actor, action="goal.create", target=goal, case=case, after=snapshot(goal))
        return goal


def goal_update(
    *,
    actor: User,
    case: Case,
    goal_id: int,
    expected_version: int,
    description: str,
    indicator: str,
    target_date: datetime.date | None = None,
    problem: Problem | None = None,
    levels: Sequence[str] | None = None,
    weight: int | None = None,
) -> Goal:
    """Change a goal; `levels`/`weight` left as None keep the goal's attainment levels and weight."""
    with transaction.atomic():
        case, plan = _editable_plan(actor, case)
        goal = _plan_goal(plan, goal_id)
        errors: dict = {}
        _not_before_opening(case, target_date, "target_date", errors)
        _check_problem(case, problem, errors)
        _check_gas(levels, weight, errors)
        if errors:
            raise ValidationError(errors, code="invalid")
        before = snapshot(goal)
        goal.description = description.strip()
        goal.indicator = indicator.strip()
        goal.target_date = target_date
        goal.problem = problem
        if levels is not None:
            for name, value in _level_values(levels).items():
                setattr(goal, name, value)
        if weight is not None:
            goal.weight = weight
        save_versioned(goal, expected_version=expected_version, fields=GOAL_FIELDS)
        audit_record(actor=actor, action="goal.update", target=goal, case=case, before=before, after=snapshot(goal))
        return goal


def goal_delete(*, actor: User, case: Case, goal_id: int, expected_version: int) -> None:
    """Remove a goal and its tasks. A goal that was evaluated or worked on stays in the record."""
    with transaction.atomic():
        case, plan = _editable_plan(actor, case)
        goal = _plan_goal(plan, goal_id)
        if goal.version != expected_version:
            raise ConcurrentEditError
        if goal.results.exists():
            raise ValidationError(
                _("This goal was evaluated; it stays in the record. Change it for the new cycle instead."),
                code="goal_evaluated",
            )
        if goal.tasks.exclude(status=Task.Status.TO_DO).exists():
            raise ValidationError(
                _("Work on this goal's tasks has started; it stays in the record."), code="goal_worked_on"
            )
        before = {**snapshot(goal), "tasks": [snapshot(t) for t in goal.tasks.all()]}
        goal.delete()
        audit_record(actor=actor, action="goal.delete", target=Goal(pk=goal_id), case=case, before=before)


def _task_validate(case: Case, *, due_date: datetime.date, stakeholder: Stakeholder | None) -> None:
    errors: dict = {}
    _not_before_opening(case, due_date, "due_date", errors)
    _check_stakeholder(case, stakeholder, errors)
    if errors:
        raise ValidationError(errors, code="invalid")


def task_add(
    *,
    actor: User,
    case: Case,
    goal_id: int,
    description: str,
    responsible: str,
    due_date: datetime.date,
    stakeholder: Stakeholder | None = None,
) -> Task:
    """Add a task to a goal: who carries it out (optionally a stakeholder of this case) and by when."""
    with transaction.atomic():
        case, plan = _editable_plan(actor, case)
        goal = _plan_goal(plan, goal_id)
        _task_validate(case, due_date=due_date, stakeholder=stakeholder)
        task = Task.objects.create(
            plan=goal.plan,
            goal=goal,
            description=description.strip(),
            responsible=responsible,
            stakeholder=stakeholder,
            due_date=due_date,
        )
        audit_record(actor=actor, action="task.create", target=task, case=case, after=snapshot(task))
        return task


def task_add_from_conference(
    *,
    actor: User,
    case: Case,
    goal_id: int,
    description: str,
    responsible: str,
    due_date: datetime.date,
    stakeholder: Stakeholder | None = None,
) -> Task:
    """A task decided at a case conference. It joins the plan in Planning (unless the plan waits for
    approval), and also an approved plan in Intervention and Evaluation: the conference record says
    who decided it. The caller (conferences.services) holds the case lock and the transaction."""
    plan = Plan.objects.select_for_update().filter(case=case).first()
    if plan is None:
        raise ValidationError(_("Action items become tasks of the plan: write the plan first."), code="no_plan")
    if plan.status == Plan.Status.SUBMITTED:
        raise ValidationError(
            _("The plan is waiting for approval: add the action items after the supervisor's decision."),
            code="plan_submitted",
        )
    goal = _plan_goal(plan, goal_id)
    _task_validate(case, due_date=due_date, stakeholder=stakeholder)
    task = Task.objects.create(
        plan=plan,
        goal=goal,
        description=description.strip(),
        responsible=responsible,
        stakeholder=stakeholder,
        due_date=due_date,
    )
    audit_record(actor=actor, action="task.create", target=task, case=case, after=snapshot(task))
    return task


def task_update(
    *,
    actor: User,
    case: Case,
    task_id: int,
    expected_version: int,
    goal_id: int,
    description: str,
    responsible: str,
    due_date: datetime.date,
    stakeholder: Stakeholder | None = None,
) -> Task:
    with transaction.atomic():
        case, plan = _editable_plan(actor, case)
        task = _plan_task(plan, task_id)
        goal = _plan_goal(plan, goal_id)
        _task_validate(case, due_date=due_date, stakeholder=stakeholder)
        before = snapshot(task)
        task.goal = goal
        task.description = description.strip()
        task.responsible = responsible
        task.stakeholder = stakeholder
        task.due_date = due_date
        save_versioned(task, expected_version=expected_version, fields=TASK_FIELDS)
        audit_record(actor=actor, action="task.update", target=task, case=case, before=before, after=snapshot(task))
        return task


def task_delete(*, actor: User, case: Case, task_id: int, expected_version: int) -> None:
    """Remove a task entered by mistake. Tasks that were worked on stay; cancel them instead."""
    with transaction.atomic():
        case, plan = _editable_plan(actor, case)
        task = _plan_task(plan, task_id)
        if task.version != expected_version:
            raise ConcurrentEditError
        if task.status != Task.Status.TO_DO or task.notes.exists():
            raise ValidationError(
                _("Work on this task has been recorded; it stays in the record. Mark it cancelled instead."),
                code="task_worked_on",
            )
        before = snapshot(task)
        task.delete()
        audit_record(actor=actor, action="task.delete", target=Task(pk=task_id), case=case, before=before)


def plan_send_for_approval(*, actor: User, case: Case) -> Plan:
    """The worker sends the plan of a case in Planning to the supervisor (see plan_submit)."""
    with transaction.atomic():
        case, plan = _editable_plan(actor, case)
        if plan is None:
            raise ValidationError(_("Add at least one goal before sending the plan for approval."), code="no_goals")
        return plan_submit(actor=actor, case=case)


# --- Intervention: task progress --------------------------------------------------------------------


def task_progress_update(
    *, actor: User, case: Case, task_id: int, expected_version: int, status: str, progress_note: str = ""
) -> Task:
    """Record how a task is going. Done sets the completion date; overdue is derived, never stored."""
    with transaction.atomic():
        case = lock_case_for_work(actor, case)
        task_progress_check_phase(case)
        task = Task.objects.select_for_update().filter(pk=task_id, plan__case=case).first()
        if task is None:
            raise ValidationError(_("This task is not part of the case's plan."), code="foreign_task")
        progress_note = progress_note.strip()
        if status == Task.Status.CANCELLED and not progress_note:
            raise ValidationError({"progress_note": _("Say why the task was cancelled.")}, code="reason_required")
        before = snapshot(task)
        if status == Task.Status.DONE:
            task.completed_on = task.completed_on if task.status == Task.Status.DONE else timezone.localdate()
        else:
            task.completed_on = None
        task.status = status
        task.progress_note = progress_note
        save_versioned(task, expected_version=expected_version, fields=["status", "progress_note", "completed_on"])
        audit_record(actor=actor, action="task.progress", target=task, case=case, before=before, after=snapshot(task))
        return task


# --- Evaluation -------------------------------------------------------------------------------------


def evaluation_record(
    *,
    actor: User,
    case: Case,
    evaluated_on: datetime.date,
    client_view: str,
    summary: str,
    results: Iterable[tuple[int, str, str]],
) -> Evaluation:
    """Record the evaluation of this cycle: a result with evidence for every goal of the plan,
    the client's own view and the worker's conclusion.

    `results` holds (goal id, result, evidence) for each goal. The guard to leave Evaluation looks
    for an evaluation dated on or after the day the case entered the phase, so earlier dates are refused.
    """
    with transaction.atomic():
        case = lock_case_for_work(actor, case)
        evaluation_check_phase(case)
        goals = list(Goal.objects.filter(plan__case=case))
        if not goals:
            raise ValidationError(_("The plan has no goals to evaluate."), code="no_goals")
        errors: dict = {}
        phase_start = timezone.localdate(case.phase_changed_at)
        if evaluated_on > timezone.localdate():
            errors["evaluated_on"] = _("The date cannot be in the future.")
        elif evaluated_on < phase_start:
            errors["evaluated_on"] = _(
                "The evaluation of this cycle cannot be dated before the case entered Evaluation (%(date)s)."
            ) % {"date": phase_start.isoformat()}
        if not client_view.strip():
            errors["client_view"] = _("Write the client's own view of the work.")
        if not summary.strip():
            errors["summary"] = _("Write the conclusion.")
        by_goal = {}
        valid_results = set(GoalResult.Result.values)
        for goal_id, result, evidence in results:
            if result in valid_results and evidence.strip():
                by_goal[goal_id] = (result, evidence.strip())
        goal_ids = {g.pk for g in goals}
        unknown = set(by_goal) - goal_ids
        if unknown:
            raise ValidationError(
                _("A result was given for a goal that is not in this case's plan."), code="foreign_goal"
            )
        unrated = [g for g in goals if g.pk not in by_goal]
        if unrated:
            errors["__all__"] = _("Every goal needs a result and its evidence. Missing for: %(goals)s.") % {
                "goals": "; ".join(g.description for g in unrated)
            }
        if errors:
            raise ValidationError(errors, code="invalid")
        evaluation = Evaluation.objects.create(
            case=case,
            client_view=client_view.strip(),
            summary=summary.strip(),
            evaluated_on=evaluated_on,
            evaluated_by=actor,
        )
        rows = GoalResult.objects.bulk_create(
            GoalResult(evaluation=evaluation, goal=g, result=by_goal[g.pk][0], evidence=by_goal[g.pk][1]) for g in goals
        )
        audit_record(
            actor=actor,
            action="evaluation.create",
            target=evaluation,
            case=case,
            after={**snapshot(evaluation), "results": [[r.goal_id, r.result, r.evidence] for r in rows]},
        )
        return evaluation


# --- Goal Attainment Scaling scores -----------------------------------------------------------------


def goal_score_record(
    *,
    actor: User,
    case: Case,
    goal_id: int,
    kind: str,
    level: int,
    scored_on: datetime.date,
    note: str = "",
) -> GoalScore:
    """Record a goal's attainment level on a date: its baseline (Planning or Intervention, once per goal)
    or a follow-up (Intervention or Evaluation, after the baseline)."""
    with transaction.atomic():
        case = lock_case_for_work(actor, case)
        if not case.is_open or case.phase not in SCORE_PHASES:
            raise PhaseClosedError(
                _(
                    "Goal attainment is scored in the Planning, Intervention and Evaluation phases. "
                    "The case is now in %(phase)s."
                )
                % {"phase": case.get_phase_display()},
                code="wrong_phase",
            )
        goal = Goal.objects.select_for_update().filter(pk=goal_id, plan__case=case).first()
        if goal is None:
            raise ValidationError({"goal": _("Choose a goal of this case's plan.")}, code="foreign_goal")
        errors: dict = {}
        if kind == GoalScore.Kind.BASELINE and case.phase not in BASELINE_PHASES:
            errors["kind"] = _("The baseline is recorded in the Planning or Intervention phase.")
        elif kind == GoalScore.Kind.FOLLOW_UP and case.phase not in FOLLOW_UP_PHASES:
            errors["kind"] = _("Follow-up scores are recorded in the Intervention or Evaluation phase.")
        elif kind not in GoalScore.Kind.values:
            errors["kind"] = _("Choose the baseline or a follow-up.")
        if level not in GAS_LEVELS:
            errors["level"] = _("The level must be one of −2, −1, 0, +1, +2.")
        if scored_on > timezone.localdate():
            errors["scored_on"] = _("The date cannot be in the future.")
        else:
            _not_before_opening(case, scored_on, "scored_on", errors)
        baseline = goal.scores.filter(kind=GoalScore.Kind.BASELINE).first()
        if kind == GoalScore.Kind.BASELINE and baseline is not None:
            errors["kind"] = _("This goal already has its baseline (%(date)s).") % {
                "date": baseline.scored_on.isoformat()
            }
        elif kind == GoalScore.Kind.FOLLOW_UP and "kind" not in errors:
            if baseline is None:
                errors["kind"] = _("Record the goal's baseline before its follow-up scores.")
            elif "scored_on" not in errors and scored_on < baseline.scored_on:
                errors["scored_on"] = _("A follow-up cannot be dated before the baseline (%(date)s).") % {
                    "date": baseline.scored_on.isoformat()
                }
        if errors:
            raise ValidationError(errors, code="invalid")
        score = GoalScore.objects.create(
            goal=goal, kind=kind, level=level, scored_on=scored_on, note=note.strip(), scored_by=actor
        )
        audit_record(actor=actor, action="goal_score.create", target=score, case=case, after=snapshot(score))
        return score
