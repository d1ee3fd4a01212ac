"""Writes to client records: registering a client system with its members, corrections.

Every function takes the acting user, runs in one transaction and writes its audit event in
that transaction. Views and the bulk importer call the same functions; they validate again
here (NIK rules, one head of household, ...) because not every caller has a form.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dampingi.accounts.models import User
from dampingi.audit.services import audit_record, snapshot
from dampingi.clients.matching import name_key
from dampingi.clients.models import ClientSystem, Membership, Person, PPKSCategory
from dampingi.clients.permissions import can_edit_clients, can_register_clients
from dampingi.clients.selectors import client_systems_visible_to, people_visible_to
from dampingi.clients.validators import nik_problems, no_kk_problems, normalise_id_number, province_codes
from dampingi.core.concurrency import save_versioned
from dampingi.reports.tally import tally_client_system_moved

Kind = ClientSystem.Kind
Relationship = Membership.Relationship

PERSON_FIELDS = (
    "full_name",
    "nik",
    "sex",
    "birth_date",
    "birth_place",
    "phone",
    "address",
    "region",
    "disability",
    "disability_note",
    "notes",
)

# The relationships a member may have, by kind of client system (the first is the default).
RELATIONSHIPS: dict[str, tuple[str, ...]] = {
    Kind.INDIVIDUAL: (Relationship.SELF,),
    Kind.FAMILY: (
        Relationship.HEAD,
        Relationship.SPOUSE,
        Relationship.CHILD,
        Relationship.STEPCHILD,
        Relationship.ADOPTED_CHILD,
        Relationship.GRANDCHILD,
        Relationship.PARENT,
        Relationship.GRANDPARENT,
        Relationship.SIBLING,
        Relationship.PARENT_IN_LAW,
        Relationship.CHILD_IN_LAW,
        Relationship.OTHER_RELATIVE,
        Relationship.OTHER,
    ),
    Kind.GROUP: (Relationship.MEMBER, Relationship.CONTACT),
    Kind.COMMUNITY: (Relationship.CONTACT, Relationship.MEMBER),
}

# Households are named the way Indonesian offices name them; this is data, not interface text.
FAMILY_NAME_PREFIX = "Keluarga"


def family_default_name(head_name: str) -> str:
    return f"{FAMILY_NAME_PREFIX} {head_name.strip()}"[:150]


def _client_system_snapshot(cs: ClientSystem) -> dict[str, Any]:
    data = snapshot(cs)
    data["ppks"] = sorted(cs.ppks.values_list("pk", flat=True))
    return data


def _clean_person(data: Mapping[str, Any], *, provinces: set[str], ref: str) -> Person:
    """A Person built from `data` and checked (model rules, NIK rules, no future birth)."""
    unknown = set(data) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"unknown person fields: {sorted(unknown)}")
    person = Person()
    for attr, value in data.items():
        setattr(person, attr, value)
    person.nik = normalise_id_number(person.nik) or None
    for attr in ("full_name", "birth_place", "phone", "address", "disability", "disability_note", "notes"):
        setattr(person, attr, (getattr(person, attr) or "").strip())
    errors: list[ValidationError] = []
    try:
        person.full_clean(validate_unique=False)
    except ValidationError as exc:
        errors += [
            ValidationError(_("%(person)s: %(error)s"), params={"person": ref, "error": msg}) for msg in exc.messages
        ]
    if person.birth_date and person.birth_date > timezone.localdate():
        errors.append(ValidationError(_("%(person)s: the date of birth is in the future."), params={"person": ref}))
    if person.nik:
        for problem in nik_problems(person.nik, birth_date=person.birth_date, sex=person.sex, provinces=provinces):
            errors.append(ValidationError(_("%(person)s: %(error)s"), params={"person": ref, "error": problem.message}))
    if errors:
        raise ValidationError(errors)
    return person


def _check_no_kk(no_kk: str, provinces: set[str]) -> str:
    no_kk = normalise_id_number(no_kk)
    if no_kk:
        problems = no_kk_problems(no_kk, provinces=provinces)
        if problems:
            raise ValidationError({"no_kk": [p.as_validation_error() for p in problems]})
    return no_kk


def _members_with_roles(kind: str, members: Sequence[Mapping[str, Any]]) -> list[tuple[dict[str, Any], str, bool]]:
    """Split each member into (person data, relationship, is_head) and apply the kind's rules."""
    allowed = RELATIONSHIPS[kind]
    labels = dict(Relationship.choices)
    result = []
    for member in members:
        data = dict(member)
        relationship = data.pop("relationship", "")
        is_head = bool(data.pop("is_head", False)) or relationship == Relationship.HEAD
        if is_head:
            relationship = Relationship.HEAD
        if not relationship and kind != Kind.FAMILY:
            relationship = allowed[0]
        if not relationship:
            raise ValidationError(
                _("Say how each member is related to the head of household."), code="relationship_missing"
            )
        if relationship not in allowed:
            raise ValidationError(
                _("%(relationship)s is not a possible relationship in a %(kind)s."),
                params={"relationship": labels.get(relationship, relationship), "kind": Kind(kind).label},
                code="relationship",
            )
        result.append((data, relationship, is_head))
    heads = sum(1 for _d, _r, head in result if head)
    if kind == Kind.INDIVIDUAL and len(result) != 1:
        raise ValidationError(_("An individual client is exactly one person."), code="members")
    if kind == Kind.FAMILY and heads != 1:
        raise ValidationError(_("A family has exactly one head of household."), code="head")
    if kind == Kind.GROUP and not result:
        raise ValidationError(_("A group needs at least one member."), code="members")
    return result


def _raise_nik_taken(exc: IntegrityError) -> None:
    raise ValidationError(
        {"nik": ValidationError(_("A person with this NIK is already registered."), code="nik_taken")}
    ) from exc


def client_system_register(
    *,
    actor: User,
    kind: str,
    name: str = "",
    no_kk: str = "",
    address: str = "",
    region=None,
    description: str = "",
    ppks: Iterable[PPKSCategory] = (),
    members: Sequence[Mapping[str, Any]] = (),
) -> ClientSystem:
    """Register a client system and create its members.

    `members`: one mapping a person, with the Person fields (see PERSON_FIELDS) plus
    `relationship` (and optionally `is_head`; a family's head has relationship "head").
    Individuals: exactly one member, relationship "self", and the client system takes the
    person's name, address and region. Families: exactly one head; the name defaults to
    "Keluarga <head's name>"; members without an address get the family's. Groups: a name
    and at least one member. Communities: a name and a region; members are contact persons.
    """
    if not can_register_clients(actor):
        raise PermissionDenied
    if kind not in Kind.values:
        raise ValidationError(_("Choose the kind of client system."), code="kind")
    provinces = province_codes()
    roles = _members_with_roles(kind, members)
    name = (name or "").strip()
    address = (address or "").strip()
    no_kk = _check_no_kk(no_kk, provinces)
    if no_kk and kind != Kind.FAMILY:
        raise ValidationError({"no_kk": _("Only a family has a family card number.")})
    if kind in (Kind.GROUP, Kind.COMMUNITY) and not name:
        raise ValidationError({"name": _("Give the %(kind)s a name.") % {"kind": Kind(kind).label}})
    if kind == Kind.COMMUNITY and region is None:
        raise ValidationError({"region": _("Choose where the community is.")})

    people: list[tuple[Person, str, bool]] = []
    for index, (data, relationship, is_head) in enumerate(roles, start=1):
        if kind == Kind.FAMILY:
            data.setdefault("address", address)
            data["address"] = data["address"] or address
            if data.get("region") is None:
                data["region"] = region
        ref = (data.get("full_name") or "").strip() or _("member %(number)d") % {"number": index}
        people.append((_clean_person(data, provinces=provinces, ref=ref), relationship, is_head))
    niks = [p.nik for p, _r, _h in people if p.nik]
    if len(niks) != len(set(niks)):
        raise ValidationError({"nik": _("Two members have the same NIK.")})
    if niks and Person.objects.filter(nik__in=niks).exists():
        raise ValidationError(
            {"nik": ValidationError(_("A person with this NIK is already registered."), code="nik_taken")}
        )

    if kind == Kind.INDIVIDUAL:
        person = people[0][0]
        name = person.full_name
        address = address or person.address
        region = region or person.region
    elif kind == Kind.FAMILY and not name:
        head = next(p for p, _r, is_head in people if is_head)
        name = family_default_name(head.full_name)

    client_system = ClientSystem(
        kind=kind,
        name=name[:150],
        no_kk=no_kk,
        address=address,
        region=region,
        description=(description or "").strip(),
        created_by=actor,
    )
    client_system.full_clean(exclude=["created_by"])
    ppks = list(ppks)
    try:
        with transaction.atomic():
            client_system.save()
            client_system.ppks.set(ppks)
            memberships = []
            for person, relationship, is_head in people:
                person.save()
                audit_record(actor=actor, action="person.create", target=person, after=snapshot(person))
                memberships.append(
                    Membership.objects.create(
                        client_system=client_system, person=person, relationship=relationship, is_head=is_head
                    )
                )
            after = _client_system_snapshot(client_system)
            after["members"] = [
                {"person": m.person_id, "relationship": m.relationship, "is_head": m.is_head} for m in memberships
            ]
            audit_record(actor=actor, action="client_system.register", target=client_system, after=after)
    except IntegrityError as exc:
        if Person.objects.filter(nik__in=niks).exists():
            _raise_nik_taken(exc)
        raise
    return client_system


# Fields of a client system that can be corrected, by kind (individuals take the person's name).
EDITABLE_FIELDS: dict[str, tuple[str, ...]] = {
    # An individual's name, address and region are its person's (see person_update).
    Kind.INDIVIDUAL: ("description",),
    Kind.FAMILY: ("name", "no_kk", "address", "region", "description"),
    Kind.GROUP: ("name", "address", "region", "description"),
    Kind.COMMUNITY: ("name", "address", "region", "description"),
}


def client_system_update(
    *,
    actor: User,
    client_system: ClientSystem,
    expected_version: int,
    changes: Mapping[str, Any],
    ppks: Iterable[PPKSCategory] | None = None,
) -> ClientSystem:
    """Correct a client system's facts. Raises ConcurrentEditError when someone saved it
    after `expected_version` was read; then nothing is written."""
    if not can_edit_clients(actor):
        raise PermissionDenied
    with transaction.atomic():
        try:
            current = client_systems_visible_to(actor).select_for_update(of=("self",)).get(pk=client_system.pk)
        except ClientSystem.DoesNotExist:
            raise PermissionDenied from None
        allowed = EDITABLE_FIELDS[current.kind]
        unknown = set(changes) - set(allowed)
        if unknown:
            raise ValidationError(
                _("These fields cannot be changed here: %(fields)s."), params={"fields": ", ".join(sorted(unknown))}
            )
        before = _client_system_snapshot(current)
        old_region_id = current.region_id
        for attr, value in changes.items():
            setattr(current, attr, value.strip() if isinstance(value, str) else value)
        if "no_kk" in changes:
            current.no_kk = _check_no_kk(current.no_kk, province_codes())
        if current.kind in (Kind.GROUP, Kind.COMMUNITY) and not current.name:
            raise ValidationError({"name": _("Give the %(kind)s a name.") % {"kind": Kind(current.kind).label}})
        if current.kind == Kind.COMMUNITY and current.region is None:
            raise ValidationError({"region": _("Choose where the community is.")})
        if current.kind == Kind.FAMILY and not current.name:
            head = current.memberships.filter(is_head=True).select_related("person").first()
            current.name = family_default_name(head.person.full_name) if head else FAMILY_NAME_PREFIX
        current.full_clean(exclude=["created_by"])
        current.name_key = name_key(current.name)[:255]
        save_versioned(
            current, expected_version=expected_version, fields=[*changes.keys(), "name", "name_key", "updated_at"]
        )
        if ppks is not None:
            current.ppks.set(list(ppks))
        # Its cases move to the new district's counts on the manager's dashboard (same transaction).
        tally_client_system_moved(
            client_system_id=current.pk, old_region_id=old_region_id, new_region_id=current.region_id
        )
        audit_record(
            actor=actor,
            action="client_system.update",
            target=current,
            before=before,
            after=_client_system_snapshot(current),
        )
    return current


def person_update(*, actor: User, person: Person, expected_version: int, changes: Mapping[str, Any]) -> Person:
    """Correct a person's facts. The name of an individual client system follows its person.
    Raises ConcurrentEditError when someone saved the person after `expected_version`."""
    if not can_edit_clients(actor):
        raise PermissionDenied
    with transaction.atomic():
        try:
            current = people_visible_to(actor).select_for_update(of=("self",)).get(pk=person.pk)
        except Person.DoesNotExist:
            raise PermissionDenied from None
        before = snapshot(current)
        data = {f: getattr(current, f) for f in PERSON_FIELDS}
        data.update(changes)
        checked = _clean_person(data, provinces=province_codes(), ref=current.full_name)
        for attr in changes:
            setattr(current, attr, getattr(checked, attr))
        current.name_key = name_key(current.full_name)[:255]
        try:
            with transaction.atomic():
                save_versioned(
                    current, expected_version=expected_version, fields=[*changes.keys(), "name_key", "updated_at"]
                )
        except IntegrityError as exc:
            _raise_nik_taken(exc)
        audit_record(actor=actor, action="person.update", target=current, before=before, after=snapshot(current))
        _sync_individual_systems(actor=actor, person=current)
    return current


def _sync_individual_systems(*, actor: User, person: Person) -> None:
    """An individual client system carries its person's name, address and region."""
    systems = ClientSystem.objects.select_for_update().filter(
        kind=Kind.INDIVIDUAL, memberships__person=person, memberships__relationship=Relationship.SELF
    )
    wanted = {"name": person.full_name, "address": person.address, "region_id": person.region_id}
    for cs in systems:
        before = {attr: getattr(cs, attr) for attr in wanted}
        if before == wanted:
            continue
        ClientSystem.objects.filter(pk=cs.pk).update(
            **wanted, name_key=person.name_key, version=F("version") + 1, updated_at=timezone.now()
        )
        tally_client_system_moved(
            client_system_id=cs.pk, old_region_id=before["region_id"], new_region_id=person.region_id
        )
        audit_record(
            actor=actor,
            action="client_system.update",
            target=cs,
            before={**before, "version": cs.version},
            after={**wanted, "version": cs.version + 1},
        )


def client_system_record_view(*, actor: User, client_system: ClientSystem) -> None:
    """Every view of a client file is a processing act and is logged (UU PDP)."""
    with transaction.atomic():
        audit_record(actor=actor, action="client.view", target=client_system)
