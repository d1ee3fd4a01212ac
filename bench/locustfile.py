"""Locust load for `manage.py bench_http` (which starts the server, then this, then reads the samples).

Environment (set by bench_http):
  BENCH_PARAMS        JSON file: credentials, Sari's case ids, name queries, NIKs (see bench_http)
  BENCH_SAMPLES_OUT   where to write one sample per request (JSON) when the run ends
  BENCH_USER_RATE     requests per second of each simulated user (on average)
  BENCH_ARRIVALS      "poisson" (default) or "fixed": how each user spaces its requests (dampingi.bench.pacing)

One kind of simulated user per page kind, signed in with the demo accounts: Sari (social worker:
her caseload, her case pages, client search by name and by NIK), Ratna (supervisor dashboard),
Hendra (manager dashboard). bench_http sets how many users of each kind run (the same number for
every page kind measured, none for the others), each at the same average rate, so that the page
kinds share the fixed total rate equally.
"""

import json
import os
import random
import re
import sys
import time
from pathlib import Path

import gevent
from locust import FastHttpUser, constant_throughput, events, task

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the project, for dampingi.bench.pacing
from dampingi.bench.pacing import PoissonPacing  # noqa: E402

PARAMS = json.loads(open(os.environ["BENCH_PARAMS"], encoding="utf-8").read()) if os.environ.get("BENCH_PARAMS") else {}
RATE = float(os.environ.get("BENCH_USER_RATE", "1"))
ARRIVALS = os.environ.get("BENCH_ARRIVALS", "poisson")
COUNTS = PARAMS.get("user_counts", {})  # simulated users per page kind
SAMPLES: list[list] = []
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@events.request.add_listener
def _record(request_type, name, response_time, response_length, response, context, exception, start_time, **kw):
    headers = getattr(response, "headers", None) or {}
    status = getattr(response, "status_code", 0) or 0
    expect = (context or {}).get("expect")
    found = None
    if expect is not None and status == 200:
        found = f"/clients/{expect}/" in (response.text or "")
    SAMPLES.append(
        [
            start_time,
            name,
            response_time,
            exception is None and status == 200,
            status,
            int(headers.get("X-Bench-Sql-Count") or -1),
            float(headers.get("X-Bench-Sql-Ms") or -1),
            float(headers.get("X-Bench-App-Ms") or -1),
            found,
            (context or {}).get("variant"),
        ]
    )


@events.quitting.add_listener
def _dump(environment, **kw):
    path = os.environ.get("BENCH_SAMPLES_OUT")
    if path:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(SAMPLES, fh)


class _Signed(FastHttpUser):
    abstract = True
    username = ""
    fixed_period = constant_throughput(RATE)

    def wait_time(self) -> float:
        return self.pacing.wait() if self.pacing else self.fixed_period()

    def on_start(self):
        page = self.client.get("/accounts/login/", name="sign in")
        token = CSRF.search(page.text or "")
        response = self.client.post(
            "/accounts/login/",
            data={
                "username": self.username,
                "password": PARAMS.get("password", ""),
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="sign in",
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise RuntimeError(f"{self.username} could not sign in (HTTP {response.status_code})")
        self.rng = random.Random(f"{self.username}:{id(self)}:{time.monotonic()}")  # noqa: S311
        self.pacing = PoissonPacing(RATE, self.rng) if ARRIVALS == "poisson" else None
        if self.pacing:
            gevent.sleep(self.pacing.first_delay())

    def page(self, url: str, name: str, **context):
        with self.client.get(url, name=name, allow_redirects=False, context=context, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")


def _count(page: str) -> int:
    return int(COUNTS.get(page, 0))


class WorkerCaseload(_Signed):
    username = PARAMS.get("worker", "sari")
    fixed_count = _count("worker caseload")

    @task
    def caseload(self):
        self.page("/", "worker caseload")


class WorkerCasePage(_Signed):
    username = PARAMS.get("worker", "sari")
    fixed_count = _count("case page")

    @task
    def case_page(self):
        self.page(f"/cases/{self.rng.choice(PARAMS['case_ids'])}/", "case page")


class WorkerCaseTimeline(_Signed):
    """What a browser fetches when the timeline of a case page scrolls into view (an HTMX request)."""

    username = PARAMS.get("worker", "sari")
    fixed_count = _count("case timeline (on scroll)")

    @task
    def case_timeline(self):
        case_id = self.rng.choice(PARAMS["case_ids"])
        with self.client.get(
            f"/cases/{case_id}/timeline/latest/",
            name="case timeline (on scroll)",
            headers={"HX-Request": "true"},
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")


class WorkerNameSearch(_Signed):
    username = PARAMS.get("worker", "sari")
    fixed_count = _count("client search by name")

    @task
    def name_search(self):
        query = self.rng.choice(PARAMS["names"])
        self.page(
            "/clients/?q=" + query["q"].replace(" ", "+"),
            "client search by name",
            expect=query["expect"],
            variant=query["kind"],
        )


class WorkerNikLookup(_Signed):
    username = PARAMS.get("worker", "sari")
    fixed_count = _count("lookup by NIK")

    @task
    def nik_lookup(self):
        entry = self.rng.choice(PARAMS["niks"])
        self.page(f"/clients/?q={entry['nik']}", "lookup by NIK", expect=entry["expect"], variant="nik")


class SupervisorDashboard(_Signed):
    username = PARAMS.get("supervisor", "ratna")
    fixed_count = _count("supervisor dashboard")

    @task
    def dashboard(self):
        self.page("/", "supervisor dashboard")


class ManagerDashboard(_Signed):
    username = PARAMS.get("manager", "hendra")
    fixed_count = _count("manager dashboard")

    @task
    def dashboard(self):
        self.page("/", "manager dashboard")
