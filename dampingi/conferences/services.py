"""Writes of case conferences: one service records the meeting and turns its action items into
tasks of the plan, in one transaction with its audit event."""

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dampingi.accounts.models import User
from dampingi.audit.services import audit_record, snapshot
from dampingi.cases.models import Case, Stakeholder
from dampingi.cases.permissions import lock_case_for_work
from dampingi.conferences.models import ActionItem, Conference
from dampingi.plans.services import task_add_from_conference


class ActionItemError(ValidationError):
    """An action item was refused; `index` is its position in the list given to conference_record."""

    def __init__(self, index: int, error: ValidationError):
        super().__init__(error.error_dict if hasattr(error, "error_dict") else error.error_list)
        self.index = index


def _check(case: Case, *, held_on: datetime.date, participants, other_participants: str, actions) -> None:
    errors: dict[str, str] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = _("The date cannot be in the future.")
    elif held_on < timezone.localdate(case.opened_at):
        errors["held_on"] = _("The date cannot be before the case was opened (%(date)s).") % {
            "date": timezone.localdate(case.opened_at).isoformat()
        }
    if any(p.case_id != case.pk for p in participants):
        errors["participants"] = _("Choose stakeholders of this case.")
    elif not participants and not other_participants.strip():
        errors["participants"] = _("Say who took part: stakeholders of the case or other participants.")
    if errors:
        raise ValidationError(errors, code="invalid")
    for index, action in enumerate(actions):
        if action["due_date"] < held_on:
            error = ValidationError({"due_date": _("An action cannot be due before the conference.")})
            raise ActionItemError(index, error)


def conference_record(
    *,
    actor: User,
    case: Case,
    held_on: datetime.date,
    agenda: str,
    decisions: str,
    participants: Iterable[Stakeholder] = (),
    other_participants: str = "",
    place: str = "",
    actions: Iterable[Mapping] = (),
) -> Conference:
    """Record a case conference. Each action ({description, goal_id, responsible, due_date,
    stakeholder}) becomes a task of the case's plan, linked to the conference."""
    participants, actions = list(participants), list(actions)
    with transaction.atomic():
        case = lock_case_for_work(actor, case)
        if not case.is_open:
            raise ValidationError(_("The case is closed."), code="closed")
        _check(case, held_on=held_on, participants=participants, other_participants=other_participants, actions=actions)
        conference = Conference.objects.create(
            case=case,
            held_on=held_on,
            place=place.strip(),
            other_participants=other_participants.strip(),
            agenda=agenda.strip(),
            decisions=decisions.strip(),
            phase=case.phase,
            recorded_by=actor,
        )
        conference.participants.set(participants)
        tasks = []
        for index, action in enumerate(actions):
            try:
                task = task_add_from_conference(actor=actor, case=case, **action)
            except ValidationError as exc:
                raise ActionItemError(index, exc) from exc
            ActionItem.objects.create(conference=conference, task=task)
            tasks.append(task.pk)
        after = {**snapshot(conference), "participants": [p.pk for p in participants], "tasks": tasks}
        audit_record(actor=actor, action="conference.record", target=conference, case=case, after=after)
    return conference
