import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dampingi.assessments.sections import assessment_section
from dampingi.audit.models import AuditEvent
from dampingi.cases.models import Case
from dampingi.cases.permissions import get_case_for_user_or_404
from dampingi.plans.models import Evaluation, Goal, GoalResult, GoalScore, Plan
from dampingi.plans.sections import evaluation_section, gas_t_score_series, planning_section
from dampingi.testing.casework import add_plan, add_rating, assert_clean, case_in_phase, render_section

SVG = "{http://www.w3.org/2000/svg}"
TODAY = timezone.localdate()


def _day(days_ago):
    return TODAY - datetime.timedelta(days=days_ago)


def _svgs(html):
    """Every inline SVG of the page, parsed as XML (fails if the markup is not well formed)."""
    return [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]


def _scored_case(worker, phase="evaluation", goals=2):
    case = case_in_phase(worker, phase)
    Case.objects.filter(pk=case.pk).update(opened_at=timezone.now() - datetime.timedelta(days=90))
    case.refresh_from_db()
    plan = add_plan(case, goals=goals, status=Plan.Status.APPROVED)
    return case, list(plan.goals.all())


def _score(goal, level, days_ago, kind="follow_up", by=None):
    return GoalScore.objects.create(
        goal=goal, level=level, kind=kind, scored_on=_day(days_ago), scored_by=by or goal.plan.case.created_by
    )


def _score_post(goal, **overrides):
    data = {
        "score-goal": goal.pk,
        "score-kind": "follow_up",
        "score-level": "1",
        "score-scored_on": TODAY.isoformat(),
        "score-note": "Hadir penuh bulan ini",
    }
    data.update(overrides)
    return data


def _counts(case):
    return (
        GoalScore.objects.filter(goal__plan__case=case).count(),
        AuditEvent.objects.filter(case=case).exclude(action="case.view").count(),
    )


# --- The T-score over time -----------------------------------------------------------------------------


def test_t_score_series_uses_each_goals_latest_score_once_every_goal_has_one(sari):
    case, (a, b) = _scored_case(sari)
    Goal.objects.filter(pk=a.pk).update(weight=3)
    _score(a, -1, 30, "baseline", sari)
    _score(b, -2, 20, "baseline", sari)
    _score(a, 1, 10, by=sari)
    _score(b, 0, 10, by=sari)
    _score(b, 1, 5, by=sari)
    goals = list(Goal.objects.filter(plan__case=case))
    series = gas_t_score_series(goals, list(GoalScore.objects.order_by("scored_on", "id")))
    assert [p.day for p in series] == [_day(20), _day(10), _day(5)]
    # weights (3, 1): T = 50 + 10·Σwx / sqrt(0.7·10 + 0.3·16)
    assert [round(p.t_score, 2) for p in series] == [35.44, 58.73, 61.64]


def test_evaluation_section_draws_the_t_score_chart_as_accessible_svg_with_a_table(client, sari):
    case, (a, b) = _scored_case(sari)
    _score(a, -1, 30, "baseline", sari)
    _score(b, -2, 30, "baseline", sari)
    _score(a, 0, 10, by=sari)
    _score(b, 1, 10, by=sari)
    _score(a, 2, 2, by=sari)
    client.force_login(sari)
    html = assert_clean(client.get(reverse("plans:evaluation", args=[case.pk])))
    (svg,) = _svgs(html)
    assert svg.get("role") == "img"
    title = svg.find(f"{SVG}title")
    assert title is not None and "T-score" in title.text
    assert svg.get("aria-labelledby") == title.get("id")
    circles = svg.findall(f".//{SVG}circle")
    assert len(circles) == 3
    assert len(svg.findall(f".//{SVG}polyline")) == 1
    assert svg.find(f".//{SVG}line[@class='reference']") is not None
    assert len(svg.findall(f".//{SVG}g[@class='axes']/{SVG}line")) == 2
    assert len(svg.findall(f".//{SVG}g[@class='x-labels']/{SVG}text")) == 3
    assert all(c.find(f"{SVG}title") is not None for c in circles)
    # The data table fallback lists the same three dates with their T-scores.
    table = html[html.index('class="responsive gas-t-scores"') :]
    table = table[: table.index("</table>")]
    assert table.count("<tr>") == 4
    assert "31.39" in table and "56.20" in table and "68.61" in table
    # Attainment per goal: baseline, latest follow-up, change.
    assert "+3" in html and "+1" in html


def test_evaluation_section_without_complete_scores_shows_no_chart(client, sari):
    case, (a, _b) = _scored_case(sari)
    _score(a, -1, 30, "baseline", sari)
    client.force_login(sari)
    html = assert_clean(client.get(reverse("plans:evaluation", args=[case.pk])))
    assert _svgs(html) == []
    assert "once every goal has a score" in html


@pytest.mark.parametrize("persona", ["sari", "hendra"])
def test_evaluation_section_queries_do_not_grow_with_goals_and_scores(cast, persona):
    user = getattr(cast, persona)
    counts = []
    for goals, days in ((2, 2), (12, 9)):
        case, case_goals = _scored_case(cast.sari, goals=goals)
        for goal in case_goals:
            _score(goal, -1, 40, "baseline", cast.sari)
            for d in range(days):
                _score(goal, d % 5 - 2, 30 - d, by=cast.sari)
        evaluation = Evaluation.objects.create(
            case=case, client_view="Pandangan", summary="Kesimpulan", evaluated_on=TODAY, evaluated_by=cast.sari
        )
        GoalResult.objects.bulk_create(
            GoalResult(evaluation=evaluation, goal=g, result="partly", evidence="Bukti") for g in case_goals
        )
        fetched = get_case_for_user_or_404(user, case.pk)
        with CaptureQueriesContext(connection) as ctx:
            section = evaluation_section(case=fetched, user=user)
            html = render_to_string(
                "plans/_evaluation_section.html", {"case": fetched, "user": user, "section": section}
            )
        counts.append(len(ctx.captured_queries))
        assert_clean(html)
        (svg,) = _svgs(html)
        assert len(svg.findall(f".//{SVG}circle")) == days + 1
    assert counts == [4, 4]


# --- Recording scores ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"), [("sari", 302), ("ratna", 302), ("hendra", 403), ("dedi", 404), ("yogi", 404)]
)
def test_who_may_record_a_score_and_nothing_changes_on_denial(client, cast, persona, status):
    case, (a, _b) = _scored_case(cast.sari, "intervention")
    _score(a, -1, 5, "baseline", cast.sari)
    before = _counts(case)
    client.force_login(getattr(cast, persona))
    response = client.post(reverse("plans:score_add", args=[case.pk]), _score_post(a))
    assert response.status_code == status
    if status == 302:
        assert response["Location"] == reverse("cases:detail", args=[case.pk]) + "#evaluation"
        score = GoalScore.objects.get(goal=a, kind="follow_up")
        assert score.level == 1 and score.scored_by == getattr(cast, persona)
        assert AuditEvent.objects.filter(case=case, action="goal_score.create").count() == 1
    else:
        assert _counts(case) == before


def test_get_is_not_allowed_on_the_score_endpoint(client, sari):
    case, _goals = _scored_case(sari)
    client.force_login(sari)
    assert client.get(reverse("plans:score_add", args=[case.pk])).status_code == 405


@pytest.mark.parametrize(
    ("overrides", "field_error"),
    [
        ({"score-level": "3"}, "The level must be one of"),
        ({"score-scored_on": (TODAY + datetime.timedelta(days=1)).isoformat()}, "cannot be in the future"),
    ],
)
def test_bad_score_is_refused_next_to_the_field_and_the_input_is_kept(client, sari, overrides, field_error):
    case, (a, _b) = _scored_case(sari, "intervention")
    _score(a, -1, 5, "baseline", sari)
    before = _counts(case)
    client.force_login(sari)
    response = client.post(reverse("plans:score_add", args=[case.pk]), _score_post(a, **overrides))
    assert response.status_code == 200
    html = assert_clean(response)
    assert field_error in html
    assert "Hadir penuh bulan ini" in html
    if "score-scored_on" in overrides:
        assert overrides["score-scored_on"] in html
    assert _counts(case) == before


def test_service_refusal_of_a_score_is_shown_on_the_form(client, sari):
    case, (a, _b) = _scored_case(sari, "intervention")
    client.force_login(sari)
    response = client.post(reverse("plans:score_add", args=[case.pk]), _score_post(a))
    html = assert_clean(response)
    assert response.status_code == 200
    assert "Record the goal&#x27;s baseline before its follow-up scores." in html
    assert not GoalScore.objects.exists()


def test_score_form_offers_the_kinds_of_the_phase(sari):
    for phase, kinds in (
        ("planning", ["baseline"]),
        ("intervention", ["baseline", "follow_up"]),
        ("evaluation", ["follow_up"]),
    ):
        case, _goals = _scored_case(sari, phase)
        form = evaluation_section(case=case, user=sari)["score_form"]
        assert [value for value, _label in form.fields["kind"].choices] == kinds
    case, _goals = _scored_case(sari, "termination")
    assert evaluation_section(case=case, user=sari)["score_form"] is None


# --- Levels in Planning --------------------------------------------------------------------------------


def test_goal_form_saves_the_five_levels_and_the_weight(client, sari):
    case = case_in_phase(sari, "planning")
    goal = add_plan(case).goals.get()
    client.force_login(sari)
    p = f"goal-{goal.pk}"
    data = {
        f"{p}-description": "Tujuan 1",
        f"{p}-indicator": "Indikator 1",
        f"{p}-level_minus2": "Putus sekolah",
        f"{p}-level_minus1": "Hadir jarang",
        f"{p}-level_0": "Hadir 90%",
        f"{p}-level_plus1": "Hadir penuh",
        f"{p}-level_plus2": "Hadir penuh dan berprestasi",
        f"{p}-weight": "2",
        f"{p}-version": goal.version,
    }
    response = client.post(reverse("plans:goal_edit", args=[case.pk, goal.pk]), data)
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.level_minus2 == "Putus sekolah" and goal.level_plus2 == "Hadir penuh dan berprestasi"
    assert goal.weight == 2


def test_goal_form_refuses_a_weight_of_zero_and_keeps_the_input(client, sari):
    case = case_in_phase(sari, "planning")
    client.force_login(sari)
    response = client.post(
        reverse("plans:goal_add", args=[case.pk]),
        {
            "goal-new-description": "Anak kembali sekolah",
            "goal-new-indicator": "Hadir 4 hari",
            "goal-new-level_0": "Hadir 90%",
            "goal-new-weight": "0",
        },
    )
    assert response.status_code == 200
    html = assert_clean(response)
    assert "Hadir 90%" in html and "Anak kembali sekolah" in html
    assert not Goal.objects.filter(plan__case=case).exists()


def test_planning_section_lists_goals_without_levels_and_withholds_the_send_button(sari):
    case = case_in_phase(sari, "planning")
    plan = add_plan(case, goals=2)
    Goal.objects.filter(plan=plan, description="Tujuan 2").update(level_plus1="")
    section = planning_section(case=case, user=sari)
    assert [g.description for g in section["goals_without_levels"]] == ["Tujuan 2"]
    assert section["can_submit"] is False
    html = assert_clean(render_section("plans/_planning_section.html", planning_section, case=case, user=sari))
    assert "these goals need all five attainment levels" in html
    assert "not described yet" in html
    assert reverse("plans:submit", args=[case.pk]) not in html


def test_sending_a_plan_with_undescribed_levels_shows_the_message(client, sari):
    case = case_in_phase(sari, "planning")
    plan = add_plan(case)
    Goal.objects.filter(plan=plan).update(level_minus1="")
    client.force_login(sari)
    response = client.post(reverse("plans:submit", args=[case.pk]))
    assert response.status_code == 200
    html = assert_clean(response)
    assert "Every goal needs all five attainment levels" in html and "Missing for: Tujuan 1." in html
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


# --- Social functioning trend (assessment section) ---------------------------------------------------


@pytest.mark.parametrize("ratings", [1, 4])
def test_assessment_section_draws_the_functioning_trend_with_three_dimensions(sari, ratings):
    case = case_in_phase(sari, "assessment")
    for i in range(ratings):
        add_rating(case, sari, occasion="intake" if i == 0 else "review", rated_on=_day(ratings - i))
    html = assert_clean(render_section("assessments/_section.html", assessment_section, case=case, user=sari))
    (svg,) = _svgs(html)
    assert svg.get("role") == "img" and svg.find(f"{SVG}title") is not None
    series = svg.findall(f".//{SVG}g")
    series = [g for g in series if (g.get("class") or "").startswith("series ")]
    assert len(series) == 3
    assert len(svg.findall(f".//{SVG}circle")) == 3 * ratings
    assert len(svg.findall(f".//{SVG}polyline")) == (3 if ratings > 1 else 0)
    assert len(svg.findall(f".//{SVG}g[@class='y-ticks']/{SVG}text")) == 5
    assert "responsive ratings" in html  # the data table stays next to the chart
    assert "carrying out social tasks and roles" in html  # legend


def test_assessment_section_without_ratings_draws_no_chart(sari):
    case = case_in_phase(sari, "assessment")
    html = assert_clean(render_section("assessments/_section.html", assessment_section, case=case, user=sari))
    assert _svgs(html) == []
