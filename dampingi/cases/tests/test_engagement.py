"""Contract and consent: the two things Engagement needs before the case moves on."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dampingi.audit.models import AuditEvent
from dampingi.cases.models import Consent, Contract
from dampingi.cases.services import consent_record, consent_withdraw, contract_update
from dampingi.cases.tests.conftest import assert_clean, page_text, row_counts
from dampingi.clients.models import ClientSystem
from dampingi.core.concurrency import ConcurrentEditError
from dampingi.testing.cases import record_consent, sign_contract
from dampingi.testing.factories import ClientSystemFactory, PersonFactory, make_case

TODAY = timezone.localdate


def contract_data(**overrides):
    today = TODAY()
    data = {
        "focus": "Anak kembali sekolah",
        "client_goals": "Cucu saya sekolah lagi",
        "worker_duties": "Kunjungan rumah",
        "client_duties": "Hadir pada pertemuan",
        "meeting_schedule": "Selasa sore",
        "start_date": today.isoformat(),
        "end_date": (today + datetime.timedelta(days=90)).isoformat(),
        "signed_on": today.isoformat(),
    }
    data.update(overrides)
    return data


def consent_data(**overrides):
    data = {
        "given_by": "guardian",
        "giver_name": "Iyah",
        "method": "paper",
        "witness_name": "",
        "given_on": TODAY().isoformat(),
        "covers_processing": "on",
        "covers_sharing": "",
        "scope_note": "",
    }
    data.update(overrides)
    return data


# --- Contract ---------------------------------------------------------------------------------


def test_contract_page_renders_and_creates_the_contract(client, sari, sari_case):
    client.force_login(sari)
    url = reverse("cases:contract", args=[sari_case.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert_clean(response)
    response = client.post(url, contract_data())
    assert response.status_code == 302
    assert response["Location"].endswith("#engagement")
    contract = Contract.objects.get(case=sari_case)
    assert contract.signed_on == TODAY()
    assert AuditEvent.objects.filter(case=sari_case, action="contract.create", actor=sari).exists()


def test_contract_end_before_start_is_a_field_error(client, sari, sari_case):
    client.force_login(sari)
    before = row_counts()
    start = TODAY()
    response = client.post(
        reverse("cases:contract", args=[sari_case.pk]),
        contract_data(start_date=start.isoformat(), end_date=(start - datetime.timedelta(days=1)).isoformat()),
    )
    assert response.status_code == 200
    assert_clean(response)
    assert "The end date cannot be before the start date." in response.context["form"].errors["end_date"]
    assert "Cucu saya sekolah lagi" in response.content.decode()
    assert row_counts() == before


def test_contract_signed_in_the_future_is_refused(client, sari, sari_case):
    client.force_login(sari)
    before = row_counts()
    tomorrow = TODAY() + datetime.timedelta(days=1)
    response = client.post(
        reverse("cases:contract", args=[sari_case.pk]), contract_data(signed_on=tomorrow.isoformat())
    )
    assert response.status_code == 200
    assert response.context["form"].errors["signed_on"]
    assert row_counts() == before


def test_contract_edit_uses_optimistic_locking(client, sari, ratna, sari_case):
    contract = sign_contract(sari_case, sari, signed_on=None)
    client.force_login(sari)
    url = reverse("cases:contract", args=[sari_case.pk])
    response = client.get(url)
    assert f'name="version" value="{contract.version}"' in response.content.decode()
    # Bu Ratna saves first.
    fields = {k: getattr(contract, k) for k in ("focus", "client_goals", "worker_duties", "client_duties")}
    contract_update(
        actor=ratna,
        case_id=sari_case.pk,
        expected_version=contract.version,
        meeting_schedule="Kamis pagi",
        start_date=contract.start_date,
        end_date=contract.end_date,
        signed_on=None,
        **fields,
    )
    response = client.post(url, contract_data(version=contract.version, meeting_schedule="Senin sore"))
    assert response.status_code == 200
    assert "Someone else saved this record" in page_text(response)
    assert "Senin sore" in response.content.decode()
    contract.refresh_from_db()
    assert contract.meeting_schedule == "Kamis pagi"
    # With the fresh version the save goes through and is audited with before/after.
    response = client.post(url, contract_data(version=contract.version, meeting_schedule="Senin sore"))
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.meeting_schedule == "Senin sore"
    event = AuditEvent.objects.filter(action="contract.update", actor=sari).get()
    assert event.before["meeting_schedule"] == "Kamis pagi" and event.after["meeting_schedule"] == "Senin sore"


def test_contract_written_twice_at_the_same_time_is_a_conflict(sari, sari_case):
    sign_contract(sari_case, sari)
    with pytest.raises(ConcurrentEditError):
        sign_contract(sari_case, sari)


# --- Consent ----------------------------------------------------------------------------------


def test_consent_page_renders_and_records_consent(client, sari, sari_case):
    client.force_login(sari)
    url = reverse("cases:consent_add", args=[sari_case.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert_clean(response)
    # The default client is a child: the page says who consents.
    assert "consent is given by a parent or guardian" in page_text(response)
    response = client.post(url, consent_data())
    assert response.status_code == 302
    consent = Consent.objects.get(case=sari_case)
    assert (consent.given_by, consent.recorded_by, consent.is_active) == ("guardian", sari, True)
    assert AuditEvent.objects.filter(case=sari_case, action="consent.create").exists()


def test_consent_by_a_child_is_refused(client, sari, sari_case):
    client.force_login(sari)
    before = row_counts()
    response = client.post(
        reverse("cases:consent_add", args=[sari_case.pk]), consent_data(given_by="client", giver_name="Putri")
    )
    assert response.status_code == 200
    assert_clean(response)
    errors = " ".join(response.context["form"].errors["given_by"])
    assert "a child's consent is given by a parent or guardian" in errors
    assert row_counts() == before


def test_the_age_counts_on_the_consent_date(sari):
    """A client who turned 18 after the consent date was still a child when consenting."""
    client_system = ClientSystemFactory(created_by=sari, with_person=False)
    birth = TODAY().replace(year=TODAY().year - 18) - datetime.timedelta(days=10)
    person = PersonFactory(full_name="Rani", birth_date=birth)
    client_system.memberships.create(person=person, relationship="self")
    case = make_case(worker=sari, client_system=client_system)
    consent_record(actor=sari, case_id=case.pk, given_by="client", giver_name="Rani", method="paper", given_on=TODAY())
    with pytest.raises(ValidationError) as exc:
        consent_record(
            actor=sari,
            case_id=case.pk,
            given_by="client",
            giver_name="Rani",
            method="paper",
            given_on=TODAY() - datetime.timedelta(days=30),
        )
    assert "given_by" in exc.value.error_dict


def test_an_adult_or_a_family_consents_for_themselves(sari):
    adult = ClientSystemFactory(created_by=sari, with_person=False)
    adult.memberships.create(person=PersonFactory(birth_date=datetime.date(1950, 1, 1)), relationship="self")
    family = ClientSystemFactory(created_by=sari, kind=ClientSystem.Kind.FAMILY)
    for cs in (adult, family):
        case = make_case(worker=sari, client_system=cs)
        record_consent(case, sari, given_by="client")
    assert Consent.objects.filter(given_by="client").count() == 2


def test_verbal_consent_needs_a_witness(client, sari, sari_case):
    client.force_login(sari)
    before = row_counts()
    response = client.post(reverse("cases:consent_add", args=[sari_case.pk]), consent_data(method="verbal"))
    assert response.status_code == 200
    assert "Verbal consent needs the name of the witness." in response.context["form"].errors["witness_name"]
    assert row_counts() == before
    response = client.post(
        reverse("cases:consent_add", args=[sari_case.pk]), consent_data(method="verbal", witness_name="Pak RT")
    )
    assert response.status_code == 302


def test_consent_dated_in_the_future_or_covering_nothing_is_refused(client, sari, sari_case):
    client.force_login(sari)
    before = row_counts()
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    response = client.post(reverse("cases:consent_add", args=[sari_case.pk]), consent_data(given_on=tomorrow))
    assert response.context["form"].errors["given_on"]
    response = client.post(reverse("cases:consent_add", args=[sari_case.pk]), consent_data(covers_processing=""))
    assert response.context["form"].errors["covers_processing"]
    assert row_counts() == before


def test_withdrawing_consent(client, sari, sari_case):
    consent = record_consent(sari_case, sari, given_on=TODAY() - datetime.timedelta(days=10))
    client.force_login(sari)
    url = reverse("cases:consent_withdraw", args=[sari_case.pk, consent.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert_clean(response)
    before = row_counts()
    too_early = (consent.given_on - datetime.timedelta(days=1)).isoformat()
    response = client.post(url, {"withdrawn_on": too_early})
    assert "Consent cannot be withdrawn before it was given." in response.context["form"].errors["withdrawn_on"]
    assert row_counts() == before
    response = client.post(url, {"withdrawn_on": TODAY().isoformat()})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == TODAY() and not consent.is_active
    assert AuditEvent.objects.filter(action="consent.withdraw", actor=sari).exists()
    # Already withdrawn: the page is gone, the service refuses.
    assert client.get(url).status_code == 404
    with pytest.raises(ValidationError):
        consent_withdraw(actor=sari, case_id=sari_case.pk, consent_id=consent.pk, withdrawn_on=TODAY())


def test_case_page_shows_contract_and_consents(client, sari, sari_case):
    sign_contract(sari_case, sari, focus="Fokus kesepakatan")
    record_consent(sari_case, sari, giver_name="Iyah binti Sarmin")
    client.force_login(sari)
    response = client.get(reverse("cases:detail", args=[sari_case.pk]))
    body = response.content.decode()
    assert "Fokus kesepakatan" in body
    assert "Iyah binti Sarmin" in body
    assert response.context["engagement_missing"] == []
