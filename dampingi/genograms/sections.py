"""The genogram section of the case page.

`genogram_section(case=, user=)` is the context of `genograms/_section.html` (rendered with
`section` and `case`): the versions (newest first) and the latest one drawn small, in a fixed
number of queries whatever the number of versions and people: 1 while no genogram exists,
SECTION_QUERIES (6) as soon as there is one (versions; the latest with its people, unions,
children and relations).
"""

from typing import Any

from dampingi.accounts.models import User
from dampingi.cases.models import Case
from dampingi.cases.permissions import can_work_on_case
from dampingi.genograms.models import Genogram
from dampingi.genograms.selectors import ANCHOR, genogram_view, phase_label, with_content

SECTION_QUERIES = 6


def genogram_section(*, case: Case, user: User) -> dict[str, Any]:
    versions = list(Genogram.objects.filter(case=case).select_related("drawn_by").order_by("-number"))
    latest = None
    if versions:
        latest_row = with_content().get(pk=versions[0].pk)
        latest = genogram_view(latest_row)
    can_work = can_work_on_case(user, case)
    return {
        "anchor": ANCHOR,
        "versions": [{"genogram": g, "phase_label": phase_label(g.phase)} for g in versions],
        "latest": latest,
        "can_compare": len(versions) > 1,
        "first_number": versions[-1].number if versions else None,
        "writable": can_work and case.is_open,
    }
