"""Reads for the planning, task progress and evaluation sections of the case page (web layer).

These build the context of a page section, forms included, so they live beside the views, not in
the domain's selectors (which never import forms).

Each `*_section` function is part of the contract with the case page: it returns everything its
template shows under the `section` variable, including the forms the user may use, and runs a fixed
number of queries whatever the number of goals, tasks and evaluations. The lists belong to one
case's plan and stay short, so the sections show them whole instead of paginating in the case page.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dampingi.accounts.models import User
from dampingi.assessments.models import Problem
from dampingi.cases.models import Case, Stakeholder
from dampingi.cases.permissions import can_work_on_case
from dampingi.cases.phases import Phase
from dampingi.plans.forms import (
    EvaluationForm,
    GoalForm,
    GoalScoreForm,
    PlanApproachForm,
    TaskForm,
    TaskProgressForm,
)
from dampingi.plans.gas import LineChart, gas_t_score, line_chart
from dampingi.plans.models import Evaluation, Goal, GoalResult, GoalScore, Plan, Task
from dampingi.plans.services import (
    BASELINE_PHASES,
    EDITABLE_PLAN_STATUSES,
    FOLLOW_UP_PHASES,
    SCORE_PHASES,
    TASK_PROGRESS_PHASES,
)

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
    """The goals of the case's plan with their problem and their tasks (2 queries, 1 without goals)."""
    tasks = Task.objects.select_related("stakeholder").order_by("due_date", "id")
    return list(
        Goal.objects.filter(plan__case=case)
        .select_related("problem")
        .prefetch_related(Prefetch("tasks", queryset=tasks))
    )


def plan_for_case(case: Case) -> Plan | None:
    return Plan.objects.filter(case=case).first()


@dataclass(frozen=True)
class CasePlan:
    """The case's plan (None without one) and its goals with their problem and tasks, as read_case_plan() reads
    them: a page showing several of the sections below reads them once and passes them to each."""

    plan: Plan | None
    goals: list[Goal]


def read_case_plan(case: Case) -> CasePlan:
    """The plan of the case and its goals (1 query without a plan, 2 without goals, else 3)."""
    plan = plan_for_case(case)
    if plan is None:
        return CasePlan(plan=None, goals=[])
    tasks = Task.objects.select_related("stakeholder").order_by("due_date", "id")
    # Read through the plan, so that each goal's `plan` is this one.
    goals = plan.goals.select_related("problem").prefetch_related(Prefetch("tasks", queryset=tasks))
    return CasePlan(plan=plan, goals=list(goals))


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


def planning_section(
    *,
    case: Case,
    user: User,
    bound: dict[str, Any] | None = None,
    case_plan: CasePlan | None = None,
    problems: list[Problem] | None = None,
    stakeholders: list[Stakeholder] | None = None,
) -> dict[str, Any]:
    """Context for `plans/_planning_section.html` (5 queries, fewer without a plan or goals; none with all below).

    `bound` replaces blank forms with the user's bound forms after a refused POST: "approach_form",
    "goal_form", goal_edit_key(id), task_add_key(goal id), task_edit_key(id); "errors" lists messages.
    A page that has already read the case's plan (`case_plan`, from read_case_plan), `problems` or
    `stakeholders` passes them in and they are not read again.
    """
    bound = bound or {}
    today = timezone.localdate()
    case_plan = read_case_plan(case) if case_plan is None else case_plan
    plan, goals = case_plan.plan, case_plan.goals
    problems = list(Problem.objects.filter(case=case)) if problems is None else problems
    stakeholders = list(case.stakeholders.all()) if stakeholders is None else stakeholders

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
    goals_without_levels = [row.goal for row in rows if not row.goal.gas_levels_complete]
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
        "goals_without_levels": goals_without_levels,
        "can_submit": writable and bool(rows) and not goals_without_tasks and not goals_without_levels,
        "errors": list(bound.get("errors", [])),
    }


def task_progress_section(
    *, case: Case, user: User, bound: dict[str, Any] | None = None, case_plan: CasePlan | None = None
) -> dict[str, Any]:
    """Context for `plans/_tasks_section.html` (1 query): every task of the plan by due date, overdue flagged.

    `bound` maps task_progress_key(id) to a bound TaskProgressForm; "errors" lists messages.
    With `case_plan` (read_case_plan), the tasks come from its goals: no query.
    """
    bound = bound or {}
    today = timezone.localdate()
    if case_plan is None:
        tasks = list(
            Task.objects.filter(plan__case=case).select_related("goal", "stakeholder").order_by("due_date", "id")
        )
    else:
        tasks = sorted((t for goal in case_plan.goals for t in goal.tasks.all()), key=lambda t: (t.due_date, t.pk))
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


def score_kinds_for_phase(case: Case) -> list[str]:
    """The kinds of Goal Attainment Scaling score that may be recorded in the case's phase."""
    if not case.is_open:
        return []
    kinds = []
    if case.phase in BASELINE_PHASES:
        kinds.append(GoalScore.Kind.BASELINE)
    if case.phase in FOLLOW_UP_PHASES:
        kinds.append(GoalScore.Kind.FOLLOW_UP)
    return kinds


@dataclass
class EvaluationGoalRow:
    goal: Goal
    tasks_done: int
    tasks_total: int
    scores: list[GoalScore] = field(default_factory=list)
    baseline: GoalScore | None = None
    latest: GoalScore | None = None

    @property
    def change(self) -> int | None:
        """Levels gained since the baseline (latest follow-up minus baseline)."""
        if self.baseline is None or self.latest is None:
            return None
        return self.latest.level - self.baseline.level


@dataclass
class TScorePoint:
    day: datetime.date
    t_score: float


def gas_t_score_series(goals: list[Goal], scores: list[GoalScore]) -> list[TScorePoint]:
    """For each date with a score, the T-score of every goal's latest score up to that date,
    when every goal has a score by then. `scores` are in (scored_on, id) order."""
    if not goals:
        return []
    weights = [float(g.weight) for g in goals]
    latest: dict[int, int] = {}
    by_day: dict[datetime.date, list[GoalScore]] = {}
    for score in scores:
        by_day.setdefault(score.scored_on, []).append(score)
    series = []
    for day in sorted(by_day):
        for score in by_day[day]:
            latest[score.goal_id] = score.level
        if all(g.pk in latest for g in goals):
            series.append(TScorePoint(day=day, t_score=gas_t_score([latest[g.pk] for g in goals], weights)))
    return series


def gas_chart(series: list[TScorePoint]) -> LineChart | None:
    if not series:
        return None
    return line_chart(
        chart_id="gas-t-score",
        title=_("Goal attainment T-score over time (50 = the expected outcomes)"),
        x_labels=[date_format(p.day, "SHORT_DATE_FORMAT") for p in series],
        series=[(_("T-score"), "series-1", [p.t_score for p in series])],
        y_min=10,
        y_max=90,
        y_ticks=[10, 30, 50, 70, 90],
        reference=50,
        value_format="{:.2f}",
    )


def evaluation_section(
    *, case: Case, user: User, bound: dict[str, Any] | None = None, case_plan: CasePlan | None = None
) -> dict[str, Any]:
    """Context for `plans/_evaluation_section.html` (4 queries; one fewer with `case_plan`, none without a plan).

    `bound` may hold "evaluation_form" (the user's bound EvaluationForm), "score_form" (a bound
    GoalScoreForm) and "errors". With `case_plan` (read_case_plan) the goals and their tasks come from it.
    """
    bound = bound or {}
    if case_plan is None:
        goals = list(
            Goal.objects.filter(plan__case=case).annotate(
                tasks_total=Count("tasks"), tasks_done=Count("tasks", filter=Q(tasks__status=Task.Status.DONE))
            )
        )
    else:
        goals = case_plan.goals
        for goal in goals:
            tasks = goal.tasks.all()
            goal.tasks_total = len(tasks)
            goal.tasks_done = sum(1 for t in tasks if t.status == Task.Status.DONE)
    # Scores belong to goals: without goals there is nothing to read.
    scores = (
        list(GoalScore.objects.filter(goal__plan__case=case).select_related("scored_by").order_by("scored_on", "id"))
        if goals
        else []
    )
    results = GoalResult.objects.select_related("goal").order_by("goal_id")
    # An evaluation is recorded against the goals of the plan (services.evaluation_record): a case known to
    # have no plan has none.
    no_plan = case_plan is not None and case_plan.plan is None
    evaluations = (
        []
        if no_plan
        else list(
            Evaluation.objects.filter(case=case)
            .select_related("evaluated_by")
            .prefetch_related(Prefetch("results", queryset=results))
        )
    )
    can_work = can_work_on_case(user, case)
    in_phase = case.is_open and case.phase == Phase.EVALUATION
    writable = can_work and in_phase and bool(goals)
    phase_start = timezone.localdate(case.phase_changed_at)
    this_cycle = [e for e in evaluations if in_phase and e.evaluated_on >= phase_start]

    form = bound.get("evaluation_form")
    if form is None and writable:
        form = EvaluationForm(goals=goals)

    rows = {g.pk: EvaluationGoalRow(goal=g, tasks_done=g.tasks_done, tasks_total=g.tasks_total) for g in goals}
    for score in scores:
        row = rows[score.goal_id]
        row.scores.append(score)
        if score.kind == GoalScore.Kind.BASELINE:
            row.baseline = score
        else:
            row.latest = score
    t_series = gas_t_score_series(goals, scores)

    score_kinds = score_kinds_for_phase(case)
    can_score = can_work and bool(goals) and case.is_open and case.phase in SCORE_PHASES
    score_form = bound.get("score_form")
    if score_form is None and can_score:
        score_form = GoalScoreForm(goals=goals, kinds=score_kinds)

    notice = ""
    if can_work and not in_phase:
        notice = _("An evaluation is recorded in the Evaluation phase. The case is now in %(phase)s.") % {
            "phase": case.get_phase_display()
        }
    elif can_work and not goals:
        notice = _("The plan has no goals to evaluate.")

    return {
        "anchor": EVALUATION_ANCHOR,
        "goal_rows": list(rows.values()),
        "evaluations": evaluations,
        "this_cycle": this_cycle[0] if this_cycle else None,
        "phase_start": phase_start,
        "can_work": can_work,
        "writable": writable,
        "notice": notice,
        "form": form,
        "has_scores": bool(scores),
        "t_series": t_series,
        "t_chart": gas_chart(t_series),
        "score_form": score_form,
        "errors": list(bound.get("errors", [])),
    }
