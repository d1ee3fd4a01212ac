"""Pages of the eco-maps, mounted at /cases/<case_id>/ecomaps/.

Reads: the case for the user (404 for outsiders), and every page records the view of the case file.
Writes: the user must be able to work on the case (403 otherwise, nothing changed). A new version
validates with the forms, calls `ecomap_draw`, then redirects (POST/redirect/GET) or re-renders
with the input and the errors next to the fields.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from dampingi.cases.permissions import can_work_on_case, get_case_for_user_or_404, get_case_for_work_or_403
from dampingi.cases.services import case_record_view
from dampingi.ecomaps import services
from dampingi.ecomaps.forms import EcoMapForms
from dampingi.ecomaps.selectors import (
    ANCHOR,
    ecomap_for_case_or_404,
    ecomaps_of,
    prefill_systems,
    system_differences,
    version_context,
)


def _case_url(case_id: int) -> str:
    return reverse("cases:detail", args=[case_id]) + "#" + ANCHOR


@require_http_methods(["GET", "POST"])
def new(request, case_id: int):
    case = get_case_for_work_or_403(request.user, case_id)
    if not case.is_open:
        messages.error(request, _("The case is closed: its eco-map can no longer be drawn."))
        return redirect(_case_url(case.pk))
    source = None
    if request.method == "POST" and "more" in request.POST:
        forms_ = EcoMapForms.with_more_rows(request.POST)
    elif request.method == "POST":
        forms_ = EcoMapForms(request.POST)
        if forms_.is_valid():
            try:
                ecomap = services.ecomap_draw(actor=request.user, case=case, **forms_.cleaned())
            except ValidationError as exc:
                forms_.add_service_errors(exc)
            else:
                messages.success(request, _("Eco-map version %(number)s recorded.") % {"number": ecomap.number})
                return redirect("ecomaps:detail", case.pk, ecomap.number)
    else:
        rows, source = prefill_systems(case)
        forms_ = EcoMapForms(initial_systems=rows)
    context = {"case": case, "forms": forms_, "source": source, "is_get": request.method == "GET"}
    return render(request, "ecomaps/new.html", context)


@require_GET
def detail(request, case_id: int, number: int):
    case = get_case_for_user_or_404(request.user, case_id)
    ecomap = ecomap_for_case_or_404(case, number)
    case_record_view(actor=request.user, case=case)
    versions = list(ecomaps_of(case).values_list("number", flat=True))
    context = {
        "case": case,
        **version_context(ecomap),
        "version_count": len(versions),
        "writable": can_work_on_case(request.user, case) and case.is_open,
    }
    return render(request, "ecomaps/detail.html", context)


@require_GET
def print_version(request, case_id: int, number: int):
    """One version on a standalone page without the menu, styled to print."""
    case = get_case_for_user_or_404(request.user, case_id)
    ecomap = ecomap_for_case_or_404(case, number)
    case_record_view(actor=request.user, case=case)
    return render(request, "ecomaps/print.html", {"case": case, **version_context(ecomap, prefix="ecomap-print")})


class CompareForm(forms.Form):
    a = forms.TypedChoiceField(label=gettext_lazy("Before"), coerce=int)
    b = forms.TypedChoiceField(label=gettext_lazy("After"), coerce=int)

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, _("version %(number)s") % {"number": n}) for n in numbers]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices


@require_GET
def compare(request, case_id: int):
    """Two versions side by side (default: the first and the latest) and what changed between them."""
    case = get_case_for_user_or_404(request.user, case_id)
    case_record_view(actor=request.user, case=case)
    numbers = list(ecomaps_of(case).values_list("number", flat=True))
    context = {"case": case, "numbers": numbers}
    if not numbers:
        return render(request, "ecomaps/compare.html", {**context, "form": None, "before": None, "after": None})
    defaults = {"a": numbers[0], "b": numbers[-1]}
    data = request.GET if "a" in request.GET or "b" in request.GET else None
    form = CompareForm(data, numbers=numbers, initial=defaults)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else defaults
    if form.is_bound and not form.is_valid():
        form = CompareForm(numbers=numbers, initial=defaults)
    before = version_context(ecomap_for_case_or_404(case, chosen["a"]), prefix="ecomap-a")
    after = version_context(ecomap_for_case_or_404(case, chosen["b"]), prefix="ecomap-b")
    context.update(
        {
            "form": form,
            "before": before,
            "after": after,
            "differences": system_differences(before["systems"], after["systems"]),
        }
    )
    return render(request, "ecomaps/compare.html", context)
