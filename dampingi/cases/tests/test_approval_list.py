import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dampingi.cases.services import case_terminate
from dampingi.cases.tests.conftest import assert_clean
from dampingi.testing.factories import make_case

URL = reverse("cases:approvals")


def pending_closure(worker):
    case = make_case(worker=worker)
    case_terminate(actor=worker, case_id=case.pk, reason="moved", summary="Pindah ke Garut.")
    return case


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("ratna", {"sari", "dedi"}),
        ("sari", {"sari"}),
        ("dedi", {"dedi"}),
        ("hendra", {"sari", "dedi"}),
        ("yogi", set()),
    ],
)
def test_pending_approvals_of_visible_cases(client, request, sari, dedi, persona, expected):
    pending_closure(sari)
    pending_closure(dedi)
    client.force_login(request.getfixturevalue(persona))
    response = client.get(URL)
    assert response.status_code == 200
    assert_clean(response)
    owners = {a.case.assigned_worker.username for a in response.context["page_obj"].object_list}
    assert owners == expected


def test_decided_requests_leave_the_list(client, sari, ratna):
    from dampingi.cases.models import Approval
    from dampingi.cases.services import approval_decide

    case = pending_closure(sari)
    approval_decide(actor=ratna, approval_id=Approval.objects.get(case=case).pk, approve=True)
    client.force_login(ratna)
    assert list(client.get(URL).context["page_obj"].object_list) == []


def test_approval_list_query_count_is_fixed(client, sari, dedi, ratna, django_assert_num_queries):
    for _ in range(2):
        pending_closure(sari)
    pending_closure(dedi)
    client.force_login(ratna)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    expected = len(few.captured_queries)
    for _ in range(15):
        pending_closure(sari)
        pending_closure(dedi)
    with django_assert_num_queries(expected):
        response = client.get(URL)
    assert len(response.context["page_obj"].object_list) == 25
    assert response.context["page_obj"].paginator.count == 33
