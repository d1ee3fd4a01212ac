"""manage.py seed_demo: demo accounts, the four scenario cases and a synthetic population.

LOCAL TRIAL ONLY: the demo accounts share a published password. The command refuses to run
unless DAMPINGI_LOCAL_TRIAL=1 (as `make run` sets) or DEBUG is on.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config.env import env_bool
from dampingi.demo.seed import seed_demo


class Command(BaseCommand):
    help = (
        "Create demo accounts (one per role, password 'dampingi-demo'), the four scenario cases and N client "
        "systems with case files in every phase. Deterministic for a given seed. LOCAL TRIAL ONLY."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--clients",
            type=int,
            default=300,
            help="Client systems in all, the 4 scenario cases included (default 300)",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026)")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when the demo accounts already exist")
        parser.add_argument("--chunk-size", type=int, default=1000, help="Client systems written per batch")

    def handle(self, *args, clients: int, seed: int, if_empty: bool, chunk_size: int, verbosity: int, **options):
        if not (settings.DEBUG or env_bool("DAMPINGI_LOCAL_TRIAL", False)):
            raise CommandError(
                "seed_demo creates accounts with a published password: it runs only on a local trial "
                "(set DAMPINGI_LOCAL_TRIAL=1) or with DJANGO_DEBUG=1."
            )
        if clients < 0 or chunk_size < 1:
            raise CommandError("--clients must be 0 or more and --chunk-size at least 1.")

        def log(message: str) -> None:
            if verbosity >= 2:
                self.stdout.write(message)

        report = seed_demo(clients=clients, seed=seed, if_empty=if_empty, chunk_size=chunk_size, log=log)
        if report.skipped:
            self.stdout.write("Demo accounts already exist: nothing seeded (--if-empty).")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {report.clients} client systems, {report.people} people (bulk), {report.cases} cases, "
                f"{report.rows} rows in {report.seconds:.1f} s (seed {seed})."
            )
        )
        if verbosity >= 2:
            for name, count in sorted(report.counts.items()):
                self.stdout.write(f"  {name}: {count}")
