"""Pages of the genograms, mounted at /cases/<case_id>/genograms/.

Reads: the case for the user (404 for outsiders) and a "case viewed" audit event. Writes: the user
must be able to work on the case (403 otherwise, nothing saved). The editor validates its forms,
calls `genogram_draw`, then redirects, or re-renders with everything typed and the errors.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dampingi.cases.permissions import can_work_on_case, get_case_for_user_or_404, get_case_for_work_or_403
from dampingi.cases.services import case_record_view
from dampingi.genograms import selectors, services
from dampingi.genograms.forms import GenogramEditor


@require_http_methods(["GET", "POST"])
def new(request, case_id: int):
    case = get_case_for_work_or_403(request.user, case_id, open_only=True)
    if request.method == "POST" and "more" in request.POST:
        editor = GenogramEditor.with_more_rows(request.POST, request.POST.get("more", ""))
    elif request.method == "POST":
        editor = GenogramEditor(request.POST)
        if editor.is_valid():
            try:
                genogram = services.genogram_draw(actor=request.user, case=case, **editor.cleaned())
            except ValidationError as exc:
                editor.add_service_errors(exc)
            else:
                messages.success(request, _("Genogram version %(number)s saved.") % {"number": genogram.number})
                return redirect(reverse("genograms:detail", args=[case.pk, genogram.number]))
    else:
        editor = GenogramEditor.prefilled(selectors.editor_rows(case))
    context = {"case": case, "editor": editor, "has_versions": case.genograms.exists()}
    return render(request, "genograms/editor.html", context)


@require_GET
def detail(request, case_id: int, number: int):
    case = get_case_for_user_or_404(request.user, case_id)
    genogram = selectors.genogram_for_case_or_404(case, number)
    case_record_view(actor=request.user, case=case)
    versions = list(case.genograms.order_by("number").values_list("number", flat=True))
    context = {
        "case": case,
        "gv": selectors.genogram_view(genogram),
        "versions": versions,
        "can_work": can_work_on_case(request.user, case) and case.is_open,
    }
    return render(request, "genograms/detail.html", context)


@require_GET
def print_page(request, case_id: int, number: int):
    case = get_case_for_user_or_404(request.user, case_id)
    genogram = selectors.genogram_for_case_or_404(case, number)
    case_record_view(actor=request.user, case=case)
    return render(request, "genograms/print.html", {"case": case, "gv": selectors.genogram_view(genogram)})


def _number(value, default: int, allowed: list[int]) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number in allowed else default


@require_GET
def compare(request, case_id: int):
    case = get_case_for_user_or_404(request.user, case_id)
    case_record_view(actor=request.user, case=case)
    versions = list(case.genograms.order_by("number").values_list("number", flat=True))
    context = {"case": case, "versions": versions}
    if versions:
        old = _number(request.GET.get("old"), versions[0], versions)
        new = _number(request.GET.get("new"), versions[-1], versions)
        rows = {g.number: g for g in selectors.with_content().filter(case=case, number__in={old, new})}
        old_view = selectors.genogram_view(rows[old])
        new_view = old_view if old == new else selectors.genogram_view(rows[new])
        context.update(
            old=old_view,
            new=new_view,
            changes=selectors.compare_rows(old_view["rows"], new_view["rows"]),
        )
    return render(request, "genograms/compare.html", context)
