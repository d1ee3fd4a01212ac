"""Reads of cases for pages, dashboards and exports. Visibility always comes from cases.permissions.

Every function here runs a fixed number of queries whatever the number of rows.
"""

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from dampingi.accounts.models import Role, Team, User
from dampingi.cases.models import (
    ActivityNote,
    Approval,
    Case,
    Consent,
    Contract,
    PhaseTransition,
    Stakeholder,
    Termination,
)
from dampingi.cases.permissions import cases_visible_to
from dampingi.clients.matching import name_key
from dampingi.clients.models import ClientSystem, Membership, Person
from dampingi.clients.selectors import (
    client_systems_named,
    exists_per_row,
    name_matches,
    visible_set_is_team_sized,
)

# "K-000123", "k123", "K 123" or a bare "123" find a case by its reference.
REFERENCE_RE = re.compile(r"^\s*(?:K[-\s]?)?0*(\d{1,12})\s*$", re.IGNORECASE)

# How many entries of the timeline the case page shows; the rest is one click away.
TIMELINE_PAGE_LIMIT = 50
# How many activity notes the case page shows in each list.
RECENT_NOTES_LIMIT = 10


# --- Lists -------------------------------------------------------------------------------------


def case_list(
    *,
    user: User,
    q: str = "",
    phase: str = "",
    status: str = "open",
    priority: str = "",
    mine: bool = False,
) -> QuerySet[Case]:
    """The cases `user` may see, filtered, ready for a paginated list (one query a page)."""
    qs = cases_visible_to(user).select_related("client_system", "programme", "ppks", "assigned_worker", "team")
    if status == "open":
        qs = qs.filter(closed_at__isnull=True)
    elif status == "closed":
        qs = qs.filter(closed_at__isnull=False)
    if phase:
        qs = qs.filter(phase=phase)
    if priority:
        qs = qs.filter(priority=priority)
    if mine:
        qs = qs.filter(assigned_worker=user)
    q = (q or "").strip()
    if q:
        match = REFERENCE_RE.match(q)
        if match:
            # A case reference (or its number) finds that case; names never contain digits.
            qs = qs.filter(pk=int(match.group(1)))
        else:
            # Names match as in the client list (dampingi.clients.selectors.name_matches):
            # spelling-insensitively (Djoko = Joko) on the client system's name and its
            # members'; one or two letters at the start of a word. Exact matches only: the
            # list keeps its date order, which close matches would only clutter.
            key = name_key(q)
            if not key:
                return qs.none()
            if visible_set_is_team_sized(user):
                # A team's cases: test each one's client system and its members by primary
                # key, row by row (no join: a join on the client system made PostgreSQL hash
                # all of them to count a team's cases).
                named = ClientSystem.objects.filter(name_matches(key), pk=OuterRef("client_system_id"))
                members = Membership.objects.filter(
                    name_matches(key, field="person__name_key"), client_system_id=OuterRef("client_system_id")
                )
                qs = qs.filter(exists_per_row(named) | exists_per_row(members))
            else:
                # A region's cases: find the client systems by name first (trigram indexes).
                qs = qs.filter(client_system__in=client_systems_named(key))
    return qs.order_by("-opened_at", "-id")


def pending_approvals_for(user: User) -> QuerySet[Approval]:
    """Pending plan and closure approvals of the cases `user` may see, oldest request first."""
    return (
        Approval.objects.filter(status=Approval.Status.PENDING, case__in=cases_visible_to(user))
        .select_related(
            "case", "case__client_system", "case__programme", "case__assigned_worker", "case__team", "requested_by"
        )
        .order_by("requested_at", "id")
    )


def workers_for_assignment(user: User) -> QuerySet[User]:
    """The workers a user may assign a new case to: their own team, or the teams they supervise."""
    teams = (
        Team.objects.filter(Q(pk=user.team_id) | Q(supervisor=user)) if user.team_id else user.supervised_teams.all()
    )
    return (
        User.objects.filter(is_active=True, role=Role.WORKER, team__in=teams)
        .select_related("team")
        .order_by("first_name", "last_name", "username")
    )


def transfer_candidates(case: Case) -> QuerySet[User]:
    """Who a case may be transferred to: active workers of the teams in the case team's regency."""
    regency = ".".join(case.team.region_id.split(".")[:2])
    return (
        User.objects.filter(is_active=True, role=Role.WORKER, team__isnull=False)
        .filter(Q(team__region__code=regency) | Q(team__region__code__startswith=regency + "."))
        .exclude(pk=case.assigned_worker_id)
        .select_related("team")
        .order_by("team__name", "first_name", "last_name", "username")
    )


def case_transfers(case: Case, *, approvals: list[Approval] | None = None) -> list:
    """The transfers asked for on a case, newest first, with who and the decision (one query).

    `approvals`, the case's approval requests as case_approvals() reads them, saves joining them again,
    and the query itself when none of them is a transfer (each transfer has its own approval request).
    """
    if approvals is None:
        return list(
            case.transfers.select_related(
                "approval", "approval__decided_by", "approval__requested_by", "from_worker", "to_worker", "to_team"
            ).order_by("-id")
        )
    by_pk = {a.pk: a for a in approvals if a.kind == Approval.Kind.TRANSFER}
    if not by_pk:
        return []
    transfers = list(case.transfers.select_related("from_worker", "to_worker", "to_team").order_by("-id"))
    for transfer in transfers:
        if transfer.approval_id in by_pk:
            transfer.approval = by_pk[transfer.approval_id]
    return transfers


def supervisors_for_assignment() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role=Role.SUPERVISOR).order_by("first_name", "last_name", "username")


def client_person(client_system: Any) -> Person | None:
    """The person an individual client system is about: the member marked as the client, else the only member."""
    memberships = list(
        Membership.objects.filter(client_system=client_system).select_related("person").order_by("id")[:2]
    )
    for m in memberships:
        if m.relationship == Membership.Relationship.SELF:
            return m.person
    return memberships[0].person if len(memberships) == 1 else None


# --- The case page ----------------------------------------------------------------------------


def case_contract(case: Case) -> Contract | None:
    """The contract of the case (cached on the instance after the first call)."""
    return getattr(case, "contract", None)


def case_prefetch_consents(case: Case) -> list[Consent]:
    """Load the consents once; guards.engagement_ready then reads them without another query."""
    from django.db.models import prefetch_related_objects

    if "consents" not in getattr(case, "_prefetched_objects_cache", {}):
        prefetch_related_objects([case], Prefetch("consents", queryset=Consent.objects.select_related("recorded_by")))
    return list(case.consents.all())


def case_stakeholders(case: Case) -> list[Stakeholder]:
    return list(case.stakeholders.annotate(task_count=Count("tasks")).order_by("kind", "name", "id"))


def case_notes(case: Case, *, kind: str = "", phase: str = "") -> QuerySet[ActivityNote]:
    qs = case.activity_notes.select_related("author", "task")
    if kind:
        qs = qs.filter(kind=kind)
    if phase:
        qs = qs.filter(phase=phase)
    return qs.order_by("-occurred_on", "-id")


def case_recent_notes(case: Case, *, limit: int = RECENT_NOTES_LIMIT) -> list[ActivityNote]:
    return list(case_notes(case).exclude(kind=ActivityNote.Kind.INTAKE)[:limit])


def case_intake_notes(case: Case, *, limit: int = RECENT_NOTES_LIMIT) -> list[ActivityNote]:
    return list(case_notes(case, kind=ActivityNote.Kind.INTAKE)[:limit])


def case_approvals(case: Case) -> list[Approval]:
    """Every approval request of a case, oldest first, with who asked and who decided (one query).

    A case has a few a cycle (plan, assessment, closure, transfer), so they are read whole.
    """
    # Sorted here: the few rows do not need the database's ORDER BY (nor the ORM the time to build it).
    approvals = Approval.objects.filter(case=case).select_related("requested_by", "decided_by").order_by()
    return sorted(approvals, key=lambda a: a.pk)


def case_latest_approvals(case: Case, *, approvals: list[Approval] | None = None) -> dict[str, Approval]:
    """The latest approval request of each kind (a pending one is always the latest of its kind).

    `approvals` are the case's requests as case_approvals() returns them (read here when not given).
    """
    latest: dict[str, Approval] = {}
    for approval in case_approvals(case) if approvals is None else approvals:
        latest[approval.kind] = approval
    return latest


def case_latest_termination(case: Case) -> Termination | None:
    return case.terminations.select_related("recorded_by").order_by("-recorded_at", "-id").first()


# --- The timeline -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened in a case. `at` is the exact time when known, else only `day`."""

    kind: str
    day: datetime.date
    at: datetime.datetime | None
    actor: User | None
    obj: Any
    order: tuple = field(compare=False, repr=False)


# Entry kinds, as the template names them.
TRANSITION = "transition"
NOTE = "note"
CONSENT = "consent"
CONSENT_WITHDRAWN = "consent_withdrawn"
CONTRACT_SIGNED = "contract_signed"
APPROVAL_REQUESTED = "approval_requested"
APPROVAL_DECIDED = "approval_decided"
TERMINATION = "termination"


EXTERNAL = "external"


@dataclass(frozen=True)
class ExternalItem:
    """What another app (instruments, eco-map, genogram, referrals) shows on the timeline."""

    pk: Any
    text: str
    url: str


@dataclass(frozen=True)
class TimelineSource:
    """A source of timeline entries registered by another app in its AppConfig.ready().

    `entries(case, newest_first=, upto=)` returns dicts {"day", "at", "actor", "text", "url", "pk"}
    (day or at required), at most `upto` of them (all if None) in the given direction, in one query;
    `rows()` is the queryset of the source's rows, one per entry, and `case_field` the lookup from
    such a row to its case: the timeline count adds them as one subquery.
    """

    name: str
    entries: Callable[..., list[dict]]
    rows: Callable[[], QuerySet]
    case_field: str = "case"


_SOURCES: dict[str, TimelineSource] = {}


def register_timeline_source(
    *, name: str, entries: Callable[..., list[dict]], rows: Callable[[], QuerySet], case_field: str = "case"
) -> None:
    """Add (or replace) a source of timeline entries; see TimelineSource."""
    _SOURCES[name] = TimelineSource(name, entries, rows, case_field)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _entry(kind: str, *, day=None, at=None, secondary=None, actor=None, obj=None) -> TimelineEntry:
    if day is None:
        day = timezone.localtime(at).date()
    secondary = secondary or at or _start_of(day)
    return TimelineEntry(kind, day, at, actor, obj, order=(day, secondary, kind, obj.pk))


def _timeline_entries(case: Case, *, newest_first: bool, upto: int | None) -> list[TimelineEntry]:
    """The first `upto` entries in the given direction (all if None), sorted in that direction.

    Each source is read with the same ordering and limit, so the merged head is exact and the
    query count does not depend on how much the case holds.
    """

    def ordered(qs: QuerySet, *keys: str) -> Iterable:
        keys_in_direction = [("-" + k if newest_first else k) for k in keys]
        qs = qs.order_by(*keys_in_direction)
        return qs[:upto] if upto is not None else qs

    entries: list[TimelineEntry] = []
    for t in ordered(PhaseTransition.objects.filter(case=case).select_related("actor"), "at", "id"):
        entries.append(_entry(TRANSITION, at=t.at, actor=t.actor, obj=t))
    for n in ordered(case.activity_notes.select_related("author", "task"), "occurred_on", "created_at", "id"):
        entries.append(_entry(NOTE, day=n.occurred_on, secondary=n.created_at, actor=n.author, obj=n))
    # A consent gives up to two entries: order by its latest date going backwards, its first going forwards.
    consent_key = Greatest("given_on", Coalesce("withdrawn_on", "given_on")) if newest_first else Value(0)
    consents = Consent.objects.filter(case=case).select_related("recorded_by").annotate(tl_key=consent_key)
    for c in ordered(consents, "tl_key", "given_on", "id"):
        entries.append(_entry(CONSENT, day=c.given_on, secondary=c.recorded_at, actor=c.recorded_by, obj=c))
        if c.withdrawn_on:
            entries.append(_entry(CONSENT_WITHDRAWN, day=c.withdrawn_on, obj=c))
    contract = case_contract(case)
    if contract is not None and contract.signed_on:
        # The contract row is saved when it is signed, so its save time orders it within that day.
        entries.append(_entry(CONTRACT_SIGNED, day=contract.signed_on, secondary=contract.updated_at, obj=contract))
    approval_key = Coalesce("decided_at", "requested_at") if newest_first else Coalesce("requested_at", "decided_at")
    approvals = (
        Approval.objects.filter(case=case).select_related("requested_by", "decided_by").annotate(tl_key=approval_key)
    )
    for a in ordered(approvals, "tl_key", "id"):
        entries.append(_entry(APPROVAL_REQUESTED, at=a.requested_at, actor=a.requested_by, obj=a))
        if a.decided_at:
            entries.append(_entry(APPROVAL_DECIDED, at=a.decided_at, actor=a.decided_by, obj=a))
    for term in ordered(case.terminations.select_related("recorded_by"), "recorded_at", "id"):
        entries.append(_entry(TERMINATION, at=term.recorded_at, actor=term.recorded_by, obj=term))
    for source in _SOURCES.values():
        for index, item in enumerate(source.entries(case, newest_first=newest_first, upto=upto)):
            obj = ExternalItem(pk=(source.name, item.get("pk", index)), text=item["text"], url=item.get("url", ""))
            day, at = item.get("day"), item.get("at")
            # A record dated another day than it was saved (e.g. a drawing of last week's visit) shows its date.
            shown_at = at if at is not None and (day is None or timezone.localtime(at).date() == day) else None
            entry = _entry(EXTERNAL, day=day, at=shown_at, secondary=at, actor=item.get("actor"), obj=obj)
            entries.append(entry)
    entries.sort(key=lambda e: e.order, reverse=newest_first)
    return entries[:upto] if upto is not None else entries


def case_timeline_count(case: Case) -> int:
    """How many entries the timeline of `case` has (one query)."""
    sources = list(_SOURCES.values())

    def count_of(qs: QuerySet, by: str = "case") -> Coalesce:
        return Coalesce(Subquery(qs.order_by().values(by).annotate(c=Count("pk")).values("c")[:1]), 0)

    counts = (
        Case.objects.filter(pk=case.pk)
        .annotate(
            n_transitions=count_of(PhaseTransition.objects.filter(case=OuterRef("pk"))),
            n_notes=count_of(ActivityNote.objects.filter(case=OuterRef("pk"))),
            n_consents=count_of(Consent.objects.filter(case=OuterRef("pk"))),
            n_withdrawn=count_of(Consent.objects.filter(case=OuterRef("pk"), withdrawn_on__isnull=False)),
            n_signed=count_of(Contract.objects.filter(case=OuterRef("pk"), signed_on__isnull=False)),
            n_approvals=count_of(Approval.objects.filter(case=OuterRef("pk"))),
            n_decided=count_of(Approval.objects.filter(case=OuterRef("pk"), decided_at__isnull=False)),
            n_terminations=count_of(Termination.objects.filter(case=OuterRef("pk"))),
            **{
                f"n_src_{i}": count_of(src.rows().filter(**{src.case_field: OuterRef("pk")}), src.case_field)
                for i, src in enumerate(sources)
            },
        )
        .values_list(
            "n_transitions",
            "n_notes",
            "n_consents",
            "n_withdrawn",
            "n_signed",
            "n_approvals",
            "n_decided",
            "n_terminations",
            *(f"n_src_{i}" for i in range(len(sources))),
        )
        .get()
    )
    return sum(counts)


def case_timeline(case: Case, limit: int | None = None) -> list[TimelineEntry]:
    """What happened in the case, oldest first; with `limit`, only the latest `limit` entries.

    Merges phase changes (who, when, from, to, why), activity notes, consents given and
    withdrawn, the contract signing, approvals requested and decided, and terminations.
    """
    entries = _timeline_entries(case, newest_first=True, upto=limit)
    entries.reverse()
    return entries


class TimelineSequence:
    """The whole timeline as a sliceable sequence for django.core.paginator.Paginator."""

    def __init__(self, case: Case, *, newest_first: bool = False) -> None:
        self.case = case
        self.newest_first = newest_first
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = case_timeline_count(self.case)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[TimelineEntry]:
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("TimelineSequence supports only simple slices")
        start = index.start or 0
        stop = index.stop if index.stop is not None else self.count()
        return _timeline_entries(self.case, newest_first=self.newest_first, upto=stop)[start:stop]
