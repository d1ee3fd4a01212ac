from django.urls import reverse

from dampingi.regions.forms import RegionField, chosen_chain
from dampingi.regions.models import Region
from dampingi.regions.services import regions_load


def test_loader_keeps_ancestors_of_the_requested_subtree():
    assert Region.objects.get(code="32.04.05.2001").parent_id == "32.04.05"
    assert Region.objects.get(code="32.04").level == Region.Level.REGENCY
    assert Region.objects.get(code="32").parent_id is None


def test_loader_is_idempotent():
    assert regions_load(prefixes=["32.04.05"]) == 0


def test_changing_a_higher_level_clears_the_levels_below():
    assert chosen_chain(["32", "32.04", "32.04.05", "32.04.05.2001"]) == ["32", "32.04", "32.04.05", "32.04.05.2001"]
    assert chosen_chain(["32", "32.73", "32.04.05", "32.04.05.2001"]) == ["32", "32.73"]
    assert chosen_chain(["", "32.04"]) == []


def test_dependent_select_endpoint_lists_children_of_the_chosen_level(client, sari):
    client.force_login(sari)
    response = client.get(reverse("regions:select"), {"name": "region", "region_1": "32", "region_2": "32.04"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Cileunyi" in body and "Majalaya" in body
    assert 'name="region_3"' in body
    assert "HX-Request" in response["Vary"]


def test_region_field_requires_the_asked_level():
    field = RegionField(min_level=4)
    try:
        field.clean("32.04.05")
    except Exception as exc:  # noqa: BLE001
        assert "desa" in str(exc).lower() or "village" in str(exc).lower()
    else:
        raise AssertionError("a district must not satisfy a village-level field")
    assert field.clean("32.04.05.2001").code == "32.04.05.2001"


def test_region_select_needs_sign_in(client):
    assert client.get(reverse("regions:select")).status_code == 302
