"""WSGI entry point for the HTTP benchmark: the Django application with SQL metering.

`gunicorn dampingi.bench.wsgi:application` serves the app exactly as config.wsgi does, and adds
three response headers measured inside the worker process:

- X-Bench-Sql-Count: SQL statements the request ran;
- X-Bench-Sql-Ms: time spent in them (from the driver call to its return: database time plus
  the round trip on the loopback);
- X-Bench-App-Ms: time the Django application took for the request (middleware, view, template).

Used only by `manage.py bench_http`; production serves config.wsgi (no metering, no headers).
"""

import os
import time

from django.db import connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from config.wsgi import application as django_application  # noqa: E402 - the production entry point


class SqlMeter:
    """A connection.execute_wrapper that counts statements and adds up their time."""

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


def application(environ, start_response):
    meter = SqlMeter()
    captured: list = []

    def hold(status, headers, exc_info=None):
        # Django calls this before returning the body; the real call waits until the times are known.
        captured[:] = [status, list(headers), exc_info]
        return lambda data: None  # Django never uses the write() callable

    start = time.perf_counter()
    with connections["default"].execute_wrapper(meter):
        body = django_application(environ, hold)
    elapsed = time.perf_counter() - start
    status, headers, exc_info = captured
    headers += [
        ("X-Bench-Sql-Count", str(meter.count)),
        ("X-Bench-Sql-Ms", f"{meter.seconds * 1000:.3f}"),
        ("X-Bench-App-Ms", f"{elapsed * 1000:.3f}"),
    ]
    start_response(status, headers, exc_info)
    return body
