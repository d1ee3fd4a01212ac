import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from dampingi.assessments.sections import assessment_section
from dampingi.cases.permissions import get_case_for_user_or_404
from dampingi.testing.casework import add_assessment, add_problem, add_rating, assert_clean, case_in_phase

SECTION_QUERIES = 5  # assessments, problems, their factors, their links, ratings


def _populate(case, user, n):
    add_assessment(case, user, completed=True)
    add_assessment(case, user)
    problems = [add_problem(case, f"Masalah {i}", priority=i % 3 == 0, factors=3) for i in range(n)]
    for a, b in zip(problems, problems[1:], strict=False):
        a.linked.add(b)
    for _ in range(n):
        add_rating(case, user)


def _render(case_pk, user):
    request = RequestFactory().get("/")
    request.user = user
    case = get_case_for_user_or_404(user, case_pk)
    with CaptureQueriesContext(connection) as ctx:
        section = assessment_section(case=case, user=user)
        html = render_to_string(
            "assessments/_section.html", {"case": case, "user": user, "section": section}, request=request
        )
    return len(ctx.captured_queries), html


@pytest.mark.parametrize("persona", ["sari", "ratna", "hendra"])
def test_section_and_rendering_use_a_fixed_number_of_queries(cast, persona):
    user = getattr(cast, persona)
    small = case_in_phase(cast.sari, "assessment")
    big = case_in_phase(cast.sari, "assessment")
    _populate(small, cast.sari, 2)
    _populate(big, cast.sari, 20)
    small_count, small_html = _render(small.pk, user)
    big_count, big_html = _render(big.pk, user)
    assert small_count == big_count == SECTION_QUERIES
    assert_clean(small_html)
    assert "Masalah 19" in assert_clean(big_html)


def test_section_pins_its_queries_with_the_pytest_fixture(sari, django_assert_num_queries):
    case = case_in_phase(sari, "assessment")
    _populate(case, sari, 7)
    case = get_case_for_user_or_404(sari, case.pk)
    with django_assert_num_queries(SECTION_QUERIES):
        section = assessment_section(case=case, user=sari)
        render_to_string("assessments/_section.html", {"case": case, "user": sari, "section": section})


def test_section_given_the_problems_reads_only_the_rest(sari):
    from dampingi.assessments.sections import problems_for_case

    case = case_in_phase(sari, "assessment")
    _populate(case, sari, 4)
    case = get_case_for_user_or_404(sari, case.pk)
    own = render_to_string(
        "assessments/_section.html", {"case": case, "user": sari, "section": assessment_section(case=case, user=sari)}
    )
    problems = problems_for_case(case)
    with CaptureQueriesContext(connection) as ctx:
        section = assessment_section(case=case, user=sari, problems=problems)
        html = render_to_string("assessments/_section.html", {"case": case, "user": sari, "section": section})
    assert len(ctx.captured_queries) == SECTION_QUERIES - 3  # assessments and ratings; not the problem tree
    assert html == own
    assert "Masalah 3" in assert_clean(html)


def test_section_offers_forms_only_to_those_who_may_work_in_the_assessment_phase(cast):
    case = case_in_phase(cast.sari, "assessment")
    add_assessment(case, cast.sari)
    add_problem(case)
    for user, writable in ((cast.sari, True), (cast.ratna, True), (cast.hendra, False)):
        section = assessment_section(case=case, user=user)
        assert section["writable"] is writable
        assert (section["assessment_form"] is not None) is writable
        assert (section["problem_rows"][0].edit_form is not None) is writable
        assert section["notice"] == ""


def test_in_evaluation_the_assessment_is_read_only_but_ratings_may_be_added(sari):
    case = case_in_phase(sari, "evaluation")
    add_assessment(case, sari, completed=True)
    add_rating(case, sari)
    section = assessment_section(case=case, user=sari)
    assert not section["writable"] and section["can_rate"]
    assert section["assessment_form"] is None and section["problem_form"] is None
    assert section["rating_form"].initial["occasion"] == "review"
    assert "Evaluation" in section["notice"]


def test_completion_state_is_reported(sari):
    case = case_in_phase(sari, "assessment")
    add_assessment(case, sari)
    section = assessment_section(case=case, user=sari)
    assert not section["can_complete"]
    assert len(section["missing"]) == 2
    add_problem(case)
    add_rating(case, sari)
    section = assessment_section(case=case, user=sari)
    assert section["can_complete"] and section["missing"] == []
