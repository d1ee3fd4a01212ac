"""How the app's database connections are set up (config/settings.py)."""

import pytest
from django.db import connection

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner settings")


@postgresql_only
def test_the_apps_queries_never_get_a_parallel_plan(db):
    # A page's statements take milliseconds: starting parallel workers costs more than it saves
    # and takes the cores other requests need (docs/performance.md).
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


@postgresql_only
def test_the_apps_queries_are_never_jit_compiled_even_where_the_database_setting_is_missing(db):
    # The database-level `jit = off` (migration core.0001) is not copied by CREATE DATABASE ...
    # TEMPLATE nor restored from a plain dump: at 1M clients the search then spent 38 ms of its
    # 61 ms compiling. The connection's own setting holds wherever the database came from.
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
