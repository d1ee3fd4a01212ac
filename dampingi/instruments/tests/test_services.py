import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dampingi.assessments.models import Problem
from dampingi.audit.models import AuditEvent
from dampingi.instruments import services
from dampingi.instruments.models import Administration
from dampingi.instruments.scoring import compare_pie, compare_screenings, pie_ranked, screening_profile
from dampingi.instruments.tests.helpers import answers, counts, environment, role, today


def test_pie_administration_keeps_the_instrument_id_version_date_and_who(sari, assessed_case):
    adm = services.pie_administer(
        actor=sari,
        case=assessed_case,
        administered_on=today(),
        role_problems=[role()],
        environment_problems=[environment()],
        health=[{"factor": 3, "diagnosis": "F32", "client_reported": "sulit tidur"}],
    )
    assert (adm.instrument, adm.version, adm.phase, adm.administered_by) == ("pie", "1", "assessment", sari)
    assert adm.pie_entries.count() == 2 and adm.health_entries.count() == 1
    event = AuditEvent.objects.get(action="instrument.administer", target_id=str(adm.pk))
    assert event.after["health_entries"] == 1
    assert "F32" not in str(event.after)


def test_pie_service_refuses_an_index_outside_1_to_6(sari, assessed_case):
    before = counts()
    with pytest.raises(ValidationError):
        services.pie_administer(
            actor=sari, case=assessed_case, administered_on=today(), role_problems=[role(severity=9)]
        )
    assert counts() == before


def test_ranking_is_by_severity_then_duration(sari, assessed_case):
    adm = services.pie_administer(
        actor=sari,
        case=assessed_case,
        administered_on=today(),
        role_problems=[role(role="parent", severity=3, duration=6), role(role="child", severity=5, duration=1)],
        environment_problems=[environment(severity=5, duration=4), environment(problem="unemployment", severity=2)],
    )
    ranked = pie_ranked(list(adm.pie_entries.all()), adm.version)
    assert [(r.label, r.severity, r.duration) for r in ranked] == [
        ("lack of food", 5, 4),
        ("child", 5, 1),
        ("parent", 3, 6),
        ("unemployment", 2, 3),
    ]
    assert ranked[0].severity_label == "very high"


def test_screening_profile_scores_areas_total_and_flags(sari, assessed_case):
    adm = services.screening_administer(
        actor=sari,
        case=assessed_case,
        administered_on=today(),
        answers=answers(face_to_face=1, home_rules=2, harm_lending=(3, "Utang pinjol"), harm_fraud=1),
    )
    profile = screening_profile(list(adm.answers.all()), adm.version)
    scores = {a.key: a.score for a in profile.areas}
    assert scores["face_to_face"] == 1 and scores["home_rules"] == 2 and scores["online_harms"] == 3
    assert profile.total == 6 and profile.max_total == 24
    assert [i.key for i in profile.flagged] == ["home_rules", "harm_lending"]
    assert [a.key for a in profile.areas if a.flagged] == ["home_rules", "online_harms"]


def test_screening_needs_every_item_rated_0_to_3(sari, assessed_case):
    before = counts()
    bad = answers(face_to_face=4)
    del bad["harm_fraud"]
    with pytest.raises(ValidationError) as exc:
        services.screening_administer(actor=sari, case=assessed_case, administered_on=today(), answers=bad)
    assert set(exc.value.error_dict) == {"face_to_face", "harm_fraud"}
    assert counts() == before


def test_add_to_problem_tree_creates_one_problem_and_refuses_a_duplicate(sari, assessed_case):
    adm = services.screening_administer(
        actor=sari, case=assessed_case, administered_on=today(), answers=answers(harm_gambling=(3, "Ayah judi slot"))
    )
    problem = services.screening_add_problem(
        actor=sari, case=assessed_case, administration_id=adm.pk, item="harm_gambling"
    )
    assert (problem.case, problem.title, problem.description) == (assessed_case, "Online gambling", "Ayah judi slot")
    assert AuditEvent.objects.filter(action="problem.create", target_id=str(problem.pk)).count() == 1
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.screening_add_problem(actor=sari, case=assessed_case, administration_id=adm.pk, item="harm_gambling")
    assert exc.value.code == "duplicate"
    assert counts() == before
    assert Problem.objects.filter(case=assessed_case).count() == 1


def test_an_item_that_is_not_flagged_is_not_added(sari, assessed_case):
    adm = services.screening_administer(actor=sari, case=assessed_case, administered_on=today(), answers=answers())
    with pytest.raises(ValidationError):
        services.screening_add_problem(actor=sari, case=assessed_case, administration_id=adm.pk, item="face_to_face")
    assert not Problem.objects.exists()


@pytest.mark.parametrize("persona", ["dedi", "hendra", "yogi"])
def test_users_who_may_not_work_on_the_case_change_nothing(request, sari, assessed_case, persona):
    adm = services.screening_administer(
        actor=sari, case=assessed_case, administered_on=today(), answers=answers(home_rules=2)
    )
    before = counts()
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.screening_administer(actor=user, case=assessed_case, administered_on=today(), answers=answers())
    with pytest.raises(PermissionDenied):
        services.pie_administer(actor=user, case=assessed_case, administered_on=today(), role_problems=[role()])
    with pytest.raises(PermissionDenied):
        services.screening_add_problem(actor=user, case=assessed_case, administration_id=adm.pk, item="home_rules")
    assert counts() == before


def test_instruments_are_not_taken_outside_assessment_and_evaluation(sari, ratna):
    from dampingi.testing.factories import make_case

    case = make_case(worker=sari)
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.screening_administer(actor=sari, case=case, administered_on=today(), answers=answers())
    assert exc.value.code == "wrong_phase"
    assert counts() == before


def test_comparison_of_two_administrations(sari, assessed_case):
    old = services.screening_administer(
        actor=sari, case=assessed_case, administered_on=today(), answers=answers(home_rules=3, harm_fraud=1)
    )
    new = services.screening_administer(
        actor=sari, case=assessed_case, administered_on=today(), answers=answers(home_rules=1, harm_fraud=2)
    )
    rows = {r.label: r for r in compare_screenings(old, new)}
    assert (rows["Changed rules and norms at home"].old, rows["Changed rules and norms at home"].new) == (3, 1)
    assert rows["Changed rules and norms at home"].change_text == "-2"
    assert rows["Fraud and hoaxes"].change_text == "+1"
    assert rows["Face-to-face contact"].change_text == "0"

    pie_old = services.pie_administer(
        actor=sari, case=assessed_case, administered_on=today(),
        role_problems=[role(severity=5)], environment_problems=[environment(problem="unemployment")],
    )  # fmt: skip
    pie_new = services.pie_administer(
        actor=sari, case=assessed_case, administered_on=today(), role_problems=[role(severity=2)],
        environment_problems=[environment(problem="no_shelter", severity=3)],
    )  # fmt: skip
    pie_rows = {r.label: r for r in compare_pie(pie_old, pie_new)}
    assert pie_rows["child"].change_text == "-3"
    assert pie_rows["no shelter"].change_text == "new"
    assert pie_rows["unemployment"].change_text == "no longer recorded"
    assert Administration.objects.filter(case=assessed_case).count() == 4
