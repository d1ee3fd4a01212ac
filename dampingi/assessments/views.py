"""POST endpoints of the assessment section; the section itself is shown on the case page.

Each view: fetch the case for the user (404 for outsiders), require that the user may work on it
(403 for those who may only read it), validate with a form, call one service, then redirect to the
case page at the section's anchor, or re-render the section with the user's input and the errors.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dampingi.assessments import services
from dampingi.assessments.forms import AssessmentForm, ProblemFactorForm, ProblemForm, RatingForm, VersionOnlyForm
from dampingi.assessments.models import Problem
from dampingi.assessments.problem_tree import layout_tree, tree_problems
from dampingi.assessments.sections import (
    ANCHOR,
    assessment_section,
    factor_key,
    problem_edit_key,
    problems_for_case,
)
from dampingi.cases.models import Case
from dampingi.cases.permissions import get_case_for_user_or_404, get_case_for_work_or_403
from dampingi.cases.services import case_record_view
from dampingi.core.concurrency import ConcurrentEditError


def case_section_url(case_id: int, anchor: str) -> str:
    return reverse("cases:detail", args=[case_id]) + "#" + anchor


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names, the rest above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def error_messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _page(request, case: Case, bound: dict) -> HttpResponse:
    section = assessment_section(case=case, user=request.user, bound=bound)
    return render(request, "assessments/section_page.html", {"case": case, "section": section})


def _done(request, case: Case, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(case_section_url(case.pk, ANCHOR))


def _problem_or_404(problems: list[Problem], problem_id: int) -> Problem:
    for problem in problems:
        if problem.pk == problem_id:
            return problem
    raise Http404


@require_GET
def section(request, case_id: int):
    """The assessment section on a page of its own (the case page shows the same fragment)."""
    case = get_case_for_user_or_404(request.user, case_id)
    case_record_view(actor=request.user, case=case)
    return _page(request, case, {})


@require_GET
def tree(request, case_id: int):
    """The problem tree drawn as a graph on a page of its own, without the menu, to print (read-only)."""
    case = get_case_for_user_or_404(request.user, case_id)
    case_record_view(actor=request.user, case=case)
    layout = layout_tree(tree_problems(problems_for_case(case)))
    return render(request, "assessments/_problem_tree_svg.html#page", {"case": case, "tree": layout})


@require_POST
def assessment_save(request, case_id: int):
    case = get_case_for_work_or_403(request.user, case_id)
    form = AssessmentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.assessment_save(
                actor=request.user,
                case=case,
                summary=data["summary"],
                strengths=data["strengths"],
                resources=data["resources"],
                risks=data["risks"],
                risk_level=data["risk_level"],
                expected_version=data["version"],
            )
        except ConcurrentEditError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, case, _("Assessment saved."))
    return _page(request, case, {"assessment_form": form})


@require_POST
def assessment_complete(request, case_id: int):
    case = get_case_for_work_or_403(request.user, case_id)
    form = VersionOnlyForm(request.POST)
    try:
        if not form.is_valid():
            raise ConcurrentEditError
        services.assessment_complete(actor=request.user, case=case, expected_version=form.cleaned_data["version"])
    except ConcurrentEditError as exc:
        return _page(request, case, {"errors": [str(exc.message)]})
    except ValidationError as exc:
        return _page(request, case, {"errors": error_messages(exc)})
    return _done(request, case, _("Assessment completed."))


@require_POST
def assessment_start_new(request, case_id: int):
    case = get_case_for_work_or_403(request.user, case_id)
    try:
        services.assessment_start_new(actor=request.user, case=case)
    except ValidationError as exc:
        return _page(request, case, {"errors": error_messages(exc)})
    return _done(request, case, _("A new assessment was started from the previous one. Revise it for this cycle."))


@require_POST
def problem_add(request, case_id: int):
    case = get_case_for_work_or_403(request.user, case_id)
    form = ProblemForm(request.POST, problems=problems_for_case(case), prefix="problem-new")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.problem_add(
                actor=request.user,
                case=case,
                title=data["title"],
                description=data["description"],
                is_priority=data["is_priority"],
                causes=data["causes"],
                effects=data["effects"],
                leads_to=data["leads_to"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, case, _("Problem added."))
    return _page(request, case, {"problem_form": form})


@require_POST
def problem_edit(request, case_id: int, problem_id: int):
    case = get_case_for_work_or_403(request.user, case_id)
    problems = problems_for_case(case)
    problem = _problem_or_404(problems, problem_id)
    form = ProblemForm(request.POST, instance=problem, problems=problems, prefix=f"problem-{problem_id}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.problem_update(
                actor=request.user,
                case=case,
                problem_id=problem_id,
                expected_version=data["version"],
                title=data["title"],
                description=data["description"],
                is_priority=data["is_priority"],
                leads_to=data["leads_to"],
            )
        except ConcurrentEditError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, case, _("Problem saved."))
    return _page(request, case, {problem_edit_key(problem_id): form})


@require_POST
def problem_delete(request, case_id: int, problem_id: int):
    case = get_case_for_work_or_403(request.user, case_id)
    form = VersionOnlyForm(request.POST)
    try:
        if not form.is_valid():
            raise ConcurrentEditError
        services.problem_delete(
            actor=request.user, case=case, problem_id=problem_id, expected_version=form.cleaned_data["version"]
        )
    except ConcurrentEditError as exc:
        return _page(request, case, {"errors": [str(exc.message)]})
    except ValidationError as exc:
        return _page(request, case, {"errors": error_messages(exc)})
    return _done(request, case, _("Problem removed."))


@require_POST
def factor_add(request, case_id: int, problem_id: int):
    case = get_case_for_work_or_403(request.user, case_id)
    if not Problem.objects.filter(pk=problem_id, case=case).exists():
        raise Http404
    form = ProblemFactorForm(request.POST, prefix=f"factor-{problem_id}")
    if form.is_valid():
        try:
            services.factor_add(
                actor=request.user,
                case=case,
                problem_id=problem_id,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, case, _("Cause or effect added."))
    return _page(request, case, {factor_key(problem_id): form})


@require_POST
def factor_delete(request, case_id: int, factor_id: int):
    case = get_case_for_work_or_403(request.user, case_id)
    try:
        services.factor_delete(actor=request.user, case=case, factor_id=factor_id)
    except ValidationError as exc:
        return _page(request, case, {"errors": error_messages(exc)})
    return _done(request, case, _("Cause or effect removed."))


@require_POST
def rating_add(request, case_id: int):
    case = get_case_for_work_or_403(request.user, case_id)
    form = RatingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.rating_add(actor=request.user, case=case, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, case, _("Social functioning rating recorded."))
    return _page(request, case, {"rating_form": form})
