"""Closed-loop referrals to the services of the directory, and the partner organisations' staff.

A referral's status follows FHIR R4 Task (dampingi.referrals.states); every change of status
adds a ReferralEvent (never edited) and is made by dampingi.referrals.services.referral_move.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dampingi.cases.models import Consent
from dampingi.referrals.sharing import MINIMUM
from dampingi.referrals.states import Status


class PartnerStaff(models.Model):
    """Which partner organisation a user with the role "partner" works for (one organisation each)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_staff",
        limit_choices_to={"role": "partner"},
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="partner_staff",
        verbose_name=_("organisation"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization", "user"]
        verbose_name = _("partner organisation staff")
        verbose_name_plural = _("partner organisation staff")

    def __str__(self) -> str:
        return f"{self.user} · {self.organization}"


def _minimum_sections() -> list[str]:
    return [s.value for s in MINIMUM]


class Referral(models.Model):
    """A request to a service of the directory to help the client of a case (FHIR ServiceRequest + Task)."""

    class Urgency(models.TextChoices):
        ROUTINE = "routine", _("routine")
        URGENT = "urgent", _("urgent")
        EMERGENCY = "emergency", _("emergency")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("case"))
    service = models.ForeignKey(
        "directory.Service", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("service")
    )
    # Copied from the service when the referral is created: who answers, even if the service moves.
    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("organisation")
    )
    reason = models.TextField(_("reason for the referral"), max_length=4000)
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.ROUTINE)
    answer_by = models.DateField(_("answer by"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    status_reason = models.TextField(_("reason for the status"), blank=True, max_length=2000)
    outcome = models.TextField(_("outcome"), blank=True, max_length=4000)
    shared_sections = models.JSONField(_("shared data"), default=_minimum_sections)
    notes_for_service = models.TextField(_("notes for the service"), blank=True, max_length=4000)
    # Consent basis: a consent of the case that covers sharing, or one given for this referral, or an override.
    consent = models.ForeignKey(
        "cases.Consent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("consent of the case"),
    )
    consent_given_by = models.CharField(
        _("consent given by"), max_length=16, choices=Consent.GivenBy.choices, blank=True
    )
    consent_giver_name = models.CharField(_("name of the person consenting"), max_length=150, blank=True)
    consent_method = models.CharField(
        _("how consent was given"), max_length=16, choices=Consent.Method.choices, blank=True
    )
    consent_given_on = models.DateField(_("date of consent"), null=True, blank=True)
    consent_override_reason = models.TextField(_("reason to share without consent"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("referred by")
    )
    created_at = models.DateTimeField(_("created"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="referral_status_valid"),
            models.CheckConstraint(
                condition=Q(urgency__in=["routine", "urgent", "emergency"]), name="referral_urgency_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[Status.COMPLETED, Status.FAILED]) | ~Q(outcome=""),
                name="referral_outcome_to_close",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.REJECTED) | ~Q(status_reason=""), name="referral_reason_to_reject"
            ),
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT)
                | Q(sent_at__isnull=False)
                | Q(status__in=["cancelled", "entered-in-error"]),
                name="referral_sent_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status", "answer_by"], name="referral_org_status_idx"),
            models.Index(fields=["case", "status"], name="referral_case_status_idx"),
            models.Index(fields=["status", "answer_by"], name="referral_status_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} → {self.organization_id}"

    @property
    def reference(self) -> str:
        return f"R-{self.pk:06d}" if self.pk else "R-new"

    @property
    def has_referral_consent(self) -> bool:
        return bool(self.consent_giver_name and self.consent_given_by and self.consent_method and self.consent_given_on)

    def is_overdue_on(self, today) -> bool:
        """Sent, not answered, and the answer-by date has passed."""
        return self.status == Status.REQUESTED and self.answer_by < today


class ReferralEvent(models.Model):
    """One change of a referral's status: from, to, who, when and why. Never edited."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"))
    note = models.TextField(_("reason or note"), blank=True, max_length=4000)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("referral status change")
        verbose_name_plural = _("referral status changes")

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.from_status or '-'} -> {self.to_status}"
