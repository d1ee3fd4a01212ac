"""Every page and every write of the cases area over the cast, with nothing changed on denial.

sari: her case; dedi: worker of another team (404 everywhere); ratna: supervisor of both teams;
hendra: manager of Kab. Bandung (reads, never writes); yogi: administrator (no case role, 404).
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dampingi.audit.models import AuditEvent
from dampingi.cases.services import stakeholder_add
from dampingi.cases.tests.conftest import assert_clean, row_counts
from dampingi.testing.cases import add_note, record_consent, submitted_plan

PERSONAS = ["sari", "dedi", "ratna", "hendra", "yogi"]
READ = {"sari": 200, "dedi": 404, "ratna": 200, "hendra": 200, "yogi": 404}
WRITE_PAGE = {"sari": 200, "dedi": 404, "ratna": 200, "hendra": 404, "yogi": 404}
WRITE = {"sari": 302, "dedi": 404, "ratna": 302, "hendra": 404, "yogi": 404}
DECIDE = {"sari": 404, "dedi": 404, "ratna": 302, "hendra": 404, "yogi": 404}


@pytest.fixture
def file(sari, sari_case):
    """Sari's case in Engagement with a consent, a stakeholder, a note and a plan waiting for approval."""
    consent = record_consent(sari_case, sari, given_on=timezone.localdate() - datetime.timedelta(days=5))
    stakeholder = stakeholder_add(actor=sari, case_id=sari_case.pk, kind="family", name="Pak Dadang", role="paman")
    note = add_note(sari_case, sari, kind="intake")
    approval = submitted_plan(sari_case, sari)
    return {"case": sari_case, "consent": consent, "stakeholder": stakeholder, "note": note, "approval": approval}


def _urls(f):
    pk = f["case"].pk
    return {
        "detail": reverse("cases:detail", args=[pk]),
        "timeline": reverse("cases:timeline", args=[pk]),
        "timeline_latest": reverse("cases:timeline_latest", args=[pk]),
        "notes": reverse("cases:notes", args=[pk]),
        "contract": reverse("cases:contract", args=[pk]),
        "consent_add": reverse("cases:consent_add", args=[pk]),
        "consent_withdraw": reverse("cases:consent_withdraw", args=[pk, f["consent"].pk]),
        "stakeholder_add": reverse("cases:stakeholder_add", args=[pk]),
        "stakeholder_edit": reverse("cases:stakeholder_edit", args=[pk, f["stakeholder"].pk]),
        "stakeholder_remove": reverse("cases:stakeholder_remove", args=[pk, f["stakeholder"].pk]),
        "note_add": reverse("cases:note_add", args=[pk]),
        "note_edit": reverse("cases:note_edit", args=[pk, f["note"].pk]),
        "move": reverse("cases:move", args=[pk]),
        "terminate": reverse("cases:terminate", args=[pk]),
        "reopen": reverse("cases:reopen", args=[pk]),
        "approval_decide": reverse("cases:approval_decide", args=[pk, f["approval"].pk]),
    }


def _post_data(f):
    today = timezone.localdate().isoformat()
    return {
        "contract": {
            "focus": "f",
            "client_goals": "g",
            "worker_duties": "w",
            "client_duties": "c",
            "meeting_schedule": "Selasa",
            "start_date": today,
            "end_date": today,
            "signed_on": today,
        },
        "consent_add": {
            "given_by": "parent",
            "giver_name": "Ibu",
            "method": "digital",
            "given_on": today,
            "covers_processing": "on",
        },
        "consent_withdraw": {"withdrawn_on": today},
        "stakeholder_add": {"kind": "academic", "name": "Klinik Psikologi", "role": "konseling"},
        "stakeholder_edit": {"kind": "family", "name": "Pak Dadang", "role": "wali", "version": 1},
        "stakeholder_remove": {"version": 1},
        "note_add": {"kind": "phone_call", "occurred_on": today, "narrative": "Telepon ibu di Hong Kong."},
        "note_edit": {"kind": "intake", "occurred_on": today, "narrative": "Diperbaiki.", "version": 1},
        "terminate": {"reason": "client_request", "summary": "Berhenti.", "expected_phase": "engagement"},
        "approval_decide": {f"approval-{f['approval'].pk}-decision": "approve"},
    }


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ["detail", "timeline", "timeline_latest", "notes"])
def test_read_pages(client, request, file, persona, page):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(_urls(file)[page])
    assert response.status_code == READ[persona]
    if response.status_code == 200:
        assert_clean(response)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "page",
    ["contract", "consent_add", "consent_withdraw", "stakeholder_add", "stakeholder_edit", "note_add", "note_edit"],
)
def test_write_form_pages(client, request, file, persona, page):
    client.force_login(request.getfixturevalue(persona))
    before = AuditEvent.objects.count()
    response = client.get(_urls(file)[page])
    assert response.status_code == WRITE_PAGE[persona]
    if response.status_code == 200:
        assert_clean(response)
    else:
        assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "action",
    [
        "contract",
        "consent_add",
        "consent_withdraw",
        "stakeholder_add",
        "stakeholder_edit",
        "stakeholder_remove",
        "note_add",
        "terminate",
        "approval_decide",
    ],
)
def test_writes(client, request, file, persona, action):
    client.force_login(request.getfixturevalue(persona))
    before = row_counts()
    all_events = AuditEvent.objects.count()
    response = client.post(_urls(file)[action], _post_data(file)[action])
    expected = DECIDE[persona] if action == "approval_decide" else WRITE[persona]
    if action == "note_edit" and persona == "ratna":
        expected = 302
    assert response.status_code == expected, response.content.decode()[:500]
    if expected == 404:
        assert row_counts() == before
        assert AuditEvent.objects.count() == all_events
    else:
        assert AuditEvent.objects.count() > all_events


@pytest.mark.parametrize("persona", PERSONAS)
def test_note_edit_only_by_author_or_supervisor(client, request, file, persona):
    client.force_login(request.getfixturevalue(persona))
    before = row_counts()
    response = client.post(_urls(file)["note_edit"], _post_data(file)["note_edit"])
    assert response.status_code == WRITE[persona]
    if response.status_code == 404:
        assert row_counts() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_move_forward(client, request, sari, sari_case, persona):
    from dampingi.testing.cases import engage

    engage(sari_case, sari)
    client.force_login(request.getfixturevalue(persona))
    before = row_counts()
    response = client.post(
        reverse("cases:move", args=[sari_case.pk]), {"target": "assessment", "expected_phase": "engagement"}
    )
    assert response.status_code == WRITE[persona]
    if response.status_code == 404:
        assert row_counts() == before


@pytest.mark.parametrize("persona", ["dedi", "yogi", "hendra", "sari"])
def test_reopen_is_404_for_everyone_but_the_supervisor(client, request, sari, ratna, sari_case, persona):
    from dampingi.cases.models import Approval
    from dampingi.cases.services import approval_decide, case_terminate

    case_terminate(actor=sari, case_id=sari_case.pk, reason="moved", summary="Pindah.")
    approval_decide(actor=ratna, approval_id=Approval.objects.get(case=sari_case).pk, approve=True)
    client.force_login(request.getfixturevalue(persona))
    before = row_counts()
    response = client.post(
        reverse("cases:reopen", args=[sari_case.pk]), {"reason": "Kembali.", "expected_phase": "termination"}
    )
    assert response.status_code == 404
    assert row_counts() == before


def test_worker_of_another_team_gets_404_on_every_case_url(client, dedi, file):
    client.force_login(dedi)
    before = row_counts()
    for name, url in _urls(file).items():
        # 405 answers a method the URL never takes, before anything is looked up.
        statuses = {client.get(url).status_code, client.post(url, {}).status_code}
        assert statuses in ({404}, {404, 405}), name
    assert row_counts() == before


def test_unknown_case_is_404(client, sari):
    client.force_login(sari)
    assert client.get(reverse("cases:detail", args=[999999])).status_code == 404


def test_anonymous_user_is_sent_to_sign_in(client, file):
    response = client.get(_urls(file)["detail"])
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
