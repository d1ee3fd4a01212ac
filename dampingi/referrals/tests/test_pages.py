"""The worker's and the partner's pages: refer from a case, follow and answer a referral."""

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from dampingi.directory.models import Service
from dampingi.referrals.models import Referral
from dampingi.referrals.tests.conftest import counts, future, sharing_consent
from dampingi.testing.casework import assert_clean


def new_url(case, **params):
    url = reverse("referrals:new", args=[case.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def form_data(case, service, **overrides):
    data = {
        "service": str(service.pk),
        "reason": "Perlu pemeriksaan gizi.",
        "urgency": "urgent",
        "answer_by": future().isoformat(),
        "shared_sections": ["identity-basic", "contact"],
        "notes_for_service": "",
        "consent_basis": "case",
        "consent": str(sharing_consent(case).pk),
        "action": "send",
    }
    data.update(overrides)
    return data


def test_the_search_shows_capacity_and_last_verification_before_choosing(client, sari, referred_case, gizi_service):
    Service.objects.create(organization=gizi_service.organization, name="Posyandu penuh", capacity="no_capacity")
    client.force_login(sari)
    response = client.get(new_url(referred_case, q="gizi"))
    body = assert_clean(response)
    assert "Layanan gizi anak" in body
    assert "capacity" in body.lower()
    assert gizi_service.last_verified_on.strftime("%m/%d/%Y") in body or "Last verified" in body
    response = client.get(new_url(referred_case))
    body = html.unescape(assert_clean(response))
    assert "no capacity now" in body
    assert f"?service={gizi_service.pk}" in body


def test_the_form_preselects_the_minimum_and_explains_each_section(client, sari, referred_case, gizi_service):
    client.force_login(sari)
    body = assert_clean(client.get(new_url(referred_case, service=gizi_service.pk)))
    assert 'value="identity-basic" id="id_shared_identity-basic" checked disabled' in body
    assert 'value="nik" id="id_shared_nik" aria' in body  # not checked
    assert "only when the service needs it to register the client" in body
    assert "Iyah (nenek, wali)" in body  # the case's consent that covers sharing is offered


def test_worker_sends_a_referral_through_the_form(client, sari, referred_case, gizi_service):
    client.force_login(sari)
    response = client.post(new_url(referred_case), form_data(referred_case, gizi_service))
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("referrals:detail", args=[referral.pk])
    assert referral.status == "requested"
    assert referral.shared_sections == ["identity-basic", "contact"]
    body = assert_clean(client.get(response["Location"]))
    assert "Referral sent to Layanan gizi anak." in body
    assert "sent, waiting for an answer" in body


def test_worker_saves_a_draft_then_changes_and_sends_it(client, sari, referred_case, gizi_service):
    client.force_login(sari)
    client.post(new_url(referred_case), form_data(referred_case, gizi_service, action="draft", consent_basis="later"))
    referral = Referral.objects.get()
    assert referral.status == "draft" and referral.consent_id is None
    edit = reverse("referrals:edit", args=[referral.pk])
    body = assert_clean(client.get(edit))
    assert "Perlu pemeriksaan gizi." in body
    data = form_data(referred_case, gizi_service, reason="Perlu PMT.", version=str(referral.version))
    response = client.post(edit, data)
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.reason) == ("requested", "Perlu PMT.")
    response = client.get(edit)
    assert response.status_code == 302  # a sent referral is no longer editable


def test_sending_without_consent_shows_the_error_and_keeps_the_input(client, sari, referred_case, gizi_service):
    client.force_login(sari)
    before = counts()
    response = client.post(
        new_url(referred_case),
        form_data(referred_case, gizi_service, consent_basis="later", reason="Alasan yang panjang sekali"),
    )
    assert response.status_code == 200
    body = assert_clean(response)
    assert "has not consented to sharing" in html.unescape(body)
    assert "Alasan yang panjang sekali" in body
    assert 'value="contact" id="id_shared_contact" checked' in body
    assert counts() == before


def test_an_override_without_a_reason_is_a_field_error(client, sari, referred_case, gizi_service):
    client.force_login(sari)
    response = client.post(new_url(referred_case), form_data(referred_case, gizi_service, consent_basis="override"))
    assert response.status_code == 200
    assert response.context["form"].errors["override_reason"] == ["Give the reason to share without consent."]


def test_a_past_answer_by_date_is_a_field_error(client, sari, referred_case, gizi_service):
    client.force_login(sari)
    yesterday = (timezone.localdate() - timezone.timedelta(days=1)).isoformat()
    response = client.post(new_url(referred_case), form_data(referred_case, gizi_service, answer_by=yesterday))
    assert response.context["form"].errors["answer_by"] == ["The answer-by date must be after today."]
    assert f'value="{yesterday}"' in response.content.decode()


def test_a_waitlisted_service_asks_for_confirmation(client, sari, referred_case, gizi_service):
    Service.objects.filter(pk=gizi_service.pk).update(capacity="waitlist")
    client.force_login(sari)
    response = client.post(new_url(referred_case), form_data(referred_case, gizi_service))
    assert response.status_code == 200
    assert "confirm_waitlist" in response.context["form"].errors
    response = client.post(new_url(referred_case), form_data(referred_case, gizi_service, confirm_waitlist="on"))
    assert response.status_code == 302
    assert Referral.objects.get().status == "requested"


def test_an_inactive_service_sends_the_worker_back_to_the_search(client, sari, referred_case, gizi_service):
    Service.objects.filter(pk=gizi_service.pk).update(status="inactive")
    client.force_login(sari)
    response = client.get(new_url(referred_case, service=gizi_service.pk))
    assert response.status_code == 302 and response["Location"] == new_url(referred_case)


def _move(client, referral, target, status, **fields):
    data = {"move": target, f"m-{target}-target": target, f"m-{target}-expected_status": status}
    data.update({f"m-{target}-{k}": v for k, v in fields.items()})
    return client.post(reverse("referrals:move", args=[referral.pk]), data)


def test_partner_accepts_starts_and_completes_with_an_outcome(client, sent, puskesmas_staff, sari):
    client.force_login(puskesmas_staff)
    body = assert_clean(client.get(reverse("referrals:detail", args=[sent.pk])))
    assert "Accept" in body and "Reject" in body
    assert _move(client, sent, "accepted", "requested").status_code == 302
    assert _move(client, sent, "in-progress", "accepted").status_code == 302
    response = _move(client, sent, "completed", "in-progress", outcome="")
    assert response.status_code == 200
    body = assert_clean(response)
    assert "Record the outcome" in body
    response = _move(client, sent, "completed", "in-progress", outcome="Anak sudah mendapat PMT 90 hari.")
    assert response.status_code == 302
    sent.refresh_from_db()
    assert (sent.status, sent.outcome) == ("completed", "Anak sudah mendapat PMT 90 hari.")
    client.force_login(sari)
    body = assert_clean(client.get(reverse("referrals:detail", args=[sent.pk])))
    assert "Anak sudah mendapat PMT 90 hari." in body
    assert "This referral is closed." in body


def test_reject_without_reason_keeps_the_form_and_shows_the_error(client, sent, puskesmas_staff):
    client.force_login(puskesmas_staff)
    before = counts()
    response = _move(client, sent, "rejected", "requested", reason="  ")
    assert response.status_code == 200
    assert "Say why the referral is rejected." in response.content.decode()
    assert counts()[:2] == before[:2]  # no referral change, no event (the page view itself is audited)


def test_a_stale_answer_shows_the_current_state(client, sent, puskesmas_staff):
    client.force_login(puskesmas_staff)
    _move(client, sent, "accepted", "requested")
    response = _move(client, sent, "rejected", "requested", reason="Penuh")
    assert response.status_code == 200
    body = assert_clean(response)
    assert "The referral is already accepted. Reload the page to see its current state." in body
    assert "Start the service" in body


def test_worker_sends_a_draft_from_its_page(client, draft, sari):
    client.force_login(sari)
    body = assert_clean(client.get(reverse("referrals:detail", args=[draft.pk])))
    assert "Change the draft" in body and "Send" in body
    assert _move(client, draft, "requested", "draft").status_code == 302
    draft.refresh_from_db()
    assert draft.status == "requested"


def test_sending_a_draft_without_consent_from_its_page_shows_why(client, referred_case, gizi_service, sari):
    from dampingi.referrals.tests.conftest import new_referral

    draft = new_referral(referred_case, gizi_service, sari, consent_id=None)
    client.force_login(sari)
    response = _move(client, draft, "requested", "draft")
    assert response.status_code == 200
    assert "has not consented" in html.unescape(response.content.decode())


def test_the_inbox_filters_by_status_and_marks_overdue(client, sent, puskesmas_staff):
    Referral.objects.filter(pk=sent.pk).update(answer_by=timezone.localdate() - timezone.timedelta(days=1))
    client.force_login(puskesmas_staff)
    body = assert_clean(client.get(reverse("referrals:inbox")))
    assert "answer overdue" in body
    response = client.get(reverse("referrals:inbox") + "?status=accepted")
    assert list(response.context["page_obj"]) == []
    response = client.get(reverse("referrals:inbox") + "?overdue=on")
    assert [r.pk for r in response.context["page_obj"]] == [sent.pk]


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_letter_is_in_the_language_of_the_case(language, client, sent, sari, referred_case):
    from dampingi.cases.models import Case

    Case.objects.filter(pk=referred_case.pk).update(language=language)
    client.force_login(sari)
    response = client.get(reverse("referrals:letter", args=[sent.pk]))
    body = assert_clean(response)
    assert f'<html lang="{language}">' in body
    assert response["Content-Language"] == language
    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override(language):  # dates in the case's language (Django's own locale data)
        assert date_format(timezone.localdate(sent.sent_at), "DATE_FORMAT") in body
    with translation.override("id" if language == "en" else "en"):
        assert date_format(timezone.localdate(sent.sent_at), "DATE_FORMAT") not in body
    assert "Putri Lestari" in body and sent.reference in body
    assert "081234567890" not in body  # contact was not shared


def test_the_letter_of_a_draft_is_marked(client, draft, sari):
    draft.case.language = "en"  # the letter is written in the case file's language
    draft.case.save(update_fields=["language"])
    client.force_login(sari)
    assert "DRAFT — not sent" in client.get(reverse("referrals:letter", args=[draft.pk])).content.decode()
