"""Writes to cases: opening, phase moves, approvals, closure and reopening; and the casework
recorded on a case: contract, consent, stakeholders and activity notes.

Every function takes the acting user, runs in one transaction and writes its audit event
in that transaction. Views, commands and the demo generator all call these.

Whatever changes what a case counts as on the manager's dashboard (its team, phase, open or
closed) also moves its counts in the case tally, in the same transaction (reports.tally).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dampingi.accounts.models import User
from dampingi.audit.services import audit_record, snapshot
from dampingi.cases.guards import FORWARD_GUARDS, evaluation_ready
from dampingi.cases.models import (
    ActivityNote,
    Approval,
    Case,
    Consent,
    Contract,
    PhaseTransition,
    Stakeholder,
    Termination,
    Transfer,
)
from dampingi.cases.permissions import can_approve_for_case, can_work_on_case, get_case_for_user_or_404
from dampingi.cases.phases import MoveKind, Phase, move_for
from dampingi.core.concurrency import ConcurrentEditError, save_versioned
from dampingi.notifications.hooks import notify_approval_decided, notify_approval_requested
from dampingi.reports.tally import counts_of, lock_client_system_for_new_case, tally_case_change


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
    language: str = "id",
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
        language=language,
        team=team,
        phase=Phase.ENGAGEMENT,
        phase_changed_at=now,
        opened_at=now,
        opened_by=actor,
    )
    try:
        with transaction.atomic():
            lock_client_system_for_new_case(client_system.pk)
            case.save()
            PhaseTransition.objects.create(
                case=case, from_phase="", to_phase=Phase.ENGAGEMENT, kind=MoveKind.OPEN, actor=actor, at=now
            )
            tally_case_change(before=None, after=counts_of(case))
            audit_record(actor=actor, action="case.open", target=case, case=case, after=snapshot(case))
    except IntegrityError as exc:
        raise ValidationError(
            _("This client system already has an open case in this programme."), code="duplicate_open_case"
        ) from exc
    return case


def _record_move(*, actor: User, case: Case, target: Phase, kind: MoveKind, reason: str, now) -> PhaseTransition:
    """Move the case, count it in the tally and audit it; reopening also clears closed_at (after
    the "before" of the audit and of the tally are taken)."""
    counted = counts_of(case)
    before = {"phase": case.phase, "closed_at": case.closed_at}
    if kind == MoveKind.REOPEN:
        case.closed_at = None
    transition = PhaseTransition.objects.create(
        case=case, from_phase=case.phase, to_phase=target, kind=kind, reason=reason, actor=actor, at=now
    )
    case.phase = target
    case.phase_changed_at = now
    case.version += 1
    case.save(update_fields=["phase", "phase_changed_at", "closed_at", "version"])
    tally_case_change(before=counted, after=counts_of(case))
    audit_record(
        actor=actor,
        action=f"case.phase.{kind}",
        target=case,
        case=case,
        before=before,
        after={"phase": case.phase, "closed_at": case.closed_at, "reason": reason},
    )
    return transition


def case_change_phase(
    *, actor: User, case_id: int, target: str, reason: str = "", expected_phase: str | None = None
) -> Case:
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
                % {
                    "source": Phase(case.phase).label,
                    "target": Phase(target).label if target in Phase.values else target,
                },
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
        if move.kind == MoveKind.CYCLE:
            # Another cycle revises the plan: it becomes a draft and needs approval again.
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
        if (
            case.phase == Phase.TERMINATION
            and Approval.objects.filter(case=case, kind=Approval.Kind.CLOSURE, status=Approval.Status.PENDING).exists()
        ):
            raise PhaseMoveError(
                _("The closure is already waiting for the supervisor's decision."), code="closure_pending"
            )
        if reason == Termination.Reason.GOALS_ACHIEVED:
            missing = evaluation_ready(case) if case.phase == Phase.EVALUATION else []
            if case.phase not in (Phase.EVALUATION, Phase.TERMINATION):
                missing = [_("an evaluation: goals can only be achieved after the Evaluation phase")]
            if missing:
                raise PhaseMoveError(
                    _("Before closing with goals achieved the case needs: %(missing)s.")
                    % {"missing": ", ".join(missing)},
                    code="guard",
                )
        now = timezone.now()
        termination = Termination.objects.create(
            case=case, reason=reason, summary=summary, followup_date=followup_date, recorded_by=actor, recorded_at=now
        )
        audit_record(
            actor=actor, action="termination.create", target=termination, case=case, after=snapshot(termination)
        )
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
    notify_approval_requested(actor=actor, approval=approval)
    return approval


def approval_decide(*, actor: User, approval_id: int, approve: bool, comment: str = "") -> Approval:
    """The supervisor approves, or returns with comments, a plan, a closure or an assessment (sign-off)."""
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
            actor=actor,
            action=f"approval.{approval.kind}.{approval.status}",
            target=approval,
            case=case,
            before=before,
            after=snapshot(approval),
        )
        notify_approval_decided(actor=actor, approval=approval)
        if approval.kind == Approval.Kind.PLAN:
            from dampingi.plans.services import plan_record_decision

            plan_record_decision(actor=actor, case=case, approved=approve, comment=comment)
        elif approval.kind == Approval.Kind.ASSESSMENT:
            from dampingi.assessments.services import assessment_record_signoff

            assessment_record_signoff(actor=actor, case=case, approved=approve, comment=comment)
        elif approval.kind == Approval.Kind.TRANSFER:
            if approve:
                _transfer_apply(actor=actor, case=case, approval=approval, now=now)
        elif approve:
            before_case = {"closed_at": None}
            counted = counts_of(case)
            case.closed_at = now
            case.version += 1
            case.save(update_fields=["closed_at", "version"])
            tally_case_change(before=counted, after=counts_of(case))
            audit_record(
                actor=actor, action="case.close", target=case, case=case, before=before_case, after={"closed_at": now}
            )
    return approval


def case_transfer_request(*, actor: User, case_id: int, to_worker: User, reason: str) -> Transfer:
    """Ask the supervisor to hand the case to another worker (of a team in the same regency).

    Nothing changes on the case until the supervisor approves (approval_decide → _transfer_apply).
    """
    from dampingi.cases.selectors import transfer_candidates

    reason = reason.strip()
    with transaction.atomic():
        case = get_case_for_user_or_404(actor, case_id, for_update=True)
        if not (case.is_open and can_work_on_case(actor, case)):
            raise PermissionDenied
        errors = {}
        if not reason:
            errors["reason"] = _("Write why the case should go to another social worker.")
        if to_worker.pk == case.assigned_worker_id:
            errors["to_worker"] = _("The case is already assigned to this social worker.")
        elif not transfer_candidates(case).filter(pk=to_worker.pk).exists():
            errors["to_worker"] = _("Choose an active social worker of a team in this regency.")
        if errors:
            raise ValidationError(errors, code="invalid")
        if Approval.objects.filter(case=case, kind=Approval.Kind.TRANSFER, status=Approval.Status.PENDING).exists():
            raise ValidationError(_("A transfer of this case is already waiting for approval."), code="pending")
        to_team = to_worker.team
        transfer = Transfer.objects.create(
            case=case,
            approval=approval_request(actor=actor, case=case, kind=Approval.Kind.TRANSFER),
            from_worker_id=case.assigned_worker_id,
            from_team_id=case.team_id,
            from_supervisor_id=case.supervisor_id,
            to_worker=to_worker,
            to_team=to_team,
            # A team without a supervisor keeps the case's supervisor.
            to_supervisor_id=to_team.supervisor_id or case.supervisor_id,
            reason=reason,
        )
        audit_record(actor=actor, action="case.transfer.request", target=transfer, case=case, after=snapshot(transfer))
    return transfer


def _transfer_apply(*, actor: User, case: Case, approval: Approval, now) -> None:
    """Hand the case over (inside approval_decide's transaction, the case row locked)."""
    transfer = Transfer.objects.select_for_update().get(approval=approval)
    if case.assigned_worker_id != transfer.from_worker_id:
        raise ValidationError(
            _("The case was assigned to someone else meanwhile: ask for a new transfer."), code="stale_transfer"
        )
    fields = ["assigned_worker", "team", "supervisor"]
    before = snapshot(case, fields)
    counted = counts_of(case)
    case.assigned_worker_id = transfer.to_worker_id
    case.team_id = transfer.to_team_id
    case.supervisor_id = transfer.to_supervisor_id
    case.version += 1
    case.save(update_fields=["assigned_worker", "team", "supervisor", "version"])
    tally_case_change(before=counted, after=counts_of(case))
    transfer.applied_at = now
    transfer.save(update_fields=["applied_at"])
    after = snapshot(case, fields)
    audit_record(actor=actor, action="case.transfer", target=case, case=case, before=before, after=after)


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
        try:
            with transaction.atomic():
                _record_move(
                    actor=actor,
                    case=case,
                    target=Phase.ENGAGEMENT,
                    kind=MoveKind.REOPEN,
                    reason=reason,
                    now=timezone.now(),
                )
        except IntegrityError as exc:
            raise PhaseMoveError(
                _("This client system already has another open case in this programme."), code="duplicate_open_case"
            ) from exc
    return case


def case_record_view(*, actor: User, case: Case) -> None:
    """Every view of a case file is a processing act and is logged (UU PDP)."""
    with transaction.atomic():
        audit_record(actor=actor, action="case.view", target=case, case=case)


# --- Casework on an open case: contract, consent, stakeholders, activity notes ---------------------


def _case_for_work(actor: User, case_id: int) -> Case:
    """The case, locked, if `actor` may record casework on it; 404 if they may not see it."""
    case = get_case_for_user_or_404(actor, case_id, for_update=True)
    if not can_work_on_case(actor, case) or not case.is_open:
        raise PermissionDenied
    return case


def _not_in_future(day, field: str, errors: dict, message: str) -> None:
    if day is not None and day > timezone.localdate():
        errors[field] = message


CONTRACT_FIELDS = [
    "focus",
    "client_goals",
    "worker_duties",
    "client_duties",
    "meeting_schedule",
    "start_date",
    "end_date",
    "signed_on",
]


def _contract_validate(*, start_date, end_date, signed_on) -> None:
    errors: dict = {}
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = _("The end date cannot be before the start date.")
    _not_in_future(signed_on, "signed_on", errors, _("The signing date cannot be in the future."))
    if errors:
        raise ValidationError(errors)


def contract_create(
    *,
    actor: User,
    case_id: int,
    focus: str,
    client_goals: str,
    worker_duties: str,
    client_duties: str,
    meeting_schedule: str,
    start_date,
    end_date,
    signed_on=None,
) -> Contract:
    """Record the service agreement of a case (one per case; later changes use contract_update)."""
    _contract_validate(start_date=start_date, end_date=end_date, signed_on=signed_on)
    with transaction.atomic():
        case = _case_for_work(actor, case_id)
        if Contract.objects.filter(case=case).exists():
            # Someone recorded the contract while this user was typing theirs.
            raise ConcurrentEditError
        contract = Contract.objects.create(
            case=case,
            focus=focus,
            client_goals=client_goals,
            worker_duties=worker_duties,
            client_duties=client_duties,
            meeting_schedule=meeting_schedule,
            start_date=start_date,
            end_date=end_date,
            signed_on=signed_on,
        )
        audit_record(actor=actor, action="contract.create", target=contract, case=case, after=snapshot(contract))
    return contract


def contract_update(
    *,
    actor: User,
    case_id: int,
    expected_version: int,
    focus: str,
    client_goals: str,
    worker_duties: str,
    client_duties: str,
    meeting_schedule: str,
    start_date,
    end_date,
    signed_on=None,
) -> Contract:
    """Change the contract; refused with ConcurrentEditError if someone saved it since it was opened."""
    _contract_validate(start_date=start_date, end_date=end_date, signed_on=signed_on)
    with transaction.atomic():
        case = _case_for_work(actor, case_id)
        contract = Contract.objects.get(case=case)
        before = snapshot(contract)
        contract.focus = focus
        contract.client_goals = client_goals
        contract.worker_duties = worker_duties
        contract.client_duties = client_duties
        contract.meeting_schedule = meeting_schedule
        contract.start_date = start_date
        contract.end_date = end_date
        contract.signed_on = signed_on
        save_versioned(contract, expected_version=expected_version, fields=[*CONTRACT_FIELDS, "updated_at"])
        contract.refresh_from_db()
        audit_record(
            actor=actor, action="contract.update", target=contract, case=case, before=before, after=snapshot(contract)
        )
    return contract


def _consent_validate(
    *,
    case: Case,
    given_by: str,
    method: str,
    witness_name: str,
    given_on,
    covers_processing: bool,
    covers_sharing: bool,
) -> None:
    from dampingi.cases.selectors import client_person
    from dampingi.clients.models import ClientSystem

    errors: dict = {}
    _not_in_future(given_on, "given_on", errors, _("The date of consent cannot be in the future."))
    if method == Consent.Method.VERBAL_WITNESS and not witness_name.strip():
        errors["witness_name"] = _("Verbal consent needs the name of the witness.")
    if not covers_processing and not covers_sharing:
        errors["covers_processing"] = _("Say what the consent covers: processing, sharing or both.")
    if given_by == Consent.GivenBy.CLIENT and given_on and case.client_system.kind == ClientSystem.Kind.INDIVIDUAL:
        person = client_person(case.client_system)
        age = person.age_on(given_on) if person is not None else None
        if age is not None and age < 18:
            errors["given_by"] = _(
                "The client was %(age)s years old on this date: a child's consent is given by a parent or guardian."
            ) % {"age": age}
    if errors:
        raise ValidationError(errors)


def consent_record(
    *,
    actor: User,
    case_id: int,
    given_by: str,
    giver_name: str,
    method: str,
    given_on,
    witness_name: str = "",
    covers_processing: bool = True,
    covers_sharing: bool = False,
    scope_note: str = "",
) -> Consent:
    """Record consent to processing (and sharing) of personal data with its proof (UU PDP)."""
    with transaction.atomic():
        case = _case_for_work(actor, case_id)
        _consent_validate(
            case=case,
            given_by=given_by,
            method=method,
            witness_name=witness_name,
            given_on=given_on,
            covers_processing=covers_processing,
            covers_sharing=covers_sharing,
        )
        consent = Consent.objects.create(
            case=case,
            given_by=given_by,
            giver_name=giver_name,
            method=method,
            witness_name=witness_name.strip(),
            given_on=given_on,
            covers_processing=covers_processing,
            covers_sharing=covers_sharing,
            scope_note=scope_note,
            recorded_by=actor,
        )
        audit_record(actor=actor, action="consent.create", target=consent, case=case, after=snapshot(consent))
    return consent


def consent_withdraw(*, actor: User, case_id: int, consent_id: int, withdrawn_on) -> Consent:
    """The client (or parent, guardian) withdraws a consent from a date on."""
    with transaction.atomic():
        case = _case_for_work(actor, case_id)
        consent = Consent.objects.select_for_update().get(pk=consent_id, case=case)
        if consent.withdrawn_on is not None:
            raise ValidationError(
                _("This consent was already withdrawn on %(date)s.") % {"date": consent.withdrawn_on.isoformat()},
                code="already_withdrawn",
            )
        errors: dict = {}
        _not_in_future(withdrawn_on, "withdrawn_on", errors, _("The date of withdrawal cannot be in the future."))
        if withdrawn_on < consent.given_on:
            errors["withdrawn_on"] = _("Consent cannot be withdrawn before it was given.")
        if errors:
            raise ValidationError(errors)
        before = snapshot(consent)
        consent.withdrawn_on = withdrawn_on
        consent.save(update_fields=["withdrawn_on"])
        audit_record(
            actor=actor, action="consent.withdraw", target=consent, case=case, before=before, after=snapshot(consent)
        )
    return consent


STAKEHOLDER_FIELDS = ["kind", "name", "organisation", "role", "phone", "email", "notes"]


def stakeholder_add(
    *,
    actor: User,
    case_id: int,
    kind: str,
    name: str,
    role: str,
    organisation: str = "",
    phone: str = "",
    email: str = "",
    notes: str = "",
) -> Stakeholder:
    with transaction.atomic():
        case = _case_for_work(actor, case_id)
        stakeholder = Stakeholder.objects.create(
            case=case,
            kind=kind,
            name=name,
            role=role,
            organisation=organisation,
            phone=phone,
            email=email,
            notes=notes,
        )
        audit_record(
            actor=actor, action="stakeholder.create", target=stakeholder, case=case, after=snapshot(stakeholder)
        )
    return stakeholder


def stakeholder_update(
    *,
    actor: User,
    case_id: int,
    stakeholder_id: int,
    expected_version: int,
    kind: str,
    name: str,
    role: str,
    organisation: str = "",
    phone: str = "",
    email: str = "",
    notes: str = "",
) -> Stakeholder:
    with transaction.atomic():
        case = _case_for_work(actor, case_id)
        stakeholder = Stakeholder.objects.get(pk=stakeholder_id, case=case)
        before = snapshot(stakeholder)
        values = {
            "kind": kind,
            "name": name,
            "role": role,
            "organisation": organisation,
            "phone": phone,
            "email": email,
            "notes": notes,
        }
        for key, value in values.items():
            setattr(stakeholder, key, value)
        save_versioned(stakeholder, expected_version=expected_version, fields=STAKEHOLDER_FIELDS)
        audit_record(
            actor=actor,
            action="stakeholder.update",
            target=stakeholder,
            case=case,
            before=before,
            after=snapshot(stakeholder),
        )
    return stakeholder


def stakeholder_remove(*, actor: User, case_id: int, stakeholder_id: int, expected_version: int | None = None) -> None:
    """Remove a stakeholder from the case; plan tasks assigned to them keep their text, without the link."""
    with transaction.atomic():
        case = _case_for_work(actor, case_id)
        stakeholder = Stakeholder.objects.get(pk=stakeholder_id, case=case)
        if expected_version is not None and stakeholder.version != expected_version:
            raise ConcurrentEditError
        before = snapshot(stakeholder)
        audit_record(actor=actor, action="stakeholder.delete", target=stakeholder, case=case, before=before)
        stakeholder.delete()


NOTE_MAX_MINUTES = 24 * 60


def _note_validate(*, case: Case, occurred_on, duration_minutes, task) -> None:
    from dampingi.plans.models import Task

    errors: dict = {}
    _not_in_future(occurred_on, "occurred_on", errors, _("The date of the activity cannot be in the future."))
    if duration_minutes is not None and not 1 <= duration_minutes <= NOTE_MAX_MINUTES:
        errors["duration_minutes"] = _("The duration must be between 1 and %(max)s minutes.") % {
            "max": NOTE_MAX_MINUTES
        }
    if task is not None and not Task.objects.filter(pk=task.pk, plan__case=case).exists():
        errors["task"] = _("Choose a task of this case's plan.")
    if errors:
        raise ValidationError(errors)


def activity_note_add(
    *,
    actor: User,
    case_id: int,
    kind: str,
    occurred_on,
    narrative: str,
    duration_minutes: int | None = None,
    participants: str = "",
    task=None,
) -> ActivityNote:
    """Record work with the client system. The note belongs to the phase the case is in now."""
    with transaction.atomic():
        case = _case_for_work(actor, case_id)
        _note_validate(case=case, occurred_on=occurred_on, duration_minutes=duration_minutes, task=task)
        note = ActivityNote.objects.create(
            case=case,
            kind=kind,
            phase=case.phase,
            occurred_on=occurred_on,
            duration_minutes=duration_minutes,
            participants=participants,
            narrative=narrative,
            task=task,
            author=actor,
        )
        audit_record(actor=actor, action="activity_note.create", target=note, case=case, after=snapshot(note))
    return note


def can_edit_note(user: User, note: ActivityNote, case: Case) -> bool:
    """The author corrects their own note; the supervisor may correct any note of the case."""
    return can_work_on_case(user, case) and (note.author_id == user.pk or can_approve_for_case(user, case))


def activity_note_update(
    *,
    actor: User,
    case_id: int,
    note_id: int,
    expected_version: int,
    kind: str,
    occurred_on,
    narrative: str,
    duration_minutes: int | None = None,
    participants: str = "",
    task=None,
) -> ActivityNote:
    with transaction.atomic():
        case = _case_for_work(actor, case_id)
        note = ActivityNote.objects.get(pk=note_id, case=case)
        if not can_edit_note(actor, note, case):
            raise PermissionDenied
        _note_validate(case=case, occurred_on=occurred_on, duration_minutes=duration_minutes, task=task)
        before = snapshot(note)
        note.kind = kind
        note.occurred_on = occurred_on
        note.duration_minutes = duration_minutes
        note.participants = participants
        note.narrative = narrative
        note.task = task
        save_versioned(
            note,
            expected_version=expected_version,
            fields=["kind", "occurred_on", "duration_minutes", "participants", "narrative", "task"],
        )
        audit_record(
            actor=actor, action="activity_note.update", target=note, case=case, before=before, after=snapshot(note)
        )
    return note
