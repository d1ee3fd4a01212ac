"""The web flow: upload -> run page (progress, report), permissions, fixed query counts."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dampingi.accounts.models import Role
from dampingi.audit.models import AuditEvent
from dampingi.clients.models import Person
from dampingi.imports.models import ImportProblem, ImportRun
from dampingi.imports.tests.helpers import kk, person_row, write_csv
from dampingi.testing.factories import UserFactory

UPLOAD = reverse("imports:upload")


def csv_upload(tmp_path, rows, name="desa.csv"):
    path = write_csv(tmp_path / name, rows)
    return SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")


def make_run(user, bad_rows=0) -> ImportRun:
    run = ImportRun.objects.create(
        created_by=user, file_name="x.csv", sha256="0" * 64, format="csv", status="done", rows=bad_rows, bad=bad_rows
    )
    ImportProblem.objects.bulk_create(
        [ImportProblem(run=run, line=i + 2, field="nik", reason="The NIK is missing.") for i in range(bad_rows)]
    )
    return run


def test_a_supervisor_uploads_a_register_and_sees_the_report(client, ratna, tmp_path, settings):
    client.force_login(ratna)
    response = client.get(UPLOAD)
    assert response.status_code == 200 and "Import a client register" in response.text
    upload = csv_upload(tmp_path, [person_row(1, no_kk=kk(1)), person_row(2), person_row(3, NAMA="")])
    response = client.post(UPLOAD, {"file": upload, "format": ""})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:run", args=[run.pk])
    assert run.status == "done" and run.created_by == ratna and run.file_name == "desa.csv"
    assert Person.objects.count() == 2
    assert not list(settings.DAMPINGI_IMPORTS_INBOX.iterdir())  # the uploaded file is deleted
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Rejected rows" in page.text and "The name is missing." in page.text
    assert '<td data-label="Line">4</td>' in page.text
    listing = client.get(UPLOAD)
    assert "desa.csv" in listing.text


def test_the_upload_form_keeps_errors_next_to_the_field(client, ratna):
    client.force_login(ratna)
    response = client.post(UPLOAD, {"format": "xlsx"})
    assert response.status_code == 200 and "This field is required." in response.text
    assert '<option value="xlsx" selected>' in response.text  # the choice is kept
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("empty.csv", b"")})
    assert "The submitted file is empty." in response.text
    assert not ImportRun.objects.exists()


def test_a_header_error_shows_on_the_run_page(client, ratna, tmp_path):
    client.force_login(ratna)
    upload = SimpleUploadedFile("bad.csv", b"Nama;Alamat\nBudi;Jl. X\n")
    response = client.post(UPLOAD, {"file": upload})
    page = client.get(response.url)
    assert "Nothing was imported." in page.text and "missing: NIK" in page.text


def test_the_same_file_twice_says_it_imported_nothing(client, ratna, tmp_path):
    client.force_login(ratna)
    for _ in range(2):
        response = client.post(UPLOAD, {"file": csv_upload(tmp_path, [person_row(1)])})
    page = client.get(response.url)
    assert "This file was imported before" in page.text and "It imported nothing." in page.text


def test_workers_and_managers_get_403_and_nothing_is_recorded(client, sari, hendra, ratna, tmp_path):
    run = make_run(ratna)
    for user in (sari, hendra):
        client.force_login(user)
        assert client.get(UPLOAD).status_code == 403
        assert client.post(UPLOAD, {"file": csv_upload(tmp_path, [person_row(1)])}).status_code == 403
        assert client.get(reverse("imports:run", args=[run.pk])).status_code == 403
        assert client.get(reverse("imports:progress", args=[run.pk])).status_code == 403
    assert ImportRun.objects.count() == 1 and not Person.objects.exists()
    assert not AuditEvent.objects.filter(action="imports.run").exists()


def test_runs_are_visible_to_the_uploader_and_administrators_only(client, ratna, yogi):
    other = UserFactory(username="tuti", role=Role.SUPERVISOR)
    run = make_run(ratna)
    url = reverse("imports:run", args=[run.pk])
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.get(reverse("imports:progress", args=[run.pk])).status_code == 404
    assert "x.csv" not in client.get(UPLOAD).text
    client.force_login(yogi)
    assert client.get(url).status_code == 200
    assert "x.csv" in client.get(UPLOAD).text


def test_a_running_import_shows_progress_that_polls_and_refreshes_when_done(client, ratna):
    run = make_run(ratna)
    ImportRun.objects.filter(pk=run.pk).update(
        status="running", rows_done=500, rows_total=1000, heartbeat_at=timezone.now()
    )
    client.force_login(ratna)
    page = client.get(reverse("imports:run", args=[run.pk]))
    assert 'hx-trigger="every 2s"' in page.text and "500 of about 1000 rows read." in page.text
    fragment = client.get(reverse("imports:progress", args=[run.pk]), headers={"HX-Request": "true"})
    assert "Checking the rows" in fragment.text and "HX-Refresh" not in fragment.headers
    ImportRun.objects.filter(pk=run.pk).update(rows_done=1000)
    assert "Saving" in client.get(reverse("imports:progress", args=[run.pk])).text
    ImportRun.objects.filter(pk=run.pk).update(status="done")
    fragment = client.get(reverse("imports:progress", args=[run.pk]), headers={"HX-Request": "true"})
    assert fragment.headers["HX-Refresh"] == "true" and "every 2s" not in fragment.text


def test_the_problems_are_paginated(client, ratna, settings):
    settings.DAMPINGI_PAGE_SIZE = 5
    run = make_run(ratna, bad_rows=12)
    client.force_login(ratna)
    page = client.get(reverse("imports:run", args=[run.pk]), {"page": 3})
    assert "Page 3 of 3" in page.text and page.text.count("The NIK is missing.") == 2


def test_the_run_page_runs_a_fixed_number_of_queries(client, ratna, django_assert_num_queries):
    small, large = make_run(ratna, bad_rows=1), make_run(ratna, bad_rows=40)
    client.force_login(ratna)
    client.get(reverse("imports:run", args=[small.pk]))  # warm up (session, content types)
    for run in (small, large):
        with django_assert_num_queries(6):
            assert client.get(reverse("imports:run", args=[run.pk])).status_code == 200
    for run in (small, large):
        with django_assert_num_queries(3):
            client.get(reverse("imports:progress", args=[run.pk]))
