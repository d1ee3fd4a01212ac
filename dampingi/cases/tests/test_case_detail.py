import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dampingi.audit.models import AuditEvent
from dampingi.cases.models import Stakeholder
from dampingi.cases.phases import PP39_NAMES, Phase
from dampingi.cases.services import case_change_phase, stakeholder_add
from dampingi.cases.tests.conftest import assert_clean
from dampingi.testing.cases import add_note, engage, record_consent, walk_to


def detail(case):
    return reverse("cases:detail", args=[case.pk])


@pytest.mark.parametrize(
    ("persona", "status"), [("sari", 200), ("dedi", 404), ("ratna", 200), ("hendra", 200), ("yogi", 404)]
)
def test_case_page_permission_matrix(client, request, sari_case, persona, status):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(detail(sari_case))
    assert response.status_code == status
    if status == 200:
        assert_clean(response)


def test_every_view_of_the_case_file_is_audited(client, sari, hendra, sari_case):
    client.force_login(hendra)
    client.get(detail(sari_case))
    client.get(detail(sari_case))
    assert AuditEvent.objects.filter(case=sari_case, action="case.view", actor=hendra).count() == 2


def test_refused_view_writes_no_audit_event(client, dedi, sari_case):
    client.force_login(dedi)
    before = AuditEvent.objects.count()
    assert client.get(detail(sari_case)).status_code == 404
    assert AuditEvent.objects.count() == before


def test_header_stepper_and_sections(client, sari, sari_case):
    client.force_login(sari)
    response = client.get(detail(sari_case))
    body = response.content.decode()
    assert sari_case.reference in body
    assert "Putri Lestari" in body
    assert sari_case.programme.name in body
    assert 'class="phases"' in body
    for phase in Phase:
        assert str(PP39_NAMES[phase]) in body
    assert '<li class="current" aria-current="step">' in body
    for anchor in ("engagement", "assessment", "planning", "tasks", "intervention", "evaluation", "termination"):
        assert f'id="{anchor}"' in body, anchor
        assert body.count(f'id="{anchor}"') == 1, anchor
    # The current phase is open, the others are collapsed.
    assert '<details id="engagement" class="phase-section" open>' in body
    assert '<details id="intervention" class="phase-section">' in body


def test_worker_sees_move_forms_manager_reads_only(client, sari, hendra, sari_case):
    client.force_login(sari)
    body = client.get(detail(sari_case)).content.decode()
    assert reverse("cases:move", args=[sari_case.pk]) in body
    assert reverse("cases:terminate", args=[sari_case.pk]) in body
    assert 'name="expected_phase" value="engagement"' in body
    client.force_login(hendra)
    body = client.get(detail(sari_case)).content.decode()
    assert reverse("cases:move", args=[sari_case.pk]) not in body
    assert reverse("cases:contract", args=[sari_case.pk]) not in body
    assert "You can read this case" in body


def test_guard_items_are_listed_before_moving_on(client, sari, sari_case):
    client.force_login(sari)
    body = client.get(detail(sari_case)).content.decode()
    assert "a signed contract" in body
    assert "recorded consent to data processing" in body


def _fill(case, sari, ratna, n):
    for i in range(n):
        add_note(case, sari, narrative=f"Catatan {i}")
        stakeholder_add(actor=sari, case_id=case.pk, kind=Stakeholder.Kind.FAMILY, name=f"Kerabat {i}", role="paman")
        record_consent(case, sari, giver_name=f"Wali {i}")


def _fill_sections(case, sari, n):
    """Rows the included sections show (written directly): problems, ratings, goals, tasks, results."""
    import datetime

    from django.utils import timezone

    from dampingi.assessments.models import Problem, ProblemFactor, SocialFunctioningRating
    from dampingi.plans.models import Evaluation, Goal, GoalResult, Plan, Task

    today = timezone.localdate()
    plan = Plan.objects.get(case=case)
    stakeholders = list(case.stakeholders.all())
    evaluation = Evaluation.objects.filter(case=case).first()
    previous = None
    for i in range(n):
        problem = Problem.objects.create(case=case, title=f"Masalah {i}", is_priority=i == 0)
        ProblemFactor.objects.create(problem=problem, kind="cause", text=f"Sebab {i}")
        ProblemFactor.objects.create(problem=problem, kind="effect", text=f"Akibat {i}")
        if previous is not None:
            previous.linked.add(problem)
        previous = problem
        SocialFunctioningRating.objects.create(
            case=case,
            occasion="review",
            rated_on=today,
            basic_needs=3,
            social_roles=3,
            problem_solving=2,
            evidence="x",
            rated_by=sari,
        )
        goal = Goal.objects.create(plan=plan, description=f"Tujuan {i}", indicator="i", problem=problem)
        for j in range(2):
            task = Task.objects.create(
                plan=plan,
                goal=goal,
                description=f"Tugas {i}.{j}",
                responsible="family",
                stakeholder=stakeholders[i % len(stakeholders)],
                due_date=today - datetime.timedelta(days=j),
            )
            add_note(case, sari, task=task)
        if evaluation is not None:
            GoalResult.objects.create(evaluation=evaluation, goal=goal, result="partly", evidence="e")


def _cycle(case, sari, ratna, n):
    """Go round Evaluation -> Planning -> ... n times to add transitions, approvals and evaluations."""
    from dampingi.testing.cases import approve_plan

    for _ in range(n):
        case = case_change_phase(actor=sari, case_id=case.pk, target="planning", reason="Perlu tujuan baru")
        approve_plan(case, sari, ratna)
        case = walk_to(case, "evaluation", worker=sari, supervisor=ratna)
    return case


def test_case_page_query_count_is_fixed(client, sari, ratna, django_assert_num_queries):
    from dampingi.testing.factories import make_case

    small = make_case(worker=sari)
    big = make_case(worker=sari)
    for case, n in ((small, 2), (big, 20)):
        engage(case, sari)
        _fill(case, sari, ratna, n)
    small = walk_to(small, "evaluation", worker=sari, supervisor=ratna)
    big = walk_to(big, "evaluation", worker=sari, supervisor=ratna)
    from dampingi.testing.cases import record_evaluation

    record_evaluation(small, sari)
    record_evaluation(big, sari)
    small = _cycle(small, sari, ratna, 1)
    big = _cycle(big, sari, ratna, 4)
    _fill_sections(small, sari, 2)
    _fill_sections(big, sari, 20)
    client.force_login(sari)
    with CaptureQueriesContext(connection) as small_queries:
        response = client.get(detail(small))
    assert_clean(response)
    with django_assert_num_queries(len(small_queries.captured_queries)):
        response = client.get(detail(big))
    assert_clean(response)
    body = response.content.decode()
    for shown in ("Masalah 19", "Tujuan 19", "Tugas 19.1", "Kerabat 19", "Wali 19"):
        assert shown in body, shown
    # The supervisor's view (decision forms) is pinned as well.
    client.force_login(ratna)
    with CaptureQueriesContext(connection) as ratna_small:
        client.get(detail(small))
    with django_assert_num_queries(len(ratna_small.captured_queries)):
        client.get(detail(big))


def test_case_page_shows_the_latest_intake_and_other_notes(client, sari, sari_case):
    import datetime

    from django.utils import timezone

    from dampingi.cases.selectors import RECENT_NOTES_LIMIT, case_intake_notes, case_recent_notes

    today = timezone.localdate()
    for i in range(RECENT_NOTES_LIMIT + 3):
        day = today - datetime.timedelta(days=i % 5)
        add_note(sari_case, sari, kind="intake", occurred_on=day, narrative=f"Intake {i}")
        add_note(sari_case, sari, kind="phone_call" if i % 2 else "home_visit", occurred_on=day, narrative=f"Lain {i}")
    client.force_login(sari)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(detail(sari_case))
    context = response.context
    assert [n.pk for n in context["intake_notes"]] == [n.pk for n in case_intake_notes(sari_case)]
    assert [n.pk for n in context["recent_notes"]] == [n.pk for n in case_recent_notes(sari_case)]
    assert len(context["intake_notes"]) == len(context["recent_notes"]) == RECENT_NOTES_LIMIT
    # One query for each list; the timeline's notes are no longer read with the page.
    assert len([q for q in queries.captured_queries if 'FROM "cases_activitynote"' in q["sql"]]) == 2


def latest(case):
    return reverse("cases:timeline_latest", args=[case.pk])


def test_timeline_on_the_case_page_is_bounded_with_a_show_all_link(client, sari, sari_case):
    engage(sari_case, sari)
    for i in range(55):
        add_note(sari_case, sari, narrative=f"Catatan {i}")
    client.force_login(sari)
    page = client.get(detail(sari_case)).content.decode()
    # The case page keeps the card, its link and a placeholder that htmx fills when it scrolls into view.
    assert f'hx-get="{latest(sari_case)}" hx-trigger="revealed"' in page
    assert f'href="{reverse("cases:timeline", args=[sari_case.pk])}"' in page
    response = client.get(latest(sari_case), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert_clean(response)
    assert len(response.context["timeline"]) == 50
    assert response.context["timeline_more"] is True
    body = response.content.decode()
    assert "<html" not in body  # a fragment, not a page
    assert reverse("cases:timeline", args=[sari_case.pk]) in body
    assert "Show all" in body
    assert "The latest 50 entries, newest last." in body
    # Newest last: the latest note closes the list, the oldest ones are left for the timeline page.
    narratives = [e.obj.narrative for e in response.context["timeline"] if e.kind == "note"]
    assert narratives[-1] == "Catatan 54"
    assert "Catatan 0" not in narratives


def test_short_timeline_fragment_shows_everything_without_show_all(client, sari, sari_case):
    add_note(sari_case, sari, narrative="Kunjungan pertama")
    client.force_login(sari)
    response = client.get(latest(sari_case))
    assert_clean(response)
    assert response.context["timeline_more"] is False
    assert [e.kind for e in response.context["timeline"]] == ["transition", "note"]
    assert "Kunjungan pertama" in response.content.decode()
    assert "Show all" not in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"), [("sari", 200), ("dedi", 404), ("ratna", 200), ("hendra", 200), ("yogi", 404)]
)
def test_timeline_fragment_permission_matrix(client, request, sari_case, persona, status):
    add_note(sari_case, request.getfixturevalue("sari"), narrative="Rahasia keluarga")
    client.force_login(request.getfixturevalue(persona))
    before = AuditEvent.objects.count()
    response = client.get(latest(sari_case), HTTP_HX_REQUEST="true")
    assert response.status_code == status
    if status == 404:
        assert "Rahasia keluarga" not in response.content.decode()
        assert AuditEvent.objects.count() == before


def test_timeline_fragment_is_get_only(client, sari, sari_case):
    client.force_login(sari)
    assert client.post(latest(sari_case)).status_code == 405


def test_timeline_fragment_is_audited(client, sari, hendra, sari_case):
    client.force_login(hendra)
    client.get(latest(sari_case), HTTP_HX_REQUEST="true")
    events = AuditEvent.objects.filter(case=sari_case, action="case.view", actor=hendra)
    assert events.count() == 1


def test_timeline_fragment_query_count_is_fixed(client, sari, ratna, django_assert_num_queries):
    from dampingi.testing.factories import make_case

    small = make_case(worker=sari)
    big = make_case(worker=sari)
    for case, n in ((small, 1), (big, 30)):
        engage(case, sari)
        _fill(case, sari, ratna, n)
    small = walk_to(small, "evaluation", worker=sari, supervisor=ratna)
    big = walk_to(big, "evaluation", worker=sari, supervisor=ratna)
    big = _cycle(big, sari, ratna, 3)
    client.force_login(sari)
    with CaptureQueriesContext(connection) as small_queries:
        response = client.get(latest(small), HTTP_HX_REQUEST="true")
    assert_clean(response)
    assert response.context["timeline_more"] is False
    with django_assert_num_queries(len(small_queries.captured_queries)):
        response = client.get(latest(big), HTTP_HX_REQUEST="true")
    assert_clean(response)
    assert response.context["timeline_more"] is True


def test_case_page_no_longer_reads_the_timeline(client, sari, ratna, sari_case, monkeypatch):
    from dampingi.cases import selectors

    def refuse(*args, **kwargs):
        raise AssertionError("the case page read the timeline")

    monkeypatch.setattr(selectors, "_timeline_entries", refuse)
    monkeypatch.setitem(
        selectors._SOURCES, "probe", selectors.TimelineSource("probe", refuse, lambda: AuditEvent.objects.none())
    )
    engage(sari_case, sari)
    case = walk_to(sari_case, "evaluation", worker=sari, supervisor=ratna)
    client.force_login(sari)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(detail(case))
    assert response.status_code == 200
    assert_clean(response)
    assert "timeline" not in response.context
    # Phase transitions are read by the timeline only.
    assert not [q["sql"] for q in queries.captured_queries if "cases_phasetransition" in q["sql"]]


def _states(sari, ratna):
    """One case in every state the case page knows."""
    from dampingi.cases.models import Approval
    from dampingi.cases.services import approval_decide, case_terminate
    from dampingi.testing.cases import submitted_plan
    from dampingi.testing.factories import make_case

    states = {}
    for phase in ("engagement", "assessment", "planning", "intervention", "evaluation"):
        states[phase] = walk_to(make_case(worker=sari), phase, worker=sari, supervisor=ratna)
    pending_plan = walk_to(make_case(worker=sari), "planning", worker=sari, supervisor=ratna)
    submitted_plan(pending_plan, sari)
    states["plan pending"] = pending_plan
    for name in ("closure pending", "closure returned", "closed"):
        case = make_case(worker=sari)
        case_terminate(actor=sari, case_id=case.pk, reason="moved", summary="Pindah.")
        approval = Approval.objects.get(case=case, kind="closure")
        if name == "closure returned":
            approval_decide(actor=ratna, approval_id=approval.pk, approve=False, comment="Lengkapi.")
        elif name == "closed":
            approval_decide(actor=ratna, approval_id=approval.pk, approve=True)
        states[name] = case
    return states


@pytest.mark.parametrize("persona", ["sari", "ratna", "hendra"])
def test_case_page_renders_cleanly_in_every_state(client, request, sari, ratna, persona):
    states = _states(sari, ratna)
    client.force_login(request.getfixturevalue(persona))
    for name, case in states.items():
        response = client.get(detail(case))
        assert response.status_code == 200, name
        assert_clean(response)
        steps = response.context["steps"]
        assert [s["state"] for s in steps].count("current") == 1, name
