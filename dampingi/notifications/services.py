"""Writes of notifications: making them (in-app row + e-mail after commit) and marking them read.

Language. Title and body are rendered once, when the notification is made, in the recipient's
own language (`User.language`) and stored: the inbox then shows exactly what the e-mail said,
and a later change of language does not rewrite old messages. Callers pass translatable text:
a plain `gettext_lazy("...")` or `message(gettext_lazy("... %(case)s"), case=...)`, which
interpolates lazily, so that each recipient gets it in their language. A plain `str` is stored
as it is.

Content. Notifications and e-mails say what happened and where to look (kind of request, case
reference, dates), never client details: no NIK, no health data, no names of clients. The
e-mail leaves the system, so it carries no more than the in-app item.

Once only. A `dedupe_key` makes a notification unique per recipient (DB constraint
`notification_once_per_recipient_key`): the insert ignores conflicts, so a scheduler that runs
twice or two racing workers still leave one row. The e-mail task re-reads the row under a lock
and sends only while `emailed_at` is empty, so a row is e-mailed at most once.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy
from django.utils.text import Truncator

from dampingi.accounts.models import User
from dampingi.notifications.models import Notification

logger = logging.getLogger(__name__)

TITLE_MAX = 200
BODY_MAX = 1000


def _interpolate(template, params: dict) -> str:
    return str(template) % {key: str(value) for key, value in params.items()}


_lazy_interpolate = lazy(_interpolate, str)


def message(template, **params: Any) -> Promise:
    """`template % params`, evaluated only when rendered, i.e. in the recipient's language.

    `template` is a `gettext_lazy` string with named placeholders; lazy values among the params
    (e.g. a choice label) are translated too.
    """
    return _lazy_interpolate(template, params)


@dataclass(frozen=True)
class Spec:
    """One notification to make: what `notify` takes, for a single recipient."""

    recipient: User
    kind: str
    title: Any
    body: Any
    url: str
    case: Any = None
    dedupe_key: str = ""


def _render(text, language: str) -> str:
    with translation.override(language or None):
        return str(text) if text is not None else ""


def _build(spec: Spec) -> Notification:
    language = spec.recipient.language
    return Notification(
        recipient=spec.recipient,
        kind=spec.kind,
        title=Truncator(_render(spec.title, language)).chars(TITLE_MAX),
        body=Truncator(_render(spec.body, language)).chars(BODY_MAX),
        url=spec.url or "",
        case=spec.case,
        dedupe_key=spec.dedupe_key or "",
    )


def _existing_keys(pairs) -> set[tuple[int, str]]:
    """Which (recipient id, dedupe key) pairs already have their notification (one query)."""
    return set(
        Notification.objects.filter(
            recipient_id__in={pk for pk, _key in pairs}, dedupe_key__in={key for _pk, key in pairs}
        ).values_list("recipient_id", "dedupe_key")
    )


def deliver(specs: Iterable[Spec]) -> list[Notification]:
    """Make the notifications of `specs` that do not exist yet and queue their e-mails after commit.

    A fixed number of queries whatever the number of specs: one read of the keys already used,
    one insert of the rest (conflicts ignored: a racing worker may have inserted the same key
    meanwhile), one read back of the keyed rows. Returns the rows made (or found made by a racer
    in the same moment, whose e-mail is then sent once all the same, see send_notification_email).
    """
    specs = list(specs)
    if not specs:
        return []
    keyed = [s for s in specs if s.dedupe_key]
    plain = [s for s in specs if not s.dedupe_key]
    made: list[Notification] = []
    with transaction.atomic():
        if keyed:
            # Several specs may name the same recipient and key: keep the first.
            unique: dict[tuple[int, str], Spec] = {}
            for s in keyed:
                unique.setdefault((s.recipient.pk, s.dedupe_key), s)
            existing = _existing_keys(unique)
            wanted = {pair: s for pair, s in unique.items() if pair not in existing}
            if wanted:
                Notification.objects.bulk_create([_build(s) for s in wanted.values()], ignore_conflicts=True)
                rows = Notification.objects.filter(
                    recipient_id__in={pk for pk, _key in wanted},
                    dedupe_key__in={key for _pk, key in wanted},
                    emailed_at__isnull=True,
                ).select_related("recipient")
                made.extend(row for row in rows if (row.recipient_id, row.dedupe_key) in wanted)
        if plain:
            made.extend(Notification.objects.bulk_create([_build(s) for s in plain]))
        to_email = [n.pk for n in made if n.recipient.email and n.pk is not None]
        if to_email:
            transaction.on_commit(lambda: _queue_emails(to_email))
    return made


def _queue_emails(notification_ids: list[int]) -> None:
    from dampingi.notifications.tasks import send_notification_email

    for pk in notification_ids:
        send_notification_email(pk)


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title,
    body,
    url: str,
    case=None,
    dedupe_key: str | None = None,
) -> list[Notification]:
    """Notify each of `recipients` (in-app, and by e-mail after commit for those with an address).

    Inactive users and duplicates among `recipients` are skipped. `title` and `body` are rendered
    in each recipient's language (see the module docstring). `url` is a relative link into the app.
    """
    if kind not in Notification.Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    seen: set[int] = set()
    specs = []
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        specs.append(
            Spec(recipient=user, kind=kind, title=title, body=body, url=url, case=case, dedupe_key=dedupe_key or "")
        )
    return deliver(specs)


def notification_mark_read(*, actor: User, notification_id: int) -> Notification:
    """Mark one of the actor's own notifications read. Idempotent.

    Someone else's notification is Notification.DoesNotExist, exactly like a missing one (the
    views answer 404): a user cannot learn which notifications exist.
    """
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id, recipient=actor)
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, actor: User) -> int:
    """Mark all the actor's unread notifications read; returns how many."""
    with transaction.atomic():
        return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())
