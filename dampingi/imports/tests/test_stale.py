"""Runs whose process died: marked failed with a reason instead of "running" forever."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from dampingi.audit.models import AuditEvent
from dampingi.clients.models import ClientSystem, Membership, Person
from dampingi.imports import services, writers
from dampingi.imports.models import ImportRun
from dampingi.imports.services import import_file, import_run_execute, import_run_start, import_runs_mark_stale
from dampingi.imports.tasks import import_uploaded_file
from dampingi.imports.tests.helpers import person_row, write_csv

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a heartbeat thread and a second session need PostgreSQL"
)


def running_run(user, *, heartbeat_minutes_ago=None, started_minutes_ago=0) -> ImportRun:
    run = ImportRun.objects.create(created_by=user, file_name="desa.csv", sha256="0" * 64, format="csv")
    now = timezone.now()
    heartbeat = now - datetime.timedelta(minutes=heartbeat_minutes_ago) if heartbeat_minutes_ago is not None else None
    ImportRun.objects.filter(pk=run.pk).update(
        started_at=now - datetime.timedelta(minutes=started_minutes_ago),
        heartbeat_at=heartbeat,
        rows_done=400,
        rows_total=1000,
    )
    run.refresh_from_db()
    return run


def test_a_run_without_heartbeat_for_ten_minutes_shows_as_interrupted_on_its_page(client, ratna):
    run = running_run(ratna, heartbeat_minutes_ago=11, started_minutes_ago=30)
    client.force_login(ratna)
    fragment = client.get(reverse("imports:progress", args=[run.pk]), headers={"HX-Request": "true"})
    assert fragment.headers["HX-Refresh"] == "true"  # the page reloads and shows the failure
    run.refresh_from_db()
    assert run.status == "failed" and run.finished_at is not None
    assert run.error.startswith("The import was interrupted: its process gave no sign of life for 10 minutes")
    page = client.get(reverse("imports:run", args=[run.pk]))
    assert "Nothing was imported." in page.text and "was interrupted" in page.text
    event = AuditEvent.objects.get(action="imports.run", target_id=str(run.pk))
    assert event.after["status"] == "failed" and event.after["stale"] is True


def test_a_run_with_a_recent_heartbeat_keeps_running(client, ratna):
    run = running_run(ratna, heartbeat_minutes_ago=9, started_minutes_ago=120)
    client.force_login(ratna)
    fragment = client.get(reverse("imports:progress", args=[run.pk]), headers={"HX-Request": "true"})
    assert "HX-Refresh" not in fragment.headers and "Checking the rows" in fragment.text
    assert ImportRun.objects.get(pk=run.pk).status == "running"
    assert not AuditEvent.objects.exists()


def test_a_run_the_worker_never_started_waits_an_hour_then_says_so(client, ratna, settings):
    waiting = running_run(ratna, started_minutes_ago=59)
    client.force_login(ratna)
    fragment = client.get(reverse("imports:progress", args=[waiting.pk]))
    assert "Waiting for the background worker" in fragment.text
    forgotten = running_run(ratna, started_minutes_ago=61)
    assert "Waiting for the background worker" not in client.get(reverse("imports:run", args=[forgotten.pk])).text
    forgotten.refresh_from_db()
    assert forgotten.status == "failed" and forgotten.error.startswith("The import never started")
    settings.DAMPINGI_IMPORTS_START_MINUTES = 5
    assert import_runs_mark_stale() == 1  # the one waiting 59 minutes, now past the limit
    assert ImportRun.objects.get(pk=waiting.pk).error.startswith("The import never started")


def test_the_upload_page_and_the_next_import_mark_stale_runs(client, ratna, tmp_path):
    listed = running_run(ratna, heartbeat_minutes_ago=15)
    client.force_login(ratna)
    page = client.get(reverse("imports:upload"))
    assert ImportRun.objects.get(pk=listed.pk).status == "failed"
    assert "failed" in page.text
    other = running_run(ratna, heartbeat_minutes_ago=60)
    import_file(actor=ratna, path=write_csv(tmp_path / "next.csv", [person_row(1)]))
    assert ImportRun.objects.get(pk=other.pk).status == "failed"


def test_the_worker_does_not_execute_a_run_already_marked_failed(ratna, tmp_path):
    path = write_csv(tmp_path / "late.csv", [person_row(1)])
    run = import_run_start(actor=ratna, path=path)
    ImportRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - datetime.timedelta(hours=2))
    assert import_runs_mark_stale() == 1
    assert import_uploaded_file.call_local(run.pk, str(path)) == "failed"
    assert not path.exists()  # the uploaded file is deleted all the same
    assert not Person.objects.exists()
    assert import_run_execute(run=run, path=path).status == "failed"  # a second execution is refused too


def test_a_finishing_run_is_not_marked_even_if_its_heartbeat_is_old(ratna, tmp_path, monkeypatch):
    """The run's own final transaction wins: its data is committed with it."""

    def late(self, step):
        if step == "memberships":
            ImportRun.objects.filter(status="running").update(heartbeat_at=timezone.now() - datetime.timedelta(hours=1))

    monkeypatch.setattr(writers.BaseWriter, "step_done", late)
    run = import_file(actor=ratna, path=write_csv(tmp_path / "r.csv", [person_row(1)]))
    assert run.status == "done" and ImportRun.objects.get(pk=run.pk).status == "done"


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_goes_on_while_the_writer_works(ratna, tmp_path, monkeypatch):
    monkeypatch.setattr(services, "PROGRESS_EVERY_SECONDS", 0.05)
    seen = []

    def slow(self, step):
        seen.append(ImportRun.objects.get().heartbeat_at)  # committed by the heartbeat thread
        time.sleep(0.3)

    monkeypatch.setattr(writers.BaseWriter, "step_done", slow)
    run = import_file(actor=ratna, path=write_csv(tmp_path / "r.csv", [person_row(1), person_row(2)]))
    assert run.status == "done"
    assert len(seen) == 4 and seen[0] < seen[1] < seen[2] < seen[3]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_killed_import_leaves_no_client_data_and_its_run_is_then_marked(ratna, tmp_path, settings):
    """A real process, killed while it writes: nothing of it stays, and the run is found stale."""
    from dampingi.imports.management.commands.bench_import import generate
    from dampingi.imports.tests.helpers import VILLAGE

    path = tmp_path / "big.csv"
    generate(path, 60_000, [VILLAGE], ["lut", "lansia"])  # the first 50,000 are inserted while reading
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgres://{connection.settings_dict['USER']}@{connection.settings_dict['HOST']}:"
        f"{connection.settings_dict['PORT']}/{connection.settings_dict['NAME']}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DAMPINGI_LOCAL_TRIAL": "1",
    }
    manage = Path(django_settings.BASE_DIR) / "manage.py"
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, str(manage), "import_clients", str(path), "--as", "ratna"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        writing = False
        while time.monotonic() < deadline and process.poll() is None:
            # Once the import has inserted people, its transaction holds this lock on their table.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                    "WHERE c.relname = %s AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()",
                    [Person._meta.db_table],
                )
                writing = cursor.fetchone()[0] > 0 and ImportRun.objects.filter(rows_done__gt=0).exists()
            if writing:
                break
            time.sleep(0.02)
        assert writing, "the import did not insert people"
        process.send_signal(signal.SIGKILL)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
    time.sleep(0.5)  # the server notices the lost connection and rolls its transaction back
    assert (Person.objects.count(), ClientSystem.objects.count(), Membership.objects.count()) == (0, 0, 0)
    run = ImportRun.objects.get()
    assert run.status == "running" and run.rows_done > 0 and run.heartbeat_at is not None
    settings.DAMPINGI_IMPORTS_STALE_MINUTES = 0
    assert import_runs_mark_stale() == 1
    assert ImportRun.objects.get().status == "failed"
