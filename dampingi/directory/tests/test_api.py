"""The HSDS API read endpoints, checked against the official OpenAPI and compiled schemas."""

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator

from dampingi.accounts.models import Role
from dampingi.directory.tests import hsds_oracle
from dampingi.directory.tests.helpers import make_service
from dampingi.testing.factories import UserFactory


def _page_schema() -> dict:
    page = hsds_oracle.openapi()["components"]["schemas"]["Page"]
    return {**page, "required": list(page["properties"])}


def test_root_describes_the_api(client, sari):
    client.force_login(sari)
    data = client.get(reverse("directory:api_root")).json()
    schema = hsds_oracle.openapi()["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    Draft202012Validator(schema).validate(data)
    assert data["version"] == "3.0"


def test_services_are_paginated_and_valid(client, sari, directory):
    client.force_login(sari)
    url = reverse("directory:api_services")
    first = client.get(url, {"per_page": 10}).json()
    Draft202012Validator(_page_schema()).validate(first)
    assert (first["total_items"], first["total_pages"], first["page_number"], first["size"]) == (30, 3, 1, 10)
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    for item in first["contents"]:
        assert hsds_oracle.json_errors(item, "service_list") == []
        assert item["organization"]["name"]
    last = client.get(url, {"per_page": 10, "page": 3}).json()
    assert last["size"] == 10 and last["last_page"] and not last["first_page"]
    beyond = client.get(url, {"per_page": 10, "page": 9}).json()
    assert beyond["empty"] and beyond["contents"] == []


def test_services_search_parameter(client, sari):
    make_service("Konseling")
    make_service("Posyandu")
    client.force_login(sari)
    data = client.get(reverse("directory:api_services"), {"search": "konsel"}).json()
    assert [s["name"] for s in data["contents"]] == ["Konseling"]


def test_service_is_fully_nested_and_valid(client, sari, directory):
    service = directory[0]
    client.force_login(sari)
    data = client.get(reverse("directory:api_service", args=[service.pk])).json()
    assert hsds_oracle.json_errors(data) == []
    assert data["id"] == str(service.pk)
    assert data["organization"]["id"] == str(service.organization_id)
    assert data["service_at_locations"][0]["location"]["addresses"][0]["country"] == "ID"
    assert {a["taxonomy_term"]["code"] for a in data["attributes"]}


def test_unknown_service_is_404(client, sari):
    client.force_login(sari)
    for pk in ["9b2c1f3e-0000-4000-8000-000000000000", "nope"]:
        assert client.get(reverse("directory:api_service", args=[pk])).status_code == 404


@pytest.mark.parametrize("name", ["api_root", "api_services"])
def test_api_needs_a_signed_in_staff_user(client, cast, name):
    assert client.get(reverse(f"directory:{name}")).status_code == 401
    client.force_login(UserFactory(role=Role.PARTNER))
    assert client.get(reverse(f"directory:{name}")).status_code == 403


def test_api_runs_a_fixed_number_of_queries(client, sari, django_assert_num_queries):
    from dampingi.directory.tests.helpers import make_service as make

    client.force_login(sari)
    small = make("Kecil", terms=["sector.health"], region="32.04.05")
    client.get(reverse("directory:api_services"))
    with django_assert_num_queries(4):
        client.get(reverse("directory:api_services"))
    with django_assert_num_queries(22):
        client.get(reverse("directory:api_service", args=[small.pk]))
    for i in range(12):
        make(f"Layanan {i}", terms=["sector.health", "psks.lks"], region="32.04.05", area="32.04")
    with django_assert_num_queries(4):
        client.get(reverse("directory:api_services"))
    with django_assert_num_queries(22):
        client.get(reverse("directory:api_service", args=[small.pk]))
