"""The eco-map section of the case page.

`ecomap_section` is the contract with the case page: the context of `ecomaps/_section.html`
(rendered with `section` = that dict and `case`), in a fixed number of queries whatever the number
of versions and systems: 1 without eco-maps (the versions), 2 with (the versions, the latest
version's systems). The case must come from `get_case_for_user_or_404` (team loaded).
"""

from typing import Any

from dampingi.accounts.models import User
from dampingi.cases.models import Case
from dampingi.cases.permissions import can_work_on_case
from dampingi.ecomaps.models import EcoSystem
from dampingi.ecomaps.selectors import ANCHOR, ecomaps_of, phase_label, version_context


def ecomap_section(*, case: Case, user: User) -> dict[str, Any]:
    """Versions newest first (number, date, phase, by), the latest drawing, and what the user may do."""
    versions = list(ecomaps_of(case))
    latest = None
    if versions:
        newest = versions[-1]
        systems = list(EcoSystem.objects.filter(ecomap=newest).order_by("order"))
        latest = version_context(newest, systems, prefix="ecomap-section")
    can_work = can_work_on_case(user, case)
    return {
        "anchor": ANCHOR,
        "versions": [{"ecomap": m, "phase_label": phase_label(m.phase)} for m in reversed(versions)],
        "latest": latest,
        "can_work": can_work,
        "writable": can_work and case.is_open,
        "can_compare": len(versions) >= 2,
    }
