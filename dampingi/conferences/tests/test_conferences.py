"""Case conferences: the meeting, its participants, decisions, and action items that join the plan."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from dampingi.audit.models import AuditEvent
from dampingi.cases.selectors import case_timeline
from dampingi.conferences.models import ActionItem, Conference
from dampingi.conferences.selectors import case_conferences
from dampingi.conferences.services import ActionItemError, conference_record
from dampingi.plans.models import Task
from dampingi.testing.cases import walk_to
from dampingi.testing.casework import add_stakeholder
from dampingi.testing.factories import ClientSystemFactory, make_case

TODAY = timezone.localdate


@pytest.fixture
def intervention_case(sari, ratna):
    case = make_case(worker=sari, client_system=ClientSystemFactory(created_by=sari, name="Keluarga Wati"))
    return walk_to(case, "intervention", worker=sari, supervisor=ratna)


def counts():
    return (Conference.objects.count(), Task.objects.count(), AuditEvent.objects.exclude(action="case.view").count())


def action(case, **overrides):
    data = {
        "description": "Mendaftarkan anak ke PKBM",
        "goal_id": case.plan.goals.first().pk,
        "responsible": "community",
        "due_date": TODAY() + datetime.timedelta(days=7),
        "stakeholder": None,
    }
    data.update(overrides)
    return data


def test_conference_records_participants_decisions_and_its_actions_join_the_plan(sari, intervention_case):
    teacher = add_stakeholder(intervention_case, "Bu Guru Yanti")
    tasks_before = Task.objects.filter(plan__case=intervention_case).count()

    conference = conference_record(
        actor=sari,
        case=intervention_case,
        held_on=TODAY(),
        agenda="Anak belum kembali sekolah.",
        decisions="Sekolah menerima kembali; desa membantu seragam.",
        participants=[teacher],
        other_participants="Kepala Desa",
        actions=[action(intervention_case, stakeholder=teacher)],
    )

    task = ActionItem.objects.get(conference=conference).task
    assert (task.plan.case, task.stakeholder, task.status) == (intervention_case, teacher, Task.Status.TO_DO)
    assert Task.objects.filter(plan__case=intervention_case).count() == tasks_before + 1
    assert list(conference.participants.all()) == [teacher]
    event = AuditEvent.objects.get(action="conference.record")
    assert event.after["tasks"] == [task.pk] and event.after["participants"] == [teacher.pk]
    assert any(e.kind == "external" and "conference" in e.obj.url for e in case_timeline(intervention_case))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"held_on": TODAY() + datetime.timedelta(days=1)}, "held_on"),
        ({"participants": [], "other_participants": " "}, "participants"),
    ],
)
def test_conference_is_refused_in_the_future_or_without_participants(sari, intervention_case, overrides, field):
    data = {
        "held_on": TODAY(),
        "agenda": "A",
        "decisions": "D",
        "participants": [add_stakeholder(intervention_case)],
        "actions": [],
    }
    data.update(overrides)
    before = counts()
    with pytest.raises(ValidationError) as exc:
        conference_record(actor=sari, case=intervention_case, **data)
    assert field in exc.value.message_dict
    assert counts() == before


def test_an_action_due_before_the_conference_or_of_another_case_refuses_the_whole_record(sari, dedi, intervention_case):
    other = make_case(worker=dedi)
    teacher = add_stakeholder(intervention_case)
    before = counts()
    bad = [
        action(intervention_case, due_date=TODAY() - datetime.timedelta(days=1)),
        action(intervention_case, stakeholder=add_stakeholder(other, "Orang lain")),
    ]
    for wrong in bad:
        with pytest.raises(ActionItemError) as exc:
            conference_record(
                actor=sari,
                case=intervention_case,
                held_on=TODAY(),
                agenda="A",
                decisions="D",
                participants=[teacher],
                actions=[action(intervention_case), wrong],
            )
        assert exc.value.index == 1
    assert counts() == before


def test_without_a_plan_a_conference_has_decisions_but_no_action_items(sari, sari_case_in_engagement):
    with pytest.raises(ActionItemError, match="write the plan first"):
        conference_record(
            actor=sari,
            case=sari_case_in_engagement,
            held_on=TODAY(),
            agenda="A",
            decisions="D",
            other_participants="Ibu klien",
            actions=[
                {"description": "x", "goal_id": 1, "responsible": "worker", "due_date": TODAY(), "stakeholder": None}
            ],
        )
    conference = conference_record(
        actor=sari, case=sari_case_in_engagement, held_on=TODAY(), agenda="A", decisions="D", other_participants="Ibu"
    )
    assert conference.actions.count() == 0


@pytest.fixture
def sari_case_in_engagement(sari):
    return make_case(worker=sari)


def test_manager_reads_but_cannot_record_and_other_teams_get_404(client, sari, dedi, hendra, intervention_case):
    conference = conference_record(
        actor=sari, case=intervention_case, held_on=TODAY(), agenda="A", decisions="D", other_participants="Ibu"
    )
    with pytest.raises(PermissionDenied):
        conference_record(actor=hendra, case=intervention_case, held_on=TODAY(), agenda="A", decisions="D")
    new_url = reverse("conferences:new", args=[intervention_case.pk])
    detail_url = reverse("conferences:detail", args=[intervention_case.pk, conference.pk])
    before = counts()
    client.force_login(hendra)
    assert client.get(detail_url).status_code == 200
    assert client.post(new_url, {"agenda": "A"}).status_code == 403
    client.force_login(dedi)
    assert client.get(detail_url).status_code == 404
    assert client.post(new_url, {"agenda": "A"}).status_code == 404
    assert counts() == before


def post_data(case, stakeholder, **overrides):
    data = {
        "held_on": TODAY().isoformat(),
        "place": "Balai Desa",
        "participants": [stakeholder.pk],
        "other_participants": "Kepala Desa",
        "agenda": "Anak belum sekolah",
        "decisions": "Daftar PKBM",
        "action-TOTAL_FORMS": "2",
        "action-INITIAL_FORMS": "0",
        "action-0-description": "Mendaftarkan anak",
        "action-0-goal": str(case.plan.goals.first().pk),
        "action-0-responsible": "community",
        "action-0-stakeholder": str(stakeholder.pk),
        "action-0-due_date": (TODAY() + datetime.timedelta(days=5)).isoformat(),
        "action-1-description": "",
        "action-1-goal": "",
        "action-1-responsible": "worker",
        "action-1-stakeholder": "",
        "action-1-due_date": "",
    }
    data.update(overrides)
    return data


def test_worker_records_a_conference_in_the_form_and_finds_it_on_the_case_page(client, sari, intervention_case):
    teacher = add_stakeholder(intervention_case)
    client.force_login(sari)
    url = reverse("conferences:new", args=[intervention_case.pk])
    page = client.get(url)
    assert page.status_code == 200 and b"INVALID_TEMPLATE_VARIABLE" not in page.content

    more = client.post(url, {**post_data(intervention_case, teacher), "more": "1"})
    assert more.context["actions"].total_form_count() == 4
    assert more.context["form"]["place"].value() == "Balai Desa"
    assert Conference.objects.count() == 0

    late = post_data(
        intervention_case, teacher, **{"action-0-due_date": (TODAY() - datetime.timedelta(days=3)).isoformat()}
    )
    refused = client.post(url, late)
    assert refused.status_code == 200
    assert refused.context["actions"].forms[0].errors["due_date"]
    assert refused.context["form"]["decisions"].value() == "Daftar PKBM"

    response = client.post(url, post_data(intervention_case, teacher))
    conference = Conference.objects.get()
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert b"Mendaftarkan anak" in detail.content and b"INVALID_TEMPLATE_VARIABLE" not in detail.content
    case_page = client.get(reverse("cases:detail", args=[intervention_case.pk]))
    assert reverse("conferences:detail", args=[intervention_case.pk, conference.pk]).encode() in case_page.content


def test_the_list_of_conferences_runs_three_queries_whatever_their_number(
    sari, intervention_case, django_assert_num_queries
):
    teacher = add_stakeholder(intervention_case)
    for n in (1, 4):
        while Conference.objects.count() < n:
            conference_record(
                actor=sari,
                case=intervention_case,
                held_on=TODAY(),
                agenda="A",
                decisions="D",
                participants=[teacher],
                actions=[action(intervention_case)],
            )
        with django_assert_num_queries(3):
            assert len(case_conferences(intervention_case)) == n
