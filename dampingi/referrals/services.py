"""Writes of referrals: create a draft, change a draft, and move a referral along its status table.

Every function takes the acting user, runs in one transaction, locks what it changes and writes
its audit event (and the referral's own history row) in that transaction. Sending is the move
draft → requested, checked for consent, the service's status and capacity, and the answer date.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dampingi.accounts.models import User
from dampingi.audit.services import audit_record, snapshot
from dampingi.cases.models import Case, Consent
from dampingi.cases.permissions import lock_case_for_work
from dampingi.core.concurrency import ConcurrentEditError, save_versioned
from dampingi.referrals import sharing
from dampingi.referrals.models import PartnerStaff, Referral, ReferralEvent
from dampingi.referrals.selectors import get_referral_for_user_or_404, side_of
from dampingi.referrals.states import ANSWERS, TERMINAL, Move, Side, Status, Verb, move_for, status_label


class ReferralMoveError(ValidationError):
    """The status table, a requirement or a stale page refuses the move; the message says why."""


# --- Validation shared by create, update and send -------------------------------------------------


def _service_errors(service) -> dict:
    from dampingi.directory.models import Service

    if service.status == Service.Status.ACTIVE:
        return {}
    return {
        "service": _("%(service)s is %(status)s: choose another service.")
        % {"service": service.name, "status": service.get_status_display()}
    }


def _capacity_errors(service, *, confirm_waitlist: bool) -> dict:
    from dampingi.directory.models import Service

    if service.capacity == Service.Capacity.NO_CAPACITY:
        return {"service": _("%(service)s has no capacity now: choose another service.") % {"service": service.name}}
    if service.capacity == Service.Capacity.WAITLIST and not confirm_waitlist:
        return {
            "confirm_waitlist": _(
                "%(service)s has a waiting list: confirm that the client will be put on the waiting list."
            )
            % {"service": service.name}
        }
    return {}


def _draft_errors(
    *,
    case: Case,
    reason: str,
    urgency: str,
    answer_by,
    shared_sections,
    notes_for_service: str,
    consent_id,
    consent_given_by: str,
    consent_giver_name: str,
    consent_method: str,
    consent_given_on,
    override_reason: str,
    today: datetime.date,
) -> dict:
    errors: dict[str, Any] = {}
    if not reason.strip():
        errors["reason"] = _("Say why the client is referred to this service.")
    if urgency not in Referral.Urgency.values:
        errors["urgency"] = _("Choose the urgency.")
    if answer_by is None:
        errors["answer_by"] = _("Give the date by which the service should answer.")
    elif answer_by <= today:
        errors["answer_by"] = _("The answer-by date must be after today.")
    bad = sharing.unknown(shared_sections)
    if bad:
        errors["shared_sections"] = _("Unknown section: %(sections)s.") % {"sections": ", ".join(bad)}
    if notes_for_service.strip() and sharing.Section.NOTES not in (shared_sections or ()):
        errors["notes_for_service"] = _(
            "These notes are shared only if you tick “Notes for the service”: tick it or clear the notes."
        )
    specific = [consent_given_by, consent_giver_name.strip(), consent_method, consent_given_on]
    bases = [consent_id is not None, any(specific), bool(override_reason.strip())]
    if sum(bases) > 1:
        errors["consent_basis"] = _(
            "Choose one basis for sharing: a consent of the case, a consent for this referral, or an override."
        )
    if consent_id is not None and not Consent.objects.filter(pk=consent_id, case=case).exists():
        errors["consent"] = _("Choose a consent of this case.")
    if any(specific):
        if not all(specific):
            errors["consent_giver_name"] = _(
                "A consent for this referral needs who gave it, their name, how and the date."
            )
        elif consent_given_on > today:
            errors["consent_given_on"] = _("The date of consent cannot be in the future.")
    return errors


def _consent_basis_errors(referral: Referral, today: datetime.date) -> dict:
    """Refusals of the consent basis at sending time (a consent may have been withdrawn since the draft)."""
    if referral.consent_id is not None:
        consent = Consent.objects.filter(pk=referral.consent_id, case_id=referral.case_id).first()
        if consent is None or not consent.covers_sharing:
            return {"consent": _("This consent does not cover sharing with the services the client is referred to.")}
        if consent.withdrawn_on is not None and consent.withdrawn_on <= today:
            return {
                "consent": _("This consent was withdrawn on %(date)s: it no longer allows sharing.")
                % {"date": consent.withdrawn_on.isoformat()}
            }
        return {}
    if referral.has_referral_consent or referral.consent_override_reason.strip():
        return {}
    return {
        "consent_basis": _(
            "The client has not consented to sharing their data with this service: choose a consent of the case "
            "that covers sharing, record the consent given for this referral, or give the reason to share without it."
        )
    }


def _raise(errors: dict, code: str = "invalid") -> None:
    if errors:
        raise ValidationError({k: ValidationError(v, code=code) for k, v in errors.items()})


# --- Create and change a draft --------------------------------------------------------------------

DRAFT_FIELDS = [
    "service",
    "organization",
    "reason",
    "urgency",
    "answer_by",
    "shared_sections",
    "notes_for_service",
    "consent",
    "consent_given_by",
    "consent_giver_name",
    "consent_method",
    "consent_given_on",
    "consent_override_reason",
]


def _assign(
    referral: Referral,
    *,
    service,
    reason,
    urgency,
    answer_by,
    shared_sections,
    notes_for_service,
    consent_id,
    consent_given_by,
    consent_giver_name,
    consent_method,
    consent_given_on,
    override_reason,
) -> None:
    referral.service = service
    referral.organization_id = service.organization_id
    referral.reason = reason.strip()
    referral.urgency = urgency
    referral.answer_by = answer_by
    referral.shared_sections = sharing.normalise(shared_sections)
    referral.notes_for_service = notes_for_service.strip()
    referral.consent_id = consent_id
    referral.consent_given_by = consent_given_by
    referral.consent_giver_name = consent_giver_name.strip()
    referral.consent_method = consent_method
    referral.consent_given_on = consent_given_on
    referral.consent_override_reason = override_reason.strip()


def referral_create(
    *,
    actor: User,
    case: Case,
    service,
    reason: str,
    urgency: str = Referral.Urgency.ROUTINE,
    answer_by: datetime.date | None,
    shared_sections=None,
    notes_for_service: str = "",
    consent_id: int | None = None,
    consent_given_by: str = "",
    consent_giver_name: str = "",
    consent_method: str = "",
    consent_given_on: datetime.date | None = None,
    override_reason: str = "",
    send: bool = False,
    confirm_waitlist: bool = False,
) -> Referral:
    """Write a referral as a draft; with `send`, send it in the same transaction (all or nothing)."""
    today = timezone.localdate()
    params = {
        "reason": reason,
        "urgency": urgency,
        "answer_by": answer_by,
        "shared_sections": sharing.normalise(shared_sections),
        "notes_for_service": notes_for_service,
        "consent_id": consent_id,
        "consent_given_by": consent_given_by,
        "consent_giver_name": consent_giver_name,
        "consent_method": consent_method,
        "consent_given_on": consent_given_on,
        "override_reason": override_reason,
    }
    with transaction.atomic():
        case = lock_case_for_work(actor, case)
        if not case.is_open:
            raise PermissionDenied
        _raise({**_service_errors(service), **_draft_errors(case=case, today=today, **params)})
        referral = Referral(case=case, created_by=actor, created_at=timezone.now(), status=Status.DRAFT)
        _assign(referral, service=service, **params)
        referral.save()
        ReferralEvent.objects.create(
            referral=referral, from_status="", to_status=Status.DRAFT, actor=actor, at=referral.created_at
        )
        audit_record(actor=actor, action="referral.create", target=referral, case=case, after=snapshot(referral))
        if send:
            referral = referral_move(
                actor=actor,
                referral_id=referral.pk,
                target=Status.REQUESTED,
                expected_status=Status.DRAFT,
                confirm_waitlist=confirm_waitlist,
            )
    return referral


def referral_update(
    *,
    actor: User,
    referral_id: int,
    expected_version: int,
    service,
    reason: str,
    urgency: str,
    answer_by: datetime.date | None,
    shared_sections=None,
    notes_for_service: str = "",
    consent_id: int | None = None,
    consent_given_by: str = "",
    consent_giver_name: str = "",
    consent_method: str = "",
    consent_given_on: datetime.date | None = None,
    override_reason: str = "",
    send: bool = False,
    confirm_waitlist: bool = False,
) -> Referral:
    """Change a draft (and with `send`, send it: all or nothing); refused once it was sent, and if
    someone saved it since the user opened it (ConcurrentEditError)."""
    today = timezone.localdate()
    params = {
        "reason": reason,
        "urgency": urgency,
        "answer_by": answer_by,
        "shared_sections": sharing.normalise(shared_sections),
        "notes_for_service": notes_for_service,
        "consent_id": consent_id,
        "consent_given_by": consent_given_by,
        "consent_giver_name": consent_giver_name,
        "consent_method": consent_method,
        "consent_given_on": consent_given_on,
        "override_reason": override_reason,
    }
    with transaction.atomic():
        referral = get_referral_for_user_or_404(actor, referral_id, for_update=True)
        if side_of(actor, referral) != Side.REFERRING:
            raise PermissionDenied
        if referral.status != Status.DRAFT:
            raise ReferralMoveError(_("Only a draft can be changed; this referral was already sent."), code="not_draft")
        _raise({**_service_errors(service), **_draft_errors(case=referral.case, today=today, **params)})
        before = snapshot(referral)
        _assign(referral, service=service, **params)
        save_versioned(referral, expected_version=expected_version, fields=DRAFT_FIELDS)
        audit_record(
            actor=actor,
            action="referral.update",
            target=referral,
            case=referral.case,
            before=before,
            after=snapshot(referral),
        )
        if send:
            referral = referral_move(
                actor=actor,
                referral_id=referral.pk,
                target=Status.REQUESTED,
                expected_status=Status.DRAFT,
                confirm_waitlist=confirm_waitlist,
            )
    return referral


def referral_record_view(*, actor: User, referral: Referral) -> None:
    """A partner's reading of a referral is a processing act on the client's data, and is logged (UU PDP)."""
    with transaction.atomic():
        audit_record(actor=actor, action="referral.view", target=referral, case=referral.case_id)


# --- Moves ----------------------------------------------------------------------------------------


def _send_errors(referral: Referral, *, confirm_waitlist: bool, today: datetime.date) -> dict:
    from dampingi.directory.models import Service

    service = Service.objects.get(pk=referral.service_id)
    errors = _service_errors(service)
    if not errors:
        errors = _capacity_errors(service, confirm_waitlist=confirm_waitlist)
    if referral.answer_by <= today:
        errors["answer_by"] = _("The answer-by date must be after today.")
    if not referral.case.is_open:
        errors["case"] = _("The case is closed: a closed case cannot refer.")
    return {**errors, **_consent_basis_errors(referral, today)}


def _stale(referral: Referral) -> ReferralMoveError:
    return ReferralMoveError(
        _("The referral is already %(status)s. Reload the page to see its current state.")
        % {"status": referral.get_status_display()},
        code="stale",
    )


def referral_move(
    *,
    actor: User,
    referral_id: int,
    target: str,
    expected_status: str,
    reason: str = "",
    outcome: str = "",
    confirm_waitlist: bool = False,
) -> Referral:
    """Move a referral along the status table, as the side the table names for that move.

    Raises Http404 if the actor may not see the referral, PermissionDenied if they may not make this
    move (wrong side, or read-only), ReferralMoveError if the table forbids it, the page was stale,
    or a requirement is missing (reason to reject or cancel, outcome to complete or fail, and for
    sending: consent, an active service with capacity, an answer-by date in the future).
    """
    with transaction.atomic():
        referral = get_referral_for_user_or_404(actor, referral_id, for_update=True)
        side = side_of(actor, referral)
        if side is None:
            raise PermissionDenied
        if referral.status != expected_status:
            raise _stale(referral)
        move = move_for(referral.status, target)
        if move is None:
            raise ReferralMoveError(
                _("A referral cannot move from %(source)s to %(target)s.")
                % {"source": status_label(referral.status), "target": status_label(target)},
                code="forbidden_move",
            )
        if move.side != side:
            raise PermissionDenied
        reason, outcome = reason.strip(), outcome.strip()
        errors: dict = {}
        if move.needs_reason and not reason:
            errors["reason"] = _("Say why.") if move.verb != Verb.REJECT else _("Say why the referral is rejected.")
        if move.needs_outcome and not outcome:
            errors["outcome"] = _("Record the outcome: what was done for the client, or why it failed.")
        today = timezone.localdate()
        if move.target == Status.REQUESTED:
            errors.update(_send_errors(referral, confirm_waitlist=confirm_waitlist, today=today))
        if errors:
            raise ReferralMoveError({k: ValidationError(v, code="requirement") for k, v in errors.items()})
        _apply(actor=actor, referral=referral, move=move, reason=reason, outcome=outcome, now=timezone.now())
    return referral


def referral_send(
    *, actor: User, referral_id: int, expected_status: str = Status.DRAFT, confirm_waitlist: bool = False
) -> Referral:
    """Send a draft to the service (the move draft → requested, with its checks)."""
    return referral_move(
        actor=actor,
        referral_id=referral_id,
        target=Status.REQUESTED,
        expected_status=expected_status,
        confirm_waitlist=confirm_waitlist,
    )


def _apply(*, actor: User, referral: Referral, move: Move, reason: str, outcome: str, now) -> None:
    before = snapshot(referral, ["status", "status_reason", "outcome", "sent_at", "answered_at", "closed_at"])
    ReferralEvent.objects.create(
        referral=referral,
        from_status=referral.status,
        to_status=move.target,
        actor=actor,
        at=now,
        note=outcome or reason,
    )
    referral.status = move.target
    referral.status_reason = reason  # the reason of the latest move ("" when it needs none and none was given)
    if move.needs_outcome:
        referral.outcome = outcome
    if move.target == Status.REQUESTED:
        referral.sent_at = now
    if move.target in ANSWERS or (move.side == Side.RECEIVING and referral.answered_at is None):
        referral.answered_at = referral.answered_at or now
    if move.target in TERMINAL:
        referral.closed_at = now
    referral.version += 1
    referral.save(
        update_fields=["status", "status_reason", "outcome", "sent_at", "answered_at", "closed_at", "version"]
    )
    after = snapshot(referral, ["status", "status_reason", "outcome", "sent_at", "answered_at", "closed_at"])
    audit_record(
        actor=actor, action=f"referral.{move.verb}", target=referral, case=referral.case, before=before, after=after
    )
    if move.target == Status.REQUESTED and referral.consent_override_reason and referral.consent_id is None:
        if not referral.has_referral_consent:
            audit_record(
                actor=actor,
                action="referral.consent_override",
                target=referral,
                case=referral.case,
                after={"reason": referral.consent_override_reason, "sections": referral.shared_sections},
            )
    _notify(referral=referral, move=move)


# --- Notifications ---------------------------------------------------------------------------------

ANSWERED_NOTICE = (Status.ACCEPTED, Status.REJECTED, Status.COMPLETED, Status.FAILED)


def _notify(*, referral: Referral, move: Move) -> None:
    """Tell the other side: the partner organisation when a referral arrives, the worker when it is answered.

    Messages carry the referral reference and the service, never client details.
    """
    from dampingi.notifications.models import Notification
    from dampingi.notifications.reminders import local_date
    from dampingi.notifications.services import message, notify

    url = reverse("referrals:detail", args=[referral.pk])
    if move.target == Status.REQUESTED:
        staff = [
            s.user for s in PartnerStaff.objects.filter(organization_id=referral.organization_id).select_related("user")
        ]
        notify(
            recipients=staff,
            kind=Notification.Kind.REFERRAL_RECEIVED,
            title=message(gettext_lazy("New referral %(reference)s"), reference=referral.reference),
            body=message(
                gettext_lazy("A referral to %(service)s is waiting for your answer by %(date)s."),
                service=referral.service.name,
                date=local_date(referral.answer_by),
            ),
            url=url,
            dedupe_key=f"referral:{referral.pk}:received",
        )
    elif move.target in ANSWERED_NOTICE:
        notify(
            recipients=[referral.created_by],
            kind=Notification.Kind.REFERRAL_ANSWERED,
            title=message(
                gettext_lazy("Referral %(reference)s: %(status)s"),
                reference=referral.reference,
                status=Status(move.target).label,
            ),
            body=message(
                gettext_lazy("%(organisation)s answered the referral of case %(case)s."),
                organisation=referral.organization.name,
                case=referral.case.reference,
            ),
            url=url,
            case=referral.case,
            dedupe_key=f"referral:{referral.pk}:{move.target}",
        )


# --- Partner staff --------------------------------------------------------------------------------


def partner_staff_assign(*, actor: User, user: User, organization) -> PartnerStaff:
    """Link a partner user to the organisation they work for (administrators only)."""
    from dampingi.accounts.models import Role

    if not actor.is_administrator:
        raise PermissionDenied
    if user.role != Role.PARTNER:
        raise ValidationError({"user": _("Only a user with the role partner organisation staff can be linked.")})
    with transaction.atomic():
        staff, _created = PartnerStaff.objects.update_or_create(user=user, defaults={"organization": organization})
        audit_record(actor=actor, action="referral.partner_staff", target=staff, after=snapshot(staff))
    return staff


__all__ = [
    "ConcurrentEditError",
    "ReferralMoveError",
    "partner_staff_assign",
    "referral_create",
    "referral_move",
    "referral_send",
    "referral_update",
]
