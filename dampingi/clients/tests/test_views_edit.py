import pytest

from dampingi.audit.models import AuditEvent
from dampingi.clients.models import ClientSystem, Person, PPKSCategory
from dampingi.clients.services import client_system_update, person_update
from dampingi.clients.tests.conftest import assert_clean
from dampingi.testing.clients import NIK_SITI, NO_KK_CILEUNYI, register_family, register_individual
from dampingi.testing.factories import make_case


def edit_url(cs):
    return f"/clients/{cs.pk}/edit/"


def person_url(person):
    return f"/clients/people/{person.pk}/edit/"


def family_edit_post(version=1, **overrides):
    data = {
        "name": "Keluarga Pak Ujang",
        "no_kk": NO_KK_CILEUNYI,
        "address": "Kp. Cibodas RT 02/RW 05",
        "region_1": "32",
        "region_2": "32.04",
        "region_3": "32.04.05",
        "ppks": [str(PPKSCategory.objects.get(slug="kbsp").pk)],
        "description": "Utang pinjol, anak dirundung daring.",
        "version": str(version),
    }
    data.update(overrides)
    return data


def person_post(version=1, **overrides):
    data = {
        "full_name": "Siti Aminah Putri",
        "nik": NIK_SITI,
        "sex": "F",
        "birth_date": "2014-03-12",
        "birth_place": "Bandung",
        "phone": "0812",
        "address": "Jl. Baru 1",
        "region_1": "32",
        "region_2": "32.04",
        "region_3": "32.04.05",
        "region_4": "32.04.05.2001",
        "disability": "",
        "disability_note": "",
        "notes": "",
        "version": str(version),
    }
    data.update(overrides)
    return data


@pytest.fixture
def family(sari):
    return register_family(actor=sari)


@pytest.fixture
def siti(sari):
    return register_individual(actor=sari).memberships.get().person


def state():
    return (
        list(ClientSystem.objects.values_list("name", "version")),
        list(Person.objects.values_list("full_name", "version")),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [("sari", 200), ("wulan", 200), ("ratna", 200), ("dedi", 404), ("hendra", 404), ("yogi", 404)],
)
def test_who_may_edit_a_client_system(client, request, family, who, status):
    client.force_login(request.getfixturevalue(who))
    before = state()
    response = client.get(edit_url(family))
    assert response.status_code == status
    if status == 200:
        assert_clean(response)
    else:
        assert client.post(edit_url(family), family_edit_post()).status_code == 404
        assert state() == before


def test_manager_who_can_read_the_file_still_gets_404_on_edit(client, sari, hendra, family, siti):
    make_case(worker=sari, client_system=family)
    client.force_login(hendra)
    assert client.get(f"/clients/{family.pk}/").status_code == 200
    before = state()
    assert client.post(edit_url(family), family_edit_post()).status_code == 404
    member = family.memberships.first().person
    assert client.post(person_url(member), person_post()).status_code == 404
    assert state()[:2] == before[:2]
    assert not AuditEvent.objects.filter(actor=hendra).exclude(action="client.view").exists()


def test_edit_a_family_saves_and_audits(client, sari, family):
    client.force_login(sari)
    response = client.post(edit_url(family), family_edit_post())
    assert response.status_code == 302 and response.url == f"/clients/{family.pk}/"
    family.refresh_from_db()
    assert (family.name, family.no_kk, family.version) == ("Keluarga Pak Ujang", NO_KK_CILEUNYI, 2)
    assert list(family.ppks.values_list("slug", flat=True)) == ["kbsp"]
    assert AuditEvent.objects.filter(action="client_system.update", actor=sari, target_id=str(family.pk)).exists()


def test_edit_refuses_a_bad_family_card_number_and_keeps_the_input(client, sari, family):
    client.force_login(sari)
    response = client.post(edit_url(family), family_edit_post(no_kk="9904051203100007"))
    assert response.status_code == 200
    assert_clean(response)
    assert response.context["form"].errors["no_kk"][0].startswith("A family card number starts with a province code")
    assert "Utang pinjol, anak dirundung daring." in response.content.decode()
    family.refresh_from_db()
    assert family.version == 1


def test_stale_client_system_edit_keeps_the_input_and_says_why(client, sari, wulan, family):
    client_system_update(actor=wulan, client_system=family, expected_version=1, changes={"description": "Wulan's"})
    client.force_login(sari)
    audits = AuditEvent.objects.count()
    response = client.post(edit_url(family), family_edit_post(version=1))
    assert response.status_code == 200
    assert_clean(response)
    html = response.content.decode()
    assert "Someone else saved this record while you were editing it." in html
    assert 'value="Keluarga Pak Ujang"' in html and "Utang pinjol, anak dirundung daring." in html
    family.refresh_from_db()
    assert (family.description, family.version) == ("Wulan's", 2)
    assert AuditEvent.objects.count() == audits


def test_individual_edit_shows_only_its_own_fields(client, sari, siti):
    cs = siti.client_systems.get()
    client.force_login(sari)
    response = client.get(edit_url(cs))
    assert_clean(response)
    assert set(response.context["form"].fields) == {"ppks", "description", "version"}


@pytest.mark.parametrize(
    ("who", "status"),
    [("sari", 200), ("wulan", 200), ("ratna", 200), ("dedi", 404), ("hendra", 404), ("yogi", 404)],
)
def test_who_may_edit_a_person(client, request, siti, who, status):
    client.force_login(request.getfixturevalue(who))
    before = state()
    response = client.get(person_url(siti))
    assert response.status_code == status
    if status == 200:
        assert_clean(response)
    else:
        assert client.post(person_url(siti), person_post()).status_code == 404
        assert state() == before


def test_edit_a_person_saves_renames_the_individual_and_audits(client, sari, siti):
    cs = siti.client_systems.get()
    client.force_login(sari)
    response = client.post(f"{person_url(siti)}?from={cs.pk}", person_post())
    assert response.status_code == 302 and response.url == f"/clients/{cs.pk}/"
    siti.refresh_from_db()
    cs.refresh_from_db()
    assert (siti.full_name, siti.nik, siti.version) == ("Siti Aminah Putri", NIK_SITI, 2)
    assert cs.name == "Siti Aminah Putri"
    assert AuditEvent.objects.filter(action="person.update", actor=sari, target_id=str(siti.pk)).exists()


def test_person_edit_refuses_a_future_birth_date(client, sari, siti):
    client.force_login(sari)
    response = client.post(person_url(siti), person_post(birth_date="2999-01-01", nik=""))
    assert response.status_code == 200
    assert response.context["form"].errors["birth_date"] == ["The date of birth cannot be in the future."]
    assert 'value="2999-01-01"' in response.content.decode()


def test_person_edit_refuses_a_nik_already_registered(client, sari, siti):
    register_individual(actor=sari, full_name="Siti Lain", nik=NIK_SITI)
    client.force_login(sari)
    response = client.post(person_url(siti), person_post())
    assert response.status_code == 200
    assert response.context["form"].errors["nik"] == ["A person with this NIK is already registered."]


def test_stale_person_edit_keeps_the_input_and_says_why(client, sari, wulan, siti):
    person_update(actor=wulan, person=siti, expected_version=1, changes={"phone": "0899"})
    client.force_login(sari)
    response = client.post(person_url(siti), person_post(version=1))
    assert response.status_code == 200
    assert_clean(response)
    html = response.content.decode()
    assert "Someone else saved this record while you were editing it." in html
    assert 'value="Siti Aminah Putri"' in html
    siti.refresh_from_db()
    assert (siti.full_name, siti.phone, siti.version) == ("Siti Aminah", "0899", 2)
