"""Reads of the printable case summary.

`case_summary` gathers everything the summary shows (summaries/summary.html), for the HTML page and
the PDF alike, in a fixed number of queries whatever the case holds (pinned in the tests).

Least data: the summary never carries a NIK, phone numbers, addresses or e-mail addresses; dates of
birth appear only as an age; stakeholders appear with name, organisation and role. PIE Factors III
and IV (restricted health data) are read only for users who may work on the case
(`can_work_on_case`); for anyone else they are not even queried, and the document says they were left
out.

The T-score series and the two line charts reuse the helpers of the case page (plans.sections,
assessments.sections), so the printed numbers are the ones the case page shows.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from dampingi.accounts.models import User
from dampingi.assessments.models import Assessment, Problem, ProblemFactor
from dampingi.assessments.problem_tree import layout_tree, tree_problems
from dampingi.assessments.sections import functioning_chart, problems_for_case, ratings_for_case
from dampingi.cases.models import Case, Consent, Stakeholder
from dampingi.cases.permissions import can_work_on_case
from dampingi.cases.selectors import case_contract, case_latest_termination
from dampingi.clients.models import Membership
from dampingi.ecomaps.selectors import ecomap_summary
from dampingi.genograms.selectors import genogram_summary
from dampingi.instruments.definitions import DIGITAL, PIE, definition
from dampingi.instruments.models import Administration, PieHealthEntry
from dampingi.instruments.scoring import pie_ranked, screening_profile
from dampingi.plans.models import Evaluation, Goal, GoalResult, GoalScore, Plan, Task
from dampingi.plans.sections import gas_chart, gas_t_score_series
from dampingi.regions.models import Region


@dataclass
class MemberRow:
    """A member of the client system as printed: name, relationship and age (never NIK or birth date)."""

    name: str
    relationship: str
    age: int | None
    is_head: bool


@dataclass
class ProblemRow:
    problem: Problem
    causes: list[ProblemFactor] = field(default_factory=list)
    effects: list[ProblemFactor] = field(default_factory=list)
    leads_to: list[Problem] = field(default_factory=list)
    follows_from: list[Problem] = field(default_factory=list)


@dataclass
class GoalRow:
    goal: Goal
    number: int
    tasks: list[Task] = field(default_factory=list)
    results: list[GoalResult] = field(default_factory=list)  # one per evaluation, oldest first
    scores: list[GoalScore] = field(default_factory=list)  # in date order
    baseline: GoalScore | None = None
    latest: GoalScore | None = None

    @property
    def change(self) -> int | None:
        if self.baseline is None or self.latest is None:
            return None
        return self.latest.level - self.baseline.level


def _members(case: Case, today: datetime.date) -> list[MemberRow]:
    """The members of the client system with their relationship and age (1 query)."""
    memberships = Membership.objects.filter(client_system_id=case.client_system_id).select_related("person")
    return [
        MemberRow(
            name=m.person.full_name,
            relationship=m.get_relationship_display(),
            age=m.person.age_on(today),
            is_head=m.is_head,
        )
        for m in memberships.order_by("-is_head", "id")
    ]


def _region_path(region_id: str | None) -> str:
    """ "Village, district, regency, province" for a region code (1 query; none without a region)."""
    if not region_id:
        return ""
    parts = region_id.split(".")
    codes = [".".join(parts[: i + 1]) for i in range(len(parts))]
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return ", ".join(names[c] for c in reversed(codes) if c in names)


def _problem_rows(problems: list[Problem]) -> list[ProblemRow]:
    """Rows of the problem list from problems whose factors and links are prefetched (no queries)."""
    by_pk = {p.pk: p for p in problems}
    follows_from: dict[int, list[Problem]] = {p.pk: [] for p in problems}
    for p in problems:
        for target in p.linked.all():
            if target.pk in follows_from:
                follows_from[target.pk].append(by_pk[p.pk])
    rows = []
    for p in problems:
        factors = list(p.factors.all())
        rows.append(
            ProblemRow(
                problem=p,
                causes=[f for f in factors if f.kind == ProblemFactor.Kind.CAUSE],
                effects=[f for f in factors if f.kind == ProblemFactor.Kind.EFFECT],
                leads_to=[t for t in p.linked.all() if t.pk in by_pk],
                follows_from=follows_from[p.pk],
            )
        )
    return rows


def _latest_administration(case: Case, instrument: str, prefetch: str) -> Administration | None:
    """The latest administration of an instrument with its entries (2 queries; 1 without any)."""
    return (
        Administration.objects.filter(case=case, instrument=instrument)
        .select_related("administered_by")
        .prefetch_related(prefetch)
        .order_by("-administered_on", "-id")
        .first()
    )


def _pie(case: Case, *, restricted: bool) -> dict[str, Any] | None:
    """The latest PIE: Factor I/II problems ranked; Factors III/IV only when `restricted` may be read."""
    administration = _latest_administration(case, PIE, "pie_entries")
    if administration is None:
        return None
    pie = {
        "administration": administration,
        "name": definition(PIE, administration.version).NAME,
        "ranked": pie_ranked(list(administration.pie_entries.all()), administration.version),
        "show_health": restricted,
        "mental": [],
        "physical": [],
    }
    if restricted:
        health = list(PieHealthEntry.objects.filter(administration=administration).order_by("factor", "id"))
        pie["mental"] = [h for h in health if h.factor == 3]
        pie["physical"] = [h for h in health if h.factor == 4]
    return pie


def _screening(case: Case) -> dict[str, Any] | None:
    administration = _latest_administration(case, DIGITAL, "answers")
    if administration is None:
        return None
    return {
        "administration": administration,
        "name": definition(DIGITAL, administration.version).NAME,
        "profile": screening_profile(list(administration.answers.all()), administration.version),
    }


def _goal_rows(case: Case) -> tuple[list[GoalRow], list[Evaluation], list[GoalScore], list[Goal]]:
    """Goals with their tasks, evaluation results and GAS scores (5 queries)."""
    tasks = Task.objects.select_related("stakeholder").order_by("due_date", "id")
    goals = list(
        Goal.objects.filter(plan__case=case)
        .select_related("problem")
        .prefetch_related(Prefetch("tasks", queryset=tasks))
        .order_by("id")
    )
    scores = list(GoalScore.objects.filter(goal__plan__case=case).order_by("scored_on", "id"))
    evaluations = list(
        Evaluation.objects.filter(case=case)
        .select_related("evaluated_by")
        .prefetch_related(Prefetch("results", queryset=GoalResult.objects.order_by("goal_id")))
        .order_by("evaluated_on", "id")
    )
    rows = {g.pk: GoalRow(goal=g, number=i, tasks=list(g.tasks.all())) for i, g in enumerate(goals, start=1)}
    for evaluation in evaluations:
        for result in evaluation.results.all():
            if result.goal_id in rows:
                result.evaluation = evaluation  # the evaluation is already loaded: no query when printed
                rows[result.goal_id].results.append(result)
    for score in scores:
        row = rows[score.goal_id]
        row.scores.append(score)
        if score.kind == GoalScore.Kind.BASELINE:
            row.baseline = score
        else:
            row.latest = score
    return list(rows.values()), evaluations, scores, goals


def case_summary(*, case: Case, user: User) -> dict[str, Any]:
    """Everything the printable summary of `case` shows to `user` (29 queries whatever the size: 22 of
    its own, 21 for users who may not read the restricted health data; 2 for the eco-maps, 5 for the
    genograms).

    `case` comes from `get_case_for_user_or_404` (client system, programme, PPKS, team, worker and
    supervisor already loaded). Call it inside `translation.override(<document language>)`: chart
    titles and instrument labels are translated here.
    """
    now = timezone.now()
    today = timezone.localdate(now)
    restricted = can_work_on_case(user, case)

    assessments = list(
        Assessment.objects.filter(case=case).select_related("created_by", "signed_off_by").order_by("created_at", "id")
    )
    problems = problems_for_case(case)
    ratings = ratings_for_case(case)
    goal_rows, evaluations, scores, goals = _goal_rows(case)
    t_series = gas_t_score_series(goals, scores)
    stakeholders = list(
        Stakeholder.objects.filter(case=case)
        .only("id", "case_id", "kind", "name", "organisation", "role")
        .order_by("kind", "name", "id")
    )
    pie = _pie(case, restricted=restricted)

    return {
        "case": case,
        "generated_at": now,
        "generated_by": user,
        "restricted_included": restricted,
        # The case header.
        "members": _members(case, today),
        "region": _region_path(case.client_system.region_id),
        # Engagement.
        "contract": case_contract(case),
        "consents": list(Consent.objects.filter(case=case).order_by("given_on", "id")),
        # Assessment.
        "assessments": assessments,
        "problem_rows": _problem_rows(problems),
        "priority_problems": [p for p in problems if p.is_priority],
        "problem_tree": layout_tree(tree_problems(problems)),
        "ratings": ratings,
        "functioning_chart": functioning_chart(ratings),
        "pie": pie,
        # Health data were withheld from this copy (there was a PIE to take them from).
        "health_withheld": pie is not None and not restricted,
        "screening": _screening(case),
        # Drawings of the client's world: eco-map (intake and latest) and genogram (ecomaps, genograms apps).
        "ecomap": ecomap_summary(case),
        "genogram": genogram_summary(case),
        # Plan, intervention and evaluation.
        "plan": Plan.objects.filter(case=case).first(),
        "goal_rows": goal_rows,
        "evaluations": evaluations,
        "has_scores": bool(scores),
        "t_series": t_series,
        "t_chart": gas_chart(t_series),
        # Termination and the people involved.
        "termination": case_latest_termination(case),
        "stakeholders": stakeholders,
    }
