"""manage.py bench_http --database-url postgres://.../dampingi_bench_NAME [--rate 20 --duration 60]

Serves the app with gunicorn on 127.0.0.1 (dampingi.bench.wsgi: config.wsgi plus SQL metering
headers) against the benchmark database, drives it with locust (bench/locustfile.py) at a fixed
request rate, and writes bench/results/<date>-<clients>.json and .md, then bench/results/summary.md.

The page parameters are real: Sari's own cases, names of client systems she may see (with spelling
variants, typos and partial names), NIKs of their members. LOCAL TRIAL / BENCHMARK ONLY.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction

from dampingi.bench.management.commands.bench_build import bench_dbname, reexec_with
from dampingi.bench.results import (
    ALL_PAGES,
    arrival_pattern,
    cpu_check_ms,
    load_average,
    machine_info,
    measuring_window,
    now_iso,
    summarise,
    write_results,
    write_summary,
)

RESULTS_DIR = settings.BASE_DIR / "bench" / "results"
LOCUSTFILE = settings.BASE_DIR / "bench" / "locustfile.py"


LOAD_GENERATOR = {
    "poisson": "locust (FastHttpUser, Poisson arrivals: each user's requests at random gaps)",
    "fixed": "locust (FastHttpUser, constant_throughput: every user at the same period from a common start)",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prewarm(cursor) -> int | None:
    """Read the benchmark database's tables and indexes into the operating system's cache
    (pg_prewarm), as a production database is after hours of use; returns the blocks read, or
    None when the extension is not installed. Without it a run measures the disk: this machine
    reclaims idle page cache within minutes (seen: 9 GB cached after one run, 1.8 GB a few
    runs later, and every page's p95 up by half)."""
    try:
        with transaction.atomic():
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
    except DatabaseError:
        return None
    cursor.execute(
        "SELECT coalesce(sum(pg_prewarm(c.oid::regclass, 'read')), 0) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i', 'm')"
    )
    return int(cursor.fetchone()[0])


def _wait_until_up(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise CommandError(f"The server did not answer {url} within {seconds:.0f} s.")


class Command(BaseCommand):
    help = "Measure the six main pages and the case timeline fragment over HTTP at a fixed rate; write bench/results/."

    def add_arguments(self, parser):
        parser.add_argument("--database-url", required=True)
        parser.add_argument("--rate", type=float, default=20.0, help="Requests per second in all (default 20)")
        parser.add_argument("--duration", type=int, default=60, help="Measured seconds (default 60)")
        parser.add_argument("--warmup", type=int, default=10, help="Seconds of load before measuring (default 10)")
        parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4)")
        parser.add_argument("--threads", type=int, default=1, help="Threads per worker (>1: gthread)")
        parser.add_argument(
            "--arrivals",
            choices=["poisson", "fixed"],
            default="poisson",
            help="How each simulated user spaces its requests: random (Poisson) gaps, the default, or the "
            "same period for all from a common start (locust's constant_throughput; bursts, see bench/locustfile.py)",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Chooses the names, NIKs and cases requested")
        parser.add_argument("--note", default="", help="A remark stored with the results (e.g. machine load)")
        parser.add_argument("--out", default=str(RESULTS_DIR))
        parser.add_argument(
            "--pages", default="", help="Comma-separated page kinds to load (default: all seven), e.g. 'case page'"
        )
        parser.add_argument("--tag", default="", help="Added to the result file names (e.g. a partial run)")
        parser.add_argument(
            "--samples-out",
            default="",
            help="Also keep every request's sample (JSON, as the load generator wrote them) in this file",
        )

    def handle(self, *args, database_url: str, **options):
        bench_dbname(database_url)
        if os.environ.get("DATABASE_URL") != database_url:
            argv = ["bench_http", "--database-url", database_url]
            keys = ("rate", "duration", "warmup", "workers", "threads", "seed", "note", "out", "pages", "tag")
            for key in (*keys, "arrivals", "samples_out"):
                argv += [f"--{key.replace('_', '-')}", str(options[key])]
            code = reexec_with(database_url, argv)
            if code:
                raise CommandError(f"bench_http failed (exit {code}).")
            return
        self.run(database_url, **options)

    def run(self, database_url: str, *, rate, duration, warmup, workers, threads, seed, note, out, pages, **options):
        pages = [p.strip() for p in pages.split(",") if p.strip()] if pages else ALL_PAGES
        unknown = set(pages) - set(ALL_PAGES)
        if unknown:
            raise CommandError(f"Unknown pages {sorted(unknown)}; choose from {ALL_PAGES}.")
        from dampingi.bench.loader import read_marker
        from dampingi.bench.params import dataset_facts, request_params

        with connection.cursor() as cursor:
            marker = read_marker(cursor)
            cursor.execute("SELECT version(), current_setting('shared_buffers'), current_setting('work_mem')")
            version, shared_buffers, work_mem = cursor.fetchone()
        if marker is None:
            raise CommandError("This database was not built by bench_build (no marker): run bench_build first.")
        with connection.cursor() as cursor:
            prewarmed = prewarm(cursor)
        params = request_params(seed=seed)
        facts = dataset_facts(marker)
        if not Path(settings.STATIC_ROOT, "staticfiles.json").exists():
            call_command("collectstatic", interactive=False, verbosity=0)
        connection.close()

        per_kind = max(1, round(rate / len(pages)))  # about one simulated user per request per second
        users = {page: per_kind for page in pages}
        params["user_counts"] = users
        per_user = rate / sum(users.values())
        sign_in_allowance = 20  # seconds for every simulated user to sign in (password hashing is slow on purpose)
        port = _free_port()
        host = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DAMPINGI_LOCAL_TRIAL": "1",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECURE_COOKIES": "0",
        }
        gunicorn = [
            str(Path(sys.executable).with_name("gunicorn")),
            "dampingi.bench.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ]
        if threads > 1:
            gunicorn += ["--worker-class", "gthread", "--threads", str(threads)]
        server_desc = f"gunicorn {workers} {'gthread' if threads > 1 else 'sync'} workers" + (
            f" x {threads} threads" if threads > 1 else ""
        )
        with tempfile.TemporaryDirectory(prefix="dampingi-bench-") as tmp:
            params_path = Path(tmp, "params.json")
            samples_path = Path(tmp, "samples.json")
            params_path.write_text(json.dumps(params), encoding="utf-8")
            self.stdout.write(
                f"Serving {facts['clients']:,} client systems with {server_desc} on {host}; "
                f"{sum(users.values())} users at {per_user:.2f} req/s each ({rate} req/s) for {warmup}+{duration} s..."
            )
            cpu_before = cpu_check_ms()  # before the server starts: its start-up would share the CPU
            server = subprocess.Popen(gunicorn, env=env, cwd=settings.BASE_DIR)  # noqa: S603
            try:
                _wait_until_up(f"{host}/accounts/login/", 60)
                load_before = load_average()
                locust = [
                    str(Path(sys.executable).with_name("locust")),
                    "-f",
                    str(LOCUSTFILE),
                    "--headless",
                    "--users",
                    str(sum(users.values())),
                    "--spawn-rate",
                    str(sum(users.values())),
                    "--run-time",
                    f"{warmup + duration + sign_in_allowance}s",
                    "--host",
                    host,
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                    "--stop-timeout",
                    "10",
                ]
                subprocess.run(  # noqa: S603
                    locust,
                    env={
                        **os.environ,
                        "BENCH_PARAMS": str(params_path),
                        "BENCH_SAMPLES_OUT": str(samples_path),
                        "BENCH_USER_RATE": f"{per_user:.6f}",
                        "BENCH_ARRIVALS": options["arrivals"],
                    },
                    cwd=settings.BASE_DIR,
                    check=False,
                    stdout=subprocess.DEVNULL if options["verbosity"] < 2 else None,
                )
                load_after = load_average()
            finally:
                server.send_signal(signal.SIGTERM)
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
            cpu_after = cpu_check_ms()  # the server has stopped
            if not samples_path.exists():
                raise CommandError("The load generator wrote no samples (see its output with --verbosity 2).")
            samples = json.loads(samples_path.read_text(encoding="utf-8"))
            if options.get("samples_out"):
                shutil.copyfile(samples_path, options["samples_out"])
        since, until = measuring_window(samples, warmup_s=warmup, duration_s=duration)
        page_stats = summarise(samples, duration_s=until - since, since=since, until=until)
        result = {
            "measured_at": now_iso(),
            "dataset": facts,
            "run": {
                "server": server_desc,
                "load_generator": LOAD_GENERATOR[options["arrivals"]],
                "rate_rps": rate,
                "duration_s": round(until - since, 1),
                "requested_duration_s": duration,
                "warmup_s": warmup,
                "users": users,
                "load_before": load_before,
                "prewarmed_blocks": prewarmed,
                "load_after": load_after,
                "cpu_check_ms_before": cpu_before,
                "cpu_check_ms_after": cpu_after,
                "note": note,
                "pages": pages,
                "tag": options.get("tag", ""),
                "samples": sum(p["requests"] for p in page_stats.values()),
                "arrivals": arrival_pattern(samples, since=since, until=until),
            },
            "machine": machine_info(),
            "database": {"version": version, "shared_buffers": shared_buffers, "work_mem": work_mem},
            "pages": page_stats,
        }
        json_path, md_path = write_results(result, Path(out))
        summary = write_summary(Path(out))
        self.stdout.write(md_path.read_text(encoding="utf-8"))
        self.stdout.write(self.style.SUCCESS(f"Wrote {json_path}, {md_path}" + (f", {summary}" if summary else "")))
