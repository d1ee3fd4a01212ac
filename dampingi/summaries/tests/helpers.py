"""Cases for the summary tests: one walked through every phase with the services, and cases of a given size."""

import datetime

from django.utils import timezone

from dampingi.assessments.models import Assessment
from dampingi.audit.models import AuditEvent
from dampingi.cases.models import Case, Stakeholder, Termination
from dampingi.cases.services import case_terminate
from dampingi.clients.models import Person
from dampingi.ecomaps.services import ecomap_draw
from dampingi.genograms.services import genogram_draw
from dampingi.instruments.definitions import digital_v1
from dampingi.instruments.models import Administration, PieEntry, PieHealthEntry, ScreeningAnswer
from dampingi.instruments.services import pie_administer, screening_administer
from dampingi.plans.models import Evaluation, Goal, GoalResult, GoalScore
from dampingi.plans.services import evaluation_record, goal_score_record
from dampingi.testing.cases import engage, walk_to
from dampingi.testing.casework import add_plan, add_problem, add_rating, add_stakeholder
from dampingi.testing.factories import ClientSystemFactory, make_case

NIK = "3204054203140002"
CLIENT = "Putri Lestari"
HEALTH_DIAGNOSIS = "F32.1 depresi sedang"
HEALTH_REPORTED = "sering sakit kepala"
STAKEHOLDER_PHONE = "081234567890"
STAKEHOLDER_EMAIL = "yanti@sekolah.example"
TERMINATION_SUMMARY = "Putri kembali bersekolah penuh; nenek menerima PKH."
FOLLOW_UP_LEVEL = "Hadir penuh sebulan"  # the +1 level of every goal (dampingi.testing.casework.GAS_LEVELS)
ECOMAP_SYSTEM = "SDN 1 Cileunyi"
ECOMAP_LATER_SYSTEM = "Puskesmas Cileunyi"
GRANDMOTHER = "Iyah Suhaenah"


def draw_ecomap(case: Case, actor, *names: str) -> None:
    systems = [
        {"name": name, "category": "school", "strength": "moderate", "stressful": i == 0, "flow": "none", "note": ""}
        for i, name in enumerate(names)
    ]
    ecomap_draw(actor=actor, case=case, drawn_on=timezone.localdate(), systems=systems)


def draw_genogram(case: Case, actor, *, relatives: int = 1) -> None:
    """Grandmother, the client (index) and `relatives` - 1 more grandchildren of hers."""
    people = [
        {"key": "G", "name": GRANDMOTHER, "gender": "female", "birth_year": 1950, "in_household": True},
        {"key": "C", "name": CLIENT, "gender": "female", "birth_year": 2014, "is_index": True, "in_household": True},
    ]
    people += [{"key": f"R{i}", "name": f"Cucu {i}", "gender": "male", "birth_year": 2010} for i in range(1, relatives)]
    relations = [{"person_a": "G", "person_b": "C", "kind": "caretaker", "note": ""}]
    genogram_draw(actor=actor, case=case, drawn_on=timezone.localdate(), people=people, relations=relations)


def _give_nik(case: Case) -> None:
    Person.objects.filter(memberships__client_system=case.client_system).update(nik=NIK)


def build_full_case(worker, supervisor) -> Case:
    """Engagement → Assessment (problems, rating, PIE with health data, screening) → Planning (two goals,
    baselines) → Intervention (follow-ups) → Evaluation (results) → Termination (summary, closure pending)."""
    today = timezone.localdate()
    case = make_case(worker=worker, client_system=ClientSystemFactory(created_by=worker, name=CLIENT))
    _give_nik(case)
    teacher = add_stakeholder(case)
    Stakeholder.objects.filter(pk=teacher.pk).update(phone=STAKEHOLDER_PHONE, email=STAKEHOLDER_EMAIL)
    case = walk_to(case, "assessment", worker=worker, supervisor=supervisor)
    draw_ecomap(case, worker, ECOMAP_SYSTEM)
    draw_genogram(case, worker)

    school = add_problem(case, "Anak putus sekolah", priority=True)
    food = add_problem(case, "Gizi kurang")
    school.linked.add(food)
    add_rating(case, worker)
    pie_administer(
        actor=worker,
        case=case,
        administered_on=today,
        role_problems=[
            {"role": "child", "problem_type": "dependency", "severity": 4, "duration": 3, "coping": 4, "strengths": ""}
        ],
        environment_problems=[
            {"problem": "lack_of_food", "detail": "makan dua kali sehari", "severity": 5, "duration": 2}
        ],
        health=[
            {"factor": 3, "diagnosis": HEALTH_DIAGNOSIS, "client_reported": ""},
            {"factor": 4, "diagnosis": "", "client_reported": HEALTH_REPORTED},
        ],
    )
    answers = {key: (0, "") for key in digital_v1.ITEMS}
    answers[next(iter(digital_v1.ITEMS))] = (3, "judi online")
    screening_administer(actor=worker, case=case, administered_on=today, answers=answers)

    case = walk_to(case, "planning", worker=worker, supervisor=supervisor)
    add_plan(case, goals=2, problem=school, stakeholder=teacher)
    goals = list(Goal.objects.filter(plan__case=case).order_by("id"))
    Goal.objects.filter(pk=goals[0].pk).update(weight=2)
    for goal in goals:
        goal_score_record(actor=worker, case=case, goal_id=goal.pk, kind="baseline", level=-1, scored_on=today)

    case = walk_to(case, "intervention", worker=worker, supervisor=supervisor)
    for goal in goals:
        goal_score_record(actor=worker, case=case, goal_id=goal.pk, kind="follow_up", level=1, scored_on=today)

    case = walk_to(case, "evaluation", worker=worker, supervisor=supervisor)
    evaluation_record(
        actor=worker,
        case=case,
        evaluated_on=today,
        client_view="Nenek merasa cucunya lebih ceria.",
        summary="Tujuan sekolah tercapai.",
        results=[(g.pk, "achieved", f"Bukti untuk {g.description}") for g in goals],
    )
    add_rating(case, worker, occasion="termination")
    draw_ecomap(case, worker, ECOMAP_SYSTEM, ECOMAP_LATER_SYSTEM)
    draw_genogram(case, worker, relatives=2)
    case_terminate(
        actor=worker,
        case_id=case.pk,
        reason=Termination.Reason.GOALS_ACHIEVED,
        summary=TERMINATION_SUMMARY,
        followup_date=today + datetime.timedelta(days=90),
    )
    case.refresh_from_db()
    return case


def populate(case: Case, worker, n: int) -> Case:
    """Give `case` n of everything the summary shows, written directly (the size, not the flow, matters here)."""
    today = timezone.localdate()
    engage(case, worker)
    now = timezone.now()
    Assessment.objects.create(case=case, summary="Situasi", strengths="Kekuatan", created_by=worker, completed_at=now)
    stakeholders = [add_stakeholder(case, name=f"Pihak {i}") for i in range(n)]
    problems = [add_problem(case, f"Masalah {i}", priority=i == 0, factors=n + 1) for i in range(n)]
    for a, b in zip(problems, problems[1:], strict=False):
        a.linked.add(b)
    for i in range(n):
        add_rating(case, worker, occasion="review", rated_on=today - datetime.timedelta(days=i))
    pie = Administration.objects.create(
        case=case, instrument="pie", version="1", phase="assessment", administered_on=today, administered_by=worker
    )
    for i in range(n):
        PieEntry.objects.create(
            administration=pie, factor=2, problem="lack_of_food", detail=f"d{i}", severity=3, duration=2
        )
        PieHealthEntry.objects.create(administration=pie, factor=3, diagnosis=f"diagnosis {i}")
    screening = Administration.objects.create(
        case=case, instrument="digital", version="1", phase="assessment", administered_on=today, administered_by=worker
    )
    for i, key in enumerate(list(digital_v1.ITEMS)[:n]):
        ScreeningAnswer.objects.create(administration=screening, item=key, rating=i % 4)
    plan = add_plan(case, goals=n, tasks_per_goal=n, problem=problems[0], stakeholder=stakeholders[0])
    evaluation = Evaluation.objects.create(
        case=case, client_view="Pandangan", summary="Kesimpulan", evaluated_on=today, evaluated_by=worker
    )
    for goal in plan.goals.all():
        GoalScore.objects.create(goal=goal, level=-1, scored_on=today, kind="baseline", scored_by=worker)
        for i in range(n):
            GoalScore.objects.create(goal=goal, level=i % 3 - 1, scored_on=today, kind="follow_up", scored_by=worker)
        GoalResult.objects.create(evaluation=evaluation, goal=goal, result="partly", evidence="Bukti")
    for _version in range(n + 1):
        draw_ecomap(case, worker, *[f"Sistem {i}" for i in range(n)])
        draw_genogram(case, worker, relatives=n)
    Termination.objects.create(
        case=case, reason="other", summary="Ringkasan", recorded_by=worker, recorded_at=timezone.now()
    )
    case.refresh_from_db()
    return case


def audit_actions(case: Case) -> list[str]:
    return list(AuditEvent.objects.filter(case=case).order_by("id").values_list("action", flat=True))
