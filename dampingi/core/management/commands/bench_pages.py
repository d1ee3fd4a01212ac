"""Measure the main pages in-process: latency percentiles, SQL queries and SQL time per page.

Run against a seeded database (`seed_demo`), e.g.:

    DAMPINGI_LOCAL_TRIAL=1 python manage.py bench_pages --repeat 30

It drives Django's test client (no network, no HTTP server), so the figures are the
application's own cost per page; `make bench` (docs/performance.md) adds an HTTP server
and a load generator.
"""

import statistics
import time
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse

from dampingi.cases.permissions import cases_visible_to
from dampingi.clients.models import ClientSystem


class _SqlMeter:
    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.count += 1


@contextmanager
def _metered():
    meter = _SqlMeter()
    with connection.execute_wrapper(meter):
        yield meter


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


class Command(BaseCommand):
    help = "Benchmark the main pages in-process (latency p50/p95/p99, SQL queries and SQL time)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=30)

    def handle(self, *args, repeat: int, **options):
        users = {u.username: u for u in get_user_model().objects.filter(username__in=["sari", "ratna", "hendra"])}
        if len(users) < 3:
            raise CommandError("Seed the database first: manage.py seed_demo --clients N")
        sari = users["sari"]
        case = cases_visible_to(sari).filter(closed_at__isnull=True).order_by("-pk").first()
        some_client = ClientSystem.objects.filter(kind="individual").order_by("pk").first()
        name = some_client.name.split()[0] if some_client else "Siti"
        pages = [
            ("worker caseload", sari, reverse("reports:home")),
            ("case list", sari, reverse("cases:list")),
            ("case page", sari, reverse("cases:detail", args=[case.pk])),
            ("client search by name", sari, reverse("clients:list") + f"?q={name}"),
            ("supervisor dashboard", users["ratna"], reverse("reports:home")),
            ("manager dashboard", users["hendra"], reverse("reports:home")),
        ]
        rows = []
        for label, user, url in pages:
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(user)
            client.get(url)  # warm-up: caches, connection
            timings, sql_times, queries = [], [], []
            for _ in range(repeat):
                with _metered() as meter:
                    start = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{label}: HTTP {response.status_code} for {url}")
                sql_times.append(meter.seconds * 1000)
                queries.append(meter.count)
            rows.append(
                (
                    label,
                    statistics.median(timings),
                    _percentile(timings, 95),
                    _percentile(timings, 99),
                    max(queries),
                    statistics.median(sql_times),
                )
            )
        clients = ClientSystem.objects.count()
        self.stdout.write(f"Database: {connection.vendor}, {clients} client systems, {repeat} requests per page\n")
        self.stdout.write("| page | p50 ms | p95 ms | p99 ms | SQL queries | SQL ms (p50) |")
        self.stdout.write("|---|---:|---:|---:|---:|---:|")
        for label, p50, p95, p99, q, sql in rows:
            self.stdout.write(f"| {label} | {p50:.1f} | {p95:.1f} | {p99:.1f} | {q} | {sql:.1f} |")
