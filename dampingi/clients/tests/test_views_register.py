import datetime

import pytest

from dampingi.audit.models import AuditEvent
from dampingi.clients.models import ClientSystem, Membership, Person, PPKSCategory
from dampingi.clients.tests.conftest import assert_clean
from dampingi.testing.clients import (
    NIK_ENOK,
    NIK_SITI,
    NO_KK_CILEUNYI,
    SITI_BIRTH,
    register_family,
    register_individual,
)

URL = "/clients/new/"


def counts():
    return (
        ClientSystem.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    )


def individual_post(**overrides):
    data = {
        "person-full_name": "Siti Aminah",
        "person-nik": NIK_SITI,
        "person-sex": "F",
        "person-birth_date": "2014-03-12",
        "person-birth_place": "Bandung",
        "person-address": "Kp. Cibodas RT 02/RW 05",
        "person-region_1": "32",
        "person-region_2": "32.04",
        "person-region_3": "32.04.05",
        "person-region_4": "32.04.05.2001",
        "person-phone": "081234567890",
        "person-disability": "",
        "person-notes": "Tinggal bersama nenek.",
        "ppks": [str(PPKSCategory.objects.get(slug="at").pk)],
        "description": "Ibu bekerja di luar negeri.",
    }
    data.update(overrides)
    return data


def member_rows(rows, total=None):
    data = {"members-TOTAL_FORMS": str(total or len(rows)), "members-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        data.update({f"members-{i}-{key}": value for key, value in row.items()})
    return data


def family_post(rows=None, **overrides):
    rows = rows or [
        {"full_name": "Enok Suhaenah", "relationship": "head", "sex": "F", "birth_date": "1950-07-02", "nik": NIK_ENOK},
        {"full_name": "Siti Aminah", "relationship": "grandchild", "sex": "F", "birth_date": "2014-03-12"},
        {"full_name": "", "relationship": "", "sex": ""},
    ]
    data = {
        "name": "",
        "no_kk": NO_KK_CILEUNYI,
        "address": "Kp. Cibodas RT 02/RW 05",
        "region_1": "32",
        "region_2": "32.04",
        "region_3": "32.04.05",
        "ppks": [str(PPKSCategory.objects.get(slug="kbsp").pk)],
        "description": "",
        **member_rows(rows),
    }
    data.update(overrides)
    return data


def test_kind_chooser_lists_the_four_kinds(client, sari):
    client.force_login(sari)
    response = client.get(URL)
    assert response.status_code == 200
    assert_clean(response)
    for kind in ("individual", "family", "group", "community"):
        assert f"?kind={kind}" in response.content.decode()


@pytest.mark.parametrize("kind", ["individual", "family", "group", "community"])
def test_each_registration_form_renders(client, sari, kind):
    client.force_login(sari)
    response = client.get(URL, {"kind": kind})
    assert response.status_code == 200
    assert_clean(response)
    assert 'name="add_member"' in response.content.decode() or kind == "individual"


@pytest.mark.parametrize("who", ["hendra", "yogi"])
def test_managers_and_administrators_get_404_and_nothing_is_saved(client, request, who):
    client.force_login(request.getfixturevalue(who))
    before = counts()
    assert client.get(URL).status_code == 404
    assert client.get(URL, {"kind": "individual"}).status_code == 404
    assert client.post(f"{URL}?kind=individual", individual_post()).status_code == 404
    assert counts() == before


def test_register_an_individual(client, sari):
    client.force_login(sari)
    response = client.post(f"{URL}?kind=individual", individual_post())
    cs = ClientSystem.objects.get()
    assert response.status_code == 302 and response.url == f"/clients/{cs.pk}/"
    person = cs.memberships.get(relationship="self").person
    assert (cs.kind, cs.name, cs.region_id, cs.created_by) == ("individual", "Siti Aminah", "32.04.05.2001", sari)
    assert (person.nik, person.birth_date, person.phone) == (NIK_SITI, SITI_BIRTH, "081234567890")
    assert list(cs.ppks.values_list("slug", flat=True)) == ["at"]
    assert AuditEvent.objects.filter(action="client_system.register", actor=sari, target_id=str(cs.pk)).exists()
    assert AuditEvent.objects.filter(action="person.create", actor=sari, target_id=str(person.pk)).exists()


def test_register_a_family_with_members_and_its_head(client, sari):
    client.force_login(sari)
    response = client.post(f"{URL}?kind=family", family_post())
    cs = ClientSystem.objects.get()
    assert response.status_code == 302
    assert (cs.kind, cs.name, cs.no_kk, cs.region_id) == (
        "family",
        "Keluarga Enok Suhaenah",
        NO_KK_CILEUNYI,
        "32.04.05",
    )
    members = {m.person.full_name: (m.relationship, m.is_head) for m in cs.memberships.select_related("person")}
    assert members == {"Enok Suhaenah": ("head", True), "Siti Aminah": ("grandchild", False)}
    assert AuditEvent.objects.filter(action="person.create").count() == 2


def test_family_without_a_head_is_refused_and_the_input_kept(client, sari):
    client.force_login(sari)
    rows = [
        {"full_name": "Enok Suhaenah", "relationship": "grandparent", "sex": "F"},
        {"full_name": "Siti Aminah", "relationship": "grandchild", "sex": "F"},
    ]
    before = counts()
    response = client.post(f"{URL}?kind=family", family_post(rows))
    assert response.status_code == 200
    assert_clean(response)
    assert "exactly one head of household" in response.content.decode()
    assert 'value="Enok Suhaenah"' in response.content.decode()
    assert counts() == before


def test_family_with_two_heads_is_refused(client, sari):
    client.force_login(sari)
    rows = [
        {"full_name": "Ujang", "relationship": "head", "sex": "M"},
        {"full_name": "Enok", "relationship": "head", "sex": "F"},
    ]
    response = client.post(f"{URL}?kind=family", family_post(rows))
    assert response.status_code == 200 and ClientSystem.objects.count() == 0


def test_register_a_group(client, sari):
    client.force_login(sari)
    data = {
        "name": "Kelompok Ibu Cibodas",
        "description": "Ibu-ibu korban banjir.",
        "address": "",
        **member_rows(
            [
                {"full_name": "Ai", "relationship": "member", "sex": "F"},
                {"full_name": "Euis", "relationship": "contact", "sex": "F"},
            ]
        ),
    }
    response = client.post(f"{URL}?kind=group", data)
    assert response.status_code == 302
    cs = ClientSystem.objects.get()
    assert (cs.kind, cs.name) == ("group", "Kelompok Ibu Cibodas")
    assert sorted(cs.memberships.values_list("relationship", flat=True)) == ["contact", "member"]


def test_register_a_community_without_contact_persons(client, sari):
    client.force_login(sari)
    data = {
        "name": "Kampung Cibodas",
        "region_1": "32",
        "region_2": "32.04",
        "region_3": "32.04.05",
        "region_4": "32.04.05.2001",
        "description": "140 rumah tangga mengungsi setelah banjir.",
        "ppks": [str(PPKSCategory.objects.get(slug="kba").pk)],
        **member_rows([{"full_name": "", "relationship": "contact", "sex": ""}]),
    }
    response = client.post(f"{URL}?kind=community", data)
    assert response.status_code == 302
    cs = ClientSystem.objects.get()
    assert (cs.kind, cs.region_id, cs.memberships.count()) == ("community", "32.04.05.2001", 0)


def test_community_needs_a_region(client, sari):
    client.force_login(sari)
    response = client.post(f"{URL}?kind=community", {"name": "Kampung", **member_rows([])})
    assert response.status_code == 200
    assert_clean(response)
    assert ClientSystem.objects.count() == 0


def test_future_birth_date_is_refused_with_a_field_error_and_the_input_kept(client, sari):
    client.force_login(sari)
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    before = counts()
    response = client.post(
        f"{URL}?kind=individual", individual_post(**{"person-birth_date": tomorrow, "person-nik": ""})
    )
    assert response.status_code == 200
    assert_clean(response)
    form = response.context["registration"].person
    assert form.errors["birth_date"] == ["The date of birth cannot be in the future."]
    html = response.content.decode()
    assert 'value="Siti Aminah"' in html and f'value="{tomorrow}"' in html and "Tinggal bersama nenek." in html
    assert counts() == before


def test_nik_problems_show_next_to_the_field(client, sari):
    client.force_login(sari)
    response = client.post(f"{URL}?kind=individual", individual_post(**{"person-sex": "M"}))
    assert response.status_code == 200
    errors = response.context["registration"].person.errors["nik"]
    assert errors == ["The NIK is a woman's (40 is added to the day of birth), but the sex entered is male."]
    assert 'id="id_person-nik_error"' in response.content.decode()


def test_similar_name_and_birth_date_warns_then_saves_when_confirmed(client, sari):
    existing = register_individual(actor=sari, full_name="Mohammad Rizki", sex="M", birth_date=SITI_BIRTH)
    client.force_login(sari)
    data = individual_post(**{"person-full_name": "Muhamad Rizky", "person-sex": "M", "person-nik": ""})
    before = counts()
    response = client.post(f"{URL}?kind=individual", data)
    assert response.status_code == 200
    assert_clean(response)
    html = response.content.decode()
    assert "Is this someone already registered?" in html
    assert f'href="/clients/{existing.pk}/"' in html and "Mohammad Rizki" in html
    assert 'name="confirm_different"' in html
    assert 'value="Muhamad Rizky"' in html and "Tinggal bersama nenek." in html
    assert counts() == before

    response = client.post(f"{URL}?kind=individual", {**data, "confirm_different": "on"})
    assert response.status_code == 302
    assert ClientSystem.objects.filter(name="Muhamad Rizky").exists()


def test_same_family_card_number_warns(client, sari):
    existing = register_family(actor=sari, no_kk=NO_KK_CILEUNYI)
    client.force_login(sari)
    rows = [{"full_name": "Ujang", "relationship": "head", "sex": "M"}]
    response = client.post(f"{URL}?kind=family", family_post(rows))
    assert response.status_code == 200
    assert "Same family card number" in response.content.decode()
    assert f'href="/clients/{existing.pk}/"' in response.content.decode()
    assert ClientSystem.objects.count() == 1


def test_a_match_in_another_team_says_only_that_it_exists(client, sari, dedi):
    hidden = register_individual(actor=dedi, full_name="Mohammad Rizki", sex="M", birth_date=SITI_BIRTH, phone="0899")
    client.force_login(sari)
    response = client.post(
        f"{URL}?kind=individual",
        individual_post(**{"person-full_name": "Muhamad Rizky", "person-sex": "M", "person-nik": ""}),
    )
    html = response.content.decode()
    assert "A matching record exists in another team." in html
    assert "Mohammad Rizki" not in html and f"/clients/{hidden.pk}/" not in html and "0899" not in html


def test_same_nik_is_refused_even_when_confirmed(client, sari, dedi):
    register_individual(actor=dedi, nik=NIK_SITI)
    client.force_login(sari)
    before = counts()
    response = client.post(f"{URL}?kind=individual", {**individual_post(), "confirm_different": "on"})
    assert response.status_code == 200
    assert_clean(response)
    html = response.content.decode()
    assert "This NIK is already registered" in html and 'name="confirm_different"' not in html
    assert response.context["registration"].person.errors["nik"]
    assert counts() == before


def test_same_nik_of_a_family_member_is_refused(client, sari):
    register_individual(actor=sari, full_name="Enok", nik=NIK_ENOK, birth_date=datetime.date(1950, 7, 2))
    client.force_login(sari)
    response = client.post(f"{URL}?kind=family", {**family_post(), "confirm_different": "on"})
    assert response.status_code == 200
    assert response.context["registration"].members.forms[0].errors["nik"]
    assert ClientSystem.objects.count() == 1


def test_add_another_member_keeps_everything_and_saves_nothing(client, sari):
    client.force_login(sari)
    before = counts()
    response = client.post(f"{URL}?kind=family", {**family_post(), "add_member": "1"})
    assert response.status_code == 200
    assert_clean(response)
    html = response.content.decode()
    assert 'name="members-TOTAL_FORMS" value="4"' in html and 'name="members-3-full_name"' in html
    assert 'value="Enok Suhaenah"' in html and f'value="{NO_KK_CILEUNYI}"' in html
    assert "field-error" not in html  # not validated yet
    assert counts() == before


def test_add_another_member_over_htmx_returns_only_the_members(client, sari):
    client.force_login(sari)
    response = client.post(
        f"{URL}?kind=group",
        {"name": "G", **member_rows([{"full_name": "Ai"}]), "add_member": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert_clean(response)
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="members"') and "<html" not in html
    assert 'name="members-1-full_name"' in html and 'value="Ai"' in html
    assert "HX-Request" in response["Vary"]


def test_district_mismatch_is_shown_as_a_warning_after_saving(client, sari):
    client.force_login(sari)
    data = individual_post(**{"person-region_3": "32.04.33", "person-region_4": ""})
    response = client.post(f"{URL}?kind=individual", data, follow=True)
    assert ClientSystem.objects.count() == 1
    html = response.content.decode()
    assert "The NIK was issued in Cileunyi, but the address is in Majalaya" in html
