"""Reads of client records that encode who may see them. No view queries ClientSystem directly.

A user sees a client system when they see one of its cases (dampingi.cases.permissions),
or when it was registered by them or by their colleagues:
- social worker: created by a member of their team;
- supervisor: created by a member of a team they supervise;
- manager: only through cases in their region (managers do not register clients);
- administrator: only the ones they created themselves (e.g. by a bulk import).
"""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.postgres.lookups import TrigramStrictWordSimilar
from django.contrib.postgres.search import TrigramStrictWordSimilarity
from django.db import connections
from django.db.models import Case as CaseWhen
from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce, Greatest
from django.db.models.lookups import GreaterThanOrEqual, IsNull
from django.http import Http404

from dampingi.accounts.models import Role, User
from dampingi.cases.models import Case
from dampingi.cases.permissions import cases_visible_to, overseen_team_ids
from dampingi.clients.matching import name_key, names_similar
from dampingi.clients.models import ClientSystem, Membership, Person, PPKSCategory
from dampingi.clients.validators import normalise_id_number
from dampingi.core.pagination import IdsThenRows
from dampingi.regions.models import Region


def client_systems_visible_to(user: User) -> QuerySet[ClientSystem]:
    """The client systems `user` may see (see the module docstring).

    The SQL is shaped for the size of the set (see visible_set_is_team_sized): a worker's or a
    supervisor's is `pk IN (<created by the team> UNION ALL <of the visible cases>)`, both
    halves read by index, so PostgreSQL reads that set and nothing else; a manager's region is
    tested row by row (`EXISTS` a visible case, by the case table's client_system index), so a
    search reads only the client systems it found. (The former single `OR`, one of its terms
    on the joined user, made PostgreSQL read every client system for everyone.)
    """
    qs = ClientSystem.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == Role.ADMINISTRATOR:
        return qs.filter(created_by=user)
    visible_cases = cases_visible_to(user)
    if not visible_set_is_team_sized(user):
        return qs.filter(Q(created_by=user) | Exists(visible_cases.filter(client_system=OuterRef("pk"))))
    creators = Q(pk=user.pk)
    if user.role == Role.WORKER and user.team_id:
        creators |= Q(team_id=user.team_id)
    elif user.role == Role.SUPERVISOR:
        # The same ids cases_visible_to() uses (read once per user object).
        creators |= Q(team_id__in=overseen_team_ids(user))
    created = ClientSystem.objects.filter(created_by__in=User.objects.filter(creators).values("pk"))
    through_cases = visible_cases.order_by().values("client_system_id")
    return qs.filter(pk__in=created.order_by().values("pk").union(through_cases, all=True))


def visible_set_is_team_sized(user: User) -> bool:
    """True for the roles that see what their team or the teams they supervise handle (workers,
    supervisors): some hundreds to a few thousand client systems, however large the database.
    A manager sees a region's, which grows with the database (110,000 cases of 1,500,000 in
    the benchmark's largest); an administrator only what they created (see above)."""
    return user.role in (Role.WORKER, Role.SUPERVISOR)


def get_client_system_for_user_or_404(user: User, pk: int) -> ClientSystem:
    try:
        return client_systems_visible_to(user).select_related("region", "created_by").get(pk=pk)
    except ClientSystem.DoesNotExist:
        raise Http404 from None


def people_visible_to(user: User) -> QuerySet[Person]:
    """People who belong to a client system the user may see."""
    visible = client_systems_visible_to(user).values("pk")
    return Person.objects.filter(pk__in=Membership.objects.filter(client_system__in=visible).values("person_id"))


def get_person_for_user_or_404(user: User, pk: int) -> Person:
    try:
        return people_visible_to(user).select_related("region").get(pk=pk)
    except Person.DoesNotExist:
        raise Http404 from None


def client_system_search(user: User, *, query: str = "", kind: str = "") -> QuerySet[ClientSystem]:
    """The client list: visible client systems, filtered by kind and by a search text.

    Sixteen digits search the NIK of a member and the family card number exactly. Anything
    else is a name, matched spelling-insensitively (`name_key`: Muhammad = Moh. = Muhamad,
    Noor = Nur, Soekarno = Sukarno) on the client system's name and on its members' names:
    - one or two letters match the start of a word ("si" finds Siti, not Kasih);
    - longer texts match anywhere in a name;
    - on PostgreSQL, texts of FUZZY_MIN_LENGTH characters or more also find close names
      (typos: "Siti Aminh", "Rizal Nugorho"): pg_trgm's strict word similarity, served by
      the trigram indexes of migration clients.0004.
    On PostgreSQL the results of three letters or more come best first, with `search_rank`
    on each row: exact matches (1 and more, whole words before parts of words: "yati" finds
    Yati before Rohayati), then close ones (below 1), closest first; ties in name order.
    SQLite (the embedded default) has no fuzzy match and lists the matches in name order, as
    it does without a name or for a NIK. Each row has `member_count`,
    `region_name`, `region_parent_name` and `listed_ppks` (the PPKS that lists may show). A
    fixed number of queries for any page (a NIK costs one more: its client systems are read
    first). The client list pages it through client_search_pages().
    """
    qs, order, _rank_key = _search(user, query=query, kind=kind)
    return _listed(qs, order)


def client_search_pages(user: User, *, query: str = "", kind: str = "") -> QuerySet[ClientSystem] | IdsThenRows:
    """client_system_search() as the client list pages it. A worker's or supervisor's results
    (team-sized) are matched once: their ids in order, then each page's rows by primary key (a
    paginated queryset would match twice, for the count and for the page, and the matching is
    most of the time: the names of a team's client systems and of their members). A manager's
    region-sized results stay a queryset (count, then one page)."""
    qs, order, rank_key = _search(user, query=query, kind=kind)
    if not visible_set_is_team_sized(user):
        return _listed(qs, order)
    if not rank_key:
        ids = list(qs.order_by(*order).values_list("pk", flat=True))
        return IdsThenRows(ids, lambda page: _listed(ClientSystem.objects.filter(pk__in=page), []))
    # The ranks come with the ids (they are computed to sort them): the page's rows take theirs
    # from here instead of computing them again.
    ranked = dict(qs.order_by(*order).values_list("pk", "search_rank"))

    def page_rows(page: list[int]) -> list[ClientSystem]:
        rows = list(_listed(ClientSystem.objects.filter(pk__in=page), []))
        for row in rows:
            row.search_rank = ranked[row.pk]
        return rows

    return IdsThenRows(list(ranked), page_rows)


def _search(user: User, *, query: str, kind: str) -> tuple[QuerySet[ClientSystem], list[str], str]:
    """The visible client systems matching the search (see client_system_search), their order,
    and the name key they are ranked by ("" when they are not ranked)."""
    qs = client_systems_visible_to(user)
    if kind in ClientSystem.Kind.values:
        qs = qs.filter(kind=kind)
    text = query.strip()
    digits = normalise_id_number(text)
    order = ["name", "pk"]
    rank_key = ""
    if digits.isdigit() and len(digits) == 16:
        # The person first, then their client systems by primary key: `OR pk IN (subquery)`
        # would make the planner read every client system.
        ids = list(Membership.objects.filter(person__nik=digits).values_list("client_system_id", flat=True))
        qs = qs.filter(Q(no_kk=digits) | Q(pk__in=ids))
    elif text:
        key = name_key(text)
        if not key:
            return qs.none(), order, rank_key
        trigrams = connections[qs.db].vendor == "postgresql" and len(key) > WORD_START_MAX_LENGTH
        fuzzy = trigrams and len(key) >= FUZZY_MIN_LENGTH
        if visible_set_is_team_sized(user):
            # Test each visible client system's name and its members' (by index): the cost
            # follows the team's size, not the database's or how common the name is.
            members = Membership.objects.filter(name_matches(key, fuzzy=fuzzy, field="person__name_key"))
            qs = qs.filter(
                name_matches(key, fuzzy=fuzzy) | exists_per_row(members.filter(client_system=OuterRef("pk")))
            )
        else:
            qs = qs.filter(pk__in=client_systems_named(key, fuzzy=fuzzy))
        if trigrams:
            qs = qs.annotate(search_rank=_search_rank(key))
            order = ["-search_rank", "name", "pk"]
            rank_key = key
    return qs, order, rank_key


def _listed(qs: QuerySet[ClientSystem], order: list[str]) -> QuerySet[ClientSystem]:
    """What each row of the client list shows, in the list's order."""
    return (
        # Scalar subqueries rather than joins: PostgreSQL evaluates them for the rows of the
        # page only, after the sort, and a misestimated row count cannot pick a bad join.
        qs.annotate(
            member_count=_member_count(),
            region_name=Subquery(Region.objects.filter(pk=OuterRef("region_id")).values("name")[:1]),
            region_parent_name=Subquery(Region.objects.filter(pk=OuterRef("region_id")).values("parent__name")[:1]),
        )
        .prefetch_related(
            Prefetch(
                "ppks",
                # Sensitive categories (minority status, HIV) are never shown in lists.
                queryset=PPKSCategory.objects.filter(sensitive=False).order_by("number"),
                to_attr="listed_ppks",
            )
        )
        .order_by(*order)
    )


# --- Name search ---------------------------------------------------------------------
# Typos are forgiven (PostgreSQL only) from this many characters of the search key on: a
# close match of a short word is mostly another name (Sita for Siti), seldom a typo.
FUZZY_MIN_LENGTH = 5
# How close (pg_trgm strict word similarity, 0 to 1) a name must be to count as a close match.
# On the benchmark's names a typo (two letters swapped) scores 0.55 to 0.8, other people who
# share one of the words ("zulaikha mulyani" for "zulaikha apriyani") up to 0.52.
FUZZY_MIN_SIMILARITY = 0.55
# ... and how close each word of the key must be to some word of the name, when the name does
# not contain it: a swap inside a word of seven letters still scores 0.33, another name 0 to 0.2.
FUZZY_WORD_MIN_SIMILARITY = 0.3
# Keys this short match the start of a word only.
WORD_START_MAX_LENGTH = 2


def name_matches(key: str, *, fuzzy: bool = False, field: str = "name_key") -> Q:
    """The condition "the name_key in `field` matches the search key" (client_system_search)."""
    if len(key) <= WORD_START_MAX_LENGTH:
        # LIKE 'si%' OR LIKE '% si%': pg_trgm reads the word start from both, its index serves them.
        return Q(**{f"{field}__startswith": key}) | Q(**{f"{field}__contains": " " + key})
    condition = Q(**{f"{field}__contains": key})
    if fuzzy:
        # `name_key %>> key` (pg_trgm's default threshold, 0.5) is what the trigram index
        # serves; the tests after it keep the names that are close as a whole *and* word by
        # word: "nia karlina" is not close to "ijah karlina", though the long shared word
        # alone scores 0.67 (and a swap inside one word scores 0.55 to 0.8 for the whole).
        close = TrigramStrictWordSimilar(F(field), Value(key)) & GreaterThanOrEqual(
            TrigramStrictWordSimilarity(key, field), FUZZY_MIN_SIMILARITY
        )
        for word in dict.fromkeys(key.split()):
            close &= Q(**{f"{field}__contains": word}) | GreaterThanOrEqual(
                TrigramStrictWordSimilarity(word, field), FUZZY_WORD_MIN_SIMILARITY
            )
        condition |= close
    return condition


def client_systems_named(key: str, *, fuzzy: bool = False) -> QuerySet:
    """Ids of all client systems whose name, or a member's name, matches the search key.

    One `UNION ALL` of two halves, each served by the trigram index on its table's name_key:
    as a condition `pk__in=` the planner fetches the matching client systems by primary key.
    (An `OR` of the two halves cannot use either index.) Cheap for a rare name; a common one
    (Siti, Muhammad) matches a hundred thousand people at 1,000,000 client systems.
    """
    return (
        ClientSystem.objects.filter(name_matches(key, fuzzy=fuzzy))
        .order_by()
        .values("pk")
        .union(
            Membership.objects.filter(name_matches(key, fuzzy=fuzzy, field="person__name_key"))
            .order_by()
            .values("client_system_id"),
            all=True,
        )
    )


def exists_per_row(queryset: QuerySet) -> IsNull:
    """`EXISTS (queryset)` for a correlated queryset, written so that PostgreSQL tests it row by
    row: `(SELECT 1 ... LIMIT 1) IS NOT NULL`.

    A plain EXISTS inside an OR may be run once for the whole table instead and hashed (an
    "alternative subplan", chosen on estimates): for a common name (Muhammad) that reads a
    hundred thousand people at 1,000,000 client systems, where testing a team's client
    systems one by one reads a few thousand rows by index.
    """
    return IsNull(Subquery(queryset.order_by().annotate(_hit=Value(1)).values("_hit")[:1]), False)


def _name_score(key: str, field: str) -> CombinedExpression:
    """1 when the name contains the key, plus its strict word similarity to the key (0 to 1)."""
    contains = CaseWhen(
        When(**{f"{field}__contains": key}, then=Value(1.0)), default=Value(0.0), output_field=FloatField()
    )
    return contains + TrigramStrictWordSimilarity(key, field)


def _search_rank(key: str) -> Greatest:
    """The best score (_name_score) of the client system's own name and its members' names.

    The members' best is a correlated aggregate: PostgreSQL computes it for the matching rows
    only (one index scan of their memberships each), never for the whole table."""
    best_member = (
        Membership.objects.filter(client_system=OuterRef("pk"))
        .order_by()
        .values("client_system")
        .annotate(best=Max(_name_score(key, "person__name_key")))
        .values("best")
    )
    return Greatest(_name_score(key, "name_key"), Coalesce(Subquery(best_member), Value(0.0)))


def _member_count() -> Coalesce:
    """The number of members, as a subquery: unlike Count() over a join it needs no GROUP BY,
    and the paginator's count query leaves it out."""
    members = (
        Membership.objects.filter(client_system=OuterRef("pk"))
        .order_by()
        .values("client_system")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(members, output_field=IntegerField()), 0)


def client_system_members(client_system: ClientSystem) -> list[Membership]:
    return list(client_system.memberships.select_related("person", "person__region").order_by("-is_head", "id"))


def client_system_cases_for_user(user: User, client_system: ClientSystem) -> QuerySet[Case]:
    """The cases of this client system that the user may see."""
    return (
        cases_visible_to(user)
        .filter(client_system=client_system)
        .select_related("programme", "assigned_worker", "ppks")
        .order_by("-opened_at")
    )


def region_path(region: Region | None) -> list[Region]:
    """The region and its ancestors, province first (one query)."""
    if region is None:
        return []
    return list(Region.objects.filter(code__in=region.ancestor_codes()).order_by("level"))


# --- Search before you create -------------------------------------------------------


@dataclass(frozen=True)
class PersonProbe:
    """A person about to be registered: `ref` says where in the form they were entered."""

    ref: str
    full_name: str
    nik: str | None = None
    birth_date: datetime.date | None = None


@dataclass
class Match:
    """A record that may be the same as what the user is registering.

    `client_systems` are the ones the user may open; `hidden` says that a matching record
    (also) exists where the user may not look: the page then says only that, without
    any personal data.
    """

    reason: str  # "nik", "no_kk" or "name_birth"
    ref: str | None  # the PersonProbe.ref, or None for a family card match
    entered_name: str
    person: Person | None = None
    client_systems: list[ClientSystem] = field(default_factory=list)
    hidden: bool = False

    @property
    def is_hard(self) -> bool:
        """Same NIK: the NIK is unique, the record cannot be saved twice."""
        return self.reason == "nik"


def duplicate_candidates(
    *,
    user: User,
    people: Sequence[PersonProbe],
    no_kk: str = "",
    exclude_person_ids: Sequence[int] = (),
) -> list[Match]:
    """Likely duplicates of what the user is registering: same NIK, same family card
    number, or a similar name (name_key) with the same date of birth. Three queries.

    The people are read in ONE statement (same NIK or same birth date), so in one snapshot: a
    person registered by someone else at this moment is found by NIK and by name together, never
    by the name only because they committed between two reads (PostgreSQL's READ COMMITTED
    gives each statement its own snapshot)."""
    niks = {p.nik for p in people if p.nik}
    dates = {p.birth_date for p in people if p.birth_date}
    found: list[tuple[str, PersonProbe, Person]] = []
    candidates: list[Person] = []
    if niks or dates:
        candidates = list(
            Person.objects.filter(Q(nik__in=niks) | Q(birth_date__in=dates))
            .exclude(pk__in=exclude_person_ids)
            .annotate(membership_total=Count("memberships"))
        )
    by_nik = {p.nik: p for p in candidates if p.nik and p.nik in niks}
    found += [("nik", probe, by_nik[probe.nik]) for probe in people if probe.nik in by_nik]
    if dates:
        same_day = [p for p in candidates if p.birth_date in dates]
        matched_pairs = {(probe.ref, person.pk) for _r, probe, person in found}
        for person in same_day:
            for probe in people:
                if (
                    probe.birth_date == person.birth_date
                    and (probe.ref, person.pk) not in matched_pairs
                    and names_similar(probe.full_name, person.full_name)
                ):
                    found.append(("name_birth", probe, person))
    kk_systems = list(ClientSystem.objects.filter(no_kk=no_kk).only("pk")) if no_kk else []
    if not found and not kk_systems:
        return []

    person_ids = {person.pk for _r, _p, person in found}
    visible = list(
        client_systems_visible_to(user)
        .filter(Q(memberships__person_id__in=person_ids) | Q(pk__in=[cs.pk for cs in kk_systems]))
        .prefetch_related(Prefetch("memberships", queryset=Membership.objects.only("person_id", "client_system_id")))
        .distinct()
    )
    visible_by_person: dict[int, list[ClientSystem]] = defaultdict(list)
    visible_ids: set[int] = set()
    for cs in visible:
        visible_ids.add(cs.pk)
        for membership in cs.memberships.all():
            if membership.person_id in person_ids:
                visible_by_person[membership.person_id].append(cs)

    matches: list[Match] = []
    for reason, probe, person in found:
        systems = visible_by_person.get(person.pk, [])
        matches.append(
            Match(
                reason=reason,
                ref=probe.ref,
                entered_name=probe.full_name,
                person=person if systems else None,
                client_systems=systems,
                # A person may sit in several client systems, only some of them visible.
                hidden=len(systems) < max(person.membership_total, 1),
            )
        )
    if kk_systems:
        kk_ids = {cs.pk for cs in kk_systems}
        shown = [cs for cs in visible if cs.pk in kk_ids]
        matches.append(
            Match(
                reason="no_kk",
                ref=None,
                entered_name=no_kk,
                client_systems=shown,
                hidden=len(shown) < len(kk_systems),
            )
        )
    return matches
