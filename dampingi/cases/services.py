"""Writes to cases: opening, phase moves, approvals, closure and reopening.

Every function takes the acting user, runs in one transaction and writes its audit event
in that transaction. Views, commands and the demo generator all call these.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dampingi.accounts.models import User
from dampingi.audit.services import audit_record, snapshot
from dampingi.cases.guards import FORWARD_GUARDS, evaluation_ready
from dampingi.cases.models import Approval, Case, PhaseTransition, Termination
from dampingi.cases.permissions import can_approve_for_case, can_work_on_case, get_case_for_user_or_404
from dampingi.cases.phases import MoveKind, Phase, move_for


class PhaseMoveError(ValidationError):
    """The transition table or a guard refuses the move; the message says why."""


def case_open(
    *,
    actor: User,
    client_system,
    programme,
    presenting_problem: str,
    referral_source: str,
    referral_source_detail: str = "",
    ppks,
    priority: str,
    assigned_worker: User,
    supervisor: User,
    team,
    opened_at=None,
) -> Case:
    now = opened_at or timezone.now()
    case = Case(
        client_system=client_system,
        programme=programme,
        presenting_problem=presenting_problem,
        referral_source=referral_source,
        referral_source_detail=referral_source_detail,
        ppks=ppks,
        priority=priority,
        assigned_worker=assigned_worker,
        supervisor=supervisor,
        team=team,
        phase=Phase.ENGAGEMENT,
        phase_changed_at=now,
        opened_at=now,
        opened_by=actor,
    )
    try:
        with transaction.atomic():
            case.save()
            PhaseTransition.objects.create(
                case=case, from_phase="", to_phase=Phase.ENGAGEMENT, kind=MoveKind.OPEN, actor=actor, at=now
            )
            audit_record(actor=actor, action="case.open", target=case, case=case, after=snapshot(case))
    except IntegrityError as exc:
        raise ValidationError(
            _("This client system already has an open case in this programme."), code="duplicate_open_case"
        ) from exc
    return case


def _record_move(*, actor: User, case: Case, target: Phase, kind: MoveKind, reason: str, now) -> PhaseTransition:
    before = {"phase": case.phase, "closed_at": case.closed_at}
    transition = PhaseTransition.objects.create(
        case=case, from_phase=case.phase, to_phase=target, kind=kind, reason=reason, actor=actor, at=now
    )
    case.phase = target
    case.phase_changed_at = now
    case.version += 1
    case.save(update_fields=["phase", "phase_changed_at", "closed_at", "version"])
    audit_record(
        actor=actor,
        action=f"case.phase.{kind}",
        target=case,
        case=case,
        before=before,
        after={"phase": case.phase, "closed_at": case.closed_at, "reason": reason},
    )
    return transition


def case_change_phase(*, actor: User, case_id: int, target: str, reason: str = "", expected_phase: str | None = None) -> Case:
    """Move an open case along the transition table (forward or back for another cycle).

    Termination has its own service (case_terminate) because it records why the work ended.
    """
    with transaction.atomic():
        case = get_case_for_user_or_404(actor, case_id, for_update=True)
        if not can_work_on_case(actor, case) or not case.is_open:
            raise PermissionDenied
        if expected_phase is not None and case.phase != expected_phase:
            raise PhaseMoveError(
                _("The case has already moved to %(phase)s. Reload the page to see its current state.")
                % {"phase": case.get_phase_display()},
                code="stale",
            )
        move = move_for(case.phase, target)
        if move is None or move.kind in (MoveKind.TERMINATE, MoveKind.REOPEN):
            raise PhaseMoveError(
                _("A case cannot move from %(source)s to %(target)s.")
                % {"source": Phase(case.phase).label, "target": Phase(target).label if target in Phase.values else target},
                code="forbidden_move",
            )
        reason = reason.strip()
        if move.needs_reason and not reason:
            raise PhaseMoveError(_("Say why the case goes back for another cycle."), code="reason_required")
        if move.kind == MoveKind.FORWARD:
            missing = FORWARD_GUARDS[move.source](case)
            if missing:
                raise PhaseMoveError(
                    _("Before the case can leave %(phase)s it needs: %(missing)s.")
                    % {"phase": Phase(case.phase).label, "missing": ", ".join(missing)},
                    code="guard",
                )
        if move.kind == MoveKind.CYCLE and target == Phase.PLANNING:
            from dampingi.plans.services import plan_reopen_for_revision

            plan_reopen_for_revision(actor=actor, case=case)
        _record_move(actor=actor, case=case, target=Phase(target), kind=move.kind, reason=reason, now=timezone.now())
    return case


def case_terminate(
    *, actor: User, case_id: int, reason: str, summary: str, followup_date=None, expected_phase: str | None = None
) -> Termination:
    """End the work: record why, move to Termination, and ask the supervisor to approve closure.

    From Termination itself (after a closure was returned) it updates the record and asks again.
    """
    with transaction.atomic():
        case = get_case_for_user_or_404(actor, case_id, for_update=True)
        if not can_work_on_case(actor, case) or not case.is_open:
            raise PermissionDenied
        if expected_phase is not None and case.phase != expected_phase:
            raise PhaseMoveError(
                _("The case has already moved to %(phase)s. Reload the page to see its current state.")
                % {"phase": case.get_phase_display()},
                code="stale",
            )
        if reason == Termination.Reason.GOALS_ACHIEVED:
            missing = evaluation_ready(case) if case.phase == Phase.EVALUATION else []
            if case.phase not in (Phase.EVALUATION, Phase.TERMINATION):
                missing = [_("an evaluation: goals can only be achieved after the Evaluation phase")]
            if missing:
                raise PhaseMoveError(
                    _("Before closing with goals achieved the case needs: %(missing)s.") % {"missing": ", ".join(missing)},
                    code="guard",
                )
        now = timezone.now()
        termination = Termination.objects.create(
            case=case, reason=reason, summary=summary, followup_date=followup_date, recorded_by=actor, recorded_at=now
        )
        audit_record(actor=actor, action="termination.create", target=termination, case=case, after=snapshot(termination))
        if case.phase != Phase.TERMINATION:
            move = move_for(case.phase, Phase.TERMINATION)
            if move is None:  # pragma: no cover - the table allows termination from every open phase
                raise PhaseMoveError(_("This case cannot be terminated now."), code="forbidden_move")
            _record_move(
                actor=actor,
                case=case,
                target=Phase.TERMINATION,
                kind=MoveKind.TERMINATE,
                reason=str(Termination.Reason(reason).label),
                now=now,
            )
        approval_request(actor=actor, case=case, kind=Approval.Kind.CLOSURE)
    return termination


def approval_request(*, actor: User, case: Case, kind: str) -> Approval:
    """Ask the supervisor to decide; at most one pending request of a kind per case."""
    existing = Approval.objects.filter(case=case, kind=kind, status=Approval.Status.PENDING).first()
    if existing is not None:
        return existing
    approval = Approval.objects.create(case=case, kind=kind, requested_by=actor, requested_at=timezone.now())
    audit_record(actor=actor, action=f"approval.{kind}.request", target=approval, case=case, after=snapshot(approval))
    return approval


def approval_decide(*, actor: User, approval_id: int, approve: bool, comment: str = "") -> Approval:
    """The supervisor approves, or returns with comments, a plan or a closure."""
    with transaction.atomic():
        approval = Approval.objects.select_for_update().get(pk=approval_id)
        case = get_case_for_user_or_404(actor, approval.case_id, for_update=True)
        if not can_approve_for_case(actor, case):
            raise PermissionDenied
        if approval.status != Approval.Status.PENDING:
            raise ValidationError(_("This request has already been decided."), code="already_decided")
        comment = comment.strip()
        if not approve and not comment:
            raise ValidationError({"comment": _("Write what needs to be revised.")}, code="comment_required")
        before = snapshot(approval)
        now = timezone.now()
        approval.status = Approval.Status.APPROVED if approve else Approval.Status.RETURNED
        approval.decided_by = actor
        approval.decided_at = now
        approval.comment = comment
        approval.save(update_fields=["status", "decided_by", "decided_at", "comment"])
        audit_record(
            actor=actor, action=f"approval.{approval.kind}.{approval.status}", target=approval, case=case,
            before=before, after=snapshot(approval),
        )
        if approval.kind == Approval.Kind.PLAN:
            from dampingi.plans.services import plan_record_decision

            plan_record_decision(actor=actor, case=case, approved=approve, comment=comment)
        elif approve:
            before_case = {"closed_at": None}
            case.closed_at = now
            case.version += 1
            case.save(update_fields=["closed_at", "version"])
            audit_record(actor=actor, action="case.close", target=case, case=case, before=before_case, after={"closed_at": now})
    return approval


def case_reopen(*, actor: User, case_id: int, reason: str) -> Case:
    """Reopen a closed case into Engagement, with a reason. Supervisors only."""
    with transaction.atomic():
        case = get_case_for_user_or_404(actor, case_id, for_update=True)
        if not can_approve_for_case(actor, case):
            raise PermissionDenied
        if case.is_open:
            raise PhaseMoveError(_("Only a closed case can be reopened."), code="not_closed")
        reason = reason.strip()
        if not reason:
            raise PhaseMoveError(_("Say why the case is reopened."), code="reason_required")
        case.closed_at = None
        try:
            with transaction.atomic():
                _record_move(actor=actor, case=case, target=Phase.ENGAGEMENT, kind=MoveKind.REOPEN, reason=reason, now=timezone.now())
        except IntegrityError as exc:
            raise PhaseMoveError(
                _("This client system already has another open case in this programme."), code="duplicate_open_case"
            ) from exc
    return case


def case_record_view(*, actor: User, case: Case) -> None:
    """Every view of a case file is a processing act and is logged (UU PDP)."""
    with transaction.atomic():
        audit_record(actor=actor, action="case.view", target=case, case=case)
