"""Reads for the assessment section of the case page (web layer).

These build the context of a page section, forms included, so they live beside the views, not in
the domain's selectors (which never import forms).

`assessment_section` is the contract with the case page: it returns everything the template
`assessments/_section.html` shows under the `section` variable, including the forms the user may
use, and runs a fixed number of queries whatever the number of problems, causes and ratings.
The lists belong to one case and stay short (one problem tree, a few ratings a cycle), so the
section shows them whole instead of paginating inside the case page.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dampingi.accounts.models import User
from dampingi.assessments.forms import AssessmentForm, ProblemFactorForm, ProblemForm, RatingForm
from dampingi.assessments.models import Assessment, Problem, ProblemFactor, SocialFunctioningRating
from dampingi.assessments.problem_tree import layout_tree, tree_problems
from dampingi.assessments.services import RATING_PHASES, assessment_missing
from dampingi.cases.models import Case
from dampingi.cases.permissions import can_work_on_case
from dampingi.cases.phases import Phase
from dampingi.plans.gas import LineChart, line_chart

ANCHOR = "assessment"


@dataclass
class ProblemRow:
    problem: Problem
    causes: list[ProblemFactor] = field(default_factory=list)
    effects: list[ProblemFactor] = field(default_factory=list)
    leads_to: list[Problem] = field(default_factory=list)
    follows_from: list[Problem] = field(default_factory=list)
    edit_form: ProblemForm | None = None
    factor_form: ProblemFactorForm | None = None


def problems_for_case(case: Case) -> list[Problem]:
    """The problem tree of a case, priority problems first, with causes, effects and links (3 queries)."""
    return list(Problem.objects.filter(case=case).prefetch_related("factors", "linked"))


def ratings_for_case(case: Case) -> list[SocialFunctioningRating]:
    """Social functioning ratings of a case in date order (1 query)."""
    return list(SocialFunctioningRating.objects.filter(case=case).select_related("rated_by").order_by("rated_on", "id"))


def functioning_chart(ratings: list[SocialFunctioningRating]) -> LineChart | None:
    """The three dimensions of social functioning (1–5) over the ratings, as an inline SVG line chart."""
    if not ratings:
        return None
    fields = SocialFunctioningRating._meta
    return line_chart(
        chart_id="functioning-trend",
        title=_("Social functioning over time (1 very poor to 5 very good)"),
        x_labels=[date_format(r.rated_on, "SHORT_DATE_FORMAT") for r in ratings],
        series=[
            (str(fields.get_field(name).verbose_name), f"series-{i}", [getattr(r, name) for r in ratings])
            for i, name in enumerate(("basic_needs", "social_roles", "problem_solving"), start=1)
        ],
        y_min=1,
        y_max=5,
        y_ticks=[1, 2, 3, 4, 5],
    )


def problem_edit_key(problem_id: int) -> str:
    return f"problem_edit:{problem_id}"


def factor_key(problem_id: int) -> str:
    return f"factor:{problem_id}"


def assessment_section(
    *, case: Case, user: User, bound: dict[str, Any] | None = None, problems: list[Problem] | None = None
) -> dict[str, Any]:
    """Context for `assessments/_section.html` (5 queries, 2 with `problems`).

    `bound` replaces the blank forms with the user's bound forms after a refused POST, keyed by the
    form's name in the section ("assessment_form", "problem_form", "rating_form") or by
    problem_edit_key(id) / factor_key(id); "errors" lists messages of refused actions.
    `problems`, the case's problem tree as problems_for_case() reads it, is not read again.
    """
    bound = bound or {}
    assessments = list(
        Assessment.objects.filter(case=case)
        .select_related("created_by", "signed_off_by")
        .order_by("-created_at", "-id")
    )
    current = assessments[0] if assessments else None
    problems = problems_for_case(case) if problems is None else problems
    ratings = ratings_for_case(case)

    can_work = can_work_on_case(user, case)
    in_phase = case.is_open and case.phase == Phase.ASSESSMENT
    writable = can_work and in_phase
    can_rate = can_work and case.is_open and case.phase in RATING_PHASES
    in_progress = current is not None and current.completed_at is None
    missing = (
        assessment_missing(assessment=current, problem_count=len(problems), rating_count=len(ratings))
        if current is None or in_progress
        else []
    )

    by_pk = {p.pk: p for p in problems}
    follows_from: dict[int, list[Problem]] = {p.pk: [] for p in problems}
    for p in problems:
        for target in p.linked.all():
            if target.pk in follows_from:
                follows_from[target.pk].append(by_pk[p.pk])

    rows = []
    for p in problems:
        factors = list(p.factors.all())
        row = ProblemRow(
            problem=p,
            causes=[f for f in factors if f.kind == ProblemFactor.Kind.CAUSE],
            effects=[f for f in factors if f.kind == ProblemFactor.Kind.EFFECT],
            leads_to=list(p.linked.all()),
            follows_from=follows_from[p.pk],
        )
        if writable or problem_edit_key(p.pk) in bound:
            row.edit_form = bound.get(problem_edit_key(p.pk)) or ProblemForm(
                instance=p, problems=problems, prefix=f"problem-{p.pk}"
            )
        if writable or factor_key(p.pk) in bound:
            row.factor_form = bound.get(factor_key(p.pk)) or ProblemFactorForm(prefix=f"factor-{p.pk}")
        rows.append(row)

    assessment_form = bound.get("assessment_form")
    if assessment_form is None and writable and (current is None or in_progress):
        assessment_form = AssessmentForm(instance=current)
    problem_form = bound.get("problem_form")
    if problem_form is None and writable:
        problem_form = ProblemForm(problems=problems, prefix="problem-new")
    rating_form = bound.get("rating_form")
    if rating_form is None and can_rate:
        occasion = SocialFunctioningRating.Occasion.INTAKE if not ratings else SocialFunctioningRating.Occasion.REVIEW
        rating_form = RatingForm(initial={"occasion": occasion})

    notice = ""
    if can_work and not in_phase:
        notice = _(
            "The assessment can be changed only in the Assessment phase. The case is now in %(phase)s; "
            "the assessment stays readable here."
        ) % {"phase": case.get_phase_display()}

    return {
        "anchor": ANCHOR,
        "assessment": current,
        "in_progress": in_progress,
        "history": assessments[1:],
        "problem_rows": rows,
        # The same problems drawn as a directed graph (None without problems); built from the prefetched rows.
        "problem_tree": layout_tree(tree_problems(problems)),
        "priority_count": sum(1 for p in problems if p.is_priority),
        "ratings": ratings,
        "functioning_chart": functioning_chart(ratings),
        "can_work": can_work,
        "writable": writable,
        "can_rate": can_rate,
        "notice": notice,
        "assessment_form": assessment_form,
        "problem_form": problem_form,
        "rating_form": rating_form,
        "missing": missing,
        # The supervisor's sign-off: completed and waiting, signed off, or returned for revision (with comment).
        "signoff_pending": current is not None and not in_progress and current.signed_off_at is None,
        "signed_off": current is not None and current.signed_off_at is not None,
        "returned": in_progress and bool(current.signoff_comment),
        "can_complete": writable and in_progress and not missing,
        # A new assessment belongs to a new cycle: the case came back to Assessment after this one was completed.
        "can_start_new": writable
        and current is not None
        and not in_progress
        and current.completed_at < case.phase_changed_at,
        "errors": list(bound.get("errors", [])),
    }
