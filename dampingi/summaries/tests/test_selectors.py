from dampingi.cases.permissions import get_case_for_user_or_404
from dampingi.plans.gas import gas_t_score
from dampingi.summaries.selectors import case_summary
from dampingi.summaries.tests.helpers import HEALTH_DIAGNOSIS, HEALTH_REPORTED


def summary_for(user, case):
    return case_summary(case=get_case_for_user_or_404(user, case.pk), user=user)


def test_summary_holds_every_part_of_the_walked_case(full_case, sari):
    summary = summary_for(sari, full_case)
    assert summary["contract"] is not None and summary["consents"]
    assert [row.problem.title for row in summary["problem_rows"]] == ["Anak putus sekolah", "Gizi kurang"]
    school = summary["problem_rows"][0]
    assert [p.title for p in school.leads_to] == ["Gizi kurang"]
    assert [p.title for p in summary["problem_rows"][1].follows_from] == ["Anak putus sekolah"]
    assert [p.title for p in summary["priority_problems"]] == ["Anak putus sekolah"]
    assert summary["problem_tree"] is not None
    assert len(summary["ratings"]) == 2 and summary["functioning_chart"] is not None
    assert [row.severity for row in summary["pie"]["ranked"]] == [5, 4]
    assert summary["screening"]["profile"].total == 3
    assert [row.number for row in summary["goal_rows"]] == [1, 2]
    assert all(row.change == 2 and len(row.results) == 1 for row in summary["goal_rows"])
    # Goal 1 weighs 2, goal 2 weighs 1; both at +1 on the follow-up day.
    assert round(summary["t_series"][-1].t_score, 2) == round(gas_t_score([1, 1], [2, 1]), 2)
    assert summary["termination"] is not None
    assert summary["ecomap"]["first"]["ecomap"].number == 1 and summary["ecomap"]["latest"]["ecomap"].number == 2
    assert summary["genogram"]["count"] == 2 and not summary["genogram"]["same"]
    assert [s.name for s in summary["stakeholders"]] == ["Bu Guru Yanti"]


def test_members_carry_an_age_and_no_birth_date(full_case, sari):
    summary = summary_for(sari, full_case)
    (member,) = summary["members"]
    assert member.name == "Putri Lestari" and isinstance(member.age, int)
    assert not hasattr(member, "birth_date") and not hasattr(member, "nik")
    assert "Cileunyi" in summary["region"]


def test_health_data_for_the_team_working_on_the_case(full_case, sari):
    pie = summary_for(sari, full_case)["pie"]
    assert pie["show_health"]
    assert [h.diagnosis for h in pie["mental"]] == [HEALTH_DIAGNOSIS]
    assert [h.client_reported for h in pie["physical"]] == [HEALTH_REPORTED]


def test_health_data_are_not_read_for_a_manager(full_case, hendra):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        summary = summary_for(hendra, full_case)
    assert not any("instruments_piehealthentry" in q["sql"] for q in queries.captured_queries)
    assert not summary["restricted_included"] and summary["health_withheld"]
    assert summary["pie"]["mental"] == [] and summary["pie"]["physical"] == []
    assert not summary["pie"]["show_health"]
