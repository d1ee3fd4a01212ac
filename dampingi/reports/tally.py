"""Keeping CaseTally current: the counts behind the manager's dashboard (see models.CaseTally).

No signals: the services that change what a case counts as call these functions themselves,
inside their own transaction, so that the tally and the cases commit (or roll back) together:

- dampingi.cases.services: opening, every phase move (forward, another cycle, termination,
  reopening), closing, and a transfer to another team: tally_case_change(before=..., after=...),
  with the case row locked;
- dampingi.clients.services: a client system's region changes, which moves its cases from one
  district to another: tally_client_system_moved(...), with the client system row locked;
- bulk writers that bypass the services (the demo seeder, the benchmark loader) call
  case_tally_rebuild() once after loading.

Each change is ONE statement, an upsert that adds to the counts
(`INSERT ... ON CONFLICT (key) DO UPDATE SET n = n + excluded.n`, PostgreSQL and SQLite 3.24+):
concurrent writers never overwrite each other's counts, and rows are written in key order.

The district of a case is read from its client system *inside* that statement, that is after
the case row was locked: a region change that committed while this transaction waited for the
lock is seen, and one still running locks the client system's cases after this one commits, and
then moves them (tally_client_system_moved). Opening a case locks the client system row first
for the same reason (the new case is not visible to a region change running at the same time).
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import CharField, Count, DateField, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce, Substr, TruncMonth
from django.utils import timezone

from dampingi.cases.models import Case
from dampingi.clients.models import ClientSystem
from dampingi.reports.models import CaseTally

Dimension = CaseTally.Dimension
ALL_MONTHS = CaseTally.ALL_MONTHS
DISTRICT_LENGTH = 8  # "32.04.05": the first 8 characters of a region code name its district


def opened_month(moment: datetime.datetime) -> datetime.date:
    """The first day of the month `moment` falls in, in the install's time zone (settings.TIME_ZONE)."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date().replace(day=1)


def district_of(region_id: str | None) -> str:
    return (region_id or "")[:DISTRICT_LENGTH]


@dataclass(frozen=True)
class CaseCounts:
    """What one case counts as in the tally."""

    team_id: int
    month: datetime.date
    phase: str
    ppks_id: int
    client_system_id: int
    is_open: bool


def counts_of(case: Case) -> CaseCounts:
    """Read from the case object as it is now (take it before and after changing the case)."""
    return CaseCounts(
        team_id=case.team_id,
        month=opened_month(case.opened_at),
        phase=str(case.phase),
        ppks_id=case.ppks_id,
        client_system_id=case.client_system_id,
        is_open=case.closed_at is None,
    )


@dataclass(frozen=True, order=True)
class _OfClientSystem:
    """A district bucket read in SQL from the client system (see the module docstring)."""

    client_system_id: int


_Key = tuple[int, datetime.date, str, "str | _OfClientSystem"]


def _keys(counts: CaseCounts) -> Iterator[_Key]:
    """The rows a case counts in: its opening month's and the ALL_MONTHS row, of each dimension."""
    for month in (counts.month, ALL_MONTHS):
        yield (counts.team_id, month, Dimension.PHASE.value, counts.phase)
        yield (counts.team_id, month, Dimension.PPKS.value, str(counts.ppks_id))
        yield (counts.team_id, month, Dimension.DISTRICT.value, _OfClientSystem(counts.client_system_id))


def _add(deltas: dict, key: _Key, is_open: bool, sign: int) -> None:
    pair = deltas.setdefault(key, [0, 0])
    pair[0 if is_open else 1] += sign


def tally_case_change(*, before: CaseCounts | None, after: CaseCounts | None, using: str = DEFAULT_DB_ALIAS) -> None:
    """Move one case's counts from `before` (None: a new case) to `after` (None: a deleted case).

    Call it inside the transaction that changes the case, with the case row locked. Nothing is
    written when nothing counted changes (e.g. a transfer to another worker of the same team).
    """
    deltas: dict[_Key, list[int]] = {}
    for counts, sign in ((before, -1), (after, 1)):
        if counts is not None:
            for key in _keys(counts):
                _add(deltas, key, counts.is_open, sign)
    _upsert(deltas, using=using)


def tally_client_system_moved(
    *, client_system_id: int, old_region_id: str | None, new_region_id: str | None, using: str = DEFAULT_DB_ALIAS
) -> None:
    """A client system's region changed: move its cases to the new district's counts.

    Call it inside the transaction that changed the region, with the client system row locked
    (SELECT ... FOR UPDATE). The cases are locked here, so that a case written at the same time
    is counted once: before this (and moved here) or after (and read in its new district).
    """
    old, new = district_of(old_region_id), district_of(new_region_id)
    if old == new:
        return
    rows = (
        Case.objects.using(using)
        .select_for_update()
        .filter(client_system_id=client_system_id)
        .order_by("pk")
        .values_list("team_id", "opened_at", "closed_at")
    )
    deltas: dict[_Key, list[int]] = {}
    for team_id, opened_at, closed_at in rows:
        for month in (opened_month(opened_at), ALL_MONTHS):
            _add(deltas, (team_id, month, Dimension.DISTRICT.value, old), closed_at is None, -1)
            _add(deltas, (team_id, month, Dimension.DISTRICT.value, new), closed_at is None, 1)
    _upsert(deltas, using=using)


def _sort_key(item: tuple[_Key, list[int]]) -> tuple:
    (team_id, month, dimension, bucket), _pair = item
    if isinstance(bucket, _OfClientSystem):
        return (team_id, month, dimension, 1, "", bucket.client_system_id)
    return (team_id, month, dimension, 0, bucket, 0)


def _upsert(deltas: dict[_Key, list[int]], *, using: str) -> None:
    items = sorted(((k, v) for k, v in deltas.items() if any(v)), key=_sort_key)
    if not items:
        return
    connection = connections[using]
    qn = connection.ops.quote_name
    table = qn(CaseTally._meta.db_table)
    cs_table = qn(ClientSystem._meta.db_table)
    region, pk = qn(ClientSystem._meta.get_field("region").column), qn(ClientSystem._meta.pk.column)
    district_sql = f"COALESCE((SELECT SUBSTR({region}, 1, {DISTRICT_LENGTH}) FROM {cs_table} WHERE {pk} = %s), '')"  # noqa: S608
    values, params = [], []
    for (team_id, month, dimension, bucket), (d_open, d_closed) in items:
        if isinstance(bucket, _OfClientSystem):
            values.append(f"(%s, %s, %s, {district_sql}, %s, %s)")
            bucket_param = bucket.client_system_id
        else:
            values.append("(%s, %s, %s, %s, %s, %s)")
            bucket_param = bucket
        params += [team_id, connection.ops.adapt_datefield_value(month), dimension, bucket_param, d_open, d_closed]
    columns = ["team_id", "month", "dimension", "bucket", "n_open", "n_closed"]
    n_open, n_closed = qn("n_open"), qn("n_closed")
    sql = (
        f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) VALUES {', '.join(values)} "  # noqa: S608
        f"ON CONFLICT ({', '.join(qn(c) for c in columns[:4])}) DO UPDATE SET "
        f"{n_open} = {table}.{n_open} + excluded.{n_open}, {n_closed} = {table}.{n_closed} + excluded.{n_closed}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def lock_client_system_for_new_case(client_system_id: int, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Opening a case: lock its client system's row (FOR NO KEY UPDATE) until the transaction ends,
    so that a region change of that client system runs before or after, never across."""
    ClientSystem.objects.using(using).select_for_update(no_key=True).filter(pk=client_system_id).values_list(
        "pk", flat=True
    ).first()


# --- rebuilding and checking the whole tally -------------------------------------------------------


def expected_tallies(using: str = DEFAULT_DB_ALIAS) -> list[tuple[str, QuerySet]]:
    """For each dimension, by month and for ALL_MONTHS, the GROUP BY over the cases that the
    tally must equal. Each queryset yields team_id, month, bucket, n_open, n_closed (in that order).
    """
    by_month = Cast(
        TruncMonth("opened_at", output_field=DateField(), tzinfo=timezone.get_default_timezone()), DateField()
    )
    buckets = {
        Dimension.PHASE.value: Cast("phase", CharField()),
        Dimension.PPKS.value: Cast("ppks_id", CharField()),
        Dimension.DISTRICT.value: Coalesce(
            Substr("client_system__region_id", 1, DISTRICT_LENGTH), Value(""), output_field=CharField()
        ),
    }
    return [
        (
            dimension,
            Case.objects.using(using)
            .order_by()
            .annotate(tally_month=month, tally_bucket=bucket)
            .values("team_id", "tally_month", "tally_bucket")
            .annotate(
                n_open=Count("pk", filter=Q(closed_at__isnull=True)),
                n_closed=Count("pk", filter=Q(closed_at__isnull=False)),
            ),
        )
        for dimension, bucket in buckets.items()
        for month in (by_month, Value(ALL_MONTHS, output_field=DateField()))
    ]


def _expected_sql(using: str) -> tuple[str, list]:
    parts, params = [], []
    for dimension, qs in expected_tallies(using):
        sql, qs_params = qs.query.sql_with_params()
        parts.append(
            "SELECT e.team_id, e.tally_month, %s, e.tally_bucket, e.n_open, e.n_closed "  # noqa: S608
            f"FROM ({sql}) e"
        )
        params += [dimension, *qs_params]
    return " UNION ALL ".join(parts), params


def case_tally_rebuild(*, using: str = DEFAULT_DB_ALIAS) -> int:
    """Recompute the whole tally from the cases (one INSERT ... SELECT ... GROUP BY per dimension).

    For bulk loads that bypass the services, and to repair drift. On PostgreSQL it locks the tally
    (EXCLUSIVE: the dashboards still read it, case writes wait) for the few seconds it takes, so
    that no case change falls between the DELETE and the INSERT. Returns the number of rows.
    """
    connection = connections[using]
    table = connection.ops.quote_name(CaseTally._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(c) for c in ("team_id", "month", "dimension", "bucket", "n_open", "n_closed")
    )
    rows = 0
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        for dimension, qs in expected_tallies(using):
            sql, params = qs.query.sql_with_params()
            cursor.execute(
                f"INSERT INTO {table} ({columns}) "  # noqa: S608
                f"SELECT e.team_id, e.tally_month, %s, e.tally_bucket, e.n_open, e.n_closed FROM ({sql}) e",
                [dimension, *params],
            )
            rows += max(cursor.rowcount, 0)
    return rows


@dataclass(frozen=True)
class Drift:
    """One tally row that differs from the cases: (open, closed) expected and as stored."""

    team_id: int
    month: datetime.date
    dimension: str
    bucket: str
    expected: tuple[int, int]
    stored: tuple[int, int]


def case_tally_drift(*, using: str = DEFAULT_DB_ALIAS, limit: int | None = 50) -> tuple[int, list[Drift]]:
    """Compare the tally with a GROUP BY over the cases: (number of differing rows, the first `limit`).

    Rows whose counts are both 0 are the same as no row.
    """
    connection = connections[using]
    qn = connection.ops.quote_name
    table = qn(CaseTally._meta.db_table)
    expected, params = _expected_sql(using)
    stored = (
        f"SELECT {qn('team_id')}, {qn('month')}, {qn('dimension')}, {qn('bucket')}, {qn('n_open')}, {qn('n_closed')} "  # noqa: S608
        f"FROM {table} WHERE {qn('n_open')} <> 0 OR {qn('n_closed')} <> 0"
    )
    sql = (
        f"SELECT 'e', d.* FROM (SELECT * FROM ({expected}) x EXCEPT SELECT * FROM ({stored}) y) d "  # noqa: S608
        f"UNION ALL SELECT 's', d.* FROM (SELECT * FROM ({stored}) y EXCEPT SELECT * FROM ({expected}) x) d"
    )
    found: dict[tuple, dict[str, tuple[int, int]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params + params)
        for side, team_id, month, dimension, bucket, n_open, n_closed in cursor.fetchall():
            if isinstance(month, str):
                month = datetime.date.fromisoformat(month)
            elif isinstance(month, datetime.datetime):
                month = month.date()
            found.setdefault((team_id, month, dimension, bucket), {})[side] = (int(n_open), int(n_closed))
    keys = sorted(found)
    drifts = [
        Drift(*key, expected=found[key].get("e", (0, 0)), stored=found[key].get("s", (0, 0)))
        for key in (keys if limit is None else keys[:limit])
    ]
    return len(keys), drifts


def tallies_for_teams(
    team_ids: Iterable[int], *, start: datetime.date | None = None, end: datetime.date | None = None
) -> QuerySet:
    """(dimension, bucket, n_open, n_closed) summed over the teams, for cases opened in the months
    from `start`'s to `end`'s (whole months; either may be None for no bound). Without a period,
    the ALL_MONTHS rows: a few dozen per team, however many cases and months there are."""
    qs = CaseTally.objects.filter(team_id__in=list(team_ids))
    if start is None and end is None:
        qs = qs.filter(month=ALL_MONTHS)
    else:
        qs = qs.filter(month__gt=ALL_MONTHS)
        if start is not None:
            qs = qs.filter(month__gte=start.replace(day=1))
        if end is not None:
            qs = qs.filter(month__lte=end)
    return qs.order_by().values("dimension", "bucket").annotate(n_open=Sum("n_open"), n_closed=Sum("n_closed"))
