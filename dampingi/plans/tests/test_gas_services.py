import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dampingi.assessments.services import PhaseClosedError
from dampingi.audit.models import AuditEvent
from dampingi.cases.models import Approval, Case
from dampingi.plans import services
from dampingi.plans.gas import LEVEL_FIELDS
from dampingi.plans.models import Goal, GoalScore, Plan
from dampingi.testing.casework import GAS_LEVELS, add_plan, case_in_phase

TODAY = timezone.localdate()
LEVELS = [GAS_LEVELS[name] for name in LEVEL_FIELDS]


def _opened_days_ago(case, days=60):
    Case.objects.filter(pk=case.pk).update(opened_at=timezone.now() - datetime.timedelta(days=days))
    case.refresh_from_db()
    return case


def _scored_case(worker, phase, goals=2):
    case = _opened_days_ago(case_in_phase(worker, phase))
    plan = add_plan(case, goals=goals, status=Plan.Status.APPROVED)
    return case, list(plan.goals.all())


def test_goal_add_writes_the_five_levels_and_the_weight(sari):
    case = case_in_phase(sari, "planning")
    goal = services.goal_add(actor=sari, case=case, description="Tujuan", indicator="Ind", levels=LEVELS, weight=3)
    goal.refresh_from_db()
    assert [text for _level, _label, text in goal.gas_levels] == LEVELS
    assert goal.weight == 3 and goal.gas_levels_complete


def test_goal_weight_below_one_is_refused_next_to_the_field(sari):
    case = case_in_phase(sari, "planning")
    with pytest.raises(ValidationError) as exc:
        services.goal_add(actor=sari, case=case, description="Tujuan", indicator="Ind", levels=LEVELS, weight=0)
    assert "weight" in exc.value.error_dict
    assert not Goal.objects.filter(plan__case=case).exists()


def test_goal_update_without_levels_keeps_them(sari):
    case = case_in_phase(sari, "planning")
    goal = add_plan(case).goals.get()
    services.goal_update(
        actor=sari, case=case, goal_id=goal.pk, expected_version=goal.version, description="Baru", indicator="Ind"
    )
    goal.refresh_from_db()
    assert goal.description == "Baru" and goal.gas_levels_complete


def test_plan_with_undescribed_levels_is_not_sent_and_the_message_names_the_goals(sari):
    case = case_in_phase(sari, "planning")
    plan = add_plan(case, goals=3)
    first, second, _third = plan.goals.all()
    Goal.objects.filter(pk=first.pk).update(level_plus2="")
    Goal.objects.filter(pk=second.pk).update(level_minus2="  ", level_0="")
    with pytest.raises(ValidationError) as exc:
        services.plan_send_for_approval(actor=sari, case=case)
    message = exc.value.messages[0]
    assert "all five attainment levels" in message
    assert "Tujuan 1; Tujuan 2" in message and "Tujuan 3" not in message
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    assert not Approval.objects.filter(case=case).exists()
    assert not AuditEvent.objects.filter(case=case, action="plan.submit").exists()


def test_plan_with_every_level_described_is_sent(sari):
    case = case_in_phase(sari, "planning")
    add_plan(case, goals=2)
    assert services.plan_send_for_approval(actor=sari, case=case).status == Plan.Status.SUBMITTED


def test_baseline_in_planning_and_follow_up_in_intervention_are_recorded_and_audited(sari):
    case, goals = _scored_case(sari, "planning")
    baseline = services.goal_score_record(
        actor=sari,
        case=case,
        goal_id=goals[0].pk,
        kind="baseline",
        level=-1,
        scored_on=TODAY - datetime.timedelta(days=10),
    )
    case.phase = "intervention"
    case.save(update_fields=["phase"])
    follow_up = services.goal_score_record(
        actor=sari, case=case, goal_id=goals[0].pk, kind="follow_up", level=1, scored_on=TODAY, note=" Hadir penuh "
    )
    assert baseline.scored_by == sari and follow_up.note == "Hadir penuh"
    assert AuditEvent.objects.filter(case=case, action="goal_score.create").count() == 2


@pytest.mark.parametrize(
    ("phase", "kind", "allowed"),
    [
        ("planning", "baseline", True),
        ("planning", "follow_up", False),
        ("intervention", "baseline", True),
        ("evaluation", "baseline", False),
        ("evaluation", "follow_up", True),
    ],
)
def test_each_kind_of_score_belongs_to_its_phases(sari, phase, kind, allowed):
    case, goals = _scored_case(sari, phase)
    if kind == "follow_up":
        GoalScore.objects.create(goal=goals[0], kind="baseline", level=-1, scored_on=TODAY, scored_by=sari)
    record = lambda: services.goal_score_record(  # noqa: E731
        actor=sari, case=case, goal_id=goals[0].pk, kind=kind, level=0, scored_on=TODAY
    )
    if allowed:
        assert record().kind == kind
    else:
        with pytest.raises(ValidationError) as exc:
            record()
        assert "kind" in exc.value.error_dict


@pytest.mark.parametrize(
    ("level", "days_ahead", "field"),
    [(3, 0, "level"), (-3, 0, "level"), (0, 1, "scored_on")],
)
def test_level_outside_the_scale_and_future_date_are_refused(sari, level, days_ahead, field):
    case, goals = _scored_case(sari, "planning")
    with pytest.raises(ValidationError) as exc:
        services.goal_score_record(
            actor=sari,
            case=case,
            goal_id=goals[0].pk,
            kind="baseline",
            level=level,
            scored_on=TODAY + datetime.timedelta(days=days_ahead),
        )
    assert field in exc.value.error_dict
    assert not GoalScore.objects.exists()


def test_one_baseline_per_goal_and_follow_ups_come_after_it(sari):
    case, goals = _scored_case(sari, "intervention")
    with pytest.raises(ValidationError) as exc:
        services.goal_score_record(
            actor=sari, case=case, goal_id=goals[0].pk, kind="follow_up", level=0, scored_on=TODAY
        )
    assert "baseline before" in exc.value.messages[0]
    services.goal_score_record(actor=sari, case=case, goal_id=goals[0].pk, kind="baseline", level=-2, scored_on=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.goal_score_record(
            actor=sari, case=case, goal_id=goals[0].pk, kind="baseline", level=-1, scored_on=TODAY
        )
    assert "already has its baseline" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        services.goal_score_record(
            actor=sari,
            case=case,
            goal_id=goals[0].pk,
            kind="follow_up",
            level=0,
            scored_on=TODAY - datetime.timedelta(days=1),
        )
    assert "scored_on" in exc.value.error_dict
    assert GoalScore.objects.count() == 1


def test_scores_are_refused_before_the_case_opened_and_for_another_cases_goal(sari):
    case, goals = _scored_case(sari, "planning")
    other, other_goals = _scored_case(sari, "planning")
    with pytest.raises(ValidationError) as exc:
        services.goal_score_record(
            actor=sari,
            case=case,
            goal_id=goals[0].pk,
            kind="baseline",
            level=-1,
            scored_on=TODAY - datetime.timedelta(days=90),
        )
    assert "scored_on" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.goal_score_record(
            actor=sari, case=case, goal_id=other_goals[0].pk, kind="baseline", level=-1, scored_on=TODAY
        )
    assert "goal" in exc.value.error_dict
    assert not GoalScore.objects.exists()


def test_scores_are_refused_outside_the_scoring_phases_and_to_those_who_may_not_work(sari, hendra, dedi):
    case, goals = _scored_case(sari, "termination")
    with pytest.raises(PhaseClosedError):
        services.goal_score_record(
            actor=sari, case=case, goal_id=goals[0].pk, kind="follow_up", level=0, scored_on=TODAY
        )
    case, goals = _scored_case(sari, "planning")
    for outsider in (hendra, dedi):
        with pytest.raises(PermissionDenied):
            services.goal_score_record(
                actor=outsider, case=case, goal_id=goals[0].pk, kind="baseline", level=-1, scored_on=TODAY
            )
    assert not GoalScore.objects.exists()
    assert not AuditEvent.objects.filter(action="goal_score.create").exists()
