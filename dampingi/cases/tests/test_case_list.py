import pytest
from django.test import override_settings
from django.urls import reverse

from dampingi.cases.models import Priority
from dampingi.cases.tests.conftest import assert_clean
from dampingi.testing.cases import walk_to
from dampingi.testing.factories import ClientSystemFactory, make_case

URL = reverse("cases:list")


def refs(response):
    return [c.reference for c in response.context["page_obj"].object_list]


def test_worker_sees_the_cases_of_her_team_only(client, sari, dedi_case, sari_case):
    client.force_login(sari)
    response = client.get(URL)
    assert response.status_code == 200
    assert_clean(response)
    assert refs(response) == [sari_case.reference]
    assert dedi_case.reference not in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("sari", {"sari"}),
        ("dedi", {"dedi"}),
        ("ratna", {"sari", "dedi"}),
        ("hendra", {"sari", "dedi"}),
        ("yogi", set()),
    ],
)
def test_list_visibility_over_the_cast(client, request, persona, expected, sari_case, dedi_case):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    assert_clean(response)
    owners = {c.assigned_worker.username for c in response.context["page_obj"].object_list}
    assert owners == expected


def test_search_by_reference_and_by_client_name(client, sari):
    one = make_case(worker=sari, client_system=ClientSystemFactory(created_by=sari, name="Siti Aminah"))
    two = make_case(worker=sari, client_system=ClientSystemFactory(created_by=sari, name="Joko Susilo"))
    client.force_login(sari)
    assert refs(client.get(URL, {"q": one.reference})) == [one.reference]
    assert refs(client.get(URL, {"q": f"k{one.pk}"})) == [one.reference]
    assert refs(client.get(URL, {"q": "aminah"})) == [one.reference]
    # Old spelling finds the new one (name_key), as in the client list.
    assert refs(client.get(URL, {"q": "Djoko"})) == [two.reference]


def test_filters_phase_priority_and_status(client, sari, ratna):
    engaged = make_case(worker=sari, priority=Priority.URGENT)
    moved = make_case(worker=sari, priority=Priority.LOW)
    walk_to(moved, "assessment", worker=sari, supervisor=ratna)
    client.force_login(sari)
    assert refs(client.get(URL, {"phase": "assessment"})) == [moved.reference]
    assert refs(client.get(URL, {"priority": "urgent"})) == [engaged.reference]
    assert refs(client.get(URL, {"status": "closed"})) == []
    assert set(refs(client.get(URL, {"status": "all"}))) == {engaged.reference, moved.reference}


def test_mine_shows_only_cases_assigned_to_the_user(client, sari, cast):
    from dampingi.testing.factories import UserFactory

    colleague = UserFactory(username="wati", role="worker", team=cast.cileunyi)
    own = make_case(worker=sari)
    make_case(worker=colleague)
    client.force_login(sari)
    assert len(refs(client.get(URL))) == 2
    assert refs(client.get(URL, {"mine": "on"})) == [own.reference]


def test_sensitive_ppks_is_not_shown_in_the_list(client, sari):
    from dampingi.clients.models import PPKSCategory

    sensitive = PPKSCategory.objects.filter(sensitive=True).first()
    make_case(worker=sari, ppks=sensitive)
    client.force_login(sari)
    response = client.get(URL)
    assert sensitive.label not in response.content.decode()


def test_htmx_request_gets_only_the_results_fragment(client, sari, sari_case):
    client.force_login(sari)
    response = client.get(URL, {"q": "Putri"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="case-results"' in body
    assert "<html" not in body
    assert "HX-Request" in response["Vary"]


@override_settings(DAMPINGI_PAGE_SIZE=10)
def test_list_is_paginated(client, sari):
    for _ in range(12):
        make_case(worker=sari)
    client.force_login(sari)
    first = client.get(URL)
    assert len(refs(first)) == 10
    second = client.get(URL, {"page": 2})
    assert len(refs(second)) == 2
    assert_clean(second)


def test_query_count_does_not_grow_with_the_number_of_cases(client, sari, django_assert_num_queries):
    client.force_login(sari)
    for _ in range(3):
        make_case(worker=sari)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for _ in range(27):
        make_case(worker=sari)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(refs(response)) == 25
