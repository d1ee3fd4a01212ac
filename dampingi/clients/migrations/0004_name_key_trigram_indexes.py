"""Trigram indexes on the name search keys (PostgreSQL only), for client search at scale.

The client list and the case list search `name_key` with a substring (`LIKE '%key%'`) and, on
PostgreSQL, with pg_trgm's word similarity (`name_key %> key`, typos forgiven). Neither can use
a B-tree index; a GIN index with gin_trgm_ops serves both. See
dampingi.clients.selectors.client_system_search and bench/results/2026-11-29-fixes.md.

- SQLite and other databases: nothing to do (the migration is recorded and does nothing).
- The indexes are built CONCURRENTLY (the migration is not atomic), so a large existing
  install keeps accepting writes to people and client systems while they are built. An index
  left invalid by an interrupted build is dropped and built again.
- pg_trgm is a trusted extension from PostgreSQL 13: the database owner may create it. On
  older servers a superuser must run `CREATE EXTENSION pg_trgm` first.
- Reversing drops the two indexes and keeps the extension (other objects may use it).
- The indexes are not in the models' Meta (that would be created on SQLite too), so
  `makemigrations` does not know them; this migration is their only definition.
"""

from django.db import migrations

INDEXES = (
    ("clients_person_name_key_trgm", "clients_person"),
    ("clients_clientsystem_name_key_trgm", "clients_clientsystem"),
)


def _is_postgresql(schema_editor):
    return schema_editor.connection.vendor == "postgresql"


def create_trigram_indexes(apps, schema_editor):
    if not _is_postgresql(schema_editor):
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    with schema_editor.connection.cursor() as cursor:
        for index, table in INDEXES:
            cursor.execute(
                "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE c.relname = %s AND pg_table_is_visible(c.oid)",
                [index],
            )
            row = cursor.fetchone()
            if row is not None and not row[0]:
                schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {index}")
            schema_editor.execute(
                f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {index} ON {table} USING gin (name_key gin_trgm_ops)"
            )


def drop_trigram_indexes(apps, schema_editor):
    if not _is_postgresql(schema_editor):
        return
    for index, _table in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {index}")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("clients", "0003_fill_name_keys"),
    ]

    operations = [
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
