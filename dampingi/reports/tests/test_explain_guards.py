"""EXPLAIN guards for the dashboards (PostgreSQL only): no statement the worker's, supervisor's
or manager's home runs, nor the case page's main case query, reads a big table from end to end.

Every statement a page sends is captured, then planned again with sequential scans discouraged
(dampingi.testing.explain). A big table that still shows a "Seq Scan" has no index that serves
the statement's conditions: at 1,000,000 client systems that statement would read the whole
table on every request (see bench/results/2026-11-29-fixes.md for the measured cost).

A Seq Scan is not the only way to read a whole table: with sequential scans off, the planner
may read one of its indexes from end to end instead (an index scan without an index condition,
e.g. the partial index of open cases: 3 of 4 cases). The old supervisor visibility (a join on
team.supervisor OR-ed with the case's own columns) planned exactly so, with no Seq Scan, as a
Bitmap Heap Scan over a condition-less Bitmap Index Scan. On a test-sized database whole-index
reads are also the planner's honest choice for joins (a merge join along the primary key of a
table of 600 cases), so the pages are guarded against Seq Scans only, and the visibility filter
itself (cases_visible_to, where such a regression comes from) against every kind of whole-table
read: seq_scanned_tables (which counts condition-less index scans too) and full_index_reads
(which adds the bitmap form).
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dampingi.accounts.models import Role
from dampingi.cases.models import ActivityNote, Case, Programme
from dampingi.cases.permissions import cases_visible_to, get_case_for_user_or_404
from dampingi.cases.phases import Phase
from dampingi.clients.models import ClientSystem, PPKSCategory
from dampingi.regions.models import Region
from dampingi.reports.tally import case_tally_rebuild
from dampingi.reports.tests import helpers
from dampingi.testing.explain import explain_json, plan_nodes, seq_scanned_tables
from dampingi.testing.factories import TeamFactory, UserFactory, make_case

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="query plans are PostgreSQL's (EXPLAIN guards run on PostgreSQL)"
)

BIG_TABLES = {
    "cases_case",
    "cases_phasetransition",
    "cases_activitynote",
    "clients_clientsystem",
    "clients_person",
    "clients_membership",
    "reports_casetally",  # one row per team, month and counted value: large at 1,000,000 clients too
}


def full_index_reads(query) -> set[str]:
    """Tables the plan reads through an index with no index condition (the whole index)."""
    tables = set()
    for node in plan_nodes(explain_json(query)):
        kind = node.get("Node Type")
        if kind in ("Index Scan", "Index Only Scan") and "Index Cond" not in node:
            tables.add(node["Relation Name"])
        elif kind == "Bitmap Heap Scan":
            children = [c for c in plan_nodes(node) if c.get("Node Type") == "Bitmap Index Scan"]
            if any("Index Cond" not in c for c in children):
                tables.add(node["Relation Name"])
    return tables


def seq_scans(sql: str) -> set[str]:
    """Tables the plan reads with a Seq Scan although sequential scans are discouraged."""
    return {n["Relation Name"] for n in plan_nodes(explain_json(sql)) if n.get("Node Type") == "Seq Scan"}


def full_reads(statements: list[str]) -> dict[str, set[str]]:
    """{statement: big tables it reads with a Seq Scan} for the statements that read any."""
    found = {}
    for sql in statements:
        if not sql.lstrip().upper().startswith("SELECT"):
            continue  # the session's UPDATE and the audit INSERT of a case view: no plan worth guarding
        tables = seq_scans(sql) & BIG_TABLES
        if tables:
            found[sql] = tables
    return found


def page_statements(client, user, url: str = "/") -> list[str]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


OTHER_CASES = 600


@pytest.fixture
def casework(sari, dedi):
    """Cases of both teams with tasks, approvals, notes and follow-ups, so that every list has rows;
    and many more cases of a team in Kota Bandung, which none of the cast oversees.

    With fresh statistics (ANALYZE), the planner then knows that the cast's cases are a small part
    of the table, as they are at scale: a plan that reads a whole index of cases costs more than
    the index scans that go to the few visible cases, and is chosen only when those are impossible.
    """
    helpers.caseload(sari, 6)
    helpers.caseload(dedi, 4)
    supervisor = UserFactory(username="wulan", role=Role.SUPERVISOR)
    team = TeamFactory(name="Tim Kota Bandung", region_id="32.73", supervisor=supervisor)
    worker = UserFactory(username="asep", role=Role.WORKER, team=team)
    village = Region.objects.filter(code__startswith="32.73.01.", level=Region.Level.VILLAGE).order_by("code").first()
    systems = ClientSystem.objects.bulk_create(
        ClientSystem(kind=ClientSystem.Kind.GROUP, name=f"Kelompok {i}", region=village, created_by=worker)
        for i in range(OTHER_CASES)
    )
    now = timezone.now()
    programme, ppks = Programme.objects.order_by("pk").first(), PPKSCategory.objects.order_by("pk").first()
    Case.objects.bulk_create(
        Case(
            client_system=system,
            programme=programme,
            presenting_problem="-",
            referral_source="community",
            ppks=ppks,
            team=team,
            assigned_worker=worker,
            supervisor=supervisor,
            phase=Phase.INTERVENTION,
            phase_changed_at=now,
            opened_at=now - datetime.timedelta(days=90 + i % 700),
            opened_by=worker,
        )
        for i, system in enumerate(systems)
    )
    cases = Case.objects.filter(team=team).order_by("pk")
    ActivityNote.objects.bulk_create(
        ActivityNote(
            case=case,
            kind=ActivityNote.Kind.HOME_VISIT,
            phase=case.phase,
            occurred_on=timezone.localdate() - datetime.timedelta(days=(case.pk * 7 + n) % 400),
            narrative="-",
            author=worker,
        )
        for case in cases
        for n in range(4)
    )
    case_tally_rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def test_worker_home_reads_no_big_table_in_full(client, sari, casework):
    assert full_reads(page_statements(client, sari)) == {}


def test_supervisor_home_reads_no_big_table_in_full(client, ratna, casework):
    assert full_reads(page_statements(client, ratna)) == {}


def test_manager_home_reads_no_big_table_in_full(client, hendra, casework):
    statements = page_statements(client, hendra)
    assert any("reports_casetally" in sql for sql in statements)
    assert full_reads(statements) == {}


def test_manager_home_for_a_period_reads_no_big_table_in_full(client, hendra, casework):
    today = helpers.today()
    assert full_reads(page_statements(client, hendra, f"/?start={today:%Y-%m}-01&end={today.isoformat()}")) == {}


@pytest.mark.parametrize("persona", ["sari", "ratna", "hendra"])
@pytest.mark.parametrize("only_open", [False, True])
def test_visible_cases_are_found_through_the_case_indexes(request, casework, persona, only_open):
    """The persona's cases are a few dozen among hundreds: reached by index conditions
    (team, worker, supervisor), not by reading a whole index of cases."""
    visible = cases_visible_to(request.getfixturevalue(persona))
    if only_open:
        visible = visible.filter(closed_at__isnull=True)
    sql = str(visible.values("pk", "phase").query)
    assert "accounts_team" not in sql  # no join: the team ids are resolved first
    qs = visible.values("pk", "phase")
    assert seq_scanned_tables(qs) == set()
    assert full_index_reads(qs) == set()


@pytest.mark.parametrize("persona", ["sari", "ratna", "hendra"])
def test_the_case_pages_case_query_reads_no_big_table_in_full(request, sari, casework, persona):
    user = request.getfixturevalue(persona)
    case = make_case(worker=sari)
    with CaptureQueriesContext(connection) as ctx:
        get_case_for_user_or_404(user, case.pk)
    assert full_reads([q["sql"] for q in ctx.captured_queries]) == {}
