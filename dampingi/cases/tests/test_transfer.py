"""Transfer of a case to another worker: asked by the team, decided by the supervisor, history kept."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dampingi.accounts.models import Role
from dampingi.audit.models import AuditEvent
from dampingi.cases.models import Approval, Case, Transfer
from dampingi.cases.permissions import cases_visible_to
from dampingi.cases.services import approval_decide, case_transfer_request
from dampingi.cases.tests.conftest import assert_clean, page_text, row_counts
from dampingi.testing.cases import add_note
from dampingi.testing.factories import TeamFactory, UserFactory


@pytest.fixture
def kota_worker(db):
    """A worker of Kota Bandung: another regency than Sari's team."""
    supervisor = UserFactory(username="wulan", role=Role.SUPERVISOR)
    team = TeamFactory(name="Tim Kota Bandung", region_id="32.73", supervisor=supervisor)
    return UserFactory(username="asep", first_name="Asep", role=Role.WORKER, team=team)


def url(case):
    return reverse("cases:transfer", args=[case.pk])


def test_approved_transfer_hands_the_case_to_the_new_worker_and_team_and_keeps_the_file(sari, dedi, ratna, sari_case):
    add_note(sari_case, sari)
    transfer = case_transfer_request(actor=sari, case_id=sari_case.pk, to_worker=dedi, reason="Keluarga pindah.")
    sari_case.refresh_from_db()
    assert sari_case.assigned_worker == sari  # nothing changes before the decision

    approval_decide(actor=ratna, approval_id=transfer.approval_id, approve=True)

    sari_case.refresh_from_db()
    transfer.refresh_from_db()
    assert (sari_case.assigned_worker, sari_case.team, sari_case.supervisor) == (dedi, dedi.team, ratna)
    assert transfer.applied_at is not None
    assert sari_case.activity_notes.count() == 1
    assert sari_case in cases_visible_to(dedi)
    assert sari_case not in cases_visible_to(sari)  # Sari's team no longer holds it
    event = AuditEvent.objects.get(action="case.transfer", case=sari_case)
    assert event.actor == ratna
    assert (event.before["assigned_worker_id"], event.after["assigned_worker_id"]) == (sari.pk, dedi.pk)


def test_returned_transfer_changes_nothing_and_a_new_one_can_be_asked(sari, dedi, ratna, sari_case):
    transfer = case_transfer_request(actor=sari, case_id=sari_case.pk, to_worker=dedi, reason="Beban kasus.")
    approval_decide(actor=ratna, approval_id=transfer.approval_id, approve=False, comment="Tunggu bulan depan.")

    sari_case.refresh_from_db()
    assert sari_case.assigned_worker == sari
    assert Transfer.objects.get().applied_at is None
    case_transfer_request(actor=sari, case_id=sari_case.pk, to_worker=dedi, reason="Beban kasus, lagi.")
    assert Transfer.objects.count() == 2


@pytest.mark.parametrize(
    ("to", "reason", "field"),
    [("sari", "Pindah", "to_worker"), ("kota", "Pindah", "to_worker"), ("dedi", "  ", "reason")],
)
def test_transfer_is_refused_to_the_same_worker_outside_the_regency_or_without_a_reason(
    request, sari, sari_case, kota_worker, to, reason, field
):
    to_worker = kota_worker if to == "kota" else request.getfixturevalue(to)
    before = row_counts()

    with pytest.raises(ValidationError) as exc:
        case_transfer_request(actor=sari, case_id=sari_case.pk, to_worker=to_worker, reason=reason)

    assert field in exc.value.message_dict
    assert row_counts() == before


def test_only_one_transfer_waits_at_a_time(sari, dedi, sari_case):
    case_transfer_request(actor=sari, case_id=sari_case.pk, to_worker=dedi, reason="Pindah.")
    with pytest.raises(ValidationError, match="already waiting"):
        case_transfer_request(actor=sari, case_id=sari_case.pk, to_worker=dedi, reason="Pindah lagi.")


def test_a_transfer_decided_after_the_case_changed_hands_is_refused(sari, dedi, ratna, sari_case):
    transfer = case_transfer_request(actor=sari, case_id=sari_case.pk, to_worker=dedi, reason="Pindah.")
    Case.objects.filter(pk=sari_case.pk).update(assigned_worker=ratna)

    with pytest.raises(ValidationError, match="someone else meanwhile"):
        approval_decide(actor=ratna, approval_id=transfer.approval_id, approve=True)
    assert Approval.objects.get(pk=transfer.approval_id).status == Approval.Status.PENDING


def test_the_manager_and_other_teams_cannot_ask_for_a_transfer(client, sari_case, dedi, hendra):
    with pytest.raises(PermissionDenied):
        case_transfer_request(actor=hendra, case_id=sari_case.pk, to_worker=dedi, reason="x")
    before = row_counts()
    for user, status in [(dedi, 404), (hendra, 404)]:
        client.force_login(user)
        assert client.post(url(sari_case), {"to_worker": dedi.pk, "reason": "x"}).status_code == status
    assert row_counts() == before


def test_worker_asks_for_a_transfer_in_the_form_and_the_supervisor_sees_it(client, sari, dedi, ratna, sari_case):
    client.force_login(sari)
    page = client.get(url(sari_case))
    assert_clean(page)
    assert str(dedi) in page_text(page)

    refused = client.post(url(sari_case), {"to_worker": dedi.pk, "reason": ""})
    assert refused.status_code == 200
    assert refused.context["form"].errors["reason"]

    response = client.post(url(sari_case), {"to_worker": dedi.pk, "reason": "Keluarga pindah ke Majalaya."})
    assert response.status_code == 302
    assert response["Location"].endswith("#transfer")
    client.force_login(ratna)
    case_page = client.get(reverse("cases:detail", args=[sari_case.pk]))
    assert_clean(case_page)
    text = page_text(case_page)
    assert "Keluarga pindah ke Majalaya." in text
    assert 'href="#transfer"' in text
    assert client.get(reverse("cases:approvals")).status_code == 200
