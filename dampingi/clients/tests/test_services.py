import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dampingi.audit.models import AuditEvent
from dampingi.clients.models import ClientSystem, Membership, Person, PPKSCategory
from dampingi.clients.services import client_system_register, client_system_update, person_update
from dampingi.core.concurrency import ConcurrentEditError
from dampingi.regions.models import Region
from dampingi.testing.clients import (
    ENOK_BIRTH,
    NIK_ENOK,
    NIK_SITI,
    NO_KK_CILEUNYI,
    SITI_BIRTH,
    VILLAGE,
    register_family,
    register_individual,
)


def counts():
    return (
        ClientSystem.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    )


def test_individual_takes_the_persons_name_and_address_and_is_audited(sari):
    cs = register_individual(actor=sari, nik=NIK_SITI, address="Jl. Cibiru 4")
    person = cs.memberships.get().person
    assert cs.kind == "individual" and cs.name == "Siti Aminah" and cs.name_key == "siti aminah"
    assert (cs.address, cs.region_id) == ("Jl. Cibiru 4", VILLAGE)
    assert cs.memberships.get().relationship == "self"
    assert person.nik == NIK_SITI and person.name_key == "siti aminah"
    assert AuditEvent.objects.filter(action="person.create", target_id=str(person.pk), actor=sari).count() == 1
    event = AuditEvent.objects.get(action="client_system.register", target_id=str(cs.pk))
    assert event.actor == sari and event.after["members"] == [
        {"person": person.pk, "relationship": "self", "is_head": False}
    ]


def test_family_is_named_after_the_head_and_members_share_its_address(sari):
    cs = register_family(actor=sari, no_kk=NO_KK_CILEUNYI)
    assert cs.name == "Keluarga Enok Suhaenah" and cs.no_kk == NO_KK_CILEUNYI
    head = cs.memberships.get(is_head=True)
    assert head.person.full_name == "Enok Suhaenah" and head.relationship == "head"
    assert {m.person.region_id for m in cs.memberships.all()} == {VILLAGE}
    assert {m.person.address for m in cs.memberships.all()} == {"Kp. Cibodas RT 02/RW 05"}
    assert AuditEvent.objects.filter(action="person.create").count() == 2


def test_family_keeps_a_given_name(sari):
    assert register_family(actor=sari, name="Keluarga Besar Suhaenah").name == "Keluarga Besar Suhaenah"


@pytest.mark.parametrize("heads", [0, 2])
def test_family_needs_exactly_one_head(sari, heads):
    relationships = ["head"] * heads + ["child"] * (2 - heads)
    members = [{"full_name": f"Anak {i}", "sex": "M", "relationship": rel} for i, rel in enumerate(relationships)]
    before = counts()
    with pytest.raises(ValidationError):
        register_family(actor=sari, members=members)
    assert counts() == before


def test_group_needs_a_name_and_members(sari):
    with pytest.raises(ValidationError):
        client_system_register(actor=sari, kind="group", name="", members=[{"full_name": "A", "sex": "F"}])
    with pytest.raises(ValidationError):
        client_system_register(actor=sari, kind="group", name="Kelompok Ibu", members=[])
    cs = client_system_register(actor=sari, kind="group", name="Kelompok Ibu", members=[{"full_name": "A", "sex": "F"}])
    assert cs.memberships.get().relationship == "member"


def test_community_needs_a_region_and_may_have_no_members(sari):
    with pytest.raises(ValidationError):
        client_system_register(actor=sari, kind="community", name="Kampung Cibodas")
    cs = client_system_register(
        actor=sari,
        kind="community",
        name="Kampung Cibodas",
        region=Region.objects.get(code=VILLAGE),
        ppks=[PPKSCategory.objects.get(slug="kba")],
    )
    assert cs.memberships.count() == 0
    assert list(cs.ppks.values_list("slug", flat=True)) == ["kba"]


def test_family_card_number_is_checked_and_only_for_families(sari):
    with pytest.raises(ValidationError) as info:
        register_family(actor=sari, no_kk="9904051203100007")
    assert info.value.error_dict["no_kk"][0].code == "kk_unknown_province"
    with pytest.raises(ValidationError):
        client_system_register(
            actor=sari, kind="group", name="G", no_kk=NO_KK_CILEUNYI, members=[{"full_name": "A", "sex": "F"}]
        )


def test_service_refuses_a_bad_nik_and_a_future_birth_date(sari):
    before = counts()
    with pytest.raises(ValidationError):
        register_individual(actor=sari, nik=NIK_SITI, sex="M")
    with pytest.raises(ValidationError):
        register_individual(actor=sari, birth_date=datetime.date.today() + datetime.timedelta(days=1))
    assert counts() == before


def test_nik_already_registered_is_refused(sari, dedi):
    register_individual(actor=dedi, nik=NIK_SITI)
    before = counts()
    with pytest.raises(ValidationError) as info:
        register_individual(actor=sari, nik=NIK_SITI)
    assert info.value.error_dict["nik"][0].code == "nik_taken"
    assert counts() == before


def test_two_members_with_one_nik_are_refused(sari):
    members = [
        {"full_name": "Enok", "sex": "F", "birth_date": ENOK_BIRTH, "nik": NIK_ENOK, "relationship": "head"},
        {"full_name": "Enok 2", "sex": "F", "birth_date": ENOK_BIRTH, "nik": NIK_ENOK, "relationship": "sibling"},
    ]
    with pytest.raises(ValidationError):
        register_family(actor=sari, members=members)


@pytest.mark.parametrize("who", ["hendra", "yogi"])
def test_managers_and_administrators_cannot_register(request, who):
    user = request.getfixturevalue(who)
    before = counts()
    with pytest.raises(PermissionDenied):
        register_individual(actor=user)
    assert counts() == before


def test_client_system_update_saves_bumps_the_version_and_audits(sari):
    cs = register_family(actor=sari)
    ppks = PPKSCategory.objects.get(slug="kbsp")
    updated = client_system_update(
        actor=sari,
        client_system=cs,
        expected_version=1,
        changes={"name": "Keluarga Pak Ujang", "no_kk": NO_KK_CILEUNYI, "description": "Utang pinjol"},
        ppks=[ppks],
    )
    cs.refresh_from_db()
    assert (cs.name, cs.name_key, cs.no_kk, cs.version) == (
        "Keluarga Pak Ujang",
        "keluarga pak ujang",
        NO_KK_CILEUNYI,
        2,
    )
    assert updated.version == 2 and list(cs.ppks.all()) == [ppks]
    event = AuditEvent.objects.get(action="client_system.update", target_id=str(cs.pk))
    assert event.before["name"] == "Keluarga Enok Suhaenah" and event.after["name"] == "Keluarga Pak Ujang"
    assert event.after["ppks"] == [ppks.pk]


def test_client_system_update_with_a_stale_version_changes_nothing(sari, wulan):
    cs = register_family(actor=sari)
    client_system_update(actor=wulan, client_system=cs, expected_version=1, changes={"description": "first"})
    audits = AuditEvent.objects.count()
    with pytest.raises(ConcurrentEditError):
        client_system_update(actor=sari, client_system=cs, expected_version=1, changes={"description": "second"})
    cs.refresh_from_db()
    assert (cs.description, cs.version) == ("first", 2)
    assert AuditEvent.objects.count() == audits


def test_client_system_update_refuses_outsiders(sari, dedi, hendra):
    cs = register_family(actor=sari)
    for user in (dedi, hendra):
        with pytest.raises(PermissionDenied):
            client_system_update(actor=user, client_system=cs, expected_version=1, changes={"description": "x"})
    cs.refresh_from_db()
    assert cs.description == "" and cs.version == 1


def test_person_update_renames_the_individual_and_audits_both(sari):
    cs = register_individual(actor=sari)
    person = cs.memberships.get().person
    person_update(
        actor=sari,
        person=person,
        expected_version=1,
        changes={"full_name": "Siti Aminah Putri", "nik": NIK_SITI, "address": "Jl. Baru 1"},
    )
    person.refresh_from_db()
    cs.refresh_from_db()
    assert (person.full_name, person.nik, person.version) == ("Siti Aminah Putri", NIK_SITI, 2)
    assert (cs.name, cs.name_key, cs.address, cs.version) == ("Siti Aminah Putri", "siti aminah putri", "Jl. Baru 1", 2)
    assert AuditEvent.objects.filter(action="person.update", target_id=str(person.pk)).count() == 1
    assert AuditEvent.objects.filter(action="client_system.update", target_id=str(cs.pk)).count() == 1


def test_person_update_with_a_stale_version_changes_nothing(sari):
    person = register_individual(actor=sari).memberships.get().person
    person_update(actor=sari, person=person, expected_version=1, changes={"phone": "0812"})
    audits = AuditEvent.objects.count()
    with pytest.raises(ConcurrentEditError):
        person_update(actor=sari, person=person, expected_version=1, changes={"phone": "0813"})
    person.refresh_from_db()
    assert person.phone == "0812" and AuditEvent.objects.count() == audits


def test_person_update_refuses_a_nik_of_someone_else(sari):
    register_individual(actor=sari, nik=NIK_SITI)
    other = register_individual(actor=sari, full_name="Siti Lain", birth_date=SITI_BIRTH).memberships.get().person
    with pytest.raises(ValidationError) as info:
        person_update(actor=sari, person=other, expected_version=1, changes={"nik": NIK_SITI})
    assert info.value.error_dict["nik"][0].code == "nik_taken"
    other.refresh_from_db()
    assert other.nik is None and other.version == 1


def test_person_update_refuses_outsiders(sari, dedi, hendra, yogi):
    person = register_individual(actor=sari).memberships.get().person
    for user in (dedi, hendra, yogi):
        with pytest.raises(PermissionDenied):
            person_update(actor=user, person=person, expected_version=1, changes={"phone": "1"})
    assert not AuditEvent.objects.filter(action="person.update").exists()
