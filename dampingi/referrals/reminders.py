"""The overdue-referral reminder: the referring worker hears once when a referral was not answered in time.

Registered with dampingi.notifications.reminders from ReferralsConfig.ready().
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dampingi.referrals.models import Referral
from dampingi.referrals.states import Status

LOOKBACK_DAYS = 30


def referral_overdue_reminders(now: datetime.datetime):
    """Referrals still waiting for an answer after their answer-by date (read only, one query)."""
    from dampingi.notifications.reminders import local_date
    from dampingi.notifications.services import message

    today = timezone.localdate(now)
    overdue = (
        Referral.objects.filter(
            status=Status.REQUESTED,
            answer_by__lt=today,
            answer_by__gte=today - datetime.timedelta(days=LOOKBACK_DAYS),
        )
        .select_related("created_by", "case", "organization")
        .order_by("answer_by", "pk")
    )
    for referral in overdue:
        yield {
            "recipients": [referral.created_by],
            "kind": "referral_overdue",
            "title": message(_("Referral %(reference)s not answered"), reference=referral.reference),
            "body": message(
                _("%(organisation)s has not answered the referral of case %(case)s, due on %(date)s."),
                organisation=referral.organization.name,
                case=referral.case.reference,
                date=local_date(referral.answer_by),
            ),
            "url": reverse("referrals:detail", args=[referral.pk]),
            "case": referral.case,
            "dedupe_key": f"referral_overdue:{referral.pk}:{referral.answer_by.isoformat()}",
        }
