"""Reads of case conferences, in a fixed number of queries."""

from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from dampingi.cases.models import Case, Stakeholder
from dampingi.conferences.models import ActionItem, Conference


def _with_details():
    return (
        Conference.objects.select_related("recorded_by")
        .prefetch_related(
            Prefetch("participants", queryset=Stakeholder.objects.order_by("kind", "name")),
            Prefetch("actions", queryset=ActionItem.objects.select_related("task", "task__goal", "task__stakeholder")),
        )
        .order_by("-held_on", "-id")
    )


def case_conferences(case: Case) -> list[Conference]:
    """The conferences of a case, newest first, with participants and action items (3 queries)."""
    return list(_with_details().filter(case=case))


def conference_for_case_or_404(case: Case, pk: int) -> Conference:
    try:
        return _with_details().get(case=case, pk=pk)
    except Conference.DoesNotExist:
        raise Http404 from None


def timeline_entries(case: Case, *, newest_first: bool, upto: int | None) -> list[dict[str, Any]]:
    """Conferences as case-timeline entries (one query); see cases.selectors.TimelineSource."""
    order = ["-held_on", "-id"] if newest_first else ["held_on", "id"]
    qs = Conference.objects.filter(case=case).select_related("recorded_by").order_by(*order)
    if upto is not None:
        qs = qs[:upto]
    return [
        {
            "pk": c.pk,
            "day": c.held_on,
            "actor": c.recorded_by,
            "text": _("Case conference held"),
            "url": reverse("conferences:detail", args=[case.pk, c.pk]),
        }
        for c in qs
    ]
