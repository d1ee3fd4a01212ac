import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dampingi.assessments.models import Assessment, Problem, ProblemFactor, SocialFunctioningRating
from dampingi.audit.models import AuditEvent
from dampingi.cases.models import Case
from dampingi.testing.casework import (
    add_assessment,
    add_problem,
    add_rating,
    assert_clean,
    case_in_phase,
)


def _url(name, case, *args):
    return reverse(f"assessments:{name}", args=[case.pk, *args])


def _counts(case):
    return (
        Assessment.objects.filter(case=case).count(),
        Problem.objects.filter(case=case).count(),
        ProblemFactor.objects.filter(problem__case=case).count(),
        SocialFunctioningRating.objects.filter(case=case).count(),
        AuditEvent.objects.filter(case=case).exclude(action="case.view").count(),
    )


ASSESSMENT_POST = {
    "assessment-summary": "Nenek merawat cucu sendirian.",
    "assessment-strengths": "Nenek peduli.",
    "assessment-resources": "",
    "assessment-risks": "",
    "assessment-risk_level": "high",
}


@pytest.mark.parametrize(
    ("persona", "status"), [("sari", 200), ("ratna", 200), ("hendra", 200), ("dedi", 404), ("yogi", 404)]
)
def test_who_may_see_the_assessment_section_page(client, cast, persona, status):
    case = case_in_phase(cast.sari, "assessment")
    add_assessment(case, cast.sari)
    add_problem(case)
    add_rating(case, cast.sari)
    client.force_login(getattr(cast, persona))
    response = client.get(_url("section", case))
    assert response.status_code == status
    if status == 200:
        html = assert_clean(response)
        assert "Tinggal dengan nenek." in html
        assert (_url("save", case) in html) == (persona in ("sari", "ratna"))


@pytest.mark.parametrize(
    ("persona", "status"), [("sari", 302), ("ratna", 302), ("hendra", 403), ("dedi", 404), ("yogi", 404)]
)
def test_who_may_write_the_assessment_and_nothing_changes_on_denial(client, cast, persona, status):
    case = case_in_phase(cast.sari, "assessment")
    before = _counts(case)
    client.force_login(getattr(cast, persona))
    response = client.post(_url("save", case), ASSESSMENT_POST)
    assert response.status_code == status
    if status == 302:
        assert response["Location"] == reverse("cases:detail", args=[case.pk]) + "#assessment"
        assert Assessment.objects.get(case=case).risk_level == "high"
    else:
        assert _counts(case) == before


@pytest.mark.parametrize("persona", ["hendra", "dedi", "yogi"])
def test_every_write_endpoint_refuses_those_who_may_not_work_on_the_case(client, cast, persona):
    case = case_in_phase(cast.sari, "assessment")
    assessment = add_assessment(case, cast.sari)
    problem = add_problem(case)
    factor = problem.factors.first()
    add_rating(case, cast.sari)
    before = _counts(case)
    client.force_login(getattr(cast, persona))
    expected = 403 if persona == "hendra" else 404
    posts = [
        (_url("save", case), {**ASSESSMENT_POST, "assessment-version": assessment.version}),
        (_url("complete", case), {"version": assessment.version}),
        (_url("start_new", case), {}),
        (_url("problem_add", case), {"problem-new-title": "Baru"}),
        (
            _url("problem_edit", case, problem.pk),
            {f"problem-{problem.pk}-title": "x", f"problem-{problem.pk}-version": 1},
        ),
        (_url("problem_delete", case, problem.pk), {"version": problem.version}),
        (
            _url("factor_add", case, problem.pk),
            {f"factor-{problem.pk}-kind": "cause", f"factor-{problem.pk}-text": "x"},
        ),
        (_url("factor_delete", case, factor.pk), {}),
        (_url("rating_add", case), {"rating-occasion": "review"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == expected, url
    assert _counts(case) == before
    assessment.refresh_from_db()
    assert assessment.completed_at is None


def test_get_is_not_allowed_on_write_endpoints(client, sari):
    case = case_in_phase(sari, "assessment")
    client.force_login(sari)
    assert client.get(_url("save", case)).status_code == 405


def test_a_rating_of_9_and_a_future_date_are_refused_next_to_the_fields_and_the_input_is_kept(client, sari):
    case = case_in_phase(sari, "assessment")
    client.force_login(sari)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        _url("rating_add", case),
        {
            "rating-occasion": "intake",
            "rating-rated_on": tomorrow.isoformat(),
            "rating-basic_needs": "9",
            "rating-social_roles": "3",
            "rating-problem_solving": "2",
            "rating-evidence": "Bukti yang diketik dengan susah payah",
        },
    )
    assert response.status_code == 200
    html = assert_clean(response)
    form = response.context["section"]["rating_form"]
    assert set(form.errors) == {"rated_on", "basic_needs"}
    assert "The date cannot be in the future." in html
    assert 'value="9"' in html and tomorrow.isoformat() in html
    assert "Bukti yang diketik dengan susah payah" in html
    assert not SocialFunctioningRating.objects.filter(case=case).exists()


def test_editing_an_assessment_someone_else_saved_shows_a_conflict_and_keeps_the_text(client, sari, ratna):
    case = case_in_phase(sari, "assessment")
    assessment = add_assessment(case, sari)
    stale_version = assessment.version
    client.force_login(ratna)
    first = client.post(
        _url("save", case),
        {**ASSESSMENT_POST, "assessment-summary": "Versi Ratna", "assessment-version": stale_version},
    )
    assert first.status_code == 302
    client.force_login(sari)
    response = client.post(
        _url("save", case),
        {**ASSESSMENT_POST, "assessment-summary": "Versi Sari yang panjang", "assessment-version": stale_version},
    )
    assert response.status_code == 200
    html = assert_clean(response)
    assert "Someone else saved this record" in html
    assert "Versi Sari yang panjang" in html
    assert Assessment.objects.get(pk=assessment.pk).summary == "Versi Ratna"


def test_writes_outside_the_assessment_phase_show_why_and_keep_the_input(client, sari):
    case = case_in_phase(sari, "intervention")
    add_assessment(case, sari, completed=True)
    client.force_login(sari)
    response = client.post(_url("problem_add", case), {"problem-new-title": "Masalah yang terlambat"})
    assert response.status_code == 200
    html = assert_clean(response)
    assert "only while the case is in the Assessment phase" in html
    assert "Masalah yang terlambat" in html
    assert "Tinggal dengan nenek." in html  # the assessment stays readable
    assert not Problem.objects.filter(case=case).exists()


def test_completing_an_incomplete_assessment_lists_what_is_missing(client, sari):
    case = case_in_phase(sari, "assessment")
    assessment = add_assessment(case, sari)
    client.force_login(sari)
    response = client.post(_url("complete", case), {"version": assessment.version})
    assert response.status_code == 200
    html = assert_clean(response)
    assert "at least one problem" in html and "at least one social functioning rating" in html
    assert Assessment.objects.get(pk=assessment.pk).completed_at is None


def test_completing_a_full_assessment_redirects_to_the_section(client, sari):
    case = case_in_phase(sari, "assessment")
    assessment = add_assessment(case, sari)
    add_problem(case)
    add_rating(case, sari)
    client.force_login(sari)
    response = client.post(_url("complete", case), {"version": assessment.version})
    assert response.status_code == 302 and response["Location"].endswith("#assessment")
    assert Assessment.objects.get(pk=assessment.pk).completed_at is not None


def test_a_completed_assessment_of_this_cycle_offers_no_new_one(client, sari):
    case = case_in_phase(sari, "assessment")
    add_assessment(case, sari, completed=True)
    client.force_login(sari)
    page = assert_clean(client.get(_url("section", case)))
    assert _url("start_new", case) not in page
    client.post(_url("start_new", case))
    assert Assessment.objects.filter(case=case).count() == 1


def test_start_new_assessment_after_a_cycle(client, sari):
    case = case_in_phase(sari, "assessment")
    add_assessment(case, sari, completed=True)
    # Evaluation sent the case back to Assessment after that assessment was completed.
    Case.objects.filter(pk=case.pk).update(phase_changed_at=timezone.now() + datetime.timedelta(seconds=1))
    client.force_login(sari)
    page = assert_clean(client.get(_url("section", case)))
    assert _url("start_new", case) in page
    response = client.post(_url("start_new", case))
    assert response.status_code == 302 and response["Location"].endswith("#assessment")
    assert Assessment.objects.filter(case=case).count() == 2
    page = assert_clean(client.get(_url("section", case)))
    assert "Earlier assessments" in page


def test_add_problem_with_causes_and_effects_one_per_line(client, sari):
    case = case_in_phase(sari, "assessment")
    other = add_problem(case, "Konflik keluarga", factors=0)
    client.force_login(sari)
    response = client.post(
        _url("problem_add", case),
        {
            "problem-new-title": "Hutang pinjol",
            "problem-new-is_priority": "on",
            "problem-new-causes": "Judi online\n\nBunga tinggi\n",
            "problem-new-effects": "Ancaman penagih",
            "problem-new-leads_to": [str(other.pk)],
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#assessment")
    problem = Problem.objects.get(case=case, title="Hutang pinjol")
    assert problem.is_priority
    assert sorted(problem.factors.values_list("kind", "text")) == [
        ("cause", "Bunga tinggi"),
        ("cause", "Judi online"),
        ("effect", "Ancaman penagih"),
    ]
    assert list(problem.linked.all()) == [other]


def test_a_cause_longer_than_allowed_is_refused_and_kept(client, sari):
    case = case_in_phase(sari, "assessment")
    client.force_login(sari)
    long_line = "x" * 301
    response = client.post(
        _url("problem_add", case), {"problem-new-title": "Hutang", "problem-new-causes": f"pendek\n{long_line}"}
    )
    assert response.status_code == 200
    html = assert_clean(response)
    assert "at most 300 characters" in html and long_line in html
    assert not Problem.objects.filter(case=case).exists()


def test_edit_problem_conflict_keeps_the_input(client, sari):
    case = case_in_phase(sari, "assessment")
    problem = add_problem(case, "Hutang")
    Problem.objects.filter(pk=problem.pk).update(version=problem.version + 1, title="Diubah orang lain")
    client.force_login(sari)
    prefix = f"problem-{problem.pk}"
    response = client.post(
        _url("problem_edit", case, problem.pk), {f"{prefix}-title": "Judul saya", f"{prefix}-version": problem.version}
    )
    assert response.status_code == 200
    html = assert_clean(response)
    assert "Someone else saved this record" in html and "Judul saya" in html
    assert Problem.objects.get(pk=problem.pk).title == "Diubah orang lain"


def test_edit_and_delete_a_problem_and_its_factors(client, sari):
    case = case_in_phase(sari, "assessment")
    problem = add_problem(case, "Hutang")
    factor = problem.factors.first()
    client.force_login(sari)
    prefix = f"problem-{problem.pk}"
    response = client.post(
        _url("problem_edit", case, problem.pk),
        {f"{prefix}-title": "Hutang pinjol", f"{prefix}-is_priority": "on", f"{prefix}-version": problem.version},
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.title == "Hutang pinjol" and problem.is_priority
    response = client.post(
        _url("factor_add", case, problem.pk),
        {f"factor-{problem.pk}-kind": "effect", f"factor-{problem.pk}-text": "Cemas"},
    )
    assert response.status_code == 302
    assert problem.factors.filter(kind="effect", text="Cemas").exists()
    assert client.post(_url("factor_delete", case, factor.pk)).status_code == 302
    assert not ProblemFactor.objects.filter(pk=factor.pk).exists()
    assert client.post(_url("problem_delete", case, problem.pk), {"version": problem.version}).status_code == 302
    assert not Problem.objects.filter(pk=problem.pk).exists()


def test_a_problem_of_another_case_is_not_found(client, sari):
    case = case_in_phase(sari, "assessment")
    other = case_in_phase(sari, "assessment")
    foreign = add_problem(other)
    client.force_login(sari)
    prefix = f"problem-{foreign.pk}"
    response = client.post(
        _url("problem_edit", case, foreign.pk), {f"{prefix}-title": "x", f"{prefix}-version": foreign.version}
    )
    assert response.status_code == 404
    assert client.post(_url("factor_add", case, foreign.pk), {}).status_code == 404
    assert Problem.objects.get(pk=foreign.pk).title == "Anak putus sekolah"


def test_the_section_page_renders_in_every_state(client, sari, hendra):
    case = case_in_phase(sari, "assessment")
    client.force_login(sari)
    empty = assert_clean(client.get(_url("section", case)))
    assert "No assessment has been written yet." in empty and "To complete the assessment it still needs" in empty
    add_assessment(case, sari)
    a = add_problem(case, "Hutang", priority=True)
    b = add_problem(case, "Konflik")
    b.linked.add(a)
    add_rating(case, sari)
    full = assert_clean(client.get(_url("section", case)))
    assert "Complete the assessment" in full and "Follows from" in full and "Leads to" in full
    client.force_login(hendra)
    read_only = assert_clean(client.get(_url("section", case)))
    assert "Hutang" in read_only and _url("problem_add", case) not in read_only
