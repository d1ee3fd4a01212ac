import pytest
from django.urls import reverse

from dampingi.audit.models import AuditEvent
from dampingi.cases.models import Stakeholder
from dampingi.cases.services import stakeholder_add, stakeholder_update
from dampingi.cases.tests.conftest import assert_clean, page_text, row_counts
from dampingi.core.concurrency import ConcurrentEditError

DATA = {
    "kind": "government",
    "name": "Bu Yanti",
    "organisation": "Puskesmas Cileunyi",
    "role": "ahli gizi",
    "phone": "0812-2222-3333",
    "email": "yanti@example.org",
    "notes": "",
}


def test_add_a_stakeholder(client, sari, sari_case):
    client.force_login(sari)
    url = reverse("cases:stakeholder_add", args=[sari_case.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert_clean(response)
    body = response.content.decode()
    assert 'list="organisation-hints"' in body and "Karang Taruna" in body
    response = client.post(url, DATA)
    assert response.status_code == 302
    assert response["Location"].endswith("#stakeholders")
    stakeholder = Stakeholder.objects.get(case=sari_case)
    assert stakeholder.organisation == "Puskesmas Cileunyi"
    assert AuditEvent.objects.filter(action="stakeholder.create", case=sari_case, actor=sari).exists()
    page = client.get(reverse("cases:detail", args=[sari_case.pk]))
    assert "Bu Yanti" in page.content.decode()


def test_bad_stakeholder_input_is_a_field_error(client, sari, sari_case):
    client.force_login(sari)
    before = row_counts()
    response = client.post(
        reverse("cases:stakeholder_add", args=[sari_case.pk]), {**DATA, "email": "bukan-email", "name": ""}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "email" in errors and "name" in errors
    assert row_counts() == before


def test_edit_is_versioned(client, sari, ratna, sari_case):
    stakeholder = stakeholder_add(actor=sari, case_id=sari_case.pk, kind="family", name="Pak Dadang", role="paman")
    url = reverse("cases:stakeholder_edit", args=[sari_case.pk, stakeholder.pk])
    client.force_login(sari)
    assert_clean(client.get(url))
    stakeholder_update(
        actor=ratna,
        case_id=sari_case.pk,
        stakeholder_id=stakeholder.pk,
        expected_version=1,
        kind="family",
        name="Pak Dadang",
        role="paman (wali)",
    )
    response = client.post(url, {**DATA, "kind": "family", "name": "Pak Dadang", "role": "paman saja", "version": 1})
    assert response.status_code == 200
    assert "Someone else saved this record" in page_text(response)
    assert "paman saja" in response.content.decode()
    stakeholder.refresh_from_db()
    assert stakeholder.role == "paman (wali)"
    response = client.post(url, {**DATA, "kind": "family", "name": "Pak Dadang", "role": "paman saja", "version": 2})
    assert response.status_code == 302
    stakeholder.refresh_from_db()
    assert (stakeholder.role, stakeholder.version) == ("paman saja", 3)


def test_remove_a_stakeholder(client, sari, sari_case):
    stakeholder = stakeholder_add(actor=sari, case_id=sari_case.pk, kind="community", name="Karang Taruna", role="x")
    client.force_login(sari)
    url = reverse("cases:stakeholder_remove", args=[sari_case.pk, stakeholder.pk])
    response = client.post(url, {"version": 1})
    assert response.status_code == 302
    assert not Stakeholder.objects.filter(pk=stakeholder.pk).exists()
    event = AuditEvent.objects.get(action="stakeholder.delete")
    assert event.before["name"] == "Karang Taruna"


def test_remove_after_someone_edited_is_refused(client, sari, sari_case):
    stakeholder = stakeholder_add(actor=sari, case_id=sari_case.pk, kind="community", name="PSM Desa", role="x")
    stakeholder_update(
        actor=sari,
        case_id=sari_case.pk,
        stakeholder_id=stakeholder.pk,
        expected_version=1,
        kind="community",
        name="PSM Desa",
        role="pendamping",
    )
    client.force_login(sari)
    response = client.post(reverse("cases:stakeholder_remove", args=[sari_case.pk, stakeholder.pk]), {"version": 1})
    assert response.status_code == 302
    assert Stakeholder.objects.filter(pk=stakeholder.pk).exists()


def test_plan_task_keeps_its_text_when_the_stakeholder_is_removed(sari, ratna, sari_case):
    from dampingi.cases.services import stakeholder_remove
    from dampingi.plans.models import Task
    from dampingi.testing.cases import submitted_plan

    stakeholder = stakeholder_add(actor=sari, case_id=sari_case.pk, kind="academic", name="Klinik Psikologi", role="x")
    submitted_plan(sari_case, sari)
    task = Task.objects.get(plan__case=sari_case)
    task.stakeholder = stakeholder
    task.save()
    stakeholder_remove(actor=sari, case_id=sari_case.pk, stakeholder_id=stakeholder.pk)
    task.refresh_from_db()
    assert task.stakeholder is None and task.description


def test_stakeholder_of_another_case_is_404(client, sari, sari_case):
    from dampingi.testing.factories import make_case

    other = make_case(worker=sari)
    stakeholder = stakeholder_add(actor=sari, case_id=other.pk, kind="family", name="X", role="x")
    client.force_login(sari)
    assert client.get(reverse("cases:stakeholder_edit", args=[sari_case.pk, stakeholder.pk])).status_code == 404


def test_service_refuses_stale_version(sari, sari_case):
    stakeholder = stakeholder_add(actor=sari, case_id=sari_case.pk, kind="family", name="X", role="x")
    with pytest.raises(ConcurrentEditError):
        stakeholder_update(
            actor=sari,
            case_id=sari_case.pk,
            stakeholder_id=stakeholder.pk,
            expected_version=5,
            kind="family",
            name="Y",
            role="y",
        )
