"""Directory pages: browse (staff), detail, edit (administrators and supervisors), capacity."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from dampingi.accounts.models import Role
from dampingi.audit.models import AuditEvent
from dampingi.directory.models import Attribute, Organization, Service
from dampingi.directory.taxonomy_data import ref_id
from dampingi.directory.tests.helpers import make_service
from dampingi.testing.factories import UserFactory

LIST = reverse("directory:service_list")


def _detail(service):
    return reverse("directory:service_detail", args=[service.pk])


def test_worker_browses_and_searches(client, sari):
    make_service("Puskesmas Cileunyi", terms=["sector.health"], region="32.04.05")
    make_service("LBH Bandung", terms=["sector.legal-aid"], region="32.73.01")
    client.force_login(sari)
    page = client.get(LIST).content.decode()
    assert "Puskesmas Cileunyi" in page and "LBH Bandung" in page
    page = client.get(LIST, {"need": "sector.health"}).content.decode()
    assert "Puskesmas Cileunyi" in page and "LBH Bandung" not in page
    page = client.get(LIST, {"region_1": "32", "region_2": "32.73"}).content.decode()
    assert "LBH Bandung" in page and "Puskesmas Cileunyi" not in page
    page = client.get(LIST, {"q": "lbh"}).content.decode()
    assert "LBH Bandung" in page and "Puskesmas Cileunyi" not in page
    assert "New service" not in page  # workers do not edit


def test_detail_shows_everything_and_no_case_view_is_recorded(client, sari, directory):
    service = next(s for s in directory if s.required_documents.exists() and s.languages.exists())
    client.force_login(sari)
    response = client.get(_detail(service))
    page = response.content.decode()
    assert service.name in page and service.organization.name in page
    location = service.service_at_locations.first().location
    assert location.addresses.first().address_1 in page
    assert service.phones.first().number in page
    assert service.required_documents.first().document in page
    assert service.languages.first().name in page
    assert "08:00" in page and "MO,TU,WE,TH,FR" in page
    assert service.get_capacity_display() in page
    assert not AuditEvent.objects.filter(action="case.viewed").exists()


def test_detail_warns_when_the_verification_is_older_than_180_days(client, sari):
    today = timezone.localdate()
    fresh = make_service("Segar", last_verified_on=today - datetime.timedelta(days=180))
    stale = make_service("Lama", last_verified_on=today - datetime.timedelta(days=181), capacity="waitlist")
    client.force_login(sari)
    assert "has not been verified" not in client.get(_detail(fresh)).content.decode()
    page = client.get(_detail(stale)).content.decode()
    assert "has not been verified for more than 180 days" in page
    assert "Last verified" in page and "waitlist" in page


def test_unknown_service_is_404(client, sari):
    client.force_login(sari)
    assert (
        client.get(reverse("directory:service_detail", args=["9b2c1f3e-0000-4000-8000-000000000000"])).status_code
        == 404
    )
    assert client.get(reverse("directory:service_detail", args=["nope"])).status_code == 404


@pytest.mark.parametrize("who", ["sari", "dedi", "hendra"])
def test_non_editors_get_403_on_writes_and_nothing_changes(client, request, who):
    user = request.getfixturevalue(who)
    service = make_service("Layanan", capacity="capacity")
    client.force_login(user)
    assert client.get(reverse("directory:service_new")).status_code == 403
    assert client.get(reverse("directory:service_edit", args=[service.pk])).status_code == 403
    assert (
        client.post(reverse("directory:service_capacity", args=[service.pk]), {"capacity": "waitlist"}).status_code
        == 403
    )
    assert client.post(reverse("directory:organization_new"), {"name": "X", "description": "Y"}).status_code == 403
    assert client.get(reverse("directory:hsds_import")).status_code == 403
    service.refresh_from_db()
    assert service.capacity == "capacity" and Organization.objects.count() == 1
    assert not AuditEvent.objects.filter(action__startswith="directory.").exists()


def test_partner_users_cannot_browse(client, cast):
    partner = UserFactory(role=Role.PARTNER)
    client.force_login(partner)
    assert client.get(LIST).status_code == 403


def test_supervisor_updates_capacity_and_marks_verified_today(client, ratna):
    service = make_service("Layanan", last_verified_on=datetime.date(2020, 1, 1))
    client.force_login(ratna)
    response = client.post(reverse("directory:service_capacity", args=[service.pk]), {"capacity": "no_capacity"})
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.capacity == "no_capacity" and service.last_verified_on == timezone.localdate()
    event = AuditEvent.objects.get(action="directory.capacity_update")
    assert event.before["capacity"] == "capacity" and event.after["capacity"] == "no_capacity"
    assert event.case_id is None


def test_bad_capacity_changes_nothing(client, ratna):
    service = make_service("Layanan")
    client.force_login(ratna)
    client.post(reverse("directory:service_capacity", args=[service.pk]), {"capacity": "full"})
    service.refresh_from_db()
    assert service.capacity == "capacity" and not AuditEvent.objects.exists()


def _service_post(organization, **overrides):
    data = {
        "organization": organization.pk,
        "name": "Konseling keluarga",
        "description": "Konseling",
        "status": "active",
        "eligibility_description": "Keluarga",
        "minimum_age": "12",
        "maximum_age": "60",
        "terms": [ref_id("sector.psychosocial")],
        "region_1": "32",
        "region_2": "32.04",
        "region_3": "32.04.05",
        "address_1": "Jl. Raya Cileunyi 1",
        "phone": "022-123456",
    }
    data.update(overrides)
    return data


def test_administrator_creates_organization_then_service(client, yogi):
    client.force_login(yogi)
    assert client.get(reverse("directory:organization_new")).status_code == 200
    response = client.post(reverse("directory:organization_new"), {"name": "LK3 Bandung", "description": "Konsultasi"})
    organization = Organization.objects.get(name="LK3 Bandung")
    assert response["Location"].endswith(f"?organization={organization.pk}")
    assert client.get(response["Location"]).status_code == 200
    response = client.post(reverse("directory:service_new"), _service_post(organization))
    service = Service.objects.get(name="Konseling keluarga")
    assert response.status_code == 302
    assert service.last_verified_on == timezone.localdate()
    assert Attribute.objects.get(link_id=service.pk).taxonomy_term_id == ref_id("sector.psychosocial")
    location = service.service_at_locations.get().location
    assert location.region_id == "32.04.05" and location.addresses.get().region == "32.04.05"
    assert service.phones.get().number == "022-123456"
    assert AuditEvent.objects.filter(action="directory.organization_create").count() == 1
    assert AuditEvent.objects.filter(action="directory.service_create", target_id=str(service.pk)).count() == 1


def test_supervisor_edits_a_service_and_a_stale_form_is_refused(client, ratna):
    service = make_service("Lama", terms=["sector.health"])
    client.force_login(ratna)
    url = reverse("directory:service_edit", args=[service.pk])
    assert client.get(url).status_code == 200
    data = _service_post(service.organization, name="Baru", version="1", terms=[ref_id("sector.education")])
    assert client.post(url, data).status_code == 302
    service.refresh_from_db()
    assert service.name == "Baru" and service.version == 2
    assert list(Attribute.objects.filter(link_id=service.pk).values_list("taxonomy_term_id", flat=True)) == [
        ref_id("sector.education")
    ]
    response = client.post(url, {**data, "name": "Lebih baru"})  # still version 1
    assert response.status_code == 200 and "Someone else saved" in response.content.decode()
    assert "Lebih baru" in response.content.decode()
    service.refresh_from_db()
    assert service.name == "Baru"


def test_invalid_service_form_keeps_the_input_and_shows_field_errors(client, ratna):
    organization = Organization.objects.create(name="Org", description="-")
    client.force_login(ratna)
    response = client.post(
        reverse("directory:service_new"), _service_post(organization, name="", minimum_age="70", maximum_age="10")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in page and "The maximum age cannot be below the minimum age." in page
    assert "Jl. Raya Cileunyi 1" in page
    assert not Service.objects.exists()


def test_organization_edit(client, yogi):
    organization = Organization.objects.create(name="Org", description="-")
    client.force_login(yogi)
    url = reverse("directory:organization_edit", args=[organization.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"name": "Org baru", "description": "-", "version": "1"})
    organization.refresh_from_db()
    assert organization.name == "Org baru"
    assert AuditEvent.objects.filter(action="directory.organization_update").exists()


def _list_queries(client, django_assert_num_queries, n):
    client.get(LIST, {"need": "sector.health", "q": "Layanan"})  # warm the session
    with django_assert_num_queries(n):
        response = client.get(LIST, {"need": "sector.health", "q": "Layanan"})
    assert response.status_code == 200
    return response


@override_settings(DAMPINGI_PAGE_SIZE=5)
def test_list_runs_a_fixed_number_of_queries(client, sari, django_assert_num_queries):
    client.force_login(sari)
    for i in range(3):
        make_service(f"Layanan {i}", terms=["sector.health", "psks.lks"], region="32.04.05")
    _list_queries(client, django_assert_num_queries, 9)
    for i in range(3, 20):
        make_service(f"Layanan {i}", terms=["sector.health", "psks.lks"], region="32.04.05")
    response = _list_queries(client, django_assert_num_queries, 9)
    assert "Page 1 of 4" in response.content.decode()


def test_detail_runs_a_fixed_number_of_queries(client, sari, django_assert_num_queries, directory):
    client.force_login(sari)
    small = make_service("Kecil", region="32.04.05")  # one location, nothing else
    big = max(directory, key=lambda s: s.required_documents.count() + s.languages.count())
    client.get(_detail(small))
    with django_assert_num_queries(14):  # incl. the unread-notifications badge
        client.get(_detail(small))
    with django_assert_num_queries(14):  # incl. the unread-notifications badge
        client.get(_detail(big))
