"""The life of a referral: one enum of statuses (FHIR R4 Task) and one table of the moves.

Everything that changes a referral's status asks this module; nothing else decides what is
allowed or who may do it. The referring side (the workers and supervisor who may work on the
case) sends, cancels and marks a referral entered in error; the receiving side (the staff of
the partner organisation the referral was sent to) answers and reports the outcome.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    REQUESTED = "requested", _("sent, waiting for an answer")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")
    CANCELLED = "cancelled", _("cancelled")
    IN_PROGRESS = "in-progress", _("in progress")
    ON_HOLD = "on-hold", _("on hold")
    COMPLETED = "completed", _("completed")
    FAILED = "failed", _("failed")
    ENTERED_IN_ERROR = "entered-in-error", _("entered in error")


class Side(models.TextChoices):
    REFERRING = "referring", _("referring social worker")
    RECEIVING = "receiving", _("receiving organisation")


class Verb(models.TextChoices):
    SEND = "send", _("Send")
    CANCEL = "cancel", _("Cancel the referral")
    ACCEPT = "accept", _("Accept")
    REJECT = "reject", _("Reject")
    START = "start", _("Start the service")
    HOLD = "hold", _("Put on hold")
    RESUME = "resume", _("Resume")
    COMPLETE = "complete", _("Complete")
    FAIL = "fail", _("Record as failed")
    ERROR = "error", _("Mark as entered in error")


# A referral in one of these has ended: no move leaves it except the correction entered-in-error.
TERMINAL = (Status.REJECTED, Status.CANCELLED, Status.COMPLETED, Status.FAILED, Status.ENTERED_IN_ERROR)
# The receiving side has answered once the referral has left REQUESTED for one of these.
ANSWERS = (Status.ACCEPTED, Status.REJECTED)
# Statuses the partner organisation sees: everything once the referral was sent.
SENT = tuple(s for s in Status if s != Status.DRAFT)
# Open loops: the referral was sent and no outcome is recorded yet.
OPEN_LOOP = (Status.REQUESTED, Status.ACCEPTED, Status.IN_PROGRESS, Status.ON_HOLD)


@dataclass(frozen=True)
class Move:
    source: Status
    target: Status
    side: Side
    verb: Verb
    needs_reason: bool = False
    needs_outcome: bool = False


def _build_table() -> dict[tuple[Status, Status], Move]:
    S, R, V = Status, Side.REFERRING, Verb
    moves = [
        Move(S.DRAFT, S.REQUESTED, R, V.SEND),
        Move(S.DRAFT, S.CANCELLED, R, V.CANCEL),
        Move(S.REQUESTED, S.ACCEPTED, Side.RECEIVING, V.ACCEPT),
        Move(S.REQUESTED, S.REJECTED, Side.RECEIVING, V.REJECT, needs_reason=True),
        Move(S.REQUESTED, S.CANCELLED, R, V.CANCEL, needs_reason=True),
        Move(S.ACCEPTED, S.IN_PROGRESS, Side.RECEIVING, V.START),
        Move(S.ACCEPTED, S.ON_HOLD, Side.RECEIVING, V.HOLD),
        Move(S.IN_PROGRESS, S.ON_HOLD, Side.RECEIVING, V.HOLD),
        Move(S.ON_HOLD, S.IN_PROGRESS, Side.RECEIVING, V.RESUME),
    ]
    for source in (S.ACCEPTED, S.IN_PROGRESS, S.ON_HOLD):
        moves += [
            Move(source, S.COMPLETED, Side.RECEIVING, V.COMPLETE, needs_outcome=True),
            Move(source, S.FAILED, Side.RECEIVING, V.FAIL, needs_outcome=True),
            Move(source, S.CANCELLED, R, V.CANCEL, needs_reason=True),
        ]
    # Any status may be corrected to entered-in-error, by the referring side, with a reason.
    for source in Status:
        if source != S.ENTERED_IN_ERROR:
            moves.append(Move(source, S.ENTERED_IN_ERROR, R, V.ERROR, needs_reason=True))
    return {(m.source, m.target): m for m in moves}


TRANSITIONS: dict[tuple[Status, Status], Move] = _build_table()


def move_for(source: str, target: str) -> Move | None:
    """The allowed move from one status to another, or None if the table forbids it."""
    try:
        return TRANSITIONS.get((Status(source), Status(target)))
    except ValueError:
        return None


def moves_from(source: str, side: str | None = None) -> list[Move]:
    """The moves out of `source`, in table order, optionally only those of one side."""
    return [m for (s, _t), m in TRANSITIONS.items() if s == source and (side is None or m.side == side)]


def status_label(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value
