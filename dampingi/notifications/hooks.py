"""Notifications that other apps' services call explicitly (no signals), inside their transaction.

Each function only builds the text and the recipients and calls `services.notify`, which defers
the e-mails to after the commit.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dampingi.accounts.models import Role
from dampingi.notifications.models import Notification
from dampingi.notifications.services import message, notify

# Where on the case page each kind of request is decided and shown (cases/views.py APPROVAL_ANCHORS).
_APPROVAL_ANCHORS = {"plan": "planning", "assessment": "assessment", "closure": "termination"}


def _approval_url(approval) -> str:
    anchor = _APPROVAL_ANCHORS.get(approval.kind, "")
    url = reverse("cases:detail", args=[approval.case_id])
    return f"{url}#{anchor}" if anchor else url


def approval_deciders(case) -> list:
    """Who gets a request for a decision: the case's supervisor, else the supervisor of the case's team."""
    supervisor = case.supervisor
    if supervisor is not None and supervisor.role == Role.SUPERVISOR and supervisor.is_active:
        return [supervisor]
    team_supervisor = case.team.supervisor
    if team_supervisor is not None and team_supervisor.role == Role.SUPERVISOR and team_supervisor.is_active:
        return [team_supervisor]
    return []


def notify_approval_requested(*, actor, approval) -> None:
    """A plan, assessment or closure waits for a decision → the supervisor who can decide it."""
    case = approval.case
    recipients = [user for user in approval_deciders(case) if user.pk != actor.pk]
    kind = approval.Kind(approval.kind).label  # lazy: rendered in each recipient's language
    notify(
        recipients=recipients,
        kind=Notification.Kind.APPROVAL_REQUESTED,
        title=message(
            _("Waiting for your decision: %(kind)s, case %(case)s"),
            kind=kind,
            case=case.reference,
        ),
        body=message(
            _("%(worker)s asks you to decide on the %(kind)s of case %(case)s."),
            worker=str(actor),
            kind=kind,
            case=case.reference,
        ),
        url=_approval_url(approval),
        case=case,
    )


def notify_approval_decided(*, actor, approval) -> None:
    """The supervisor approved or returned a request → the worker who asked.

    The supervisor's comment stays on the case page (it may hold case details); the notification
    says where to read it.
    """
    case = approval.case
    if approval.requested_by_id == actor.pk:
        return
    kind = approval.Kind(approval.kind).label
    if approval.status == approval.Status.APPROVED:
        title = message(_("Approved: %(kind)s, case %(case)s"), kind=kind, case=case.reference)
        body = message(
            _("%(supervisor)s approved the %(kind)s of case %(case)s."),
            supervisor=str(actor),
            kind=kind,
            case=case.reference,
        )
    else:
        title = message(_("Returned for revision: %(kind)s, case %(case)s"), kind=kind, case=case.reference)
        body = message(
            _("%(supervisor)s returned the %(kind)s of case %(case)s for revision. Read the comment on the case page."),
            supervisor=str(actor),
            kind=kind,
            case=case.reference,
        )
    notify(
        recipients=[approval.requested_by],
        kind=Notification.Kind.APPROVAL_DECIDED,
        title=title,
        body=body,
        url=_approval_url(approval),
        case=case,
    )
