"""The casework services called directly, as the API, commands and the demo generator call them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from dampingi.audit.models import AuditEvent
from dampingi.cases import services
from dampingi.cases.models import Approval
from dampingi.cases.tests.conftest import row_counts
from dampingi.testing.cases import add_note, record_consent, sign_contract

TODAY = timezone.localdate


def _calls(case):
    """One call of every casework write, ready to run as a given actor."""
    today = TODAY()
    return {
        "contract_create": lambda actor: services.contract_create(
            actor=actor,
            case_id=case.pk,
            focus="f",
            client_goals="g",
            worker_duties="w",
            client_duties="c",
            meeting_schedule="m",
            start_date=today,
            end_date=today,
            signed_on=today,
        ),
        "consent_record": lambda actor: services.consent_record(
            actor=actor, case_id=case.pk, given_by="parent", giver_name="Ibu", method="paper", given_on=today
        ),
        "stakeholder_add": lambda actor: services.stakeholder_add(
            actor=actor, case_id=case.pk, kind="family", name="Paman", role="wali"
        ),
        "activity_note_add": lambda actor: services.activity_note_add(
            actor=actor, case_id=case.pk, kind="home_visit", occurred_on=today, narrative="n"
        ),
    }


@pytest.mark.parametrize("name", ["contract_create", "consent_record", "stakeholder_add", "activity_note_add"])
def test_outsiders_are_refused_by_the_services_and_nothing_changes(sari_case, dedi, hendra, yogi, name):
    call = _calls(sari_case)[name]
    before = row_counts()
    for actor, error in ((dedi, Http404), (yogi, Http404), (hendra, PermissionDenied)):
        with pytest.raises(error):
            call(actor)
    assert row_counts() == before


@pytest.mark.parametrize("name", ["contract_create", "consent_record", "stakeholder_add", "activity_note_add"])
def test_each_write_is_audited_in_its_transaction(sari_case, sari, name):
    obj = _calls(sari_case)[name](sari)
    event = AuditEvent.objects.filter(case=sari_case, actor=sari).exclude(action="case.open").get()
    assert event.target_type == obj._meta.label_lower
    assert event.target_id == str(obj.pk)
    assert event.after is not None


def test_supervisor_records_casework_too(sari_case, ratna):
    note = _calls(sari_case)["activity_note_add"](ratna)
    assert note.author == ratna


def test_closed_case_refuses_casework(sari_case, sari, ratna):
    services.case_terminate(actor=sari, case_id=sari_case.pk, reason="moved", summary="Pindah.")
    services.approval_decide(actor=ratna, approval_id=Approval.objects.get(case=sari_case).pk, approve=True)
    before = row_counts()
    for call in _calls(sari_case).values():
        with pytest.raises(PermissionDenied):
            call(sari)
        with pytest.raises(PermissionDenied):
            call(ratna)
    assert row_counts() == before


def test_contract_rules_hold_in_the_service(sari_case, sari):
    today = TODAY()
    with pytest.raises(ValidationError) as exc:
        services.contract_create(
            actor=sari,
            case_id=sari_case.pk,
            focus="f",
            client_goals="g",
            worker_duties="w",
            client_duties="c",
            meeting_schedule="m",
            start_date=today,
            end_date=today - datetime.timedelta(days=1),
            signed_on=today + datetime.timedelta(days=1),
        )
    assert set(exc.value.error_dict) == {"end_date", "signed_on"}


def test_note_phase_is_the_case_phase_and_duration_is_bounded(sari_case, sari):
    note = add_note(sari_case, sari)
    assert note.phase == "engagement"
    with pytest.raises(ValidationError) as exc:
        add_note(sari_case, sari, duration_minutes=24 * 60 + 1, occurred_on=TODAY() + datetime.timedelta(days=1))
    assert set(exc.value.error_dict) == {"duration_minutes", "occurred_on"}


def test_consent_of_a_child_by_the_client_is_refused_in_the_service(sari_case, sari):
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        record_consent(sari_case, sari, given_by="client")
    assert "given_by" in exc.value.error_dict
    assert row_counts() == before


def test_engagement_guard_reads_contract_and_active_consent(sari_case, sari):
    from dampingi.cases.guards import engagement_ready

    assert len(engagement_ready(sari_case)) == 2
    sign_contract(sari_case, sari)
    record_consent(sari_case, sari, covers_processing=False, covers_sharing=True)
    sari_case.refresh_from_db()
    assert engagement_ready(sari_case) == ["recorded consent to data processing"]
    record_consent(sari_case, sari)
    sari_case.refresh_from_db()
    assert engagement_ready(sari_case) == []


def test_view_is_recorded(sari_case, hendra):
    services.case_record_view(actor=hendra, case=sari_case)
    assert AuditEvent.objects.filter(action="case.view", actor=hendra, case=sari_case).count() == 1
