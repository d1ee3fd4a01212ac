import datetime

from django.urls import reverse
from django.utils import timezone

from dampingi.audit.models import AuditEvent
from dampingi.cases.models import ActivityNote
from dampingi.cases.tests.conftest import assert_clean, page_text, row_counts
from dampingi.testing.cases import add_note, submitted_plan, walk_to

TODAY = timezone.localdate


def note_data(**overrides):
    data = {
        "kind": "home_visit",
        "occurred_on": TODAY().isoformat(),
        "duration_minutes": "45",
        "participants": "Nenek, anak",
        "narrative": "Anak sudah kembali ke sekolah.",
        "task": "",
    }
    data.update(overrides)
    return data


def test_intake_note_in_engagement(client, sari, sari_case):
    client.force_login(sari)
    url = reverse("cases:note_add", args=[sari_case.pk])
    response = client.get(url + "?kind=intake")
    assert response.status_code == 200
    assert_clean(response)
    assert response.context["form"].initial["kind"] == "intake"
    response = client.post(url, note_data(kind="intake", narrative="Wawancara awal dengan nenek."))
    assert response.status_code == 302
    assert response["Location"].endswith("#engagement")
    note = ActivityNote.objects.get(case=sari_case)
    assert (note.phase, note.author) == ("engagement", sari)
    page = client.get(reverse("cases:detail", args=[sari_case.pk]))
    assert "Wawancara awal dengan nenek." in page.content.decode()
    assert AuditEvent.objects.filter(action="activity_note.create", actor=sari).exists()


def test_note_records_the_current_phase_and_a_plan_task(client, sari, ratna, sari_case):
    case = walk_to(sari_case, "intervention", worker=sari, supervisor=ratna)
    task = case.plan.tasks.get()
    client.force_login(sari)
    response = client.post(reverse("cases:note_add", args=[case.pk]), note_data(task=str(task.pk), phase="planning"))
    assert response.status_code == 302
    note = ActivityNote.objects.get(case=case, task=task)
    assert note.phase == "intervention"


def test_task_of_another_case_is_not_offered(client, sari, ratna, sari_case):
    from dampingi.testing.factories import make_case

    other = make_case(worker=sari)
    submitted_plan(other, sari)
    foreign = other.plan.tasks.get()
    client.force_login(sari)
    before = row_counts()
    response = client.post(reverse("cases:note_add", args=[sari_case.pk]), note_data(task=str(foreign.pk)))
    assert response.status_code == 200
    assert "task" in response.context["form"].errors
    assert row_counts() == before


def test_future_date_and_bad_duration_are_field_errors(client, sari, sari_case):
    client.force_login(sari)
    before = row_counts()
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("cases:note_add", args=[sari_case.pk]), note_data(occurred_on=tomorrow, duration_minutes="1441")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "occurred_on" in errors and "duration_minutes" in errors
    response = client.post(reverse("cases:note_add", args=[sari_case.pk]), note_data(duration_minutes="0"))
    assert "duration_minutes" in response.context["form"].errors
    response = client.post(reverse("cases:note_add", args=[sari_case.pk]), note_data(narrative="x" * 8001))
    assert "narrative" in response.context["form"].errors
    assert row_counts() == before


def test_author_edits_a_note_with_optimistic_locking(client, sari, sari_case):
    note = add_note(sari_case, sari)
    url = reverse("cases:note_edit", args=[sari_case.pk, note.pk])
    client.force_login(sari)
    assert_clean(client.get(url))
    response = client.post(url, note_data(narrative="Diperbaiki", version=note.version))
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.narrative, note.version) == ("Diperbaiki", 2)
    response = client.post(url, note_data(narrative="Basi", version=1))
    assert response.status_code == 200
    assert "Someone else saved this record" in page_text(response)
    note.refresh_from_db()
    assert note.narrative == "Diperbaiki"


def test_a_colleague_cannot_edit_someone_elses_note_but_the_supervisor_can(client, sari, ratna, cast, sari_case):
    from dampingi.testing.factories import UserFactory

    colleague = UserFactory(username="wati", role="worker", team=cast.cileunyi)
    note = add_note(sari_case, sari)
    url = reverse("cases:note_edit", args=[sari_case.pk, note.pk])
    client.force_login(colleague)
    assert client.get(url).status_code == 404
    assert client.post(url, note_data(version=1)).status_code == 404
    client.force_login(ratna)
    assert client.get(url).status_code == 200


def test_notes_page_is_paginated_and_filtered(client, sari, sari_case, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(3):
        add_note(sari_case, sari, narrative=f"n{i}")
    add_note(sari_case, sari, kind="intake", narrative="intake")
    client.force_login(sari)
    url = reverse("cases:notes", args=[sari_case.pk])
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    expected = len(few.captured_queries)  # read now: the next request clears the query log
    assert_clean(response)
    assert response.context["page_obj"].paginator.count == 4
    assert client.get(url, {"kind": "intake"}).context["page_obj"].paginator.count == 1
    for i in range(30):
        add_note(sari_case, sari, narrative=f"m{i}")
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert len(response.context["page_obj"].object_list) == 25
