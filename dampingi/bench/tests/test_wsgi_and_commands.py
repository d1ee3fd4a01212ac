"""The metered WSGI entry point and the commands' refusals."""

from io import BytesIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from dampingi.bench import wsgi


def test_metered_application_adds_sql_and_time_headers(db):
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/accounts/login/",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(b""),
        "wsgi.errors": BytesIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(wsgi.application(environ, start_response))
    assert seen["status"].startswith("200")
    assert int(seen["headers"]["X-Bench-Sql-Count"]) >= 0
    assert float(seen["headers"]["X-Bench-App-Ms"]) >= float(seen["headers"]["X-Bench-Sql-Ms"]) >= 0
    assert b"csrfmiddlewaretoken" in body


@pytest.mark.parametrize("command", ["bench_build", "bench_http", "bench_explain"])
@pytest.mark.parametrize(
    "url",
    ["postgres://postgres@127.0.0.1:5432/dampingi", "sqlite:///db.sqlite3", "postgres://x@127.0.0.1/bench_1m"],
)
def test_commands_touch_only_benchmark_databases(command, url):
    args = ["--database-url", url] + (["--clients", "10"] if command == "bench_build" else [])
    with pytest.raises(CommandError):
        call_command(command, *args)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_prewarm is a PostgreSQL extension")
def test_prewarm_reads_the_tables_and_indexes_into_the_cache():
    from dampingi.bench.management.commands.bench_http import prewarm

    with connection.cursor() as cursor:
        blocks = prewarm(cursor)
        cursor.execute("SELECT count(*) FROM pg_extension WHERE extname = 'pg_prewarm'")
        installed = cursor.fetchone()[0]
    # The test database is small, but every table and index has at least one block.
    assert installed == 1 and blocks >= 100
