"""Writes of the genograms: draw a new version. Versions are never edited: a new drawing is a new
version with the next number, and every earlier one is kept for comparison.
"""

import datetime
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dampingi.accounts.models import User
from dampingi.audit.services import audit_record, snapshot
from dampingi.cases.models import Case
from dampingi.cases.permissions import lock_case_for_work
from dampingi.clients.models import Membership
from dampingi.genograms import rules
from dampingi.genograms.models import (
    ChildKind,
    Gender,
    Genogram,
    GenogramChild,
    GenogramPerson,
    GenogramRelation,
    GenogramUnion,
    UnionKind,
)


def _text(value, limit: int) -> str:
    return (value or "").strip()[:limit] if isinstance(value, str) else ""


def _normalised(people, unions, children, relations):
    people = [
        {
            **p,
            "key": _text(p.get("key"), 8),
            "name": _text(p.get("name"), 150),
            "gender": p.get("gender") or Gender.UNKNOWN,
            "birth_year": p.get("birth_year"),
            "death_year": p.get("death_year"),
            "deceased": bool(p.get("deceased") or p.get("death_year") is not None),
            "is_index": bool(p.get("is_index")),
            "in_household": bool(p.get("in_household")),
            "note": _text(p.get("note"), 300),
        }
        for p in people
    ]
    unions = [
        {
            **u,
            "key": _text(u.get("key"), 8),
            "partner_a": _text(u.get("partner_a"), 8),
            "partner_b": _text(u.get("partner_b"), 8),
            "kind": u.get("kind") or UnionKind.MARRIAGE,
            "since": u.get("since"),
            "until": u.get("until"),
        }
        for u in unions
    ]
    children = [
        {
            **c,
            "union": _text(c.get("union"), 8),
            "child": _text(c.get("child"), 8),
            "kind": c.get("kind") or ChildKind.BIOLOGICAL,
            "twin_group": _text(c.get("twin_group"), 4).upper(),
        }
        for c in children
    ]
    relations = [
        {
            **r,
            "person_a": _text(r.get("person_a"), 8),
            "person_b": _text(r.get("person_b"), 8),
            "kind": r.get("kind") or "",
            "note": _text(r.get("note"), 300),
        }
        for r in relations
    ]
    return people, unions, children, relations


def genogram_draw(
    *,
    actor: User,
    case: Case,
    drawn_on: datetime.date,
    note: str = "",
    people: Sequence[Mapping],
    unions: Sequence[Mapping] = (),
    children: Sequence[Mapping] = (),
    relations: Sequence[Mapping] = (),
) -> Genogram:
    """Save a new version of the case's genogram (rows as `rules` describes them).

    Refusals are a ValidationError keyed by the editor's field names ("people-2-death_year",
    "unions-0-partner_b", "drawn_on", or "people" for the whole list): see `rules.validate`.
    Fewer than three generations is allowed (the page warns). A person's link to the client
    record (`person_id`) is kept only when the person is a member of the case's client system.
    """
    with transaction.atomic():
        case = lock_case_for_work(actor, case)
        if not case.is_open:
            raise ValidationError(_("The case is closed: a new genogram cannot be drawn."), code="closed")
        people, unions, children, relations = _normalised(people, unions, children, relations)
        errors = rules.validate(people, unions, children, relations)
        if drawn_on > timezone.localdate():
            errors["drawn_on"] = [_("The date cannot be in the future.")]
        if errors:
            raise ValidationError(errors, code="invalid")
        members = set(
            Membership.objects.filter(client_system_id=case.client_system_id).values_list("person_id", flat=True)
        )
        last = Genogram.objects.filter(case=case).aggregate(last=Max("number"))["last"] or 0
        genogram = Genogram.objects.create(
            case=case,
            number=last + 1,
            drawn_on=drawn_on,
            phase=case.phase,
            drawn_by=actor,
            note=_text(note, 2000),
        )
        persons = GenogramPerson.objects.bulk_create(
            [
                GenogramPerson(
                    genogram=genogram,
                    key=p["key"],
                    name=p["name"],
                    gender=p["gender"],
                    birth_year=p.get("birth_year"),
                    death_year=p.get("death_year"),
                    deceased=p["deceased"],
                    is_index=p["is_index"],
                    in_household=p["in_household"],
                    person_id=p.get("person_id") if p.get("person_id") in members else None,
                    note=p["note"],
                )
                for p in people
            ]
        )
        by_key = {p.key: p for p in persons}
        union_rows = GenogramUnion.objects.bulk_create(
            [
                GenogramUnion(
                    genogram=genogram,
                    key=u["key"],
                    partner_a=by_key[u["partner_a"]],
                    partner_b=by_key.get(u["partner_b"]) if u["partner_b"] else None,
                    kind=u["kind"],
                    since=u.get("since"),
                    until=u.get("until"),
                )
                for u in unions
            ]
        )
        union_by_key = {u.key: u for u in union_rows}
        GenogramChild.objects.bulk_create(
            [
                GenogramChild(
                    union=union_by_key[c["union"]], child=by_key[c["child"]], kind=c["kind"], twin_group=c["twin_group"]
                )
                for c in children
            ]
        )
        GenogramRelation.objects.bulk_create(
            [
                GenogramRelation(
                    genogram=genogram,
                    person_a=by_key[r["person_a"]],
                    person_b=by_key[r["person_b"]],
                    kind=r["kind"],
                    note=r["note"],
                )
                for r in relations
            ]
        )
        audit_record(
            actor=actor,
            action="genograms.draw",
            target=genogram,
            case=case,
            after={
                **snapshot(genogram),
                "people": [
                    {k: p[k] for k in ("key", "name", "gender", "birth_year", "death_year", "deceased", "is_index")}
                    for p in people
                ],
                "unions": [{k: u.get(k) for k in ("key", "partner_a", "partner_b", "kind")} for u in unions],
                "children": [{k: c[k] for k in ("union", "child", "kind", "twin_group")} for c in children],
                "relations": [{k: r[k] for k in ("person_a", "person_b", "kind")} for r in relations],
            },
        )
        return genogram
