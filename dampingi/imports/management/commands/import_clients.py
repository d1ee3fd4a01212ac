"""Import a client register (CSV or XLSX) from the command line.

    python manage.py import_clients register.csv --as ratna [--format csv|xlsx] [--dry-run]

Shows a progress line on stderr, then the counts, the rows/s and every problem with its line.
`--dry-run` reads, checks and writes everything inside a transaction that is rolled back: the
counts are exact and nothing stays (no people, no run, no audit event). Exits with status 1
when the header makes the file unreadable (nothing imported) or the run failed.
"""

import time
from contextlib import nullcontext
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dampingi.imports.models import ImportRun
from dampingi.imports.services import can_import_clients, import_file


class _DryRunRollback(Exception):
    pass


class Command(BaseCommand):
    help = "Import a client register (CSV or XLSX: NIK, No. KK, name, sex, birth date, address, region, PPKS)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--as", dest="username", required=True, help="The supervisor or administrator importing")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="")
        parser.add_argument("--dry-run", action="store_true", help="Check and count, then roll everything back")
        parser.add_argument("--show-problems", type=int, default=100, help="Print at most this many problems")

    def _progress(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self._last < 0.2 and done < total:
            return
        self._last = now
        rate = done / max(now - self._start, 1e-9)
        percent = f"{done * 100 // total:3d}%" if total else "   "
        self.stderr.write(f"\r{percent} {done:,}/{total:,} rows · {rate:,.0f} rows/s", ending="")
        self.stderr.flush()

    def handle(self, *args, file: Path, username: str, format: str, dry_run: bool, show_problems: int, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            actor = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {username!r}") from None
        if not can_import_clients(actor):
            raise CommandError(f"{username} may not import registers (supervisors and administrators may).")
        self._start = time.monotonic()
        self._last = 0.0
        run = None
        try:
            # A dry run happens inside a transaction that is rolled back; a real run commits as it goes.
            with transaction.atomic() if dry_run else nullcontext():
                run = import_file(actor=actor, path=file, fmt=format, progress=self._progress)
                self._report(run, dry_run, show_problems)
                if dry_run:
                    raise _DryRunRollback
        except _DryRunRollback:
            pass
        if run.status != ImportRun.Status.DONE:
            raise CommandError(run.error)

    def _report(self, run: ImportRun, dry_run: bool, show_problems: int) -> None:
        elapsed = time.monotonic() - self._start
        self.stderr.write("")
        prefix = "DRY RUN (nothing kept): " if dry_run else ""
        if run.status != ImportRun.Status.DONE:
            self.stdout.write(f"{prefix}failed: {run.error}")
            return
        self.stdout.write(
            f"{prefix}{run.rows} rows: {run.imported} imported, {run.already_registered} already registered, "
            f"{run.bad} rejected; {run.client_systems_created} client systems created "
            f"({run.rows / max(elapsed, 1e-9):,.0f} rows/s, {elapsed:.1f} s)."
        )
        if run.previous_run_id:
            self.stdout.write(f"This file was imported before (run {run.previous_run_id}).")
        if not dry_run:
            self.stdout.write(f"Run {run.pk}.")
        problems = run.problems.order_by("line", "id")
        for problem in problems[:show_problems]:
            self.stdout.write(f"line {problem.line}: {problem.field or '-'}: {problem.reason}")
        remaining = problems.count() - show_problems
        if remaining > 0:
            self.stdout.write(f"… and {remaining} more problems (see the run page).")
