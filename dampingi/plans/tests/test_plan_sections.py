import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dampingi.cases.permissions import get_case_for_user_or_404
from dampingi.plans.models import Evaluation, GoalResult, GoalScore, Plan, Task
from dampingi.plans.sections import evaluation_section, planning_section, read_case_plan, task_progress_section
from dampingi.testing.casework import add_plan, add_problem, add_stakeholder, assert_clean, case_in_phase

SECTIONS = {
    # selector, template, phase it is used in, queries (selector + rendering)
    "planning": (planning_section, "plans/_planning_section.html", "planning", 5),
    "tasks": (task_progress_section, "plans/_tasks_section.html", "intervention", 1),
    "evaluation": (evaluation_section, "plans/_evaluation_section.html", "evaluation", 4),
}


def _populate(case, user, goals):
    problem = add_problem(case, priority=True)
    add_problem(case, "Gizi kurang")
    stakeholder = add_stakeholder(case)
    add_stakeholder(case, "Kepala desa")
    plan = add_plan(case, goals=goals, tasks_per_goal=2, problem=problem, stakeholder=stakeholder)
    Task.objects.filter(plan=plan, description__endswith=".1").update(
        due_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    # Goal attainment scores: a baseline and a follow-up per goal (the evaluation section draws the T-score).
    GoalScore.objects.bulk_create(
        GoalScore(goal=g, kind=kind, level=level, scored_on=timezone.localdate(), scored_by=user)
        for g in plan.goals.all()
        for kind, level in (("baseline", -1), ("follow_up", 1))
    )
    for day in range(2):
        evaluation = Evaluation.objects.create(
            case=case,
            client_view="Pandangan klien",
            summary="Kesimpulan",
            evaluated_on=timezone.localdate(),
            evaluated_by=user,
        )
        GoalResult.objects.bulk_create(
            GoalResult(evaluation=evaluation, goal=g, result="partly", evidence=f"Bukti {day}")
            for g in plan.goals.all()
        )


def _render(name, case_pk, user):
    selector, template, _phase, _queries = SECTIONS[name]
    request = RequestFactory().get("/")
    request.user = user
    case = get_case_for_user_or_404(user, case_pk)
    with CaptureQueriesContext(connection) as ctx:
        section = selector(case=case, user=user)
        html = render_to_string(template, {"case": case, "user": user, "section": section}, request=request)
    return len(ctx.captured_queries), html


@pytest.mark.parametrize("name", list(SECTIONS))
@pytest.mark.parametrize("persona", ["sari", "hendra"])
def test_sections_use_the_same_queries_for_2_and_20_goals(cast, name, persona):
    user = getattr(cast, persona)
    phase, queries = SECTIONS[name][2], SECTIONS[name][3]
    small = case_in_phase(cast.sari, phase)
    big = case_in_phase(cast.sari, phase)
    _populate(small, cast.sari, 2)
    _populate(big, cast.sari, 20)
    small_count, small_html = _render(name, small.pk, user)
    big_count, big_html = _render(name, big.pk, user)
    assert small_count == big_count == queries
    assert_clean(small_html)
    assert "Tujuan 20" in assert_clean(big_html)


@pytest.mark.parametrize("name", list(SECTIONS))
def test_sections_pin_their_queries_with_the_pytest_fixture(sari, django_assert_num_queries, name):
    selector, template, phase, queries = SECTIONS[name]
    case = case_in_phase(sari, phase)
    _populate(case, sari, 5)
    case = get_case_for_user_or_404(sari, case.pk)
    with django_assert_num_queries(queries):
        section = selector(case=case, user=sari)
        render_to_string(template, {"case": case, "user": sari, "section": section})


# What the sections still read when the case page passes them what it has read already (read_case_plan, the
# problems, the stakeholders): the evaluation section its scores and evaluations (with their results).
SHARED_QUERIES = {"planning": 0, "tasks": 0, "evaluation": 3}


def _shared(name, case):
    from dampingi.assessments.sections import problems_for_case
    from dampingi.cases.selectors import case_stakeholders

    shared = {"case_plan": read_case_plan(case)}
    if name == "planning":
        shared.update(problems=problems_for_case(case), stakeholders=case_stakeholders(case))
    return shared


@pytest.mark.parametrize("name", list(SECTIONS))
def test_sections_given_what_the_case_page_read_show_the_same_with_fewer_queries(sari, name):
    selector, template, phase, _queries = SECTIONS[name]
    case = case_in_phase(sari, phase)
    _populate(case, sari, 3)
    case = get_case_for_user_or_404(sari, case.pk)
    own = render_to_string(template, {"case": case, "user": sari, "section": selector(case=case, user=sari)})
    shared = _shared(name, case)
    with CaptureQueriesContext(connection) as ctx:
        section = selector(case=case, user=sari, **shared)
        html = render_to_string(template, {"case": case, "user": sari, "section": section})
    assert len(ctx.captured_queries) == SHARED_QUERIES[name]
    assert html == own
    assert "Tujuan 3" in assert_clean(html)


@pytest.mark.parametrize("name", list(SECTIONS))
def test_sections_of_a_case_without_a_plan_read_nothing_more(sari, name):
    selector, template, phase, _queries = SECTIONS[name]
    case = get_case_for_user_or_404(sari, case_in_phase(sari, phase).pk)
    Plan.objects.filter(case=case).delete()
    own = render_to_string(template, {"case": case, "user": sari, "section": selector(case=case, user=sari)})
    shared = _shared(name, case)
    assert shared["case_plan"].plan is None and shared["case_plan"].goals == []
    with CaptureQueriesContext(connection) as ctx:
        html = render_to_string(
            template, {"case": case, "user": sari, "section": selector(case=case, user=sari, **shared)}
        )
    assert ctx.captured_queries == []
    assert html == own


def test_overdue_tasks_are_flagged_unless_done_or_cancelled(sari):
    case = case_in_phase(sari, "intervention")
    plan = add_plan(case, goals=1, tasks_per_goal=4, status=Plan.Status.APPROVED)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    tasks = list(Task.objects.filter(plan=plan).order_by("id"))
    Task.objects.filter(pk__in=[t.pk for t in tasks[:3]]).update(due_date=yesterday)
    Task.objects.filter(pk=tasks[1].pk).update(status="done", completed_on=yesterday)
    Task.objects.filter(pk=tasks[2].pk).update(status="cancelled", progress_note="Tidak relevan")
    section = task_progress_section(case=case, user=sari)
    flags = {row.task.pk: row.overdue for row in section["task_rows"]}
    assert flags == {tasks[0].pk: True, tasks[1].pk: False, tasks[2].pk: False, tasks[3].pk: False}
    assert section["overdue_count"] == 1 and section["done_count"] == 1 and section["open_count"] == 2
    assert section["writable"] and all(row.form is not None for row in section["task_rows"])


def test_task_section_is_read_only_outside_intervention_and_evaluation_and_for_the_manager(sari, hendra):
    case = case_in_phase(sari, "planning")
    add_plan(case)
    section = task_progress_section(case=case, user=sari)
    assert not section["writable"] and "Intervention and Evaluation" in section["notice"]
    assert all(row.form is None for row in section["task_rows"])
    manager_view = task_progress_section(case=case_in_phase(sari, "intervention"), user=hendra)
    assert not manager_view["writable"] and manager_view["notice"] == ""


def test_planning_section_shows_the_returned_comment_and_what_blocks_submission(sari):
    case = case_in_phase(sari, "planning")
    plan = add_plan(case, goals=2, tasks_per_goal=0)
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.RETURNED, supervisor_comment="Perjelas indikator.")
    section = planning_section(case=case, user=sari)
    assert section["show_comment"] and section["plan"].supervisor_comment == "Perjelas indikator."
    assert section["writable"] and not section["can_submit"]
    assert len(section["goals_without_tasks"]) == 2
    html = assert_clean(
        render_to_string("plans/_planning_section.html", {"case": case, "user": sari, "section": section})
    )
    assert "Perjelas indikator." in html and "these goals need a task" in html


def test_planning_section_offers_priority_problems_first(sari):
    case = case_in_phase(sari, "planning")
    add_problem(case, "Biasa")
    add_problem(case, "Penting", priority=True)
    form = planning_section(case=case, user=sari)["goal_form"]
    labels = [label for value, label in form.fields["problem"].choices if value]
    assert labels == ["★ Penting", "Biasa"]


def test_evaluation_section_offers_one_result_per_goal_only_in_evaluation(sari):
    case = case_in_phase(sari, "evaluation")
    add_plan(case, goals=3, status=Plan.Status.APPROVED)
    section = evaluation_section(case=case, user=sari)
    assert section["writable"] and len(section["form"].goal_fields()) == 3
    assert section["this_cycle"] is None
    case_in_intervention = case_in_phase(sari, "intervention")
    add_plan(case_in_intervention, status=Plan.Status.APPROVED)
    other = evaluation_section(case=case_in_intervention, user=sari)
    assert other["form"] is None and "Evaluation phase" in other["notice"]
