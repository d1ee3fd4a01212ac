"""manage.py bench_build --clients N --database-url postgres://.../dampingi_bench_NAME [--reuse]

Builds a PostgreSQL database for the benchmark: creates it (or drops and recreates it), migrates,
loads the reference data and writes N client systems with their cases and timelines through COPY
(dampingi.bench.loader). With --reuse, a database whose marker says it holds N client systems of
the same seed is kept (only new migrations are applied). Only databases whose name starts with
"dampingi_bench" are touched.

LOCAL TRIAL / BENCHMARK ONLY: the accounts share the demo password.
"""

import io
import os
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

DB_PREFIX = "dampingi_bench"
TEMPLATE = "dampingi_bench_template"  # migrated, reference data loaded: new sizes start from a copy


def bench_dbname(url: str) -> str:
    import psycopg.conninfo

    if not url.startswith(("postgres://", "postgresql://")):
        raise CommandError("--database-url must be a PostgreSQL URL (postgres://user@host:port/dampingi_bench...).")
    name = psycopg.conninfo.conninfo_to_dict(url).get("dbname") or ""
    if not name.startswith(DB_PREFIX):
        raise CommandError(f"Refusing to touch database {name!r}: benchmark databases are named {DB_PREFIX}*.")
    return name


def maintenance_conninfo(url: str) -> str:
    import psycopg.conninfo

    params = psycopg.conninfo.conninfo_to_dict(url)
    params["dbname"] = "postgres"
    return psycopg.conninfo.make_conninfo(**params)


def reexec_with(url: str, argv: list[str]) -> int:
    """Run this command again in a process whose settings point at `url`."""
    env = {**os.environ, "DATABASE_URL": url, "DAMPINGI_LOCAL_TRIAL": "1"}
    return subprocess.call([sys.executable, str(settings.BASE_DIR / "manage.py"), *argv], env=env)  # noqa: S603


class Command(BaseCommand):
    help = "Build (or reuse) a PostgreSQL benchmark database with N client systems, bulk-loaded with COPY."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, required=True)
        parser.add_argument("--database-url", required=True, help="postgres://.../dampingi_bench_...")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--reuse", action="store_true", help="Keep a database that already holds this size")
        parser.add_argument("--chunk-size", type=int, default=5000)
        parser.add_argument("--jobs", type=int, default=2, help="Processes generating rows (default 2)")

    def handle(
        self, *args, clients: int, database_url: str, seed: int, reuse: bool, chunk_size: int, jobs: int, **options
    ):
        import psycopg

        name = bench_dbname(database_url)
        if min(clients, chunk_size, jobs) < 1:
            raise CommandError("--clients, --chunk-size and --jobs must be at least 1.")
        if os.environ.get("DATABASE_URL") != database_url:
            argv = ["bench_build", "--clients", str(clients), "--database-url", database_url, "--seed", str(seed)]
            argv += ["--chunk-size", str(chunk_size), "--jobs", str(jobs), "--verbosity", str(options["verbosity"])]
            if reuse:
                argv.append("--reuse")
            code = reexec_with(database_url, argv)
            if code:
                raise CommandError(f"bench_build failed (exit {code}).")
            return

        from dampingi.bench.loader import build_postgres, read_marker
        from dampingi.demo.seed import ensure_reference_data

        started = time.monotonic()
        with psycopg.connect(maintenance_conninfo(database_url), autocommit=True) as admin:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
        if exists and reuse:
            with psycopg.connect(database_url) as conn, conn.cursor() as cur:
                marker = read_marker(cur)
            if marker and marker["clients"] == clients and marker["seed"] == seed:
                self.stdout.write(
                    f"Reusing {name}: {clients} client systems (seed {seed}) built {marker['built_on']:%Y-%m-%d %H:%M} "
                    f"in {marker['seconds']:.0f} s; applying any new migrations."
                )
                # A database built by an older checkout gets the new indexes and summary tables; data
                # migrations fill them from the rows already there.
                call_command("migrate", verbosity=0, interactive=False)
                return
            self.stdout.write(f"{name} does not hold {clients} client systems of seed {seed}: rebuilding it.")
        with psycopg.connect(maintenance_conninfo(database_url), autocommit=True) as admin:
            if exists:
                admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            has_template = (
                admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [TEMPLATE]).fetchone() is not None
            )
            if has_template:
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"')
            else:
                admin.execute(f'CREATE DATABASE "{name}"')
        self.stdout.write(
            f"Created {name}" + (f" from {TEMPLATE}" if has_template else "") + "; migrating, loading reference data..."
        )
        call_command("migrate", verbosity=0, interactive=False)
        if has_template:
            ensure_reference_data(lambda message: None)
        else:
            call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
            # Keep the migrated database with its reference data as a template for the next sizes.
            connection.close()
            with psycopg.connect(maintenance_conninfo(database_url), autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{TEMPLATE}" TEMPLATE "{name}"')
        prepared = time.monotonic() - started
        self.stdout.write(f"  ready in {prepared:.0f} s; generating {clients} client systems...")

        def log(message: str) -> None:
            self.stdout.write(message)

        result = build_postgres(
            conninfo=database_url,
            clients=clients,
            seed=seed,
            chunk_size=chunk_size,
            jobs=jobs,
            log=log,
            started=started,
        )
        counts = result["counts"]
        timeline = counts.get("cases_phasetransition", 0) + counts.get("cases_activitynote", 0)
        total = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Built {name} in {total:.0f} s ({total / 60:.1f} min; bulk part {result['seconds']:.0f} s): "
                f"{counts.get('clients_clientsystem', 0):,} client systems, {counts.get('clients_person', 0):,} "
                f"people, {counts.get('cases_case', 0):,} cases, {timeline:,} timeline events and notes "
                f"({counts.get('cases_phasetransition', 0):,} phase changes + {counts.get('cases_activitynote', 0):,} "
                f"notes), {counts.get('audit_auditevent', 0):,} audit events, {sum(counts.values()):,} rows."
            )
        )
        for key, value in sorted(result["timings"].items()):
            self.stdout.write(f"  {key}: {value:.1f}")
        if options["verbosity"] >= 2:
            for table, n in sorted(counts.items()):
                self.stdout.write(f"  {table}: {n:,}")
