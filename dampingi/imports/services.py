"""Importing a client register: start a run, then execute it (from the command or the huey task).

`import_run_start` records the run (who, file name, SHA-256, format) and is committed at once,
so that the web page can follow it. `import_run_execute` reads and checks every row, then writes
the good rows, the problems, the counts and the `imports.run` audit event in ONE transaction:
an exception (or a killed process) leaves no person, client system or membership of the run.
Progress (`rows_done`) is saved while reading, outside that transaction.

People created by an import get no `person.create` audit event each (a million events for a
million rows); the run's own audit event names the run, whose record holds the file's
SHA-256 and counts.
"""

import gc
import hashlib
import logging
import time
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dampingi.accounts.models import Role, User
from dampingi.audit.services import audit_record
from dampingi.imports.models import ImportProblem, ImportRun
from dampingi.imports.reader import HeaderError, detect_format, open_table
from dampingi.imports.validation import RowChecker
from dampingi.imports.writers import writer_for_connection

logger = logging.getLogger(__name__)

PROGRESS_EVERY_ROWS = 5_000
PROGRESS_EVERY_SECONDS = 1.0
PROBLEM_BATCH = 2_000

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


def _save_progress(run: ImportRun) -> None:
    ImportRun.objects.filter(pk=run.pk).update(rows_done=run.rows_done, rows_total=run.rows_total)


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


def import_run_execute(*, run: ImportRun, path: Path, progress: Progress | None = None) -> ImportRun:
    """Read, check and import the file of `run`. Returns the run, done or failed (never raises
    for a problem in the file; an unexpected error marks the run failed and is raised again)."""
    with translation.override(run.created_by.language or translation.get_language()):
        return _execute(run, Path(path), progress)


def _execute(run: ImportRun, path: Path, progress: Progress | None) -> ImportRun:
    started = time.perf_counter()
    try:
        table = open_table(path, run.format)
    except HeaderError as exc:
        return _fail(run, str(exc), [ImportProblem(run=run, line=1, field="", reason=str(exc))])
    run.rows_total = table.estimate
    _save_progress(run)
    checker = RowChecker()
    writer = writer_for_connection(actor_id=run.created_by_id)
    problems: list[ImportProblem] = []
    bad_lines = 0
    rows = 0
    last_saved = time.monotonic()
    try:
        writer.begin()
        # The reading loop makes millions of small objects and no reference cycles: the cyclic
        # garbage collector only slows it down (by a third), so it pauses until the rows are read.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            for line, cells in table.rows():
                rows += 1
                good, row_problems = checker.check(line, cells)
                if good is not None:
                    writer.add(good)
                else:
                    bad_lines += 1
                    problems.extend(
                        ImportProblem(run=run, line=line, field=field, reason=reason) for field, reason in row_problems
                    )
                if rows % PROGRESS_EVERY_ROWS == 0 and time.monotonic() - last_saved >= PROGRESS_EVERY_SECONDS:
                    writer.flush()
                    run.rows_done = rows
                    run.rows_total = max(run.rows_total, rows)
                    _save_progress(run)
                    last_saved = time.monotonic()
                if progress is not None and rows % 1000 == 0:
                    progress(rows, max(run.rows_total, rows))
        except HeaderError as exc:
            run.rows = rows
            return _fail(run, str(exc), [ImportProblem(run=run, line=1, field="", reason=str(exc))])
        finally:
            if gc_was_enabled:
                gc.enable()
        writer.flush()
        run.rows = run.rows_done = rows
        run.rows_total = max(run.rows_total, rows)
        run.bad = bad_lines
        _save_progress(run)
        if progress is not None:
            progress(rows, run.rows_total)
        with transaction.atomic():
            counts = writer.write()
            for start in range(0, len(problems), PROBLEM_BATCH):
                ImportProblem.objects.bulk_create(problems[start : start + PROBLEM_BATCH])
            run.imported = counts.imported
            run.already_registered = counts.already_registered
            run.client_systems_created = counts.client_systems_created
            run.status = ImportRun.Status.DONE
            run.finished_at = timezone.now()
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
        return run
    except Exception:
        logger.exception("Import run %s failed", run.pk)
        run.rows, run.imported, run.already_registered, run.client_systems_created = rows, 0, 0, 0
        run.seconds = time.perf_counter() - started
        _fail(run, _("The import stopped because of an unexpected error; nothing was imported. Try again."))
        raise
    finally:
        table.close()
        writer.close()
        last_timings.clear()
        last_timings.update(writer.timings)


def import_file(
    *, actor: User, path: Path, file_name: str = "", fmt: str = "", progress: Progress | None = None
) -> ImportRun:
    """Start and execute a run in one go (the command line)."""
    run = import_run_start(actor=actor, path=path, file_name=file_name, fmt=fmt)
    return import_run_execute(run=run, path=path, progress=progress)
