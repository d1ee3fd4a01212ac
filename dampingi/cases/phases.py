"""The helping process: one enum of phases and one table of the moves between them.

Everything that moves a case asks this module; nothing else decides what is allowed.
Guards (contract signed, assessment complete, ...) live in dampingi.cases.guards.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    ENGAGEMENT = "engagement", _("Engagement")
    ASSESSMENT = "assessment", _("Assessment")
    PLANNING = "planning", _("Planning")
    INTERVENTION = "intervention", _("Intervention")
    EVALUATION = "evaluation", _("Evaluation")
    TERMINATION = "termination", _("Termination")


# The names of the same stages in the social rehabilitation regulation (PP 39/2012).
PP39_NAMES = {
    Phase.ENGAGEMENT: _("initial approach"),
    Phase.ASSESSMENT: _("disclosure and understanding of the problem"),
    Phase.PLANNING: _("problem-solving plan"),
    Phase.INTERVENTION: _("problem solving"),
    Phase.EVALUATION: _("resocialisation and evaluation"),
    Phase.TERMINATION: _("termination and follow-up"),
}

ORDER = list(Phase)


class MoveKind(models.TextChoices):
    OPEN = "open", _("case opened")
    FORWARD = "forward", _("next phase")
    CYCLE = "cycle", _("another cycle")
    TERMINATE = "terminate", _("termination")
    REOPEN = "reopen", _("reopened")


@dataclass(frozen=True)
class Move:
    source: Phase
    target: Phase
    kind: MoveKind
    needs_reason: bool


def _build_table() -> dict[tuple[Phase, Phase], Move]:
    table: dict[tuple[Phase, Phase], Move] = {}
    for here, nxt in zip(ORDER, ORDER[1:], strict=False):
        # Evaluation -> Termination is the ordinary end, recorded with a termination reason.
        kind = MoveKind.TERMINATE if nxt == Phase.TERMINATION else MoveKind.FORWARD
        table[(here, nxt)] = Move(here, nxt, kind, needs_reason=kind == MoveKind.TERMINATE)
    for back in (Phase.ASSESSMENT, Phase.PLANNING):
        table[(Phase.EVALUATION, back)] = Move(Phase.EVALUATION, back, MoveKind.CYCLE, needs_reason=True)
    for here in ORDER[:-1]:
        table.setdefault((here, Phase.TERMINATION), Move(here, Phase.TERMINATION, MoveKind.TERMINATE, True))
    # A closed case is reopened into Engagement: the contract is reviewed with the client.
    table[(Phase.TERMINATION, Phase.ENGAGEMENT)] = Move(Phase.TERMINATION, Phase.ENGAGEMENT, MoveKind.REOPEN, True)
    return table


TRANSITIONS: dict[tuple[Phase, Phase], Move] = _build_table()


def move_for(source: str, target: str) -> Move | None:
    """The allowed move from one phase to another, or None if the table forbids it."""
    try:
        return TRANSITIONS.get((Phase(source), Phase(target)))
    except ValueError:
        return None


def moves_from(source: str) -> list[Move]:
    return [m for (s, _t), m in TRANSITIONS.items() if s == source]


def next_phase(source: str) -> Phase | None:
    idx = ORDER.index(Phase(source))
    return ORDER[idx + 1] if idx + 1 < len(ORDER) else None
