"""PostgreSQL only: no JIT compilation for this database's sessions.

JIT pays off for long analytic queries, not for a web page's short ones: at 1,000,000 clients the
planner's row estimates for the client search made PostgreSQL compile it, which cost 30-80 ms on
top of about 15 ms of execution (docs/performance.md). A database setting rather than a connection
option, so that it also holds behind PgBouncer and for psql sessions of the same database.

Changing a database's settings needs its owner (or a superuser); a role without that right gets a
notice and the migration still applies: run `ALTER DATABASE <name> SET jit = off` as the owner.
"""

from django.db import migrations

SET = """
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'Dampingi: not the owner of the database, so JIT stays on. Run as the owner: ALTER DATABASE % SET jit = off', current_database();
END
$$;
"""

RESET = """
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I RESET jit', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'Dampingi: not the owner of the database; jit left as it is.';
END
$$;
"""


def _run(schema_editor, sql):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)  # no parameters: the % of format() is not a placeholder


def jit_off(apps, schema_editor):
    _run(schema_editor, SET)


def jit_default(apps, schema_editor):
    _run(schema_editor, RESET)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(jit_off, jit_default, elidable=False)]
