"""The e-mail of a notification, in the recipient's language."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dampingi.notifications.models import Notification


def absolute_url(url: str) -> str:
    """The link for the e-mail: DAMPINGI_SITE_URL + the relative in-app URL (relative when unset)."""
    base = getattr(settings, "DAMPINGI_SITE_URL", "").rstrip("/")
    return f"{base}{url}" if url.startswith("/") else url


def notification_email_send(*, notification_id: int) -> bool:
    """Send the e-mail of one notification once; returns whether it was sent now.

    The row is read under a lock and marked `emailed_at` in the same transaction, so two workers
    (or a retried task) never send the same notification twice. Users without an address, or no
    longer active, get only the in-app item.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at is not None:
            return False
        recipient = notification.recipient
        if not recipient.email or not recipient.is_active:
            return False
        with translation.override(recipient.language or settings.LANGUAGE_CODE):
            subject = _("[Dampingi] %(title)s") % {"title": " ".join(notification.title.split())}
            text = render_to_string(
                "notifications/email/notification.txt",
                {
                    "recipient": recipient,
                    "notification": notification,
                    "link": absolute_url(notification.url),
                    "inbox": absolute_url(reverse("notifications:inbox")),
                },
            )
            EmailMessage(
                subject=subject,
                body=text,
                to=[recipient.email],
                headers={"Content-Language": translation.get_language()},
            ).send()
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True
