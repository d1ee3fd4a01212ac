"""Least data: the receiving organisation sees the request and the shared sections, nothing else."""

import pytest
from django.urls import reverse
from django.utils import timezone

from dampingi.referrals.models import Referral
from dampingi.referrals.selectors import shared_view
from dampingi.referrals.sharing import Section
from dampingi.referrals.tests.conftest import new_referral
from dampingi.testing.casework import add_assessment, add_plan, assert_clean

SECRETS = {
    Section.NIK: "3204054203140001",
    Section.CONTACT: "081234567890",
    Section.DISABILITY: "low vision",
    Section.PRESENTING_PROBLEM: "Anak ditinggal orang tua",
    Section.ASSESSMENT_SUMMARY: "Ringkasan asesmen rahasia",
    Section.PLAN_GOALS: "Tujuan 1",
    Section.NOTES: "Catatan untuk puskesmas",
}


@pytest.fixture
def full_case(referred_case, sari):
    add_assessment(referred_case, sari, completed=True, summary="Ringkasan asesmen rahasia")
    add_plan(referred_case)
    return referred_case


def _partner_page(client, partner, referral) -> str:
    client.force_login(partner)
    response = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert response.status_code == 200
    return assert_clean(response)


def test_the_minimum_shows_identity_and_the_request_only(client, full_case, gizi_service, sari, puskesmas_staff):
    referral = new_referral(full_case, gizi_service, sari, send=True)
    body = _partner_page(client, puskesmas_staff, referral)
    assert "Putri Lestari" in body
    assert "Berat badan kurang, perlu pemeriksaan gizi." in body
    age = full_case.client_system.members.get().age_on(timezone.localdate())
    assert f"{age} years" in body
    for section, secret in SECRETS.items():
        assert secret not in body, section
    # The case reference and the risks of the assessment are never part of the partner's page.
    assert full_case.reference not in body
    view = shared_view(referral)
    assert (view.nik, view.phone, view.address, view.presenting_problem, view.assessment_summary) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert view.plan_goals == [] and view.notes == ""


@pytest.mark.parametrize("section", list(SECRETS))
def test_each_section_adds_exactly_its_own_data(section, client, full_case, gizi_service, sari, puskesmas_staff):
    notes = SECRETS[Section.NOTES] if section == Section.NOTES else ""
    referral = new_referral(
        full_case, gizi_service, sari, shared_sections=[section], notes_for_service=notes, send=True
    )
    body = _partner_page(client, puskesmas_staff, referral)
    assert SECRETS[section] in body
    for other, secret in SECRETS.items():
        if other != section:
            assert secret not in body, (section, other)


def test_everything_shared_appears_in_the_letter(client, full_case, gizi_service, sari, puskesmas_staff):
    referral = new_referral(
        full_case,
        gizi_service,
        sari,
        shared_sections=list(Section.values),
        notes_for_service=SECRETS[Section.NOTES],
        send=True,
    )
    client.force_login(puskesmas_staff)
    body = assert_clean(client.get(reverse("referrals:letter", args=[referral.pk])))
    for secret in SECRETS.values():
        assert secret in body


def test_sections_unshared_after_all_are_not_read(full_case, gizi_service, sari, django_assert_num_queries):
    referral = new_referral(full_case, gizi_service, sari, send=True)
    referral = Referral.objects.select_related("case__team", "created_by", "consent").get(pk=referral.pk)
    # client system, membership: nothing of the assessment, plan or notes is queried
    with django_assert_num_queries(2):
        shared_view(referral)


def test_a_withdrawn_consent_hides_the_shared_data_from_then_on(client, referred_case, sent, sari, puskesmas_staff):
    from dampingi.cases.services import consent_withdraw
    from dampingi.referrals.tests.conftest import sharing_consent

    Referral.objects.filter(pk=sent.pk).update(shared_sections=["identity-basic", "contact"])
    consent = sharing_consent(referred_case)
    consent_withdraw(actor=sari, case_id=referred_case.pk, consent_id=consent.pk, withdrawn_on=timezone.localdate())
    body = _partner_page(client, puskesmas_staff, sent)
    assert "The client withdrew the consent to share on" in body
    assert "Putri Lestari" not in body and "081234567890" not in body
    assert "Berat badan kurang, perlu pemeriksaan gizi." in body  # the request itself stays readable
