"""Endpoints of the planning, task progress and evaluation sections (shown on the case page).

Each POST view: fetch the case for the user (404 for outsiders), require that the user may work on
it (403 for those who may only read it), validate with a form, call one service, then redirect to
the case page at the section's anchor, or re-render the section with the user's input and errors.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from dampingi.assessments.models import Problem
from dampingi.assessments.views import add_service_errors, case_section_url, error_messages
from dampingi.cases.models import Case
from dampingi.cases.permissions import get_case_for_user_or_404, get_case_for_work_or_403
from dampingi.cases.services import case_record_view
from dampingi.core.concurrency import ConcurrentEditError
from dampingi.core.forms import VersionedForm
from dampingi.plans import services
from dampingi.plans.forms import (
    EvaluationForm,
    GoalForm,
    GoalScoreForm,
    PlanApproachForm,
    TaskForm,
    TaskProgressForm,
)
from dampingi.plans.models import Goal, Plan, Task
from dampingi.plans.sections import (
    EVALUATION_ANCHOR,
    PLANNING_ANCHOR,
    TASKS_ANCHOR,
    evaluation_section,
    goal_edit_key,
    goals_for_case,
    planning_section,
    score_kinds_for_phase,
    task_add_key,
    task_edit_key,
    task_progress_key,
    task_progress_section,
)

SECTIONS = {
    PLANNING_ANCHOR: (planning_section, "plans/_planning_section.html", gettext_lazy("Plan")),
    TASKS_ANCHOR: (task_progress_section, "plans/_tasks_section.html", gettext_lazy("Tasks")),
    EVALUATION_ANCHOR: (evaluation_section, "plans/_evaluation_section.html", gettext_lazy("Evaluation")),
}


def _page(request, case: Case, anchor: str, bound: dict) -> HttpResponse:
    selector, template, title = SECTIONS[anchor]
    context = {
        "case": case,
        "section": selector(case=case, user=request.user, bound=bound),
        "section_template": template,
        "section_title": title,
    }
    return render(request, "plans/section_page.html", context)


def _done(request, case: Case, anchor: str, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(case_section_url(case.pk, anchor))


def _stakeholders(case: Case):
    return list(case.stakeholders.all())


def _one(objects, pk: int):
    for obj in objects:
        if obj.pk == pk:
            return obj
    raise Http404


def _section_view(anchor: str):
    @require_GET
    def view(request, case_id: int):
        case = get_case_for_user_or_404(request.user, case_id)
        case_record_view(actor=request.user, case=case)
        return _page(request, case, anchor, {})

    view.__name__ = f"{anchor}_section"
    view.__doc__ = f"The {anchor} section on a page of its own (the case page shows the same fragment)."
    return view


planning = _section_view(PLANNING_ANCHOR)
tasks = _section_view(TASKS_ANCHOR)
evaluation = _section_view(EVALUATION_ANCHOR)


def _save(request, case: Case, form, anchor: str, key: str, message: str, action) -> HttpResponse:
    """Validate `form`, call `action(cleaned_data)`; redirect on success, else re-render with errors."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ConcurrentEditError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, case, anchor, message)
    return _page(request, case, anchor, {key: form})


def _act(request, case: Case, anchor: str, message: str, action) -> HttpResponse:
    """Run a button action (no typed input); refusals are shown above the section."""
    try:
        action()
    except ConcurrentEditError as exc:
        return _page(request, case, anchor, {"errors": [str(exc.message)]})
    except ValidationError as exc:
        return _page(request, case, anchor, {"errors": error_messages(exc)})
    return _done(request, case, anchor, message)


def _version(request) -> int:
    form = VersionedForm(request.POST)
    if not form.is_valid():
        raise ConcurrentEditError
    return form.cleaned_data["version"]


# --- Planning ---------------------------------------------------------------------------------------


@require_POST
def approach_save(request, case_id: int):
    case = get_case_for_work_or_403(request.user, case_id)
    form = PlanApproachForm(request.POST, instance=Plan.objects.filter(case=case).first())
    return _save(
        request,
        case,
        form,
        PLANNING_ANCHOR,
        "approach_form",
        _("Plan saved."),
        lambda d: services.plan_update_approach(
            actor=request.user, case=case, approach=d["approach"], expected_version=d["version"]
        ),
    )


@require_POST
def goal_add(request, case_id: int):
    case = get_case_for_work_or_403(request.user, case_id)
    form = GoalForm(request.POST, problems=list(Problem.objects.filter(case=case)), prefix="goal-new")
    return _save(
        request,
        case,
        form,
        PLANNING_ANCHOR,
        "goal_form",
        _("Goal added."),
        lambda d: services.goal_add(
            actor=request.user,
            case=case,
            description=d["description"],
            indicator=d["indicator"],
            target_date=d["target_date"],
            problem=d["problem"],
            levels=form.levels(),
            weight=d["weight"],
        ),
    )


@require_POST
def goal_edit(request, case_id: int, goal_id: int):
    case = get_case_for_work_or_403(request.user, case_id)
    goal = Goal.objects.filter(pk=goal_id, plan__case=case).first()
    if goal is None:
        raise Http404
    form = GoalForm(
        request.POST, instance=goal, problems=list(Problem.objects.filter(case=case)), prefix=f"goal-{goal_id}"
    )
    return _save(
        request,
        case,
        form,
        PLANNING_ANCHOR,
        goal_edit_key(goal_id),
        _("Goal saved."),
        lambda d: services.goal_update(
            actor=request.user,
            case=case,
            goal_id=goal_id,
            expected_version=d["version"],
            description=d["description"],
            indicator=d["indicator"],
            target_date=d["target_date"],
            problem=d["problem"],
            levels=form.levels(),
            weight=d["weight"],
        ),
    )


@require_POST
def goal_delete(request, case_id: int, goal_id: int):
    case = get_case_for_work_or_403(request.user, case_id)
    return _act(
        request,
        case,
        PLANNING_ANCHOR,
        _("Goal removed."),
        lambda: services.goal_delete(
            actor=request.user, case=case, goal_id=goal_id, expected_version=_version(request)
        ),
    )


@require_POST
def task_add(request, case_id: int, goal_id: int):
    case = get_case_for_work_or_403(request.user, case_id)
    if not Goal.objects.filter(pk=goal_id, plan__case=case).exists():
        raise Http404
    form = TaskForm(request.POST, stakeholders=_stakeholders(case), prefix=f"task-new-{goal_id}")
    return _save(
        request,
        case,
        form,
        PLANNING_ANCHOR,
        task_add_key(goal_id),
        _("Task added."),
        lambda d: services.task_add(
            actor=request.user,
            case=case,
            goal_id=goal_id,
            description=d["description"],
            responsible=d["responsible"],
            due_date=d["due_date"],
            stakeholder=d["stakeholder"],
        ),
    )


@require_POST
def task_edit(request, case_id: int, task_id: int):
    case = get_case_for_work_or_403(request.user, case_id)
    goals = goals_for_case(case)
    task = _one([t for g in goals for t in g.tasks.all()], task_id)
    form = TaskForm(
        request.POST, instance=task, goals=goals, stakeholders=_stakeholders(case), prefix=f"task-{task_id}"
    )
    return _save(
        request,
        case,
        form,
        PLANNING_ANCHOR,
        task_edit_key(task_id),
        _("Task saved."),
        lambda d: services.task_update(
            actor=request.user,
            case=case,
            task_id=task_id,
            expected_version=d["version"],
            goal_id=d["goal"].pk,
            description=d["description"],
            responsible=d["responsible"],
            due_date=d["due_date"],
            stakeholder=d["stakeholder"],
        ),
    )


@require_POST
def task_delete(request, case_id: int, task_id: int):
    case = get_case_for_work_or_403(request.user, case_id)
    return _act(
        request,
        case,
        PLANNING_ANCHOR,
        _("Task removed."),
        lambda: services.task_delete(
            actor=request.user, case=case, task_id=task_id, expected_version=_version(request)
        ),
    )


@require_POST
def plan_submit(request, case_id: int):
    case = get_case_for_work_or_403(request.user, case_id)
    return _act(
        request,
        case,
        PLANNING_ANCHOR,
        _("The plan was sent to the supervisor for approval."),
        lambda: services.plan_send_for_approval(actor=request.user, case=case),
    )


# --- Intervention -----------------------------------------------------------------------------------


@require_POST
def task_progress(request, case_id: int, task_id: int):
    case = get_case_for_work_or_403(request.user, case_id)
    task = Task.objects.filter(pk=task_id, plan__case=case).first()
    if task is None:
        raise Http404
    form = TaskProgressForm(request.POST, instance=task, prefix=f"progress-{task_id}")
    return _save(
        request,
        case,
        form,
        TASKS_ANCHOR,
        task_progress_key(task_id),
        _("Task progress saved."),
        lambda d: services.task_progress_update(
            actor=request.user,
            case=case,
            task_id=task_id,
            expected_version=d["version"],
            status=d["status"],
            progress_note=d["progress_note"],
        ),
    )


# --- Evaluation -------------------------------------------------------------------------------------


@require_POST
def evaluation_record(request, case_id: int):
    case = get_case_for_work_or_403(request.user, case_id)
    form = EvaluationForm(request.POST, goals=list(Goal.objects.filter(plan__case=case)))
    return _save(
        request,
        case,
        form,
        EVALUATION_ANCHOR,
        "evaluation_form",
        _("Evaluation recorded."),
        lambda d: services.evaluation_record(
            actor=request.user,
            case=case,
            evaluated_on=d["evaluated_on"],
            client_view=d["client_view"],
            summary=d["summary"],
            results=form.results(),
        ),
    )


# --- Goal Attainment Scaling ------------------------------------------------------------------------


@require_POST
def score_add(request, case_id: int):
    case = get_case_for_work_or_403(request.user, case_id)
    goals = list(Goal.objects.filter(plan__case=case))
    form = GoalScoreForm(request.POST, goals=goals, kinds=score_kinds_for_phase(case))
    return _save(
        request,
        case,
        form,
        EVALUATION_ANCHOR,
        "score_form",
        _("Goal attainment score recorded."),
        lambda d: services.goal_score_record(
            actor=request.user,
            case=case,
            goal_id=d["goal"].pk,
            kind=d["kind"],
            level=d["level"],
            scored_on=d["scored_on"],
            note=d["note"],
        ),
    )
