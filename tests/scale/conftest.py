"""Two app server processes against the test database (PostgreSQL only; see test_two_processes.py)."""

import time

import pytest

from tests.scale.helpers import START_TIMEOUT, AppServer, database_url, free_port, server_env


@pytest.fixture(scope="module")
def app_servers(django_db_setup, tmp_path_factory):
    """Servers A and B: two `runserver --noreload` processes on free ports, both on the test database.

    They start once per module (a test's committed data is visible to them at once) and are
    stopped, whatever happens, before pytest-django drops the test database.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    logs = tmp_path_factory.mktemp("app-servers")
    env = server_env(database_url(connection.settings_dict))
    servers = [AppServer(name, free_port(), logs / f"server-{name}.log") for name in ("A", "B")]
    try:
        for server in servers:
            server.start(env)
        deadline = time.monotonic() + START_TIMEOUT
        for server in servers:
            server.wait_until_ready(deadline, env)
        yield servers
    finally:
        for server in servers:
            server.stop()
