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

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from dampingi.accounts.models import Role, User
from dampingi.cases.models import Case
from dampingi.cases.permissions import cases_visible_to
from dampingi.clients.matching import name_key, names_similar
from dampingi.clients.models import ClientSystem, Membership, Person, PPKSCategory
from dampingi.clients.validators import normalise_id_number
from dampingi.regions.models import Region


def client_systems_visible_to(user: User) -> QuerySet[ClientSystem]:
    qs = ClientSystem.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    created = Q(created_by=user)
    if user.role == Role.ADMINISTRATOR:
        return qs.filter(created)
    if user.role == Role.WORKER and user.team_id:
        created |= Q(created_by__team_id=user.team_id)
    elif user.role == Role.SUPERVISOR:
        created |= Q(created_by__team__supervisor=user)
    through_cases = Q(pk__in=cases_visible_to(user).values("client_system_id"))
    return qs.filter(created | through_cases)


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

    Sixteen digits search the NIK of a member and the family card number exactly;
    anything else is a name, matched spelling-insensitively (name_key) on the client
    system's name and on its members' names. A fixed number of queries for any page.
    """
    qs = client_systems_visible_to(user)
    if kind in ClientSystem.Kind.values:
        qs = qs.filter(kind=kind)
    text = query.strip()
    digits = normalise_id_number(text)
    if digits.isdigit() and len(digits) == 16:
        qs = qs.filter(
            Q(no_kk=digits) | Q(pk__in=Membership.objects.filter(person__nik=digits).values("client_system_id"))
        )
    elif text:
        key = name_key(text)
        if not key:
            return qs.none()
        qs = qs.filter(
            Q(name_key__contains=key)
            | Q(pk__in=Membership.objects.filter(person__name_key__contains=key).values("client_system_id"))
        )
    return (
        qs.select_related("region__parent")
        .annotate(member_count=Count("memberships", distinct=True))
        .prefetch_related(
            Prefetch(
                "ppks",
                # Sensitive categories (minority status, HIV) are never shown in lists.
                queryset=PPKSCategory.objects.filter(sensitive=False).order_by("number"),
                to_attr="listed_ppks",
            )
        )
        .order_by("name", "pk")
    )


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
    number, or a similar name (name_key) with the same date of birth. Four queries."""
    niks = {p.nik for p in people if p.nik}
    dates = {p.birth_date for p in people if p.birth_date}
    found: list[tuple[str, PersonProbe, Person]] = []
    if niks:
        by_nik = {
            p.nik: p
            for p in Person.objects.filter(nik__in=niks)
            .exclude(pk__in=exclude_person_ids)
            .annotate(membership_total=Count("memberships"))
        }
        found += [("nik", probe, by_nik[probe.nik]) for probe in people if probe.nik in by_nik]
    if dates:
        same_day = (
            Person.objects.filter(birth_date__in=dates)
            .exclude(pk__in=exclude_person_ids)
            .annotate(membership_total=Count("memberships"))
        )
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
