import datetime

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dampingi.cases.models import Approval
from dampingi.cases.selectors import case_timeline, case_timeline_count
from dampingi.cases.services import approval_decide, case_change_phase, case_terminate, consent_withdraw
from dampingi.cases.tests.conftest import assert_clean
from dampingi.testing.cases import add_note, record_consent, sign_contract


def kinds(entries):
    return [e.kind for e in entries]


def test_timeline_merges_everything_in_time_order(sari, ratna, sari_case):
    today = timezone.localdate()
    sign_contract(sari_case, sari, signed_on=today - datetime.timedelta(days=3))
    consent = record_consent(sari_case, sari, given_on=today - datetime.timedelta(days=2))
    add_note(sari_case, sari, kind="intake", occurred_on=today - datetime.timedelta(days=1))
    case_change_phase(actor=sari, case_id=sari_case.pk, target="assessment", reason="Siap asesmen")
    consent_withdraw(actor=sari, case_id=sari_case.pk, consent_id=consent.pk, withdrawn_on=today)
    case_terminate(actor=sari, case_id=sari_case.pk, reason="client_request", summary="Klien berhenti.")
    approval = Approval.objects.get(case=sari_case)
    approval_decide(actor=ratna, approval_id=approval.pk, approve=False, comment="Lengkapi.")

    entries = case_timeline(sari_case)
    # Opening (today) comes after the back-dated contract, consent and intake note; entries known only
    # by their date (the withdrawal) come before the timed entries of the same day.
    assert kinds(entries) == [
        "contract_signed",
        "consent",
        "note",
        "consent_withdrawn",
        "transition",
        "transition",
        "termination",
        "transition",
        "approval_requested",
        "approval_decided",
    ]
    assert [e.day for e in entries] == sorted(e.day for e in entries)
    assert case_timeline_count(sari_case) == len(entries)
    transitions = [e.obj for e in entries if e.kind == "transition"]
    assert [(t.from_phase, t.to_phase) for t in transitions] == [
        ("", "engagement"),
        ("engagement", "assessment"),
        ("assessment", "termination"),
    ]
    assert transitions[1].reason == "Siap asesmen" and entries[-1].actor == ratna


def test_limit_returns_the_latest_entries_oldest_first(sari, sari_case):
    today = timezone.localdate()
    for days in range(10, 0, -1):
        add_note(sari_case, sari, occurred_on=today - datetime.timedelta(days=days), narrative=f"d{days}")
    latest = case_timeline(sari_case, limit=3)
    assert [e.obj.narrative for e in latest if e.kind == "note"][-2:] == ["d2", "d1"]
    assert len(latest) == 3
    assert latest[-1].kind == "transition"  # the opening, today


@override_settings(DAMPINGI_PAGE_SIZE=5)
def test_timeline_page_is_paginated_with_a_fixed_query_count(client, sari, sari_case, django_assert_num_queries):
    today = timezone.localdate()
    for days in range(3):
        add_note(sari_case, sari, occurred_on=today - datetime.timedelta(days=days))
    client.force_login(sari)
    url = reverse("cases:timeline", args=[sari_case.pk])
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    expected = len(few.captured_queries)
    assert_clean(response)
    for days in range(30):
        add_note(sari_case, sari, occurred_on=today - datetime.timedelta(days=days))
        record_consent(sari_case, sari)
    with django_assert_num_queries(expected):
        response = client.get(url, {"page": 3})
    assert_clean(response)
    assert response.context["page_obj"].paginator.count == case_timeline_count(sari_case)
    assert len(response.context["page_obj"].object_list) == 5


@override_settings(DAMPINGI_PAGE_SIZE=4)
def test_timeline_pages_cover_every_entry_once_in_both_orders(client, sari, sari_case):
    today = timezone.localdate()
    for days in range(9):
        add_note(sari_case, sari, occurred_on=today - datetime.timedelta(days=days), narrative=f"n{days}")
    client.force_login(sari)
    url = reverse("cases:timeline", args=[sari_case.pk])
    everything = case_timeline(sari_case)
    for order, expected in (("oldest", everything), ("newest", list(reversed(everything)))):
        seen = []
        for page in (1, 2, 3):
            seen += list(client.get(url, {"order": order, "page": page}).context["page_obj"].object_list)
        assert [(e.kind, e.obj.pk) for e in seen] == [(e.kind, e.obj.pk) for e in expected]


def test_timeline_page_permissions(client, sari, dedi, hendra, yogi, sari_case):
    url = reverse("cases:timeline", args=[sari_case.pk])
    for user, status in ((sari, 200), (hendra, 200), (dedi, 404), (yogi, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status
