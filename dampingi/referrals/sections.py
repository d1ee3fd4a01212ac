"""The referrals section of the case page (web layer: it is the context of `referrals/_section.html`).

`referrals_section` is the contract with the case page: rendered with `section` and `case`, in one
query whatever the number of referrals (the case's referrals with their service and organisation).
"""

from typing import Any

from django.utils import timezone

from dampingi.accounts.models import User
from dampingi.cases.models import Case
from dampingi.cases.permissions import can_work_on_case
from dampingi.referrals.selectors import case_referrals
from dampingi.referrals.states import OPEN_LOOP

ANCHOR = "referrals"


def referrals_section(*, case: Case, user: User) -> dict[str, Any]:
    today = timezone.localdate()
    rows = [
        {"referral": referral, "overdue": referral.is_overdue_on(today), "open": referral.status in OPEN_LOOP}
        for referral in case_referrals(case)
    ]
    return {
        "anchor": ANCHOR,
        "rows": rows,
        "overdue_count": sum(1 for row in rows if row["overdue"]),
        "can_refer": can_work_on_case(user, case) and case.is_open,
    }
