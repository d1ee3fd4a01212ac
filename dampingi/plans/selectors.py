"""Reads for the planning, task progress and evaluation sections of the case page.

Each `*_section` function is part of the contract with the case page: it returns everything its
template shows under the `section` variable, including the forms the user may use, and runs a fixed
number of queries whatever the number of goals, tasks and evaluations. The lists belong to one
case's plan and stay short, so the sections show them whole instead of paginating in the case page.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from dampingi.accounts.models import User
from dampingi.assessments.models import Problem
from dampingi.cases.models import Case
from dampingi.cases.permissions import can_work_on_case
from dampingi.cases.phases import Phase
from dampingi.plans.forms import EvaluationForm, GoalForm, PlanApproachForm, TaskForm, TaskProgressForm
from dampingi.plans.models import Evaluation, Goal, GoalResult, Plan, Task
from dampingi.plans.services import EDITABLE_PLAN_STATUSES, TASK_PROGRESS_PHASES

PLANNING_ANCHOR = "planning"
TASKS_ANCHOR = "tasks"
EVALUATION_ANCHOR = "evaluation"
CLOSED_TASK_STATUSES = (Task.Status.DONE, Task.Status.CANCELLED)


def task_is_overdue(task: Task, today: datetime.date) -> bool:
    return task.due_date < today and task.status not in CLOSED_TASK_STATUSES


def goal_edit_key(goal_id: int) -> str:
    return f"goal_edit:{goal_id}"


def task_add_key(goal_id: int) -> str:
    return f"task_add:{goal_id}"


def task_edit_key(task_id: int) -> str:
    return f"task_edit:{task_id}"


def task_progress_key(task_id: int) -> str:
    return f"task_progress:{task_id}"


def goals_for_case(case: Case) -> list[Goal]:
    """The goals of the case's plan with their problem and their tasks (2 queries)."""
    tasks = Task.objects.select_related("stakeholder").order_by("due_date", "id")
    return list(
        Goal.objects.filter(plan__case=case)
        .select_related("problem")
        .prefetch_related(Prefetch("tasks", queryset=tasks))
    )


def plan_for_case(case: Case) -> Plan | None:
    return Plan.objects.filter(case=case).first()


@dataclass
class TaskRow:
    task: Task
    overdue: bool
    form: TaskForm | TaskProgressForm | None = None


@dataclass
class GoalRow:
    goal: Goal
    tasks: list[TaskRow] = field(default_factory=list)
    edit_form: GoalForm | None = None
    task_form: TaskForm | None = None


def planning_section(*, case: Case, user: User, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    """Context for `plans/_planning_section.html` (5 queries).

    `bound` replaces blank forms with the user's bound forms after a refused POST: "approach_form",
    "goal_form", goal_edit_key(id), task_add_key(goal id), task_edit_key(id); "errors" lists messages.
    """
    bound = bound or {}
    today = timezone.localdate()
    plan = plan_for_case(case)
    goals = goals_for_case(case)
    problems = list(Problem.objects.filter(case=case))
    stakeholders = list(case.stakeholders.all())

    can_work = can_work_on_case(user, case)
    in_phase = case.is_open and case.phase == Phase.PLANNING
    plan_editable = plan is None or plan.status in EDITABLE_PLAN_STATUSES
    writable = can_work and in_phase and plan_editable

    rows = []
    for goal in goals:
        row = GoalRow(goal=goal)
        for task in goal.tasks.all():
            task_row = TaskRow(task=task, overdue=task_is_overdue(task, today))
            if writable or task_edit_key(task.pk) in bound:
                task_row.form = bound.get(task_edit_key(task.pk)) or TaskForm(
                    instance=task, goals=goals, stakeholders=stakeholders, prefix=f"task-{task.pk}"
                )
            row.tasks.append(task_row)
        if writable or goal_edit_key(goal.pk) in bound:
            row.edit_form = bound.get(goal_edit_key(goal.pk)) or GoalForm(
                instance=goal, problems=problems, prefix=f"goal-{goal.pk}"
            )
        if writable or task_add_key(goal.pk) in bound:
            row.task_form = bound.get(task_add_key(goal.pk)) or TaskForm(
                stakeholders=stakeholders, prefix=f"task-new-{goal.pk}"
            )
        rows.append(row)

    approach_form = bound.get("approach_form")
    if approach_form is None and writable:
        approach_form = PlanApproachForm(instance=plan)
    goal_form = bound.get("goal_form")
    if goal_form is None and writable:
        goal_form = GoalForm(problems=problems, prefix="goal-new")

    goals_without_tasks = [row.goal for row in rows if not row.tasks]
    notice = ""
    if can_work and not in_phase:
        notice = _("The plan can be changed only in the Planning phase. The case is now in %(phase)s.") % {
            "phase": case.get_phase_display()
        }
    elif can_work and not plan_editable:
        notice = _("The plan is %(status)s and cannot be changed now.") % {"status": plan.get_status_display()}

    return {
        "anchor": PLANNING_ANCHOR,
        "plan": plan,
        "show_comment": plan is not None and plan.status == Plan.Status.RETURNED and bool(plan.supervisor_comment),
        "goal_rows": rows,
        "problem_count": len(problems),
        "stakeholder_count": len(stakeholders),
        "can_work": can_work,
        "writable": writable,
        "notice": notice,
        "approach_form": approach_form,
        "goal_form": goal_form,
        "goals_without_tasks": goals_without_tasks,
        "can_submit": writable and bool(rows) and not goals_without_tasks,
        "errors": list(bound.get("errors", [])),
    }


def task_progress_section(*, case: Case, user: User, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    """Context for `plans/_tasks_section.html` (1 query): every task of the plan by due date, overdue flagged.

    `bound` maps task_progress_key(id) to a bound TaskProgressForm; "errors" lists messages.
    """
    bound = bound or {}
    today = timezone.localdate()
    tasks = list(Task.objects.filter(plan__case=case).select_related("goal", "stakeholder").order_by("due_date", "id"))
    can_work = can_work_on_case(user, case)
    in_phase = case.is_open and case.phase in TASK_PROGRESS_PHASES
    writable = can_work and in_phase
    rows = []
    for task in tasks:
        row = TaskRow(task=task, overdue=task_is_overdue(task, today))
        if writable or task_progress_key(task.pk) in bound:
            row.form = bound.get(task_progress_key(task.pk)) or TaskProgressForm(
                instance=task, prefix=f"progress-{task.pk}"
            )
        rows.append(row)
    notice = ""
    if can_work and not in_phase:
        notice = _(
            "Task progress is recorded in the Intervention and Evaluation phases. The case is now in %(phase)s."
        ) % {"phase": case.get_phase_display()}
    return {
        "anchor": TASKS_ANCHOR,
        "task_rows": rows,
        "today": today,
        "overdue_count": sum(1 for row in rows if row.overdue),
        "done_count": sum(1 for t in tasks if t.status == Task.Status.DONE),
        "open_count": sum(1 for t in tasks if t.status not in CLOSED_TASK_STATUSES),
        "can_work": can_work,
        "writable": writable,
        "notice": notice,
        "errors": list(bound.get("errors", [])),
    }


@dataclass
class EvaluationGoalRow:
    goal: Goal
    tasks_done: int
    tasks_total: int


def evaluation_section(*, case: Case, user: User, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    """Context for `plans/_evaluation_section.html` (4 queries).

    `bound` may hold "evaluation_form" (the user's bound EvaluationForm) and "errors".
    """
    bound = bound or {}
    goals = goals_for_case(case)
    results = GoalResult.objects.select_related("goal").order_by("goal_id")
    evaluations = list(
        Evaluation.objects.filter(case=case)
        .select_related("evaluated_by")
        .prefetch_related(Prefetch("results", queryset=results))
    )
    can_work = can_work_on_case(user, case)
    in_phase = case.is_open and case.phase == Phase.EVALUATION
    writable = can_work and in_phase and bool(goals)
    phase_start = timezone.localdate(case.phase_changed_at)
    this_cycle = [e for e in evaluations if in_phase and e.evaluated_on >= phase_start]

    form = bound.get("evaluation_form")
    if form is None and writable:
        form = EvaluationForm(goals=goals)

    notice = ""
    if can_work and not in_phase:
        notice = _("An evaluation is recorded in the Evaluation phase. The case is now in %(phase)s.") % {
            "phase": case.get_phase_display()
        }
    elif can_work and not goals:
        notice = _("The plan has no goals to evaluate.")

    return {
        "anchor": EVALUATION_ANCHOR,
        "goal_rows": [
            EvaluationGoalRow(
                goal=g,
                tasks_done=sum(1 for t in g.tasks.all() if t.status == Task.Status.DONE),
                tasks_total=len(g.tasks.all()),
            )
            for g in goals
        ],
        "evaluations": evaluations,
        "this_cycle": this_cycle[0] if this_cycle else None,
        "phase_start": phase_start,
        "can_work": can_work,
        "writable": writable,
        "notice": notice,
        "form": form,
        "errors": list(bound.get("errors", [])),
    }
