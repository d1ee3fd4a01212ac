"""Reads for the dashboards. Every function runs a fixed number of queries whatever the number
of cases. The worker's and supervisor's homes start from cases_visible_to(user): counts are
aggregated in the database (values().annotate(Count)) over the user's own or team's cases, read
through the case indexes; lists are bounded and fetched with their related rows. The manager's
home covers a whole region, so it sums the case tally the services keep current (reports.tally)
over the region's teams (overseen_team_ids) instead of aggregating the region's cases.

Small-cell suppression for the managers' aggregate figures lives here too (suppress_table).
"""

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone, translation

from dampingi.accounts.models import Role, User
from dampingi.cases.models import ActivityNote, Approval, Case, Termination
from dampingi.cases.permissions import cases_visible_to, overseen_team_ids
from dampingi.cases.phases import ORDER, Phase
from dampingi.clients.models import PPKSCategory
from dampingi.core.expressions import InIds
from dampingi.plans.models import Task
from dampingi.referrals.selectors import has_overdue_referral, overdue_referrals_for_worker
from dampingi.regions.models import Region
from dampingi.reports.models import CaseTally
from dampingi.reports.tally import tallies_for_teams

LIST_LIMIT = 20  # rows of each list on a dashboard; "see all" pages paginate the rest
PER_PHASE = 8  # cases shown under each phase on the worker's dashboard
INACTIVE_DAYS = 30  # an open case with no activity note for this long needs attention
FOLLOWUP_AHEAD_DAYS = 30
FOLLOWUP_OVERDUE_DAYS = 60  # follow-up dates passed within this window are shown as overdue
SUPPRESSION_THRESHOLD = 5  # counts from 1 to 4 are shown as "<5"

OPEN = Q(closed_at__isnull=True)
TASK_FINISHED = (Task.Status.DONE, Task.Status.CANCELLED)
TASK_PHASES = (Phase.INTERVENTION, Phase.EVALUATION)  # where task progress is recorded

# The columns a dashboard row shows (here and on the "see all" pages). Lists read only these:
# a row of a task with its plan, case, client system and worker was 75 columns, and Django
# spent as long composing that SELECT as PostgreSQL spent running it. A template that shows
# another field must add it here (the query-count pins fail otherwise: one query per row).
USER_NAME = ("first_name", "last_name", "username")  # User.__str__
CASE_ROW = (
    "phase",
    "closed_at",
    "client_system__name",
    "client_system__kind",
    *(f"assigned_worker__{f}" for f in USER_NAME),
)


def _prefixed(prefix: str, fields: Iterable[str]) -> list[str]:
    return [f"{prefix}__{f}" for f in fields]


# --- building blocks ---------------------------------------------------------------------------


def phase_counts(cases: QuerySet[Case]) -> list[dict]:
    """Open cases per phase, every phase listed in process order (one query)."""
    counts = dict(cases.filter(OPEN).order_by().values_list("phase").annotate(n=Count("pk")))
    return [{"phase": p, "label": p.label, "count": counts.get(p.value, 0)} for p in ORDER]


def overdue_tasks(cases: QuerySet[Case], today: datetime.date) -> QuerySet[Task]:
    """Tasks past their due date, not done or cancelled, of these open cases while the plan is being
    carried out (Intervention and Evaluation, where task progress is recorded); oldest first."""
    return _overdue_tasks_where(Q(plan__case__in=cases.filter(OPEN, phase__in=TASK_PHASES).values("pk")), today)


def _overdue_tasks_where(of_cases: Q | InIds, today: datetime.date) -> QuerySet[Task]:
    return (
        Task.objects.filter(of_cases, due_date__lt=today)
        .exclude(status__in=TASK_FINISHED)
        .select_related("plan__case__client_system", "plan__case__assigned_worker")
        .only("description", "due_date", "status", *_prefixed("plan__case", CASE_ROW))
        .order_by("due_date", "pk")
    )


def _latest_termination() -> Q:
    later = Termination.objects.filter(case=OuterRef("case"), recorded_at__gt=OuterRef("recorded_at"))
    return ~Q(Exists(later))


def followups(cases: QuerySet[Case], today: datetime.date, *, overdue: bool) -> QuerySet[Termination]:
    """Follow-up dates of terminated cases: due within 30 days, or passed within the last 60 days.

    Only the latest termination of a case still in Termination counts (a reopened case has none).
    """
    if overdue:
        window = Q(followup_date__lt=today, followup_date__gte=today - datetime.timedelta(days=FOLLOWUP_OVERDUE_DAYS))
        order = ["-followup_date", "pk"]
    else:
        window = Q(followup_date__gte=today, followup_date__lte=today + datetime.timedelta(days=FOLLOWUP_AHEAD_DAYS))
        order = ["followup_date", "pk"]
    return (
        Termination.objects.filter(window, case__in=cases.filter(phase=Phase.TERMINATION).values("pk"))
        .filter(_latest_termination())
        .select_related("case__client_system", "case__assigned_worker")
        .only("followup_date", "reason", "recorded_at", *_prefixed("case", CASE_ROW))
        .order_by(*order)
    )


def pending_approvals(cases: QuerySet[Case]) -> QuerySet[Approval]:
    return _pending_approvals_where(Q(case__in=cases.values("pk")))


def _pending_approvals_where(of_cases: Q | InIds) -> QuerySet[Approval]:
    return (
        Approval.objects.filter(of_cases, status=Approval.Status.PENDING)
        .select_related("case__client_system", "case__assigned_worker", "requested_by")
        .only("kind", "requested_at", *_prefixed("requested_by", USER_NAME), *_prefixed("case", CASE_ROW))
        .order_by("requested_at", "pk")
    )


def _inactive_cutoff(today: datetime.date) -> tuple[datetime.date, datetime.datetime]:
    """The day from which a note counts as recent activity, and the moment before which a case must have opened."""
    cutoff = today - datetime.timedelta(days=INACTIVE_DAYS)
    return cutoff, datetime.datetime.combine(cutoff, datetime.time.min, tzinfo=timezone.get_current_timezone())


def inactive_cases(cases: QuerySet[Case], today: datetime.date) -> QuerySet[Case]:
    """Open cases opened more than 30 days ago with no activity note in the last 30 days."""
    cutoff, start = _inactive_cutoff(today)
    return _without_recent_notes(cases.filter(OPEN, opened_at__lt=start), cutoff)


def _without_recent_notes(cases: QuerySet[Case], cutoff: datetime.date) -> QuerySet[Case]:
    recent = ActivityNote.objects.filter(case=OuterRef("pk"), occurred_on__gte=cutoff)
    last = ActivityNote.objects.filter(case=OuterRef("pk")).order_by("-occurred_on").values("occurred_on")[:1]
    return (
        cases.filter(~Q(Exists(recent)))
        .annotate(last_activity=Subquery(last))
        .select_related("client_system", "assigned_worker")
        .only(*CASE_ROW)
        .order_by(F("last_activity").asc(nulls_first=True), "pk")
    )


@dataclass
class Bounded:
    """The first rows of a list and how many there are in all."""

    rows: list
    total: int

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.rows))


def bounded(qs: QuerySet, limit: int = LIST_LIMIT) -> Bounded:
    """The first `limit` rows and how many there are: one query while the list is shorter than
    `limit` (its rows are all there is), a count as well once it is full. At most two queries,
    whatever the data."""
    rows = list(qs[:limit])
    return Bounded(rows, len(rows) if len(rows) < limit else qs.count())


def bounded_by_ids(matching: QuerySet, fetch: QuerySet, limit: int = LIST_LIMIT) -> Bounded:
    """bounded() for a list over a team-sized id set (the supervisor's home), in two queries:
    `matching` gives every matching id in the list's order (the total is their number), then
    `fetch` (the same list without the id-set filter) reads the first `limit` of them by primary
    key with their related rows. The filtering work (e.g. the "no recent note" test of every open
    case) is done once instead of once for the count and once for the rows."""
    ids = list(matching.values_list("pk", flat=True))
    return Bounded(list(fetch.filter(pk__in=ids[:limit])) if ids else [], len(ids))


def _days_since(moment: datetime.datetime, today: datetime.date) -> int:
    return (today - timezone.localdate(moment)).days


# --- the worker's home -------------------------------------------------------------------------


def worker_home(user: User, today: datetime.date) -> dict:
    visible = cases_visible_to(user)
    mine = visible.filter(assigned_worker=user)
    mine_open = mine.filter(OPEN)
    counts = phase_counts(mine)
    ranked = (
        mine_open.select_related("client_system")
        .only("phase", "phase_changed_at", "priority", "client_system__name", "client_system__kind")
        .annotate(referral_overdue=has_overdue_referral(today))
        .annotate(rank=Window(RowNumber(), partition_by=[F("phase")], order_by=[F("phase_changed_at").asc(), F("pk")]))
        .filter(rank__lte=PER_PHASE)
        .order_by("phase_changed_at", "pk")
    )
    by_phase: dict[str, list[Case]] = {p.value: [] for p in ORDER}
    for case in ranked:
        case.days_in_phase = _days_since(case.phase_changed_at, today)
        by_phase[case.phase].append(case)
    phases = [
        {**c, "cases": by_phase[c["phase"].value], "more": c["count"] - len(by_phase[c["phase"].value])} for c in counts
    ]
    return {
        "phases": phases,
        "open_total": sum(c["count"] for c in counts),
        "overdue_tasks": bounded(overdue_tasks(mine, today)),
        "followups_due": bounded(followups(mine, today, overdue=False)),
        "followups_overdue": bounded(followups(mine, today, overdue=True)),
        "my_pending_approvals": bounded(pending_approvals(visible).filter(requested_by=user)),
        "overdue_referrals": bounded(overdue_referrals_for_worker(user, today)),
    }


# --- the supervisor's home ---------------------------------------------------------------------


def supervisor_home(user: User, today: datetime.date) -> dict:
    """The teams' cases are read once (a few columns of each, team-sized, by the team index);
    the counts by phase and by worker are made from them, and the three lists filter by their
    ids (InIds) instead of repeating the visibility test on the case table in each query."""
    cutoff, start = _inactive_cutoff(today)
    # (pk, phase, worker, open?, opened before the inactivity cutoff?): booleans, not timestamps,
    # because parsing two datetimes of each of thousands of rows was a third of the page's time.
    cases = list(
        cases_visible_to(user)
        .order_by()
        .annotate(
            is_open=ExpressionWrapper(OPEN, output_field=BooleanField()),
            quiet_since=ExpressionWrapper(Q(opened_at__lt=start), output_field=BooleanField()),
        )
        .values_list("pk", "phase", "assigned_worker_id", "is_open", "quiet_since")
    )
    open_cases = [c for c in cases if c[3]]
    by_phase = Counter(c[1] for c in open_cases)
    counts = [{"phase": p, "label": p.label, "count": by_phase.get(p.value, 0)} for p in ORDER]
    by_worker: dict[int, Counter] = {}
    for _pk, phase, worker_id, _open, _quiet in open_cases:
        by_worker.setdefault(worker_id, Counter())[phase] += 1
    names = User.objects.filter(pk__in=by_worker).order_by("first_name", "last_name", "pk")
    workers = []
    for worker in names.only("first_name", "last_name", "username"):
        phases = by_worker[worker.pk]
        full = f"{worker.first_name} {worker.last_name}".strip()
        workers.append(
            {
                "assigned_worker": worker.pk,
                "assigned_worker__username": worker.username,
                "name": full or worker.username,
                "total": sum(phases.values()),
                **{f"n_{p.value}": phases.get(p.value, 0) for p in ORDER},
                "cells": [{"label": p.label, "count": phases.get(p.value, 0)} for p in ORDER],
            }
        )
    working = [c[0] for c in open_cases if c[1] in TASK_PHASES]
    quiet = Case.objects.filter(InIds("pk", [c[0] for c in open_cases if c[4]]))
    return {
        "phases": counts,
        "open_total": len(open_cases),
        "workers": workers,
        "pending_approvals": bounded_by_ids(
            _pending_approvals_where(InIds("case_id", [c[0] for c in cases])), _pending_approvals_where(Q())
        ),
        "overdue_tasks": bounded_by_ids(
            _overdue_tasks_where(InIds("plan__case_id", working), today), _overdue_tasks_where(Q(), today)
        ),
        "inactive_cases": bounded_by_ids(
            _without_recent_notes(quiet, cutoff), _without_recent_notes(Case.objects.all(), cutoff)
        ),
        "inactive_days": INACTIVE_DAYS,
    }


# --- the manager's home: aggregates only, with small-cell suppression ----------------------------


@dataclass
class Cell:
    value: int
    display: str
    hidden: bool = False  # primary (<5) or secondary suppression


@dataclass
class Row:
    key: str
    label: str
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Table:
    rows: list[Row]
    totals: list[Cell]
    secondary: bool = False  # some cell was hidden only so that a small one cannot be worked out

    @property
    def empty(self) -> bool:
        return not self.rows


def _show(n: int) -> Cell:
    if 0 < n < SUPPRESSION_THRESHOLD:
        return Cell(n, f"<{SUPPRESSION_THRESHOLD}", hidden=True)
    return Cell(n, str(n))


def suppress_table(rows: Sequence[tuple[str, str, bool, Sequence[int]]], totals: Sequence[int]) -> Table:
    """Apply small-cell suppression to a one-way table of counts with column totals.

    `rows`: (key, label, sensitive, counts per column). Counts from 1 to 4 show as "<5". A
    sensitive row (PPKSCategory.sensitive) is not listed at all when any count in it is from 1
    to 4 (or all are 0).
    When a column would hide a single small count that the total minus the other cells would
    reveal, the next smallest cell of that column is hidden as well (secondary suppression),
    or the total when there is none.
    """
    columns = len(totals)
    listed: list[tuple[str, str, Sequence[int]]] = []
    omitted: list[Sequence[int]] = []
    for key, label, sensitive, counts in rows:
        if sensitive and (any(0 < n < SUPPRESSION_THRESHOLD for n in counts) or not any(counts)):
            omitted.append(counts)
        else:
            listed.append((key, label, counts))
    table_rows = [Row(key, label, [_show(n) for n in counts]) for key, label, counts in listed]
    total_cells = [_show(n) for n in totals]
    secondary = False
    for c in range(columns):
        if total_cells[c].hidden:
            continue
        hidden = sum(1 for row in table_rows if row.cells[c].hidden) + sum(1 for counts in omitted if counts[c])
        if hidden != 1:
            continue
        candidates = [row.cells[c] for row in table_rows if not row.cells[c].hidden and row.cells[c].value > 0]
        if candidates:
            cell = min(candidates, key=lambda cl: cl.value)
            cell.hidden, cell.display = True, "*"
        else:
            total_cells[c] = Cell(totals[c], "*", hidden=True)
        secondary = True
    return Table(table_rows, total_cells, secondary)


def month_bounds(
    start: datetime.date | None, end: datetime.date | None
) -> tuple[datetime.date | None, datetime.date | None]:
    """Whole months only: from the first day of the start month to the last day of the end month."""
    if start is not None:
        start = start.replace(day=1)
    if end is not None:
        nxt = (end.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        end = nxt - datetime.timedelta(days=1)
    return start, end


def manager_home(user: User, *, start: datetime.date | None = None, end: datetime.date | None = None) -> dict:
    """Counts of the cases of the region's teams (open and closed) by phase, PPKS category and
    district, for the whole months from `start`'s to `end`'s. No personal data.

    Read from the case tally (reports.tally), which the services keep current: a few thousand
    summed rows per request instead of every case of the region. Queries: the region's teams
    (once per request, see overseen_team_ids), the tally, the PPKS categories and the districts.
    """
    team_ids = overseen_team_ids(user) if user.role == Role.MANAGER else []
    sums: dict[str, dict[str, tuple[int, int]]] = {d.value: {} for d in CaseTally.Dimension}
    for r in tallies_for_teams(team_ids, start=start, end=end) if team_ids else []:
        if r["n_open"] or r["n_closed"]:
            sums[r["dimension"]][r["bucket"]] = (r["n_open"], r["n_closed"])
    by_phase = sums[CaseTally.Dimension.PHASE]
    total_counts = [sum(c[0] for c in by_phase.values()), sum(c[1] for c in by_phase.values())]

    phase_rows = [(p.value, str(p.label), False, list(by_phase[p.value])) for p in ORDER if p.value in by_phase]

    english = translation.get_language() == "en"
    by_ppks = sums[CaseTally.Dimension.PPKS]
    categories = PPKSCategory.objects.filter(pk__in=[int(k) for k in by_ppks]).order_by("number", "pk")
    ppks_rows = [
        (str(c.pk), c.name_en if english else c.name_id, c.sensitive, list(by_ppks[str(c.pk)])) for c in categories
    ]

    by_district = sums[CaseTally.Dimension.DISTRICT]
    codes = [code for code in by_district if code and code.count(".") == 2]
    names = dict(Region.objects.filter(code__in=codes, level=Region.Level.DISTRICT).values_list("code", "name"))
    unknown_label = str(translation.gettext("district not recorded"))
    district_rows = []
    unknown = [0, 0]
    for code, (n_open, n_closed) in sorted(by_district.items()):
        if code in names:
            district_rows.append((code, names[code], False, [n_open, n_closed]))
        else:
            unknown[0] += n_open
            unknown[1] += n_closed
    district_rows.sort(key=lambda row: row[1])
    if any(unknown):
        district_rows.append(("", unknown_label, False, unknown))

    return {
        "totals": suppress_table([], total_counts).totals,
        "by_phase": suppress_table(phase_rows, total_counts),
        "by_ppks": suppress_table(ppks_rows, total_counts),
        "by_district": suppress_table(district_rows, total_counts),
        "threshold": SUPPRESSION_THRESHOLD,
    }


# --- the administrator's home --------------------------------------------------------------------


def users_by_role() -> list[dict]:
    """Active and inactive accounts per role (one query). No case data."""
    counts = {
        r["role"]: r
        for r in User.objects.order_by()
        .values("role")
        .annotate(active=Count("pk", filter=Q(is_active=True)), inactive=Count("pk", filter=Q(is_active=False)))
    }
    return [
        {
            "role": role,
            "label": role.label,
            "active": counts.get(role.value, {}).get("active", 0),
            "inactive": counts.get(role.value, {}).get("inactive", 0),
        }
        for role in Role
    ]


# --- "see all" lists -----------------------------------------------------------------------------


def with_days_overdue(tasks: Iterable[Task], today: datetime.date) -> list[Task]:
    rows = list(tasks)
    for task in rows:
        task.days_overdue = (today - task.due_date).days
    return rows
