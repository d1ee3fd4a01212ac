import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from dampingi.audit.models import AuditEvent
from dampingi.cases.models import Case
from dampingi.clients.models import Membership
from dampingi.ecomaps.models import EcoMap, EcoSystem
from dampingi.ecomaps.services import ecomap_draw
from dampingi.ecomaps.tests.helpers import counts, draw, system, today
from dampingi.testing.casework import add_stakeholder, set_phase
from dampingi.testing.clients import register_family
from dampingi.testing.factories import make_case


def _refusal(case, actor, **overrides):
    params = {"actor": actor, "case": case, "drawn_on": today(), "note": "", "systems": [system()]}
    params.update(overrides)
    before = counts()
    with pytest.raises(ValidationError) as info:
        ecomap_draw(**params)
    assert counts() == before
    return info.value


def test_draw_records_a_version_with_its_systems_in_order_and_the_phase(case, sari):
    set_phase(case, "assessment")
    ecomap = draw(
        case,
        sari,
        system("Nenek Enok", category="family", strength="strong", flow="to_client"),
        system("SDN 1 Cileunyi", strength="tenuous", stressful=True, flow="both", note="jarang masuk"),
        note="Sedikit sumber daya di luar keluarga.",
    )
    assert (ecomap.number, ecomap.phase, ecomap.drawn_by, ecomap.drawn_on) == (1, "assessment", sari, today())
    assert ecomap.centre == "Putri Lestari" and ecomap.household == []
    rows = list(ecomap.systems.order_by("order").values_list("name", "category", "strength", "stressful", "flow"))
    assert rows == [
        ("Nenek Enok", "family", "strong", False, "to_client"),
        ("SDN 1 Cileunyi", "school", "tenuous", True, "both"),
    ]
    assert ecomap.note == "Sedikit sumber daya di luar keluarga."


def test_each_drawing_is_a_new_numbered_version_and_the_old_one_is_kept(case, sari):
    first = draw(case, sari, system("Puskesmas", category="health"))
    second = draw(case, sari, system("Puskesmas", category="health", strength="strong"))
    assert (first.number, second.number) == (1, 2)
    first.refresh_from_db()
    assert first.systems.get().strength == "moderate"
    assert second.systems.get().strength == "strong"


def test_the_drawing_is_audited_with_its_systems(case, sari):
    ecomap = draw(case, sari, system("Karang Taruna", category="community"))
    event = AuditEvent.objects.get(action="ecomaps.draw")
    assert (event.actor, event.case_id, event.target_id) == (sari, case.pk, str(ecomap.pk))
    assert event.after["number"] == 1
    assert [s["name"] for s in event.after["systems"]] == ["Karang Taruna"]


def test_a_family_keeps_its_household_in_the_centre(sari):
    family = register_family(actor=sari, name="Keluarga Enok")
    case = make_case(worker=sari, client_system=family)
    ecomap = draw(case, sari)
    assert ecomap.centre == "Keluarga Enok"
    assert ecomap.household == ["Enok Suhaenah", "Siti Aminah"]


def test_no_systems_is_refused(case, sari):
    error = _refusal(case, sari, systems=[])
    assert error.message_dict["systems"] == ["Add at least one system around the client."]


def test_the_same_name_twice_is_refused_whatever_the_case_and_spaces(case, sari):
    error = _refusal(case, sari, systems=[system("Puskesmas  Cileunyi"), system("puskesmas cileunyi")])
    assert "appears twice" in error.message_dict["systems"][0]


def test_a_system_without_a_name_is_refused(case, sari):
    error = _refusal(case, sari, systems=[system("  ")])
    assert error.message_dict["systems"] == ["Every system needs a name."]


def test_an_unknown_choice_is_refused(case, sari):
    error = _refusal(case, sari, systems=[system(strength="very strong")])
    assert "from the lists" in error.message_dict["systems"][0]


def test_a_date_in_the_future_is_refused(case, sari):
    error = _refusal(case, sari, drawn_on=today() + datetime.timedelta(days=1))
    assert error.message_dict["drawn_on"] == ["The date cannot be in the future."]


def test_a_date_before_the_case_was_opened_is_refused(case, sari):
    Case.objects.filter(pk=case.pk).update(opened_at=timezone.now() - datetime.timedelta(days=3))
    case.refresh_from_db()
    error = _refusal(case, sari, drawn_on=today(4))
    assert "before the case was opened" in error.message_dict["drawn_on"][0]
    assert draw(case, sari, drawn_on=today(3)).number == 1


def test_a_closed_case_is_refused(case, sari, ratna):
    Case.objects.filter(pk=case.pk).update(phase="termination", closed_at=timezone.now())
    case.refresh_from_db()
    for actor in (sari, ratna):  # the worker, and the supervisor who may still act on a closed case
        error = _refusal(case, actor)
        assert error.messages == ["The case is closed: its eco-map can no longer be drawn."]


def test_a_stakeholder_of_another_case_is_refused(case, sari):
    other = make_case(worker=sari)
    foreign = add_stakeholder(other)
    error = _refusal(case, sari, systems=[system(stakeholder_id=foreign.pk)])
    assert error.message_dict["systems"] == ["A system refers to a stakeholder of another case."]


def test_a_person_outside_the_client_system_is_refused(case, sari):
    other = make_case(worker=sari)
    outsider = Membership.objects.filter(client_system=other.client_system).get().person
    error = _refusal(case, sari, systems=[system(person_id=outsider.pk)])
    assert error.message_dict["systems"] == ["A system refers to a person outside the client system."]


def test_links_to_the_own_stakeholder_and_member_are_kept(case, sari):
    stakeholder = add_stakeholder(case)
    me = Membership.objects.get(client_system=case.client_system).person
    ecomap = draw(case, sari, system("Bu Guru", stakeholder_id=stakeholder.pk), system("Diri", person_id=me.pk))
    assert list(ecomap.systems.values_list("stakeholder_id", "person_id")) == [(stakeholder.pk, None), (None, me.pk)]


@pytest.mark.parametrize("who", ["hendra", "dedi"])
def test_who_may_not_work_on_the_case_cannot_draw_and_nothing_changes(case, who, request):
    actor = request.getfixturevalue(who)
    before = counts()
    with pytest.raises(PermissionDenied):
        draw(case, actor)
    assert counts() == before


def test_the_database_refuses_two_systems_of_the_same_name_in_one_map(case, sari):
    ecomap = draw(case, sari, system("Puskesmas"))
    with pytest.raises(IntegrityError), transaction.atomic():
        EcoSystem.objects.create(ecomap=ecomap, name="PUSKESMAS", category="health", strength="strong", order=2)


def test_the_database_refuses_a_second_version_with_the_same_number(case, sari):
    ecomap = draw(case, sari)
    with pytest.raises(IntegrityError), transaction.atomic():
        EcoMap.objects.create(
            case=case, number=ecomap.number, drawn_on=today(), phase="engagement", drawn_by=sari, centre="x"
        )
