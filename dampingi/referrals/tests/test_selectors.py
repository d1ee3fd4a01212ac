"""Overdue referrals, the case-page section and the inbox: results and pinned query counts."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from dampingi.cases.permissions import get_case_for_user_or_404
from dampingi.referrals.models import Referral
from dampingi.referrals.sections import referrals_section
from dampingi.referrals.selectors import overdue_referrals_for_worker
from dampingi.testing.casework import assert_clean


def add_referrals(case, service, by, n: int, *, status: str = "requested", days: int = 5, **extra) -> list[Referral]:
    now = timezone.now()
    return [
        Referral.objects.create(
            case=case,
            service=service,
            organization_id=service.organization_id,
            reason=f"Alasan {i}",
            answer_by=timezone.localdate() + datetime.timedelta(days=days),
            status=status,
            sent_at=None if status == "draft" else now,
            created_by=by,
            created_at=now,
            **extra,
        )
        for i in range(n)
    ]


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def test_overdue_is_sent_unanswered_and_past_the_answer_by_date(referred_case, gizi_service, sari, ratna, dedi):
    late = add_referrals(referred_case, gizi_service, sari, 1)[0]
    Referral.objects.filter(pk=late.pk).update(answer_by=yesterday())
    due_today = add_referrals(referred_case, gizi_service, sari, 1)[0]
    Referral.objects.filter(pk=due_today.pk).update(answer_by=timezone.localdate())
    answered = add_referrals(referred_case, gizi_service, sari, 1, status="accepted")[0]
    Referral.objects.filter(pk=answered.pk).update(answer_by=yesterday())
    draft = add_referrals(referred_case, gizi_service, sari, 1, status="draft")[0]
    Referral.objects.filter(pk=draft.pk).update(answer_by=yesterday())
    assert list(overdue_referrals_for_worker(sari)) == [late]
    assert list(overdue_referrals_for_worker(dedi)) == []  # not his case
    assert list(overdue_referrals_for_worker(ratna)) == []  # not assigned to her, not sent by her


def _render_section(case, user):
    request = RequestFactory().get("/")
    request.user = user
    section = referrals_section(case=case, user=user)
    return render_to_string("referrals/_section.html", {"case": case, "section": section, "user": user}, request)


@pytest.mark.parametrize("size", [2, 15])
def test_the_case_page_section_runs_one_query_whatever_the_number_of_referrals(
    size, referred_case, gizi_service, sari, django_assert_num_queries
):
    made = add_referrals(referred_case, gizi_service, sari, size)
    Referral.objects.filter(pk=made[0].pk).update(answer_by=yesterday())
    case = get_case_for_user_or_404(sari, referred_case.pk)
    with django_assert_num_queries(1):
        body = _render_section(case, sari)
    assert_clean(body)
    assert body.count("referrals/") >= size
    assert "1 not answered in time" in body
    assert reverse("referrals:new", args=[case.pk]) in body


def test_the_section_offers_no_referral_to_the_manager(referred_case, hendra, sari, gizi_service):
    add_referrals(referred_case, gizi_service, sari, 1)
    case = get_case_for_user_or_404(hendra, referred_case.pk)
    body = assert_clean(_render_section(case, hendra))
    assert reverse("referrals:new", args=[case.pk]) not in body
    assert "R-" in body  # the manager reads the list


def test_the_empty_section(referred_case, sari):
    body = assert_clean(_render_section(get_case_for_user_or_404(sari, referred_case.pk), sari))
    assert "No referral yet." in body


@pytest.mark.parametrize("size", [3, 30])
def test_the_inbox_runs_a_fixed_number_of_queries(size, client, referred_case, gizi_service, sari, puskesmas_staff,
                                                  django_assert_num_queries):  # fmt: skip
    add_referrals(referred_case, gizi_service, sari, size)
    client.force_login(puskesmas_staff)
    # session, user, partner organisation, count, page of rows, unread notifications
    with django_assert_num_queries(6):
        response = client.get(reverse("referrals:inbox"))
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == min(size, 25)


@pytest.mark.parametrize("size", [1, 8])
def test_the_partner_referral_page_runs_a_fixed_number_of_queries(
    size, client, sent, puskesmas_staff, django_assert_num_queries
):
    from dampingi.referrals.models import ReferralEvent

    for i in range(size):
        ReferralEvent.objects.create(referral=sent, from_status="requested", to_status="requested",
                                     actor=puskesmas_staff, at=timezone.now(), note=f"catatan {i}")  # fmt: skip
    client.force_login(puskesmas_staff)
    # session, user, partner organisation, referral, client system, members, history, and the audit of
    # the view (savepoint, insert, release)
    with django_assert_num_queries(11):
        response = client.get(reverse("referrals:detail", args=[sent.pk]))
    assert response.status_code == 200


def test_the_caseload_annotation_flags_cases_with_an_overdue_referral(
    referred_case, gizi_service, sari, django_assert_num_queries
):
    from dampingi.cases.permissions import cases_visible_to
    from dampingi.referrals.selectors import has_overdue_referral
    from dampingi.testing.factories import make_case

    other = make_case(worker=sari)
    late = add_referrals(referred_case, gizi_service, sari, 1)[0]
    Referral.objects.filter(pk=late.pk).update(answer_by=yesterday())
    with django_assert_num_queries(1):
        flags = dict(
            cases_visible_to(sari)
            .annotate(referral_overdue=has_overdue_referral(timezone.localdate()))
            .values_list("pk", "referral_overdue")
        )
    assert flags == {referred_case.pk: True, other.pk: False}


@pytest.mark.parametrize("overdue", [True, False])
def test_the_dashboard_partial_lists_overdue_referrals(overdue, referred_case, gizi_service, sari):
    late = add_referrals(referred_case, gizi_service, sari, 1)[0]
    if overdue:
        Referral.objects.filter(pk=late.pk).update(answer_by=yesterday())
    rows = list(overdue_referrals_for_worker(sari)[:20])
    body = assert_clean(
        render_to_string(
            "referrals/_overdue.html",
            {"overdue_referrals": rows, "overdue_referrals_total": len(rows)},
        )
    )
    if overdue:
        assert late.reference in body and referred_case.reference in body
    else:
        assert "Every referral you sent was answered in time." in body


@pytest.mark.parametrize("n", [1, 6])
def test_the_dashboard_list_of_overdue_referrals_is_one_query_however_many_rows(
    n, referred_case, gizi_service, sari, django_assert_num_queries
):
    # The list reads only the columns the partial shows: a field it starts to show must be added
    # to the selector's only(), or each row runs a query of its own and this test fails.
    late = add_referrals(referred_case, gizi_service, sari, n)
    Referral.objects.filter(pk__in=[r.pk for r in late]).update(answer_by=yesterday())
    with django_assert_num_queries(1):
        rows = list(overdue_referrals_for_worker(sari)[:20])
        body = render_to_string("referrals/_overdue.html", {"overdue_referrals": rows, "overdue_referrals_total": n})
    assert all(r.reference in body for r in late)
    assert referred_case.reference in body and "Puskesmas" in body


def test_the_inbox_puts_unanswered_referrals_first_then_open_loops_then_closed(
    referred_case, gizi_service, sari, puskesmas_staff
):
    from dampingi.referrals.selectors import partner_inbox

    done = add_referrals(referred_case, gizi_service, sari, 1, status="completed", days=1, outcome="Selesai")[0]
    working = add_referrals(referred_case, gizi_service, sari, 1, status="in-progress", days=2)[0]
    waiting = add_referrals(referred_case, gizi_service, sari, 1, status="requested", days=9)[0]
    assert list(partner_inbox(puskesmas_staff)) == [waiting, working, done]


@pytest.mark.parametrize("size", [1, 8])
def test_the_worker_referral_page_runs_a_fixed_number_of_queries(size, client, sent, sari, django_assert_num_queries):
    from dampingi.referrals.models import ReferralEvent

    for i in range(size):
        ReferralEvent.objects.create(referral=sent, from_status="requested", to_status="requested",
                                     actor=sari, at=timezone.now(), note=f"catatan {i}")  # fmt: skip
    client.force_login(sari)
    # session, user, referral, client system, members, history, case.view audit (savepoint, insert, release)
    with django_assert_num_queries(10):
        response = client.get(reverse("referrals:detail", args=[sent.pk]))
    assert response.status_code == 200
