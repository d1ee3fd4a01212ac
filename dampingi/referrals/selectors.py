"""Reads of referrals. Who sees which referral is decided here, on top of dampingi.cases.permissions.

- Staff of the social service (workers, supervisors, managers) see the referrals of the cases
  they may see (cases_visible_to), drafts included.
- Partner organisation staff see the referrals sent to their own organisation, never a draft,
  and of those only the sections the referral shares (shared_view). They see no case.

Outsiders get 404 (get_referral_for_user_or_404), never 403, so that a referral's existence
does not leak. Every list here runs a fixed number of queries whatever its size.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case as DbCase
from django.db.models import Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from dampingi.accounts.models import Role, User
from dampingi.cases.models import Case
from dampingi.cases.permissions import can_work_on_case, cases_visible_to
from dampingi.referrals.models import PartnerStaff, Referral, ReferralEvent
from dampingi.referrals.sharing import Section
from dampingi.referrals.states import OPEN_LOOP, Side, Status

_NO_ORG = object()


def partner_organization_id(user: User) -> Any:
    """The organisation a partner user works for (cached on the user object), or None."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.PARTNER:
        return None
    cached = getattr(user, "_partner_organization_id", _NO_ORG)
    if cached is _NO_ORG:
        cached = PartnerStaff.objects.filter(user=user).values_list("organization_id", flat=True).first()
        user._partner_organization_id = cached
    return cached


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    """The referrals `user` may read (see the module docstring)."""
    qs = Referral.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.role == Role.PARTNER:
        org = partner_organization_id(user)
        if org is None:
            return qs.none()
        return qs.filter(organization_id=org).exclude(status=Status.DRAFT)
    return qs.filter(case__in=cases_visible_to(user).values("pk"))


def _with_related(qs: QuerySet[Referral]) -> QuerySet[Referral]:
    return qs.select_related(
        "case",
        "case__client_system",
        "case__team",
        "case__assigned_worker",
        "case__supervisor",
        "service",
        "organization",
        "created_by",
        "consent",
    )


def get_referral_for_user_or_404(user: User, pk: int, *, for_update: bool = False) -> Referral:
    qs = _with_related(referrals_visible_to(user))
    if for_update:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=pk)
    except Referral.DoesNotExist:
        raise Http404 from None


def side_of(user: User, referral: Referral) -> Side | None:
    """Which side `user` acts for on this referral, or None if they may only read it (or not even that)."""
    if user.role == Role.PARTNER:
        org = partner_organization_id(user)
        return Side.RECEIVING if org is not None and org == referral.organization_id else None
    return Side.REFERRING if can_work_on_case(user, referral.case) else None


def overdue_q(today: datetime.date) -> Q:
    return Q(status=Status.REQUESTED, answer_by__lt=today)


def overdue_referrals_for_worker(user: User, today: datetime.date | None = None) -> QuerySet[Referral]:
    """Referrals the user sent, or of the cases assigned to them, still unanswered after the answer-by date."""
    today = today or timezone.localdate()
    return (
        referrals_visible_to(user)
        .filter(overdue_q(today))
        .filter(Q(created_by=user) | Q(case__assigned_worker=user))
        .select_related("case", "organization")
        .only("answer_by", "case__id", "organization__name")  # what the dashboard's list shows
        .order_by("answer_by", "pk")
    )


def has_overdue_referral(today: datetime.date) -> Exists:
    """For annotating a queryset of cases (no extra query): does the case have an overdue referral?

    e.g. `cases.annotate(referral_overdue=has_overdue_referral(today))` on the worker's caseload.
    """
    return Exists(Referral.objects.filter(overdue_q(today), case=OuterRef("pk")))


def case_referrals(case: Case) -> list[Referral]:
    """The referrals of one case with their service and organisation, newest first (1 query)."""
    return list(
        Referral.objects.filter(case=case)
        .select_related("service", "organization", "created_by")
        .order_by("-created_at", "-id")
    )


def partner_inbox(user: User, *, status: str = "", overdue: bool = False) -> QuerySet[Referral]:
    """The referrals sent to the partner user's organisation: open loops first, then by answer-by date."""
    qs = referrals_visible_to(user).select_related("service", "case__team")
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(overdue_q(timezone.localdate()))
    loop = DbCase(
        When(status=Status.REQUESTED, then=Value(0)),
        When(status__in=OPEN_LOOP, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return qs.annotate(loop=loop).order_by("loop", "answer_by", "-sent_at", "-id")


def referral_history(referral: Referral) -> list[ReferralEvent]:
    return list(ReferralEvent.objects.filter(referral=referral).select_related("actor").order_by("at", "id"))


# --- The least-data view of a referral ----------------------------------------------------------


@dataclass
class SharedView:
    """What the receiving organisation sees of a referral: the request and the shared sections only.

    A field is filled only when its section is shared; the template shows only sections listed in
    `sections`. Nothing else of the case is read.
    """

    sections: list[str]
    reference: str
    reason: str
    urgency: str
    answer_by: datetime.date
    referred_by: str
    referred_by_email: str
    team: str
    client_name: str = ""
    age: int | None = None
    sex: str = ""
    region: str = ""
    nik: str = ""
    phone: str = ""
    address: str = ""
    disability: str = ""
    disability_note: str = ""
    presenting_problem: str = ""
    assessment_summary: str = ""
    plan_goals: list[str] = field(default_factory=list)
    notes: str = ""
    consent_withdrawn_on: datetime.date | None = None

    def shares(self, section: str) -> bool:
        return section in self.sections


def _region_label(region) -> str:
    if region is None:
        return ""
    parent = region.parent
    return f"{region.name}, {parent.name}" if parent is not None else region.name


def shared_view(referral: Referral, *, today: datetime.date | None = None) -> SharedView:
    """The one reader of a referral's shared data: reads only what the shared sections allow."""
    from dampingi.assessments.models import Assessment
    from dampingi.clients.models import ClientSystem, Membership
    from dampingi.plans.models import Goal

    today = today or timezone.localdate()
    sections = list(referral.shared_sections or [])
    case = referral.case
    consent = referral.consent if referral.consent_id else None
    if consent is not None and consent.withdrawn_on is not None and consent.withdrawn_on <= today:
        # The consent the data was shared on was withdrawn: from then on nothing of the client is shown.
        sections = []
    view = SharedView(
        sections=sections,
        reference=referral.reference,
        reason=referral.reason,
        urgency=referral.get_urgency_display(),
        answer_by=referral.answer_by,
        referred_by=str(referral.created_by),
        referred_by_email=referral.created_by.email,
        team=str(case.team.name),
    )
    if not sections:
        view.consent_withdrawn_on = consent.withdrawn_on if consent is not None else None
        return view
    client_system = ClientSystem.objects.select_related("region__parent").get(pk=case.client_system_id)
    person = None
    if client_system.kind == ClientSystem.Kind.INDIVIDUAL:
        members = list(
            Membership.objects.filter(client_system=client_system).select_related("person__region__parent")[:2]
        )
        selves = [m.person for m in members if m.relationship == Membership.Relationship.SELF]
        person = selves[0] if selves else (members[0].person if len(members) == 1 else None)
    if Section.IDENTITY in sections:
        view.client_name = person.full_name if person is not None else client_system.name
        if person is not None:
            view.age = person.age_on(today)
            view.sex = person.get_sex_display()
        view.region = _region_label(person.region if person is not None and person.region else client_system.region)
    if Section.NIK in sections and person is not None:
        view.nik = person.nik or ""
    if Section.CONTACT in sections:
        view.phone = person.phone if person is not None else ""
        view.address = (person.address if person is not None else "") or client_system.address
    if Section.DISABILITY in sections and person is not None:
        view.disability = person.get_disability_display() if person.disability else ""
        view.disability_note = person.disability_note
    if Section.PRESENTING_PROBLEM in sections:
        view.presenting_problem = case.presenting_problem
    if Section.ASSESSMENT_SUMMARY in sections:
        latest = (
            Assessment.objects.filter(case=case)
            .order_by(F("completed_at").desc(nulls_last=True), "-created_at", "-id")
            .only("summary")
            .first()
        )
        view.assessment_summary = latest.summary if latest is not None else ""
    if Section.PLAN_GOALS in sections:
        view.plan_goals = list(
            Goal.objects.filter(plan__case=case).order_by("id").values_list("description", flat=True)
        )
    if Section.NOTES in sections:
        view.notes = referral.notes_for_service
    return view


def timeline_entries(case: Case, *, newest_first: bool, upto: int | None) -> list[dict[str, Any]]:
    """Status changes of the case's referrals as case-timeline entries (one query)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    order = ["-at", "-id"] if newest_first else ["at", "id"]
    qs = (
        ReferralEvent.objects.filter(referral__case=case)
        .select_related("actor", "referral__organization")
        .order_by(*order)
    )
    if upto is not None:
        qs = qs[:upto]
    return [
        {
            "pk": event.pk,
            "at": event.at,
            "actor": event.actor,
            "text": _("Referral to %(organization)s: %(status)s")
            % {"organization": event.referral.organization.name, "status": event.get_to_status_display()},
            "url": reverse("referrals:detail", args=[event.referral_id]),
        }
        for event in qs
    ]
