"""Importing a client register: start a run, then execute it (from the command or the huey task).

`import_run_start` records the run (who, file name, SHA-256, format) and is committed at once,
so that the web page can follow it. `import_run_execute` reads and checks every row and writes
the good rows, the problems, the counts and the `imports.run` audit event in ONE transaction:
an exception (or a killed process) leaves no person, client system or membership of the run.
With PostgreSQL that transaction starts before the first row (people are inserted while the
file is read, see writers.PostgresWriter), and progress (`rows_done`) and the heartbeat are
saved by a thread with its own connection (`_Keeper`); with SQLite the rows are read first,
progress is saved as they are, and the transaction writes them at the end.

Rows are checked in blocks (dampingi.imports.parallel), in this process or, for a large file,
in worker processes (`DAMPINGI_IMPORTS_WORKERS`, default 0, from PARALLEL_MIN_ROWS rows on); the
problems and their lines are the same either way.

A run whose process died stays "running" in the database: `import_runs_mark_stale` (called
when an import starts and by the pages that show runs) marks it failed once its heartbeat is
older than `DAMPINGI_IMPORTS_STALE_MINUTES` (default 10), or, for a run the background worker
never picked up, `DAMPINGI_IMPORTS_START_MINUTES` (default 60) after the upload.

People created by an import get no `person.create` audit event each (a million events for a
million rows); the run's own audit event names the run, whose record holds the file's
SHA-256 and counts.
"""

import contextlib
import datetime
import gc
import hashlib
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dampingi.accounts.models import Role, User
from dampingi.audit.services import audit_record
from dampingi.imports.models import ImportProblem, ImportRun
from dampingi.imports.parallel import Merger, checked_blocks
from dampingi.imports.reader import HeaderError, detect_format, open_table
from dampingi.imports.validation import Reference
from dampingi.imports.writers import writer_for_connection

logger = logging.getLogger(__name__)

PROGRESS_EVERY_SECONDS = 1.0
PROBLEM_BATCH = 2_000
# Worker processes pay off from about this many rows (starting them takes a second or two).
PARALLEL_MIN_ROWS = 50_000

Progress = Callable[[int, int], None]


def can_import_clients(user: User) -> bool:
    """Supervisors and administrators import registers; workers register clients one by one."""
    return bool(user.is_authenticated and user.is_active and user.role in (Role.SUPERVISOR, Role.ADMINISTRATOR))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def import_run_start(*, actor: User, path: Path, file_name: str = "", fmt: str = "") -> ImportRun:
    """Record a new run of `path` (status running). `fmt` "csv"/"xlsx", or "" to detect it."""
    if not can_import_clients(actor):
        raise PermissionDenied
    import_runs_mark_stale()
    path = Path(path)
    sha256 = file_sha256(path)
    previous = ImportRun.objects.filter(sha256=sha256, status=ImportRun.Status.DONE).order_by("-started_at").first()
    return ImportRun.objects.create(
        created_by=actor,
        file_name=(file_name or path.name)[:255],
        sha256=sha256,
        format=fmt or detect_format(path, file_name),
        previous_run=previous,
    )


def import_workers() -> int:
    """Worker processes for checking rows (setting DAMPINGI_IMPORTS_WORKERS; default 0: the
    importing process checks them). On the 2-core machine of docs/performance.md two workers
    made reading a million rows slower (21 s instead of 12 s): handing rows to the workers and
    back costs the reading process more than checking them, and PostgreSQL needs the other core.
    """
    return max(0, int(getattr(settings, "DAMPINGI_IMPORTS_WORKERS", 0) or 0))


def stale_after() -> datetime.timedelta:
    return datetime.timedelta(minutes=getattr(settings, "DAMPINGI_IMPORTS_STALE_MINUTES", 10))


def start_within() -> datetime.timedelta:
    return datetime.timedelta(minutes=getattr(settings, "DAMPINGI_IMPORTS_START_MINUTES", 60))


def run_is_stale(run: ImportRun, *, now: datetime.datetime | None = None) -> bool:
    """A running run whose process stopped: no heartbeat for stale_after(), or never started."""
    if run.status != ImportRun.Status.RUNNING:
        return False
    now = now or timezone.now()
    if run.heartbeat_at is None:
        return run.started_at < now - start_within()
    return run.heartbeat_at < now - stale_after()


def _stale_reason(run: ImportRun) -> str:
    if run.heartbeat_at is None:
        minutes = int(start_within().total_seconds() // 60)
        return _(
            "The import never started: the background worker did not pick it up within %(minutes)d minutes "
            "(is it running?). Upload the file again."
        ) % {"minutes": minutes}
    minutes = int(stale_after().total_seconds() // 60)
    return _(
        "The import was interrupted: its process gave no sign of life for %(minutes)d minutes (it was probably "
        "stopped or restarted). Upload the file again."
    ) % {"minutes": minutes}


def import_run_mark_stale(*, run: ImportRun, now: datetime.datetime | None = None) -> bool:
    """Mark `run` failed if its process stopped (see run_is_stale). True if it was marked.

    Its client data is not there to clean up: the process that died held it in an open
    transaction, which the database rolled back.
    """
    if not run_is_stale(run, now=now):
        return False
    with transaction.atomic():
        # A run locked by its own process is being finished right now: alive.
        locked = ImportRun.objects.select_for_update(skip_locked=True).filter(pk=run.pk).first()
        if locked is None or not run_is_stale(locked, now=now):
            return False
        locked.status = ImportRun.Status.FAILED
        locked.error = _stale_reason(locked)
        locked.finished_at = timezone.now()
        locked.save(update_fields=["status", "error", "finished_at"])
        audit_record(
            actor=locked.created_by,
            action="imports.run",
            target=locked,
            after={"status": locked.status, "file_name": locked.file_name, "sha256": locked.sha256, "stale": True},
        )
    run.status, run.error, run.finished_at = locked.status, locked.error, locked.finished_at
    return True


def import_runs_mark_stale(*, now: datetime.datetime | None = None) -> int:
    """Mark every run whose process stopped as failed; returns how many."""
    now = now or timezone.now()
    candidates = ImportRun.objects.filter(status=ImportRun.Status.RUNNING).filter(
        Q(heartbeat_at__lt=now - stale_after()) | Q(heartbeat_at__isnull=True, started_at__lt=now - start_within())
    )
    return sum(import_run_mark_stale(run=run, now=now) for run in candidates.select_related("created_by"))


def _save_progress(run: ImportRun) -> None:
    run.heartbeat_at = timezone.now()
    ImportRun.objects.filter(pk=run.pk).update(
        rows_done=run.rows_done, rows_total=run.rows_total, heartbeat_at=run.heartbeat_at
    )


class _Keeper:
    """Saves the run's progress and heartbeat every PROGRESS_EVERY_SECONDS from a thread with its
    own database connection, while this process's connection is inside the import transaction
    (where an update would stay invisible until the end). PostgreSQL only: SQLite allows one
    writer at a time, so its imports save progress before the transaction (and are small)."""

    def __init__(self, run: ImportRun):
        self.run = run
        self.rows_done = run.rows_done
        self.rows_total = run.rows_total
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"import-{run.pk}-progress", daemon=True)

    def __enter__(self) -> "_Keeper":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        from django.db import connection as own  # this thread's own connection

        try:
            while not self._stop.wait(PROGRESS_EVERY_SECONDS):
                ImportRun.objects.filter(pk=self.run.pk, status=ImportRun.Status.RUNNING).update(
                    rows_done=self.rows_done, rows_total=self.rows_total, heartbeat_at=timezone.now()
                )
        except Exception:  # a missed heartbeat must not break the import
            logger.exception("Import run %s: saving progress failed", self.run.pk)
        finally:
            own.close()


def _fail(run: ImportRun, error: str, problems: list[ImportProblem] = ()) -> ImportRun:
    run.status = ImportRun.Status.FAILED
    run.error = error
    run.finished_at = timezone.now()
    with transaction.atomic():
        ImportProblem.objects.bulk_create(problems)
        run.save(
            update_fields=[
                "status",
                "error",
                "finished_at",
                "rows",
                "rows_done",
                "rows_total",
                "bad",
                "imported",
                "already_registered",
                "client_systems_created",
                "seconds",
            ]
        )
        audit_record(
            actor=run.created_by,
            action="imports.run",
            target=run,
            after={"status": run.status, "file_name": run.file_name, "sha256": run.sha256, "error": error},
        )
    return run


# The last writer's SQL timings (bench_import prints them).
last_timings: dict[str, float] = {}


def import_run_execute(
    *, run: ImportRun, path: Path, progress: Progress | None = None, workers: int | None = None
) -> ImportRun:
    """Read, check and import the file of `run`. Returns the run, done or failed (never raises
    for a problem in the file; an unexpected error marks the run failed and is raised again).

    `workers`: processes that check rows (None: import_workers() for a large file, else none).
    A run that is no longer waiting to start (already executed, or marked failed as never
    started) is returned as it is.
    """
    now = timezone.now()
    claimed = ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.RUNNING, heartbeat_at__isnull=True).update(
        heartbeat_at=now
    )
    if not claimed:
        logger.warning("Import run %s is not waiting to start; not executed again", run.pk)
        run.refresh_from_db()
        return run
    run.heartbeat_at = now
    with translation.override(run.created_by.language or translation.get_language()):
        return _execute(run, Path(path), progress, workers)


def _execute(run: ImportRun, path: Path, progress: Progress | None, workers: int | None) -> ImportRun:
    started = time.perf_counter()
    try:
        table = open_table(path, run.format)
    except HeaderError as exc:
        return _fail(run, str(exc), [ImportProblem(run=run, line=1, field="", reason=str(exc))])
    run.rows_total = table.estimate
    _save_progress(run)
    if workers is None:
        workers = import_workers() if table.estimate >= PARALLEL_MIN_ROWS else 0
    writer = writer_for_connection(actor_id=run.created_by_id)
    reading = _Reading(run, table, writer, progress, workers)
    try:
        if writer.streams:
            # PostgreSQL: the writer inserts while the rows are read, so the transaction starts now;
            # progress and heartbeat go through the keeper's own connection.
            with transaction.atomic():
                try:
                    writer.begin()
                    with _Keeper(run) as keeper:
                        reading.read(keeper)
                        counts = writer.write()
                finally:
                    writer.stop()  # its helper thread is done with the connection before the transaction ends
                _finish(run, reading, counts, started)
        else:
            writer.begin()
            reading.read(None)
            with transaction.atomic():
                counts = writer.write()
                _finish(run, reading, counts, started)
        return run
    except HeaderError as exc:
        run.rows = reading.rows
        return _fail(run, str(exc), [ImportProblem(run=run, line=1, field="", reason=str(exc))])
    except Exception:
        logger.exception("Import run %s failed", run.pk)
        run.rows, run.imported, run.already_registered, run.client_systems_created = reading.rows, 0, 0, 0
        run.seconds = time.perf_counter() - started
        _fail(run, _("The import stopped because of an unexpected error; nothing was imported. Try again."))
        raise
    finally:
        table.close()
        writer.close()
        last_timings.clear()
        last_timings.update(writer.timings)


class _Reading:
    """Reads and checks the rows, hands the good ones to the writer and keeps the problems."""

    def __init__(self, run: ImportRun, table, writer, progress: Progress | None, workers: int):
        self.run, self.table, self.writer, self.progress, self.workers = run, table, writer, progress, workers
        self.problems: list[ImportProblem] = []
        self.rows = 0
        self.bad = 0

    def read(self, keeper: _Keeper | None) -> None:
        run, writer, progress = self.run, self.writer, self.progress
        merger = Merger()
        last_saved = time.monotonic()
        # The reading loop makes millions of small objects and no reference cycles: the cyclic
        # garbage collector only slows it down (by a third), so it pauses until the rows are read.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            blocks = checked_blocks(
                self.table.rows(),
                Reference.load(),
                as_text=writer.wants_text,
                fast=self.table.text_cells,
                workers=self.workers,
            )
            with contextlib.closing(blocks):
                for count, block in blocks:
                    good, bad = merger.merge(block)
                    writer.add_many(good)
                    self.bad += len(bad)
                    for line, row_problems in bad:
                        self.problems.extend(
                            ImportProblem(run=run, line=line, field=field, reason=reason)
                            for field, reason in row_problems
                        )
                    self.rows += count
                    run.rows_done = self.rows
                    run.rows_total = max(run.rows_total, self.rows)
                    if keeper is not None:
                        keeper.rows_done, keeper.rows_total = run.rows_done, run.rows_total
                    elif time.monotonic() - last_saved >= PROGRESS_EVERY_SECONDS:
                        _save_progress(run)
                        last_saved = time.monotonic()
                    if progress is not None:
                        progress(self.rows, run.rows_total)
        finally:
            if gc_was_enabled:
                gc.enable()
        writer.flush()
        run.rows = run.rows_done = self.rows
        run.bad = self.bad
        if keeper is not None:
            keeper.rows_done, keeper.rows_total = run.rows_done, run.rows_total
        else:
            _save_progress(run)
        if progress is not None:
            progress(self.rows, run.rows_total)


def _finish(run: ImportRun, reading: _Reading, counts, started: float) -> None:
    """Inside the import transaction: the problems, the counts, the run done, its audit event."""
    problems = reading.problems
    for start in range(0, len(problems), PROBLEM_BATCH):
        ImportProblem.objects.bulk_create(problems[start : start + PROBLEM_BATCH])
    run.imported = counts.imported
    run.already_registered = counts.already_registered
    run.client_systems_created = counts.client_systems_created
    run.status = ImportRun.Status.DONE
    run.error = ""
    run.finished_at = timezone.now()
    run.heartbeat_at = run.finished_at
    run.seconds = time.perf_counter() - started
    run.save()
    audit_record(
        actor=run.created_by,
        action="imports.run",
        target=run,
        after={
            "status": run.status,
            "file_name": run.file_name,
            "sha256": run.sha256,
            "format": run.format,
            "rows": run.rows,
            "imported": run.imported,
            "already_registered": run.already_registered,
            "bad": run.bad,
            "client_systems_created": run.client_systems_created,
            "previous_run": run.previous_run_id,
        },
    )


def import_file(
    *,
    actor: User,
    path: Path,
    file_name: str = "",
    fmt: str = "",
    progress: Progress | None = None,
    workers: int | None = None,
) -> ImportRun:
    """Start and execute a run in one go (the command line)."""
    run = import_run_start(actor=actor, path=path, file_name=file_name, fmt=fmt)
    return import_run_execute(run=run, path=path, progress=progress, workers=workers)
