"""Query-plan guards for tests: "does this query still read a big table from end to end?"

PostgreSQL only. The planner is asked for a plan with sequential scans discouraged
(`SET LOCAL enable_seqscan = off`, in a transaction that is rolled back), so it picks an index
whenever one can serve the query's conditions. A table that still shows up as read in full (a
"Seq Scan", or an index scan with no index condition: the planner's way round the setting) has
no usable index for the query: at 1,000,000 client systems it would read the whole table on
every request.

    from dampingi.testing.explain import seq_scanned_tables

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's")
    def test_search_reads_no_big_table_in_full(other_clients, sari):
        qs = client_system_search(sari, query="siti aminah")
        assert seq_scanned_tables(qs) & {"clients_person", "clients_clientsystem"} == set()

Give the big tables a few thousand rows and ANALYZE them first (see `other_clients` in
dampingi/clients/tests/test_search_scale.py, which also flushes the GIN pending lists): on a
handful of rows walking a whole primary key is cheaper than any other index, and the guard
would report tables that are fine at scale.

The plan says what the planner *can* do with the indexes there are, not what it will choose on
a large database with real statistics: measure that with EXPLAIN ANALYZE on a benchmark copy.
"""

from collections.abc import Iterator
from typing import Any

from django.db import connections, transaction
from django.db.models import QuerySet

__all__ = ["explain_json", "plan_nodes", "seq_scanned_tables"]


def _sql_and_params(queryset_or_sql: QuerySet | str, params: Any, using: str | None) -> tuple[str, Any, str]:
    if isinstance(queryset_or_sql, QuerySet):
        if params is not None:
            raise TypeError("params are only for raw SQL; a queryset carries its own")
        alias = using or queryset_or_sql.db
        sql, qs_params = queryset_or_sql.query.sql_with_params()
        return sql, qs_params, alias
    # No params: the SQL goes to the driver as it is (a "%" in it is not a placeholder).
    return queryset_or_sql, params, using or "default"


def explain_json(
    queryset_or_sql: QuerySet | str,
    params: Any = None,
    *,
    using: str | None = None,
    enable_seqscan: bool = False,
) -> dict[str, Any]:
    """The top plan node of `EXPLAIN (FORMAT JSON)` for a queryset or a SQL string with params.

    Runs in a transaction of its own (a savepoint inside a test's transaction), rolled back,
    with `enable_seqscan` off unless asked otherwise; the setting ends with it. Nothing is
    executed: plain EXPLAIN, no ANALYZE. Raises RuntimeError on a database other than
    PostgreSQL.
    """
    sql, sql_params, alias = _sql_and_params(queryset_or_sql, params, using)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        raise RuntimeError(f"query plans are read from PostgreSQL only, not {connection.vendor}")
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        if not enable_seqscan:
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, sql_params)
        raw = cursor.fetchone()[0]
        # Roll the block back: a released savepoint would keep SET LOCAL for the rest of the
        # test's transaction.
        transaction.set_rollback(True, using=alias)
    if isinstance(raw, str):  # a driver that does not decode json
        import json

        raw = json.loads(raw)
    return raw[0]["Plan"]


def plan_nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every node of a JSON plan (as explain_json returns it), depth first, including subplans."""
    yield plan
    for child in plan.get("Plans", ()):
        yield from plan_nodes(child)


# Scans that read a table from end to end: a sequential scan, or an index scan without any index
# condition (with sequential scans discouraged, the planner walks a whole index instead).
_INDEX_SCANS = {"Index Scan", "Index Only Scan"}


def _reads_whole_table(node: dict[str, Any]) -> bool:
    if node.get("Node Type") == "Seq Scan":
        return True
    return node.get("Node Type") in _INDEX_SCANS and "Index Cond" not in node and "Order By" not in node


def seq_scanned_tables(
    queryset_or_sql: QuerySet | str,
    params: Any = None,
    *,
    using: str | None = None,
) -> set[str]:
    """Names of the tables a query reads from end to end although sequential scans are
    discouraged: the tables for which no index serves the query's conditions. A sequential
    scan counts, and so does an index scan without an index condition (the planner's way
    round `enable_seqscan = off`). A GIN index scan that must read the whole index (pg_trgm
    with a pattern of fewer than three letters) does not show in a plan and is not caught.

    `queryset_or_sql` is a QuerySet (its SQL and parameters are taken from
    `query.sql_with_params()`, so quoting is the driver's) or a SQL string with `params`.
    For what a page runs through `.count()` or `.exists()`, pass the SQL that
    `django.test.utils.CaptureQueriesContext` caught (parameters already inlined, so no params).
    """
    return {
        node["Relation Name"]
        for node in plan_nodes(explain_json(queryset_or_sql, params, using=using))
        if _reads_whole_table(node)
    }
