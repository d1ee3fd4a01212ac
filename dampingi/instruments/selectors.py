"""Reads of the instruments.

`instruments_section` is the contract with the case page: the context of
`instruments/_section.html` (under `section`), in a fixed number of queries (3) whatever the
number of administrations. An administration's restricted health data (PIE Factors III and IV)
is read only by `administration_detail`, and only for users who may work on the case.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dampingi.accounts.models import User
from dampingi.cases.models import Case
from dampingi.cases.permissions import can_work_on_case
from dampingi.cases.phases import Phase
from dampingi.instruments.definitions import DIGITAL, PIE, definition
from dampingi.instruments.models import Administration, PieHealthEntry, ScreeningProblem
from dampingi.instruments.scoring import (
    PieRow,
    Profile,
    compare_pie,
    compare_screenings,
    pie_ranked,
    screening_profile,
)
from dampingi.instruments.services import ADMINISTER_PHASES

ANCHOR = "instruments"


@dataclass
class AdministrationRow:
    administration: Administration
    name: str
    previous: Administration | None
    profile: Profile | None = None
    top: PieRow | None = None
    problem_count: int = 0
    phase_label: str = ""


def _with_answers():
    return Administration.objects.select_related("administered_by").prefetch_related("answers", "pie_entries")


def _phase_label(value: str) -> str:
    try:
        return Phase(value).label
    except ValueError:
        return value


def instruments_section(*, case: Case, user: User) -> dict[str, Any]:
    """Context for `instruments/_section.html` (3 queries: administrations, answers, PIE entries)."""
    administrations = list(_with_answers().filter(case=case).order_by("-administered_on", "-id"))
    rows = []
    for index, adm in enumerate(administrations):
        previous = next((a for a in administrations[index + 1 :] if a.instrument == adm.instrument), None)
        row = AdministrationRow(
            administration=adm, name=str(definition(adm.instrument, adm.version).NAME), previous=previous
        )
        if adm.instrument == DIGITAL:
            row.profile = screening_profile(list(adm.answers.all()), adm.version)
        else:
            ranked = pie_ranked(list(adm.pie_entries.all()), adm.version)
            row.problem_count = len(ranked)
            row.top = ranked[0] if ranked else None
        row.phase_label = _phase_label(adm.phase)
        rows.append(row)
    can_work = can_work_on_case(user, case)
    return {
        "anchor": ANCHOR,
        "rows": rows,
        "can_work": can_work,
        "writable": can_work and case.is_open and case.phase in ADMINISTER_PHASES,
    }


def administration_for_case_or_404(case: Case, pk: int) -> Administration:
    try:
        return _with_answers().get(pk=pk, case=case)
    except Administration.DoesNotExist:
        raise Http404 from None


def previous_administration(administration: Administration) -> Administration | None:
    """The administration of the same instrument on the same case taken just before this one."""
    earlier = Q(administered_on__lt=administration.administered_on) | Q(
        administered_on=administration.administered_on, pk__lt=administration.pk
    )
    return (
        _with_answers()
        .filter(earlier, case_id=administration.case_id, instrument=administration.instrument)
        .order_by("-administered_on", "-id")
        .first()
    )


def administration_detail(*, case: Case, user: User, administration: Administration) -> dict[str, Any]:
    """What the page of one administration shows; health entries only for users who may work on the case."""
    can_work = can_work_on_case(user, case)
    context: dict[str, Any] = {
        "administration": administration,
        "name": definition(administration.instrument, administration.version).NAME,
        "phase_label": _phase_label(administration.phase),
        "can_work": can_work,
        "previous": previous_administration(administration),
    }
    if administration.instrument == PIE:
        pie = definition(PIE, administration.version)
        context["ranked"] = pie_ranked(list(administration.pie_entries.all()), administration.version)
        context["pie"] = pie
        if can_work:
            health = list(PieHealthEntry.objects.filter(administration=administration))
            context["mental"] = [h for h in health if h.factor == 3]
            context["physical"] = [h for h in health if h.factor == 4]
            context["show_health"] = True
    else:
        profile = screening_profile(list(administration.answers.all()), administration.version)
        in_tree = set(ScreeningProblem.objects.filter(case=case).values_list("item", flat=True))
        context["profile"] = profile
        context["in_tree"] = in_tree
        context["can_add_problems"] = can_work and case.is_open and case.phase == Phase.ASSESSMENT
    return context


def administration_comparison(*, administration: Administration) -> dict[str, Any]:
    previous = previous_administration(administration)
    if previous is None:
        return {"previous": None, "rows": []}
    if administration.instrument == DIGITAL:
        rows = compare_screenings(previous, administration)
        old_total = screening_profile(list(previous.answers.all()), previous.version).total
        new_total = screening_profile(list(administration.answers.all()), administration.version).total
        change = new_total - old_total
        totals = {"old": old_total, "new": new_total, "change": f"{change:+d}" if change else "0"}
    else:
        rows = compare_pie(previous, administration)
        totals = None
    return {"previous": previous, "rows": rows, "totals": totals}


def scales(version: str) -> list[dict[str, Any]]:
    """The PIE index scales with their labels, for the legend beside the form and the summary."""
    pie = definition(PIE, version)
    return [
        {"name": _("Severity"), "labels": list(pie.SEVERITY.items())},
        {"name": _("Duration (higher = more recent)"), "labels": list(pie.DURATION.items())},
        {"name": _("Coping"), "labels": list(pie.COPING.items())},
    ]


def timeline_entries(case: Case, *, newest_first: bool, upto: int | None) -> list[dict[str, Any]]:
    """Administrations as case-timeline entries (one query); see cases.selectors.TimelineSource."""
    order = ["-administered_on", "-id"] if newest_first else ["administered_on", "id"]
    qs = Administration.objects.filter(case=case).select_related("administered_by").order_by(*order)
    if upto is not None:
        qs = qs[:upto]
    return [
        {
            "pk": adm.pk,
            "day": adm.administered_on,
            "actor": adm.administered_by,
            "text": _("%(instrument)s administered") % {"instrument": definition(adm.instrument, adm.version).NAME},
            "url": reverse("instruments:detail", args=[case.pk, adm.pk]),
        }
        for adm in qs
    ]
