"""Writing the benchmark population: PostgreSQL COPY (bulk build), or executemany (tests, SQLite).

The bulk build (`build_postgres`) streams the generator's chunks to a second connection in a
background thread, so that Python generates the next chunk while PostgreSQL stores the last one.
In that one transaction it truncates the tables it fills (the database is new), drops their
secondary indexes, COPYs every chunk WITH (FREEZE) (rows land frozen and all-visible: no VACUUM
needed afterwards), recreates the indexes, moves the id sequences past the generated keys and
writes a marker row (`bench_build_marker`) that `--reuse` reads. Foreign keys are not checked
during the load (session_replication_role = replica; the rows are consistent by construction, and
the tests check them on a small population with the checks on).
"""

import datetime
import json
import time
from collections.abc import Callable, Iterable

from django.db import connection as default_connection
from django.db.models import Max

from dampingi.bench.generator import TABLE_ORDER, BenchGenerator, BuildPlan, Chunk, TableSpec, plan_accounts
from dampingi.clients.models import ClientSystem, Person
from dampingi.reports.tally import case_tally_rebuild

MARKER_TABLE = "bench_build_marker"


def start_ids() -> dict[type, int]:
    return {model: (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1 for model in TABLE_ORDER}


def make_generator(
    *,
    clients: int,
    seed: int,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
    plan: BuildPlan | None = None,
) -> BenchGenerator:
    """Accounts first (through the ORM), then a generator whose keys follow the existing rows."""
    plan = plan or plan_accounts(clients=clients, seed=seed)
    return BenchGenerator(
        clients=clients,
        seed=seed,
        plan=plan,
        start_ids=start_ids(),
        today=today,
        now=now,
        taken_niks=set(Person.objects.exclude(nik=None).values_list("nik", flat=True)),
        taken_kks=set(ClientSystem.objects.exclude(no_kk="").values_list("no_kk", flat=True)),
    )


def copy_sql(spec: TableSpec, *, freeze: bool = False) -> str:
    columns = ", ".join(f'"{c}"' for c in spec.columns)
    return f'COPY "{spec.table}" ({columns}) FROM STDIN' + (" WITH (FREEZE)" if freeze else "")


def copy_chunk(cursor, specs: dict[type, TableSpec], chunk: Chunk, *, freeze: bool = False) -> None:
    """COPY each table's rows of one chunk, parents first (`cursor` is a psycopg 3 cursor)."""
    for model in TABLE_ORDER:
        rows = chunk.rows[model]
        if not rows:
            continue
        with cursor.copy(copy_sql(specs[model], freeze=freeze)) as copy:
            write = copy.write_row
            for row in rows:
                write(row)


def _sqlite_value(value, ops):
    if isinstance(value, datetime.datetime):
        return ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def insert_chunk(specs: dict[type, TableSpec], chunk: Chunk, *, connection=default_connection) -> None:
    """The same rows through executemany (any database Django supports; used on SQLite)."""
    ops = connection.ops
    with connection.cursor() as cursor:
        for model in TABLE_ORDER:
            rows = chunk.rows[model]
            if not rows:
                continue
            spec = specs[model]
            columns = ", ".join(connection.ops.quote_name(c) for c in spec.columns)
            marks = ", ".join(["%s"] * len(spec.columns))
            sql = f"INSERT INTO {connection.ops.quote_name(spec.table)} ({columns}) VALUES ({marks})"  # noqa: S608
            if connection.vendor == "sqlite":
                rows = [tuple(_sqlite_value(v, ops) for v in row) for row in rows]
            cursor.executemany(sql, rows)


def load_in_place(generator: BenchGenerator, *, chunk_size: int = 2000, connection=default_connection) -> None:
    """Write the whole population through Django's connection, inside the caller's transaction:
    COPY on PostgreSQL, executemany elsewhere. For tests and small sizes."""
    for chunk in generator.chunks(chunk_size):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                copy_chunk(cursor.cursor, generator.specs, chunk)
        else:
            insert_chunk(generator.specs, chunk, connection=connection)
    if connection.vendor == "postgresql":
        reset_sequences(connection)
    # The cases were written around the services: recount the dashboards' tally from them.
    case_tally_rebuild(using=connection.alias)


def reset_sequences(connection, models=TABLE_ORDER) -> None:
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608
                f'GREATEST((SELECT max(id) FROM "{table}"), 1))'
            )


# --- the bulk build ------------------------------------------------------------------------------


def secondary_indexes(cursor, tables: Iterable[str]) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the indexes of `tables` that no constraint owns."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
          AND NOT EXISTS (
            SELECT 1 FROM pg_constraint c JOIN pg_class x ON x.oid = c.conindid
            WHERE x.relname = i.indexname)
        ORDER BY i.tablename, i.indexname
        """,
        [list(tables)],
    )
    return cursor.fetchall()


def read_marker(cursor) -> dict | None:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [MARKER_TABLE])
    if not cursor.fetchone()[0]:
        return None
    cursor.execute(f"SELECT clients, seed, built_on, seconds, counts FROM {MARKER_TABLE} ORDER BY id DESC LIMIT 1")  # noqa: S608
    row = cursor.fetchone()
    if row is None:
        return None
    counts = row[4] if isinstance(row[4], dict) else json.loads(row[4] or "{}")
    return {"clients": row[0], "seed": row[1], "built_on": row[2], "seconds": row[3], "counts": counts}


# COPY text format: tab-separated, \N for NULL, backslash escapes.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value) -> str:
    kind = type(value)
    if kind is str:
        return value.translate(_ESCAPES)
    if value is None:
        return "\\N"
    if kind is int:
        return str(value)
    if kind is bool:
        return "t" if value else "f"
    if kind is float:
        return repr(value)
    if isinstance(value, str):  # TextChoices members
        return str(value).translate(_ESCAPES)
    return value.isoformat()  # date, datetime (aware)


def copy_text(rows: list[tuple]) -> bytes:
    """Rows in PostgreSQL's COPY text format (what `COPY ... FROM STDIN` reads)."""
    if not rows:
        return b""
    if _format_row_text is not None:  # psycopg's own (C) row formatter: twice as fast
        out = bytearray()
        for row in rows:
            _format_row_text(row, _TRANSFORMER, out)
        return bytes(out)
    return ("\n".join(["\t".join(map(_text, row)) for row in rows]) + "\n").encode()


try:  # a private helper of psycopg 3 (the one Copy.write_row uses); the pure-Python path above otherwise
    from psycopg._copy_base import format_row_text as _format_row_text
    from psycopg.adapt import Transformer

    _TRANSFORMER = Transformer()
except ImportError:  # pragma: no cover
    _format_row_text = None


def _produce(generator: BenchGenerator, chunk_size: int, shard: int, shards: int, out) -> None:
    """A generating process: its share of the chunks, as COPY text per table, into `out`."""
    try:
        for chunk in generator.chunks(chunk_size, shard=shard, shards=shards):
            out.put({model._meta.db_table: copy_text(rows) for model, rows in chunk.rows.items() if rows})
        out.put(("done", shard, generator.counts))
    except BaseException as exc:  # the parent reports it
        out.put(("failed", shard, repr(exc)))
        raise


def build_postgres(
    *,
    conninfo: str,
    clients: int,
    seed: int,
    chunk_size: int = 5000,
    jobs: int = 2,
    log: Callable[[str], None] = lambda message: None,
    started: float | None = None,
) -> dict:
    """Fill a new PostgreSQL database (migrated, reference data loaded) with the population.

    `jobs` processes generate the rows (forked after the accounts are made); this process streams
    their COPY text to PostgreSQL in one transaction. `started` (time.monotonic()) counts earlier
    steps (creating and migrating the database) in."""
    import multiprocessing

    import psycopg

    started = started or time.monotonic()
    plan = plan_accounts(clients=clients, seed=seed)
    generator = make_generator(clients=clients, seed=seed, plan=plan)
    default_connection.close()  # the forked processes must not share it
    log(
        f"Accounts: {len(plan.teams)} teams ({plan.generated_teams} generated), "
        f"{plan.generated_workers} generated workers, {plan.generated_supervisors} supervisors "
        f"({time.monotonic() - started:.0f} s)"
    )
    tables = [m._meta.db_table for m in TABLE_ORDER]
    specs = {spec.table: spec for spec in generator.specs.values()}
    timings: dict[str, float] = {}
    counts: dict[str, int] = {}
    context = multiprocessing.get_context("fork")
    out = context.Queue(maxsize=2 * jobs)
    with psycopg.connect(conninfo) as conn, conn.cursor() as cur:
        cur.execute("SET session_replication_role = replica")
        cur.execute("SET synchronous_commit = off")
        cur.execute("SET maintenance_work_mem = '1GB'")
        cur.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
        indexes = secondary_indexes(cur, tables)
        for name, _definition in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        workers = [
            context.Process(target=_produce, args=(generator, chunk_size, k, jobs, out), daemon=True)
            for k in range(jobs)
        ]
        for w in workers:
            w.start()
        running, written = jobs, 0
        try:
            while running:
                item = out.get()
                if isinstance(item, tuple):
                    status, shard, detail = item
                    if status == "failed":
                        raise RuntimeError(f"generating process {shard} failed: {detail}")
                    for key, n in detail.items():
                        counts[key] = counts.get(key, 0) + n
                    running -= 1
                    continue
                for table in tables:
                    data = item.get(table)
                    if data:
                        with cur.copy(copy_sql(specs[table], freeze=True)) as copy:
                            copy.write(data)
                written += 1
                if written % 20 == 0:
                    done = min(written * chunk_size, clients)
                    log(f"  {done}/{clients} client systems ({time.monotonic() - started:.0f} s)")
        finally:
            for w in workers:
                if w.is_alive() and running:
                    w.terminate()
                w.join()
        loaded = time.monotonic()
        timings["load_s"] = loaded - started
        log(f"Rows loaded ({loaded - started:.0f} s); creating {len(indexes)} indexes...")
        for _name, definition in indexes:
            cur.execute(definition)
        timings["index_s"] = time.monotonic() - loaded
        for table in tables:
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608
                f'GREATEST((SELECT max(id) FROM "{table}"), 1))'
            )
        conn.commit()
    # The cases were written around the services: recount the dashboards' tally from them
    # (Django's connection: the settings point at the database being built).
    tally_started = time.monotonic()
    case_tally_rebuild()
    default_connection.close()
    timings["tally_s"] = time.monotonic() - tally_started
    analyse_started = time.monotonic()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("ANALYZE")
        timings["analyze_s"] = time.monotonic() - analyse_started
        seconds = time.monotonic() - started
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (id serial PRIMARY KEY, clients integer NOT NULL, "
            "seed integer NOT NULL, built_on timestamptz NOT NULL DEFAULT now(), seconds double precision, "
            "counts jsonb)"
        )
        conn.execute(
            f"INSERT INTO {MARKER_TABLE} (clients, seed, seconds, counts) VALUES (%s, %s, %s, %s)",  # noqa: S608
            [
                clients,
                seed,
                seconds,
                json.dumps({**counts, **{f"timing_{k}": round(v, 1) for k, v in timings.items()}}),
            ],
        )
    return {"seconds": seconds, "counts": counts, "timings": timings}
