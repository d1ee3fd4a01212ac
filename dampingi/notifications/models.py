from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One item in a user's inbox (and, when the user has an address, one e-mail).

    Title and body are stored already translated into the recipient's language at the time the
    notification is made (see services.notify): the inbox shows what the e-mail said. They carry
    only what the recipient may see anyway, and never NIK or health details (case reference,
    kind of request, dates).
    """

    class Kind(models.TextChoices):
        REFERRAL_RECEIVED = "referral_received", _("referral received")
        REFERRAL_ANSWERED = "referral_answered", _("referral answered")
        REFERRAL_OVERDUE = "referral_overdue", _("referral not answered in time")
        APPROVAL_REQUESTED = "approval_requested", _("approval requested")
        APPROVAL_DECIDED = "approval_decided", _("approval decided")
        TASK_DUE = "task_due", _("task due")
        FOLLOWUP_DUE = "followup_due", _("follow-up due")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True, max_length=1000)
    url = models.CharField(_("link"), max_length=500, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("case"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    # Reminders set this ("task_due:12:2026-11-30") so that one object and due date notifies a
    # recipient once, however often the scheduler runs; plain notifications leave it empty.
    dedupe_key = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_once_per_recipient_key",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=[
                        "referral_received",
                        "referral_answered",
                        "referral_overdue",
                        "approval_requested",
                        "approval_decided",
                        "task_due",
                        "followup_due",
                    ]
                ),
                name="notification_kind_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
