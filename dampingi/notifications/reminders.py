"""Due-date reminders: what the scheduler sends, and the registry other apps add to.

`send_due_reminders(now)` asks every registered reminder provider what is due at `now` and makes
the notifications that were not made before. The huey periodic task in tasks.py only calls it, so
tests drive it with a fake clock and no worker.

Contract of a reminder provider (register it with `register_reminder`, e.g. from the app's
`AppConfig.ready()` or at import of a module that `ready()` imports)::

    from dampingi.notifications.reminders import register_reminder

    @register_reminder
    def referral_overdue_reminders(now):
        today = timezone.localdate(now)          # the local day (Asia/Jakarta by default)
        for referral in Referral.objects.filter(...).select_related("case__assigned_worker"):
            yield {
                "recipients": [referral.case.assigned_worker],
                "kind": "referral_overdue",        # one of Notification.Kind
                "title": message(gettext_lazy("Referral not answered: case %(case)s"), case=...),
                "body": message(gettext_lazy("..."), ...),
                "url": reverse(...),               # relative link into the app
                "case": referral.case,             # or None
                "dedupe_key": f"referral_overdue:{referral.pk}:{referral.answer_by.isoformat()}",
            }

- `now` is an aware datetime; "today" is `timezone.localdate(now)`, never the UTC date.
- Yield dicts of `notify()` keyword arguments. `dedupe_key` is required and names the object and
  the date it is due: each recipient gets one notification per key, ever, however often the
  scheduler runs (a changed due date gives a new key, so a new reminder).
- Read only, in a fixed number of queries (filter in the database, `select_related` what the text
  and the recipients need); never write, never send: `send_due_reminders` does.
- Titles and bodies are translatable lazy text (`gettext_lazy`, `services.message`), rendered in
  each recipient's language. No client names, NIK or health details: they are e-mailed.
- A provider that raises is logged and skipped; the others still run.

Reminders fire on the due date and, for items still open, at most LOOKBACK_DAYS after it (so
that a first run on old data does not flood inboxes with years-old items); each fires once.
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from dampingi.notifications.models import Notification
from dampingi.notifications.services import Spec, deliver, message

logger = logging.getLogger(__name__)

LOOKBACK_DAYS = 30

ReminderProvider = Callable[[datetime.datetime], Iterable[dict[str, Any]]]
_providers: dict[str, ReminderProvider] = {}


def register_reminder(fn: ReminderProvider) -> ReminderProvider:
    """Add a reminder provider (usable as a decorator). Registering the same function twice is harmless."""
    _providers[f"{fn.__module__}.{fn.__qualname__}"] = fn
    return fn


def unregister_reminder(fn: ReminderProvider) -> None:
    _providers.pop(f"{fn.__module__}.{fn.__qualname__}", None)


def registered_reminders() -> list[ReminderProvider]:
    return list(_providers.values())


def _specs(kwargs: dict[str, Any]) -> list[Spec]:
    if not kwargs.get("dedupe_key"):
        raise ValueError("a reminder needs a dedupe_key")
    if kwargs["kind"] not in Notification.Kind.values:
        raise ValueError(f"unknown notification kind {kwargs['kind']!r}")
    seen: set[int] = set()
    specs = []
    for user in kwargs["recipients"]:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        specs.append(
            Spec(
                recipient=user,
                kind=kwargs["kind"],
                title=kwargs["title"],
                body=kwargs.get("body", ""),
                url=kwargs.get("url", ""),
                case=kwargs.get("case"),
                dedupe_key=kwargs["dedupe_key"],
            )
        )
    return specs


def send_due_reminders(now: datetime.datetime | None = None) -> list[Notification]:
    """Make the reminders due at `now` (default: the current time) that were not made before."""
    now = now or timezone.now()
    specs: list[Spec] = []
    for provider in registered_reminders():
        try:
            found = [spec for kwargs in provider(now) for spec in _specs(kwargs)]
        except Exception:
            logger.exception("reminder provider %s failed", getattr(provider, "__qualname__", provider))
            continue
        specs.extend(found)
    made = deliver(specs)
    if made:
        logger.info("made %d reminder notifications", len(made))
    return made


# --- The reminders of the plans and cases apps ------------------------------------------------------

_lazy_date = lazy(lambda day: formats.date_format(day, "SHORT_DATE_FORMAT"), str)


def local_date(day: datetime.date):
    """A date formatted in the language active when the text is rendered (the recipient's)."""
    return _lazy_date(day)


@register_reminder
def plan_task_reminders(now: datetime.datetime) -> Iterable[dict[str, Any]]:
    """A plan task due today or overdue, not done or cancelled, on an open case → the case's worker.

    Once per task and due date. (A task's "responsible" is a party, not an account: the reminder
    goes to the worker who follows the case up with them.)
    """
    from dampingi.plans.models import Task

    today = timezone.localdate(now)
    tasks = (
        Task.objects.filter(
            due_date__lte=today,
            due_date__gte=today - datetime.timedelta(days=LOOKBACK_DAYS),
            plan__case__closed_at__isnull=True,
        )
        .exclude(status__in=[Task.Status.DONE, Task.Status.CANCELLED])
        .select_related("plan__case__assigned_worker")
        .order_by("due_date", "id")
    )
    for task in tasks:
        case = task.plan.case
        if task.due_date == today:
            title = message(_("A plan task is due today: case %(case)s"), case=case.reference)
        else:
            title = message(_("A plan task is overdue: case %(case)s"), case=case.reference)
        yield {
            "recipients": [case.assigned_worker],
            "kind": Notification.Kind.TASK_DUE,
            "title": title,
            "body": message(
                _("A task of the plan was due on %(date)s and is not done yet. Record its progress in the plan."),
                date=local_date(task.due_date),
            ),
            "url": reverse("plans:tasks", args=[case.pk]),
            "case": case,
            "dedupe_key": f"task_due:{task.pk}:{task.due_date.isoformat()}",
        }


@register_reminder
def followup_reminders(now: datetime.datetime) -> Iterable[dict[str, Any]]:
    """A follow-up after termination due today or overdue → the case's worker, once per date.

    Only while the work is ended (the case is closed or still in Termination): a reopened case
    has no follow-up to do.
    """
    from django.db.models import Q

    from dampingi.cases.models import Termination
    from dampingi.cases.phases import Phase

    today = timezone.localdate(now)
    terminations = (
        Termination.objects.filter(
            followup_date__lte=today,
            followup_date__gte=today - datetime.timedelta(days=LOOKBACK_DAYS),
        )
        .filter(Q(case__closed_at__isnull=False) | Q(case__phase=Phase.TERMINATION))
        .select_related("case__assigned_worker")
        .order_by("followup_date", "id")
    )
    for termination in terminations:
        case = termination.case
        yield {
            "recipients": [case.assigned_worker],
            "kind": Notification.Kind.FOLLOWUP_DUE,
            "title": message(_("Follow-up due: case %(case)s"), case=case.reference),
            "body": message(
                _("The follow-up after termination was planned for %(date)s. Contact the client system and record it."),
                date=local_date(termination.followup_date),
            ),
            "url": reverse("cases:detail", args=[case.pk]) + "#termination",
            "case": case,
            "dedupe_key": f"followup_due:{termination.pk}:{termination.followup_date.isoformat()}",
        }
