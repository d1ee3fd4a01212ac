"""Writing the good rows of an import into the client tables.

Two writers with the same steps and the same outcome:

- `PostgresWriter` (the fast path) works inside the run's transaction from the first row on.
  Good rows arrive as lines of COPY text (validation.RowChecker.fast / copy_line) and go with
  `COPY` (psycopg 3 `cursor.copy()`, COPY_BLOCK rows at a time) into a temporary block table.
  While the next rows are read and checked, a helper thread inserts the block's people into
  the people table — PostgreSQL works while Python reads, on the machine's other core — with a
  plain `INSERT … SELECT` (if one of the NIKs is registered, the block goes again with
  `ON CONFLICT (nik) DO NOTHING`, which costs a quarter more, and only the people inserted
  stay), then moves the block into the staging table. `write()` then runs a few set-based
  statements from the staging table: the families (one per No. KK, reusing an existing family
  client system with the same No. KK), the individual client systems, the memberships and the
  PPKS categories. Client system ids are drawn from the table's sequence when a row is copied
  in, so that memberships are joined without a round trip. Foreign keys are checked at the
  end of each statement rather than all at the commit, `work_mem` is raised for the sorts and
  joins of a million rows and `synchronous_commit` is off, all for this transaction only.
- `GenericWriter` (SQLite, any other database): the good rows are kept in memory and written
  with `bulk_create` in batches.

`write()` (and for PostgreSQL everything from `begin()` on) runs inside the run's transaction
(services.import_run_execute): either everything is written or nothing. The temporary tables
disappear with the transaction, and a killed process leaves nothing behind. The rules, for both:

- a person whose NIK is already registered is skipped ("already registered");
- rows with the same No. KK form one family; when a family client system with that No. KK
  exists, the new members join it (none of them becomes head); otherwise a family named
  "Keluarga <head>" is created, whose head is the row marked head in the relationship column
  (SHDK 1 / kepala keluarga), or else the first row of that No. KK in the file, among the rows
  imported in this run. The family takes the head's address and region;
- a row without No. KK becomes an individual client system;
- the client system gets the PPKS categories of its rows' PPKS column.
"""

import contextlib
import time
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor

from django.db import connection
from psycopg.errors import UniqueViolation

from dampingi.clients.models import ClientSystem, Membership, Person
from dampingi.imports.validation import GoodRow

Relationship = Membership.Relationship
COPY_BLOCK = 50_000
BATCH = 500
# For the import transaction only: sorting, de-duplicating and joining a million staged rows in
# memory instead of temporary files.
WORK_MEM = "128MB"


class Counts:
    def __init__(self):
        self.imported = 0
        self.already_registered = 0
        self.client_systems_created = 0


class BaseWriter:
    # add_many() takes lines of COPY text (validation.copy_line) rather than GoodRow objects
    wants_text = False
    # writes while the file is read, so begin() ... write() run inside the import transaction
    streams = False

    def __init__(self, *, actor_id: int):
        self.actor_id = actor_id
        self.timings: dict[str, float] = {}  # seconds by SQL statement kind (PostgreSQL), for bench_import

    def begin(self) -> None:
        pass

    def add_many(self, rows: list) -> None:
        raise NotImplementedError

    def flush(self) -> None:
        """Called between blocks of rows (and before `write`): pending rows go to the database."""

    def write(self) -> Counts:
        raise NotImplementedError

    def stop(self) -> None:
        """Inside the transaction, whatever happened: no more work on the connection after this."""

    def close(self) -> None:
        pass

    def step_done(self, step: str) -> None:
        """A hook between the writing steps ("registered", "people", "client_systems", "memberships");
        tests raise or register someone here."""


def member_relationship(row_relationship: str, *, individual: bool, is_head: bool) -> str:
    if individual:
        return Relationship.SELF
    if is_head:
        return Relationship.HEAD
    if not row_relationship or row_relationship == Relationship.HEAD:
        return Relationship.OTHER
    return row_relationship


STAGE_COLUMNS = (
    "line",
    "nik",
    "no_kk",
    "full_name",
    "name_key",
    "sex",
    "birth_date",
    "address",
    "region_id",
    "ppks",
    "relationship",
    "family_name",
    "family_name_key",
)


def _names() -> dict[str, str]:
    """Table and column names for the SQL below, from the models (never from the file)."""
    through = ClientSystem.ppks.through
    return {
        "s": PostgresWriter.stage,
        "b": PostgresWriter.block,
        "f": PostgresWriter.family,
        "person": Person._meta.db_table,
        "client_system": ClientSystem._meta.db_table,
        "membership": Membership._meta.db_table,
        "through_table": through._meta.db_table,
        "cs_column": through._meta.get_field("clientsystem").column,
        "ppks_column": through._meta.get_field("ppkscategory").column,
    }


def _sql(template: str) -> str:
    return template.format(**_names())


# In NIK order: the two indexes on people's NIK are then written page after page (a tenth faster for a
# million people, measured with the tables larger than shared_buffers).
INSERT_PEOPLE = """INSERT INTO {person} (id, full_name, name_key, nik, sex, birth_date, birth_place, phone, address,
        region_id, disability, disability_note, notes, created_at, updated_at, version)
    SELECT person_id, full_name, name_key, nik, sex, birth_date, '', '', address, region_id, '', '', '',
        now(), now(), 1
    FROM {b} ORDER BY nik"""
# The block's rows whose NIK is registered. `= ANY(ARRAY(...))` makes the planner look each NIK up in
# the index on people's NIK; a join would have it read the whole people table for every block.
DELETE_REGISTERED = """DELETE FROM {b} WHERE nik IN (
    SELECT p.nik FROM {person} p WHERE p.nik = ANY(ARRAY(SELECT nik FROM {b})))"""
# The same insert, skipping registered NIKs, and moving only the inserted people's rows to the stage.
INSERT_PEOPLE_SKIPPING = f"""WITH inserted AS ({INSERT_PEOPLE} ON CONFLICT (nik) DO NOTHING RETURNING id)
    INSERT INTO {{s}} SELECT {{b}}.* FROM {{b}} JOIN inserted ON inserted.id = {{b}}.person_id"""  # noqa: S608 (constants)


class PostgresWriter(BaseWriter):
    """Writes while the file is read: must be used inside the import transaction from `begin()` on.

    Each COPY_BLOCK of good rows is copied into `block`; then, while this thread reads and checks
    the next rows, a helper thread inserts the block's people (a plain INSERT; if a NIK of the
    block is registered already, the savepoint is rolled back and the block goes again with
    `ON CONFLICT (nik) DO NOTHING`, keeping only the people inserted, and from then on each block's
    registered NIKs are looked up and taken out first) and moves the block into `stage`. The
    helper uses this thread's database session (the same transaction); the two threads take
    turns (`_wait()`), never using it at the same time. Foreign keys are checked at
    the end of each statement (`SET CONSTRAINTS ALL IMMEDIATE`), so that this work too overlaps
    the reading. `write()` then adds the client systems, memberships and PPKS from `stage`.
    """

    wants_text = True
    streams = True
    stage = "dampingi_import_stage"
    block = "dampingi_import_block"
    family = "dampingi_import_family"

    def __init__(self, *, actor_id: int):
        super().__init__(actor_id=actor_id)
        self.pending: list[str] = []
        self.staged = 0
        self.imported = 0
        self.already_registered = 0
        self._helper: ThreadPoolExecutor | None = None
        self._running: Future | None = None
        self._registered_seen = False  # a block had registered NIKs: look them up before inserting
        self._session = None  # the psycopg connection of the import transaction

    def _timed(self, cursor, key: str, sql: str, params: list | None = None) -> int:
        start = time.perf_counter()
        cursor.execute(sql, params)
        self.timings[key] = self.timings.get(key, 0.0) + time.perf_counter() - start
        return cursor.rowcount

    def begin(self) -> None:
        with connection.cursor() as cursor:
            # One import at a time: families are matched by No. KK across runs.
            self._timed(cursor, "advisory lock", "SELECT pg_advisory_xact_lock(hashtext('dampingi.imports'))")
            # The commit need not wait for the WAL flush: a crash in that instant loses the whole run, never half.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            cursor.execute(f"SET LOCAL work_mem TO '{WORK_MEM}'")
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"DROP TABLE IF EXISTS {self.stage}, {self.block}, {self.family}")
            cursor.execute(
                "SELECT pg_get_serial_sequence(%s, 'id'), pg_get_serial_sequence(%s, 'id')",
                [Person._meta.db_table, ClientSystem._meta.db_table],
            )
            person_sequence, system_sequence = cursor.fetchone()
            # Each staged row draws its person id and its (individual) client system id from the tables'
            # own sequences as it is copied in; families get the id drawn for their head's row.
            cursor.execute(
                f"""CREATE TEMPORARY TABLE {self.block} (
                    line integer NOT NULL, nik varchar(16) NOT NULL, no_kk varchar(16) NOT NULL,
                    full_name varchar(150) NOT NULL, name_key varchar(255) NOT NULL, sex varchar(1) NOT NULL,
                    birth_date date, address varchar(255) NOT NULL, region_id varchar(13), ppks text NOT NULL,
                    relationship varchar(16) NOT NULL, family_name varchar(150) NOT NULL,
                    family_name_key varchar(255) NOT NULL,
                    person_id bigint NOT NULL DEFAULT nextval(%s::regclass),
                    cs_id bigint NOT NULL DEFAULT nextval(%s::regclass)) ON COMMIT DROP""",
                [person_sequence, system_sequence],
            )
            cursor.execute(f"CREATE TEMPORARY TABLE {self.stage} (LIKE {self.block}) ON COMMIT DROP")
        self._session = connection.connection
        self._helper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer")

    def add_many(self, rows: list[str]) -> None:
        self.pending.extend(rows)
        if len(self.pending) >= COPY_BLOCK:
            self.flush()

    def _wait(self) -> None:
        """Until the helper is done with the block it has (and raise what it raised)."""
        if self._running is not None:
            running, self._running = self._running, None
            running.result()

    def flush(self) -> None:
        self._wait()
        if not self.pending:
            return
        self.step_done("registered")
        rows = len(self.pending)
        start = time.perf_counter()
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {self.block} ({', '.join(STAGE_COLUMNS)}) FROM STDIN") as copy:
                copy.write("".join(self.pending))
        self.timings["COPY to staging"] = self.timings.get("COPY to staging", 0.0) + time.perf_counter() - start
        self.staged += rows
        self.pending = []
        self._running = self._helper.submit(self._people_of_block, rows)

    def _people_of_block(self, rows: int) -> None:
        """In the helper thread: insert the block's people, move the block into the staging table."""
        with self._session.cursor() as cursor:
            if self._registered_seen:
                # This file has registered people: take them out first (an index lookup per NIK) rather
                # than fail a plain insert and redo the block.
                registered = self._timed(cursor, "people registered before", _sql(DELETE_REGISTERED))
                rows -= registered
                self.already_registered += registered
            cursor.execute("SAVEPOINT dampingi_import_block")
            try:
                inserted = self._timed(cursor, "INSERT INTO people", _sql(INSERT_PEOPLE))
                cursor.execute(_sql("INSERT INTO {s} SELECT * FROM {b}"))
            except UniqueViolation:
                # Some of these NIKs are registered (or someone registers one right now): skip those people.
                cursor.execute("ROLLBACK TO SAVEPOINT dampingi_import_block")
                inserted = self._timed(cursor, "INSERT INTO people (some registered)", _sql(INSERT_PEOPLE_SKIPPING))
                self._registered_seen = True
            cursor.execute("RELEASE SAVEPOINT dampingi_import_block")
            cursor.execute(_sql("TRUNCATE {b}"))
        self.imported += inserted
        self.already_registered += rows - inserted

    def stop(self) -> None:
        self.pending = []
        if self._helper is not None:
            with contextlib.suppress(Exception):  # the helper's error was raised already, or another one is
                self._wait()
            self._helper.shutdown(wait=True)
            self._helper = None

    def close(self) -> None:
        self.stop()
        if connection.connection is None:
            return
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.stage}, {self.block}, {self.family}")

    def write(self) -> Counts:
        self.flush()
        self._wait()
        self.step_done("people")
        counts = Counts()
        counts.imported = self.imported
        counts.already_registered = self.already_registered
        names = _names()
        with connection.cursor() as cursor:

            def run(template: str, params: list | None = None) -> int:
                sql = template.format(**names)
                return self._timed(cursor, " ".join(sql.split(None, 4)[:4]), sql, params)

            run("ANALYZE {s}")
            run(
                """CREATE TEMPORARY TABLE {f} ON COMMIT DROP AS
                SELECT DISTINCT ON (no_kk) no_kk, line AS head_line, cs_id, true AS is_new, family_name,
                    family_name_key, address, region_id
                FROM {s} WHERE no_kk <> '' ORDER BY no_kk, (relationship = 'head') DESC, line"""
            )
            run(
                """UPDATE {f} SET cs_id = existing.id, is_new = false FROM (
                    SELECT no_kk, min(id) AS id FROM {client_system}
                    WHERE kind = 'family' AND no_kk IN (SELECT no_kk FROM {f}) GROUP BY no_kk) existing
                WHERE {f}.no_kk = existing.no_kk"""
            )
            run("ANALYZE {f}")
            counts.client_systems_created = run(
                """INSERT INTO {client_system} (id, kind, name, name_key, no_kk, address, region_id, description,
                    created_by_id, created_at, updated_at, version)
                SELECT cs_id, 'family', family_name, family_name_key, no_kk, address, region_id, '',
                    %s, now(), now(), 1
                FROM {f} WHERE is_new""",
                [self.actor_id],
            )
            counts.client_systems_created += run(
                """INSERT INTO {client_system} (id, kind, name, name_key, no_kk, address, region_id, description,
                    created_by_id, created_at, updated_at, version)
                SELECT cs_id, 'individual', full_name, name_key, '', address, region_id, '', %s, now(), now(), 1
                FROM {s} WHERE no_kk = ''""",
                [self.actor_id],
            )
            self.step_done("client_systems")

            run(
                """INSERT INTO {membership} (client_system_id, person_id, relationship, is_head)
                SELECT COALESCE(f.cs_id, s.cs_id), s.person_id,
                    CASE WHEN s.no_kk = '' THEN %s WHEN f.is_new AND s.line = f.head_line THEN %s
                         WHEN s.relationship IN ('', %s) THEN %s ELSE s.relationship END,
                    COALESCE(f.is_new AND s.line = f.head_line, false)
                FROM {s} s LEFT JOIN {f} f ON f.no_kk = s.no_kk""",
                [Relationship.SELF, Relationship.HEAD, Relationship.HEAD, Relationship.OTHER],
            )
            self.step_done("memberships")
            run(
                """INSERT INTO {through_table} ({cs_column}, {ppks_column})
                SELECT DISTINCT COALESCE(f.cs_id, s.cs_id), unnest(string_to_array(s.ppks, ','))::bigint
                FROM {s} s LEFT JOIN {f} f ON f.no_kk = s.no_kk WHERE s.ppks <> ''
                ON CONFLICT DO NOTHING"""
            )
        return counts


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class GenericWriter(BaseWriter):
    def __init__(self, *, actor_id: int):
        super().__init__(actor_id=actor_id)
        self.rows: list[GoodRow] = []

    def add_many(self, rows: list[GoodRow]) -> None:
        self.rows.extend(rows)

    def write(self) -> Counts:
        counts = Counts()
        existing: set[str] = set()
        for chunk in _chunks([r.nik for r in self.rows], BATCH):
            existing.update(Person.objects.filter(nik__in=chunk).values_list("nik", flat=True))
        rows = [r for r in self.rows if r.nik not in existing]
        counts.already_registered = len(self.rows) - len(rows)
        self.step_done("registered")
        people = [
            Person(
                full_name=r.full_name,
                name_key=r.name_key,
                nik=r.nik,
                sex=r.sex,
                birth_date=r.birth_date,
                address=r.address,
                region_id=r.region_id,
            )
            for r in rows
        ]
        Person.objects.bulk_create(people, batch_size=BATCH)
        counts.imported = len(people)
        self.step_done("people")

        # Families: one per No. KK; an existing family with that number is reused.
        by_kk: dict[str, list[int]] = defaultdict(list)
        for index, r in enumerate(rows):
            if r.no_kk:
                by_kk[r.no_kk].append(index)
        family_ids: dict[str, int] = {}
        for chunk in _chunks(list(by_kk), BATCH):
            for no_kk, pk in (
                ClientSystem.objects.filter(kind=ClientSystem.Kind.FAMILY, no_kk__in=chunk)
                .order_by("-pk")
                .values_list("no_kk", "pk")
            ):
                family_ids[no_kk] = pk  # the lowest id wins (ordered by -pk)
        heads: dict[str, int] = {}
        new_systems: list[tuple[ClientSystem, list[int]]] = []
        for no_kk, indexes in by_kk.items():
            if no_kk in family_ids:
                continue
            head = next((i for i in indexes if rows[i].relationship == Relationship.HEAD), indexes[0])
            heads[no_kk] = head
            r = rows[head]
            system = ClientSystem(
                kind=ClientSystem.Kind.FAMILY,
                name=r.family_name,
                name_key=r.family_name_key,
                no_kk=no_kk,
                address=r.address,
                region_id=r.region_id,
                created_by_id=self.actor_id,
            )
            new_systems.append((system, indexes))
        individual_systems: list[tuple[ClientSystem, list[int]]] = [
            (
                ClientSystem(
                    kind=ClientSystem.Kind.INDIVIDUAL,
                    name=r.full_name,
                    name_key=r.name_key,
                    address=r.address,
                    region_id=r.region_id,
                    created_by_id=self.actor_id,
                ),
                [index],
            )
            for index, r in enumerate(rows)
            if not r.no_kk
        ]
        new_systems.sort(key=lambda pair: rows[heads[pair[0].no_kk]].line)
        created = [system for system, _i in new_systems + individual_systems]
        ClientSystem.objects.bulk_create(created, batch_size=BATCH)
        counts.client_systems_created = len(created)
        for system, _indexes in new_systems:
            family_ids[system.no_kk] = system.pk
        self.step_done("client_systems")

        memberships = []
        system_of_row: dict[int, int] = {}
        for system, indexes in individual_systems:
            system_of_row[indexes[0]] = system.pk
        for index, r in enumerate(rows):
            individual = not r.no_kk
            system_id = system_of_row[index] if individual else family_ids[r.no_kk]
            system_of_row[index] = system_id
            is_head = not individual and heads.get(r.no_kk) == index
            memberships.append(
                Membership(
                    client_system_id=system_id,
                    person_id=people[index].pk,
                    relationship=member_relationship(r.relationship, individual=individual, is_head=is_head),
                    is_head=is_head,
                )
            )
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        self.step_done("memberships")

        through = ClientSystem.ppks.through
        links = {(system_of_row[index], int(pk)) for index, r in enumerate(rows) if r.ppks for pk in r.ppks.split(",")}
        through.objects.bulk_create(
            [through(clientsystem_id=cs, ppkscategory_id=pk) for cs, pk in sorted(links)],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        return counts


def writer_for_connection(*, actor_id: int) -> BaseWriter:
    if connection.vendor == "postgresql":
        return PostgresWriter(actor_id=actor_id)
    return GenericWriter(actor_id=actor_id)
