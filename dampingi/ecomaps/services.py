"""Writes of the eco-maps: drawing a new version.

A version is never edited: every drawing is a new version, numbered per case, with the case phase
of the moment, so that the map at intake can be compared with the map at termination.
"""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dampingi.accounts.models import User
from dampingi.audit.services import audit_record, snapshot
from dampingi.cases.models import Case, Stakeholder
from dampingi.cases.permissions import lock_case_for_work
from dampingi.clients.models import ClientSystem, Membership
from dampingi.ecomaps.models import Category, EcoMap, EcoSystem, Flow, Strength
from dampingi.ecomaps.selectors import match_key

MAX_SYSTEMS = 40
NAME_MAX = 150
NOTE_MAX = 300
MAP_NOTE_MAX = 2000

_AUDIT_FIELDS = ["name", "category", "strength", "stressful", "flow", "note", "stakeholder", "person", "order"]


def centre_of(client_system: ClientSystem) -> tuple[str, list[str]]:
    """The centre circle: the client system's name and, unless it is an individual, its members'
    names (for a family, the household), head first."""
    if client_system.kind == ClientSystem.Kind.INDIVIDUAL:
        return client_system.name, []
    members = (
        Membership.objects.filter(client_system=client_system)
        .select_related("person")
        .order_by("-is_head", "id")
        .values_list("person__full_name", flat=True)
    )
    return client_system.name, list(members)


def _check_date(case: Case, drawn_on: datetime.date | None) -> None:
    if drawn_on is None:
        raise ValidationError({"drawn_on": _("Enter the date the eco-map was drawn.")}, code="required")
    if drawn_on > timezone.localdate():
        raise ValidationError({"drawn_on": _("The date cannot be in the future.")}, code="future")
    opened = timezone.localdate(case.opened_at)
    if drawn_on < opened:
        raise ValidationError(
            {"drawn_on": _("The date cannot be before the case was opened (%(date)s).") % {"date": opened}},
            code="before_open",
        )


def _optional_id(value: Any) -> int | None:
    if value in (None, ""):
        return None
    return int(getattr(value, "pk", value))


def _clean_systems(case: Case, systems: Iterable[Mapping[str, Any]]) -> list[EcoSystem]:
    rows: list[EcoSystem] = []
    seen: dict[str, str] = {}
    errors: list[str] = []
    stakeholder_ids: set[int] = set()
    person_ids: set[int] = set()
    for data in systems:
        name = " ".join(str(data.get("name") or "").split())
        if not name:
            errors.append(_("Every system needs a name."))
            continue
        key = match_key(name)
        if key in seen:
            errors.append(_("“%(name)s” appears twice: each system is listed once.") % {"name": name})
            continue
        seen[key] = name
        category, strength = data.get("category"), data.get("strength")
        flow = data.get("flow") or Flow.NONE
        if category not in Category.values or strength not in Strength.values or flow not in Flow.values:
            errors.append(_("Choose the kind, strength and flow of “%(name)s” from the lists.") % {"name": name})
            continue
        note = (data.get("note") or "").strip()
        if len(name) > NAME_MAX or len(note) > NOTE_MAX:
            errors.append(_("The name or note of “%(name)s” is too long.") % {"name": name[:40]})
            continue
        try:
            stakeholder_id = _optional_id(data.get("stakeholder_id", data.get("stakeholder")))
            person_id = _optional_id(data.get("person_id", data.get("person")))
        except (TypeError, ValueError):
            stakeholder_id = person_id = None
        if stakeholder_id is not None and person_id is not None:
            person_id = None  # a system comes from one source; the stakeholder wins
        if stakeholder_id is not None:
            stakeholder_ids.add(stakeholder_id)
        if person_id is not None:
            person_ids.add(person_id)
        rows.append(
            EcoSystem(
                name=name,
                category=category,
                strength=strength,
                stressful=bool(data.get("stressful")),
                flow=flow,
                note=note,
                stakeholder_id=stakeholder_id,
                person_id=person_id,
                order=len(rows) + 1,
            )
        )
    if stakeholder_ids:
        own = set(Stakeholder.objects.filter(case=case, pk__in=stakeholder_ids).values_list("pk", flat=True))
        if own != stakeholder_ids:
            errors.append(_("A system refers to a stakeholder of another case."))
    if person_ids:
        own = set(
            Membership.objects.filter(client_system_id=case.client_system_id, person_id__in=person_ids).values_list(
                "person_id", flat=True
            )
        )
        if own != person_ids:
            errors.append(_("A system refers to a person outside the client system."))
    if not errors and not rows:
        errors.append(_("Add at least one system around the client."))
    if not errors and len(rows) > MAX_SYSTEMS:
        errors.append(_("An eco-map holds at most %(count)s systems.") % {"count": MAX_SYSTEMS})
    if errors:
        raise ValidationError({"systems": errors}, code="invalid")
    return rows


def ecomap_draw(
    *,
    actor: User,
    case: Case,
    drawn_on: datetime.date,
    note: str = "",
    systems: Iterable[Mapping[str, Any]],
) -> EcoMap:
    """Record a new eco-map version of an open case.

    `systems` in drawing order (clockwise from the top), each a mapping with ``name``,
    ``category`` (Category), ``strength`` (Strength), ``stressful`` (bool), ``flow`` (Flow,
    default none), optional ``note`` and the source: ``stakeholder_id`` (a stakeholder of this
    case) or ``person_id`` (a member of the case's client system). Refused with ValidationError:
    closed case ("__all__"), date missing, in the future or before the case opened ("drawn_on"),
    note too long ("note"), no systems, a name twice (ignoring case and spaces), an unknown
    choice, a foreign stakeholder or person ("systems"). PermissionDenied unless `actor` may work
    on the case.
    """
    closed = ValidationError(_("The case is closed: its eco-map can no longer be drawn."), code="closed")
    with transaction.atomic():
        # A closed case is refused as such, even to those who could otherwise not work on it.
        if Case.objects.filter(pk=case.pk, closed_at__isnull=False).exists():
            raise closed
        case = lock_case_for_work(actor, case)
        if not case.is_open:
            raise closed
        _check_date(case, drawn_on)
        note = (note or "").strip()
        if len(note) > MAP_NOTE_MAX:
            raise ValidationError({"note": _("The note is too long.")}, code="too_long")
        rows = _clean_systems(case, systems)
        label, household = centre_of(case.client_system)
        last = EcoMap.objects.filter(case=case).aggregate(n=Max("number"))["n"] or 0
        ecomap = EcoMap.objects.create(
            case=case,
            number=last + 1,
            drawn_on=drawn_on,
            phase=case.phase,
            drawn_by=actor,
            note=note,
            centre=label[:150],
            household=household,
        )
        for row in rows:
            row.ecomap = ecomap
        EcoSystem.objects.bulk_create(rows)
        audit_record(
            actor=actor,
            action="ecomaps.draw",
            target=ecomap,
            case=case,
            after={**snapshot(ecomap), "systems": [snapshot(r, fields=_AUDIT_FIELDS) for r in rows]},
        )
        return ecomap
