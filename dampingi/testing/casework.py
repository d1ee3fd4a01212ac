"""Test helpers for the assessment, plan, task and evaluation sections of a case."""

import datetime

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from dampingi.assessments.models import Assessment, Problem, ProblemFactor, SocialFunctioningRating
from dampingi.cases.models import Case, Stakeholder
from dampingi.cases.permissions import get_case_for_user_or_404
from dampingi.plans.models import Goal, Plan, Task
from dampingi.testing.factories import make_case

INVALID = "INVALID_TEMPLATE_VARIABLE"


def assert_clean(response_or_html) -> str:
    """The rendered HTML, after checking that no template variable was missing."""
    html = response_or_html if isinstance(response_or_html, str) else response_or_html.content.decode()
    assert INVALID not in html, html[max(0, html.find(INVALID) - 300) : html.find(INVALID) + 200]
    return html


def set_phase(case: Case, phase: str, *, since: datetime.datetime | None = None) -> Case:
    """Put a case in a phase directly (tests only: real moves go through case_change_phase)."""
    Case.objects.filter(pk=case.pk).update(phase=phase, phase_changed_at=since or timezone.now())
    case.refresh_from_db()
    return case


def case_in_phase(worker, phase: str, **overrides) -> Case:
    return set_phase(make_case(worker=worker, **overrides), phase)


def add_problem(case: Case, title: str = "Anak putus sekolah", *, priority: bool = False, factors: int = 2) -> Problem:
    problem = Problem.objects.create(case=case, title=title, is_priority=priority)
    for i in range(factors):
        kind = ProblemFactor.Kind.CAUSE if i % 2 == 0 else ProblemFactor.Kind.EFFECT
        ProblemFactor.objects.create(problem=problem, kind=kind, text=f"{title}: faktor {i + 1}")
    return problem


def add_rating(case: Case, by, *, occasion: str = "intake", rated_on: datetime.date | None = None):
    return SocialFunctioningRating.objects.create(
        case=case,
        occasion=occasion,
        rated_on=rated_on or timezone.localdate(),
        basic_needs=2,
        social_roles=3,
        problem_solving=2,
        evidence="Makan dua kali sehari, tidak sekolah sejak Juli.",
        rated_by=by,
    )


def add_assessment(
    case: Case,
    by,
    *,
    completed: bool = False,
    signed_off: bool | None = None,
    summary: str = "Tinggal dengan nenek.",
) -> Assessment:
    """An assessment; a completed one is signed off by the case's supervisor unless signed_off=False."""
    signed_off = completed if signed_off is None else signed_off
    now = timezone.now()
    return Assessment.objects.create(
        case=case,
        summary=summary,
        strengths="Nenek peduli; guru kelas mendukung.",
        created_by=by,
        completed_at=now if completed else None,
        signed_off_by=case.supervisor if signed_off else None,
        signed_off_at=now if signed_off else None,
    )


def add_stakeholder(case: Case, name: str = "Bu Guru Yanti") -> Stakeholder:
    return Stakeholder.objects.create(case=case, kind=Stakeholder.Kind.COMMUNITY, name=name, role="wali kelas")


# Five Goal Attainment Scaling levels, as every goal needs them before its plan is sent for approval.
GAS_LEVELS = {
    "level_minus2": "Tidak hadir di sekolah sama sekali",
    "level_minus1": "Hadir kurang dari separuh hari sekolah",
    "level_0": "Hadir minimal 90% hari sekolah",
    "level_plus1": "Hadir penuh sebulan",
    "level_plus2": "Hadir penuh dan ikut kegiatan sekolah",
}


def add_plan(
    case: Case,
    *,
    goals: int = 1,
    tasks_per_goal: int = 1,
    status: str = Plan.Status.DRAFT,
    problem: Problem | None = None,
    stakeholder: Stakeholder | None = None,
    due_date: datetime.date | None = None,
) -> Plan:
    plan, _created = Plan.objects.get_or_create(case=case, defaults={"status": status})
    due = due_date or timezone.localdate() + datetime.timedelta(days=30)
    for g in range(goals):
        goal = Goal.objects.create(
            plan=plan, description=f"Tujuan {g + 1}", indicator=f"Indikator {g + 1}", problem=problem, **GAS_LEVELS
        )
        for t in range(tasks_per_goal):
            Task.objects.create(
                plan=plan,
                goal=goal,
                description=f"Tugas {g + 1}.{t + 1}",
                responsible="worker",
                stakeholder=stakeholder,
                due_date=due,
            )
    return plan


def render_section(template: str, selector, *, case: Case, user) -> str:
    """Render a section the way the case page does: fetch the case for the user, call the selector."""
    request = RequestFactory().get("/")
    request.user = user
    fetched = get_case_for_user_or_404(user, case.pk)
    section = selector(case=fetched, user=user)
    return render_to_string(template, {"case": fetched, "user": user, "section": section}, request=request)
