import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dampingi.audit.models import AuditEvent
from dampingi.cases.models import Approval
from dampingi.plans.models import Evaluation, Goal, GoalResult, Plan, Task
from dampingi.testing.casework import add_plan, add_problem, add_stakeholder, assert_clean, case_in_phase, set_phase

IN_A_MONTH = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()


def _url(name, case, *args):
    return reverse(f"plans:{name}", args=[case.pk, *args])


def _counts(case):
    return (
        Plan.objects.filter(case=case).count(),
        Goal.objects.filter(plan__case=case).count(),
        Task.objects.filter(plan__case=case).count(),
        Evaluation.objects.filter(case=case).count(),
        Approval.objects.filter(case=case).count(),
        AuditEvent.objects.filter(case=case).exclude(action="case.view").count(),
    )


GOAL_POST = {"goal-new-description": "Anak kembali sekolah", "goal-new-indicator": "Hadir 4 hari per minggu"}


@pytest.mark.parametrize("page", ["section", "tasks", "evaluation"])
@pytest.mark.parametrize(
    ("persona", "status"), [("sari", 200), ("ratna", 200), ("hendra", 200), ("dedi", 404), ("yogi", 404)]
)
def test_who_may_see_the_plan_pages(client, cast, page, persona, status):
    case = case_in_phase(cast.sari, "evaluation")
    add_plan(case, goals=2, status=Plan.Status.APPROVED, stakeholder=add_stakeholder(case))
    client.force_login(getattr(cast, persona))
    response = client.get(_url(page, case))
    assert response.status_code == status
    if status == 200:
        assert "Tujuan 1" in assert_clean(response)


@pytest.mark.parametrize(
    ("persona", "status"), [("sari", 302), ("ratna", 302), ("hendra", 403), ("dedi", 404), ("yogi", 404)]
)
def test_who_may_add_a_goal_and_nothing_changes_on_denial(client, cast, persona, status):
    case = case_in_phase(cast.sari, "planning")
    before = _counts(case)
    client.force_login(getattr(cast, persona))
    response = client.post(_url("goal_add", case), GOAL_POST)
    assert response.status_code == status
    if status == 302:
        assert response["Location"] == reverse("cases:detail", args=[case.pk]) + "#planning"
        assert Goal.objects.get(plan__case=case).indicator == "Hadir 4 hari per minggu"
    else:
        assert _counts(case) == before


@pytest.mark.parametrize("persona", ["hendra", "dedi", "yogi"])
def test_every_plan_write_endpoint_refuses_those_who_may_not_work_on_the_case(client, cast, persona):
    case = case_in_phase(cast.sari, "planning")
    plan = add_plan(case)
    goal = plan.goals.get()
    task = goal.tasks.get()
    before = _counts(case)
    client.force_login(getattr(cast, persona))
    expected = 403 if persona == "hendra" else 404
    posts = [
        (_url("approach", case), {"plan-approach": "x", "plan-version": plan.version}),
        (_url("goal_add", case), GOAL_POST),
        (_url("goal_edit", case, goal.pk), {f"goal-{goal.pk}-description": "x"}),
        (_url("goal_delete", case, goal.pk), {"version": goal.version}),
        (_url("task_add", case, goal.pk), {f"task-new-{goal.pk}-description": "x"}),
        (_url("task_edit", case, task.pk), {f"task-{task.pk}-description": "x"}),
        (_url("task_delete", case, task.pk), {"version": task.version}),
        (_url("submit", case), {}),
        (_url("task_progress", case, task.pk), {f"progress-{task.pk}-status": "done"}),
        (_url("evaluation_record", case), {"evaluation-summary": "x"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == expected, url
    assert _counts(case) == before
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.DRAFT
    assert Task.objects.get(pk=task.pk).status == Task.Status.TO_DO


def test_goal_with_a_target_date_before_opening_is_refused_next_to_the_field_and_kept(client, sari):
    case = case_in_phase(sari, "planning")
    client.force_login(sari)
    early = (timezone.localdate(case.opened_at) - datetime.timedelta(days=10)).isoformat()
    response = client.post(_url("goal_add", case), {**GOAL_POST, "goal-new-target_date": early})
    assert response.status_code == 200
    html = assert_clean(response)
    assert response.context["section"]["goal_form"].errors["target_date"]
    assert "before the case was opened" in html and early in html and "Hadir 4 hari per minggu" in html
    assert not Goal.objects.filter(plan__case=case).exists()


def test_add_task_with_a_stakeholder_and_refuse_a_foreign_stakeholder(client, sari):
    case = case_in_phase(sari, "planning")
    goal = add_plan(case, tasks_per_goal=0).goals.get()
    teacher = add_stakeholder(case)
    stranger = add_stakeholder(case_in_phase(sari, "planning"), "Orang lain")
    client.force_login(sari)
    prefix = f"task-new-{goal.pk}"
    data = {
        f"{prefix}-description": "Rapat dengan wali kelas",
        f"{prefix}-responsible": "community",
        f"{prefix}-due_date": IN_A_MONTH,
    }
    refused = client.post(_url("task_add", case, goal.pk), {**data, f"{prefix}-stakeholder": stranger.pk})
    assert refused.status_code == 200
    html = assert_clean(refused)
    assert "Rapat dengan wali kelas" in html
    assert set(refused.context["section"]["goal_rows"][0].task_form.errors) == {"stakeholder"}
    assert not Task.objects.exists()
    response = client.post(_url("task_add", case, goal.pk), {**data, f"{prefix}-stakeholder": teacher.pk})
    assert response.status_code == 302 and response["Location"].endswith("#planning")
    assert Task.objects.get(goal=goal).stakeholder == teacher


def test_editing_a_task_someone_else_saved_shows_a_conflict_and_keeps_the_input(client, sari):
    case = case_in_phase(sari, "planning")
    plan = add_plan(case)
    goal, task = plan.goals.get(), Task.objects.get(plan=plan)
    Task.objects.filter(pk=task.pk).update(version=task.version + 1, description="Disimpan orang lain")
    client.force_login(sari)
    prefix = f"task-{task.pk}"
    response = client.post(
        _url("task_edit", case, task.pk),
        {
            f"{prefix}-goal": goal.pk,
            f"{prefix}-description": "Deskripsi saya",
            f"{prefix}-responsible": "client",
            f"{prefix}-due_date": IN_A_MONTH,
            f"{prefix}-version": task.version,
        },
    )
    assert response.status_code == 200
    html = assert_clean(response)
    assert "Someone else saved this record" in html and "Deskripsi saya" in html
    assert Task.objects.get(pk=task.pk).description == "Disimpan orang lain"


def test_planning_writes_outside_planning_are_refused_with_a_message(client, sari):
    case = case_in_phase(sari, "intervention")
    add_plan(case, status=Plan.Status.APPROVED)
    client.force_login(sari)
    response = client.post(_url("goal_add", case), GOAL_POST)
    assert response.status_code == 200
    html = assert_clean(response)
    assert "only while the case is in the Planning phase" in html and "Anak kembali sekolah" in html
    assert Goal.objects.filter(plan__case=case).count() == 1


def test_submit_for_approval_and_see_the_supervisors_comment_when_returned(client, sari, ratna):
    case = case_in_phase(sari, "planning")
    add_plan(case)
    client.force_login(sari)
    page = assert_clean(client.get(_url("section", case)))
    assert _url("submit", case) in page
    response = client.post(_url("submit", case))
    assert response.status_code == 302 and response["Location"].endswith("#planning")
    assert Plan.objects.get(case=case).status == Plan.Status.SUBMITTED
    page = assert_clean(client.get(_url("section", case)))
    assert "waiting for approval" in page and _url("goal_add", case) not in page
    from dampingi.cases.services import approval_decide

    approval_decide(
        actor=ratna, approval_id=Approval.objects.get(case=case).pk, approve=False, comment="Tambah tugas keluarga."
    )
    page = assert_clean(client.get(_url("section", case)))
    assert "Tambah tugas keluarga." in page and _url("goal_add", case) in page


def test_submit_without_tasks_explains_why(client, sari):
    case = case_in_phase(sari, "planning")
    add_plan(case, tasks_per_goal=0)
    client.force_login(sari)
    response = client.post(_url("submit", case))
    assert response.status_code == 200
    assert "Every goal needs at least one task" in assert_clean(response)
    assert not Approval.objects.filter(case=case).exists()


def test_edit_and_delete_goals_and_tasks(client, sari):
    case = case_in_phase(sari, "planning")
    problem = add_problem(case, priority=True)
    plan = add_plan(case)
    goal, task = plan.goals.get(), Task.objects.get(plan=plan)
    client.force_login(sari)
    g = f"goal-{goal.pk}"
    response = client.post(
        _url("goal_edit", case, goal.pk),
        {
            f"{g}-description": "Tujuan diubah",
            f"{g}-indicator": "Nilai",
            f"{g}-problem": problem.pk,
            f"{g}-version": goal.version,
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.description == "Tujuan diubah" and goal.problem == problem
    assert client.post(_url("task_delete", case, task.pk), {"version": task.version}).status_code == 302
    assert not Task.objects.filter(pk=task.pk).exists()
    stale = client.post(_url("goal_delete", case, goal.pk), {"version": 1})
    assert stale.status_code == 200 and "Someone else saved this record" in assert_clean(stale)
    assert client.post(_url("goal_delete", case, goal.pk), {"version": goal.version}).status_code == 302
    assert not Goal.objects.filter(pk=goal.pk).exists()


def test_task_progress_via_the_tasks_section(client, sari):
    case = case_in_phase(sari, "intervention")
    task = Task.objects.get(plan=add_plan(case, status=Plan.Status.APPROVED))
    client.force_login(sari)
    p = f"progress-{task.pk}"
    response = client.post(
        _url("task_progress", case, task.pk),
        {f"{p}-status": "done", f"{p}-progress_note": "Selesai", f"{p}-version": task.version},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk]) + "#tasks"
    task.refresh_from_db()
    assert task.status == "done" and task.completed_on == timezone.localdate()


def test_task_progress_conflict_and_missing_reason_keep_the_input(client, sari):
    case = case_in_phase(sari, "intervention")
    task = Task.objects.get(plan=add_plan(case, status=Plan.Status.APPROVED))
    client.force_login(sari)
    p = f"progress-{task.pk}"
    response = client.post(
        _url("task_progress", case, task.pk), {f"{p}-status": "cancelled", f"{p}-version": task.version}
    )
    assert response.status_code == 200
    assert "Say why the task was cancelled." in assert_clean(response)
    Task.objects.filter(pk=task.pk).update(version=task.version + 1)
    response = client.post(
        _url("task_progress", case, task.pk),
        {f"{p}-status": "in_progress", f"{p}-progress_note": "Catatan lapangan saya", f"{p}-version": task.version},
    )
    html = assert_clean(response)
    assert "Someone else saved this record" in html and "Catatan lapangan saya" in html
    assert Task.objects.get(pk=task.pk).status == "todo"


def test_task_progress_outside_intervention_is_refused_with_a_message(client, sari):
    case = case_in_phase(sari, "planning")
    task = Task.objects.get(plan=add_plan(case))
    client.force_login(sari)
    p = f"progress-{task.pk}"
    response = client.post(
        _url("task_progress", case, task.pk),
        {f"{p}-status": "done", f"{p}-progress_note": "x", f"{p}-version": task.version},
    )
    assert response.status_code == 200
    assert "Intervention and Evaluation" in assert_clean(response)
    assert Task.objects.get(pk=task.pk).status == "todo"


def _evaluation_post(goals, **overrides):
    data = {
        "evaluation-evaluated_on": timezone.localdate().isoformat(),
        "evaluation-client_view": "Nenek merasa terbantu.",
        "evaluation-summary": "Sebagian besar tercapai.",
    }
    for goal in goals:
        data[f"evaluation-result_{goal.pk}"] = "achieved"
        data[f"evaluation-evidence_{goal.pk}"] = f"Bukti {goal.pk}"
    data.update(overrides)
    return data


def test_record_an_evaluation(client, sari):
    case = case_in_phase(sari, "evaluation")
    goals = list(add_plan(case, goals=2, status=Plan.Status.APPROVED).goals.all())
    client.force_login(sari)
    response = client.post(_url("evaluation_record", case), _evaluation_post(goals))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk]) + "#evaluation"
    evaluation = Evaluation.objects.get(case=case)
    assert GoalResult.objects.filter(evaluation=evaluation).count() == 2
    page = assert_clean(client.get(_url("evaluation", case)))
    assert "Nenek merasa terbantu." in page and "The evaluation of this cycle was recorded" in page


def test_evaluation_with_an_unrated_goal_and_a_future_date_keeps_everything_typed(client, sari):
    case = case_in_phase(sari, "evaluation")
    goals = list(add_plan(case, goals=2, status=Plan.Status.APPROVED).goals.all())
    client.force_login(sari)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    data = _evaluation_post(goals, **{"evaluation-evaluated_on": tomorrow})
    del data[f"evaluation-result_{goals[1].pk}"]
    response = client.post(_url("evaluation_record", case), data)
    assert response.status_code == 200
    html = assert_clean(response)
    form = response.context["section"]["form"]
    assert set(form.errors) == {"evaluated_on", f"result_{goals[1].pk}"}
    assert "Rate this goal." in html and "The date cannot be in the future." in html
    assert "Nenek merasa terbantu." in html and f"Bukti {goals[1].pk}" in html and tomorrow in html
    assert not Evaluation.objects.filter(case=case).exists()


def test_evaluation_outside_the_evaluation_phase_is_refused(client, sari):
    case = case_in_phase(sari, "intervention")
    goals = list(add_plan(case, status=Plan.Status.APPROVED).goals.all())
    client.force_login(sari)
    response = client.post(_url("evaluation_record", case), _evaluation_post(goals))
    assert response.status_code == 200
    assert "recorded in the Evaluation phase" in assert_clean(response)
    assert not Evaluation.objects.exists()


def test_pages_render_in_every_phase(client, sari):
    case = case_in_phase(sari, "planning")
    client.force_login(sari)
    for phase in ("planning", "intervention", "evaluation", "termination"):
        set_phase(case, phase)
        for page in ("section", "tasks", "evaluation"):
            assert_clean(client.get(_url(page, case)))
    add_plan(case, status=Plan.Status.APPROVED)
    for phase in ("planning", "intervention", "evaluation"):
        set_phase(case, phase)
        for page in ("section", "tasks", "evaluation"):
            assert_clean(client.get(_url(page, case)))
