"""Recompute the case tally (reports.CaseTally) from the cases, or check it with --check.

The services keep the tally current; rebuild it after writing cases around them (a bulk load,
a restore, a repair by hand). --check changes nothing: it compares the tally with a GROUP BY
over the cases, lists the rows that differ and exits with status 1 if any do (for cron/CI).
"""

import time

from django.core.management.base import BaseCommand, CommandError

from dampingi.reports.tally import case_tally_drift, case_tally_rebuild


class Command(BaseCommand):
    help = "Recompute the case tally behind the manager's dashboard from the cases (--check: report drift only)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Compare only; exit with status 1 on any drift.")
        parser.add_argument("--show", type=int, default=20, help="With --check: list at most this many rows.")

    def handle(self, *args, check: bool, show: int, **options):
        started = time.monotonic()
        if check:
            count, drifts = case_tally_drift(limit=show)
            seconds = time.monotonic() - started
            if not count:
                self.stdout.write(f"The case tally matches the cases ({seconds:.1f} s).")
                return
            for d in drifts:
                self.stdout.write(
                    f"team {d.team_id} {d.month:%Y-%m} {d.dimension}={d.bucket!r}: "
                    f"expected {d.expected[0]} open / {d.expected[1]} closed, "
                    f"stored {d.stored[0]} open / {d.stored[1]} closed"
                )
            raise CommandError(f"{count} tally rows differ from the cases; run rebuild_case_tally to recompute them.")
        rows = case_tally_rebuild()
        self.stdout.write(f"Case tally rebuilt: {rows} rows ({time.monotonic() - started:.1f} s).")
