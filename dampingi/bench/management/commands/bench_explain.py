"""manage.py bench_explain --database-url postgres://.../dampingi_bench_NAME [--top 3]

Renders the six benchmarked pages in-process as the demo users (Django test client), records
every SQL statement with its time, and runs EXPLAIN (ANALYZE, BUFFERS) on the slowest statements
of each page. Writes bench/results/<date>-<clients>-explain.md: the plans behind the HTTP figures.
The EXPLAIN ANALYZE of a statement that writes (the case page's audit event) is skipped.
"""

import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dampingi.bench.management.commands.bench_build import bench_dbname, reexec_with
from dampingi.bench.results import now_iso

RESULTS_DIR = settings.BASE_DIR / "bench" / "results"


class Command(BaseCommand):
    help = "EXPLAIN ANALYZE the slowest SQL statements of each benchmarked page; write bench/results/*-explain.md."

    def add_arguments(self, parser):
        parser.add_argument("--database-url", required=True)
        parser.add_argument("--top", type=int, default=3, help="Statements explained per page (default 3)")
        parser.add_argument("--out", default=str(RESULTS_DIR))

    def handle(self, *args, database_url: str, top: int, out: str, **options):
        bench_dbname(database_url)
        if os.environ.get("DATABASE_URL") != database_url:
            code = reexec_with(
                database_url, ["bench_explain", "--database-url", database_url, "--top", str(top), "--out", out]
            )
            if code:
                raise CommandError(f"bench_explain failed (exit {code}).")
            return
        from django.contrib.auth import get_user_model

        from dampingi.bench.loader import read_marker
        from dampingi.bench.params import request_params

        with connection.cursor() as cursor:
            marker = read_marker(cursor)
        if marker is None:
            raise CommandError("This database was not built by bench_build (no marker).")
        params = request_params(seed=2026)
        users = {u.username: u for u in get_user_model().objects.filter(username__in=["sari", "ratna", "hendra"])}
        name = next((q for q in params["names"] if q["kind"] == "variant"), params["names"][0])
        pages = [
            ("worker caseload", "sari", reverse("reports:home")),
            ("case page", "sari", reverse("cases:detail", args=[params["case_ids"][0]])),
            ("client search by name", "sari", reverse("clients:list") + "?q=" + name["q"].replace(" ", "+")),
            ("lookup by NIK", "sari", reverse("clients:list") + "?q=" + params["niks"][0]["nik"]),
            ("supervisor dashboard", "ratna", reverse("reports:home")),
            ("manager dashboard", "hendra", reverse("reports:home")),
        ]
        lines = [
            f"# Query plans: {marker['clients']:,} client systems ({now_iso()[:16].replace('T', ' ')} UTC)",
            "",
            "Each page rendered in-process as its demo user (after one warm-up request); the slowest statements "
            f"of the second rendering, each with EXPLAIN (ANALYZE, BUFFERS). Name searched: `{name['q']}`.",
            "",
        ]
        for label, username, url in pages:
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(users[username])
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - start) * 1000
            statements = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
            sql_ms = sum(float(q["time"]) for q in statements) * 1000
            lines += [
                f"## {label} (`{url}`)",
                "",
                f"HTTP {response.status_code}; {elapsed:.0f} ms in-process, {len(statements)} statements, "
                f"{sql_ms:.0f} ms of SQL.",
                "",
            ]
            for q in statements[:top]:
                sql = q["sql"]
                lines += [f"### {float(q['time']) * 1000:.1f} ms", "", "```sql", sql, "```", ""]
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    lines += ["(writes: not explained)", ""]
                    continue
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                lines += ["```", plan, "```", ""]
        Path(out).mkdir(parents=True, exist_ok=True)
        path = Path(out) / f"{now_iso()[:10]}-{marker['clients']}-explain.md"
        path.write_text("\n".join(lines), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))
