"""Pages of the instruments, mounted at /cases/<case_id>/instruments/.

Reads: the case for the user (404 for outsiders). Writes: the user must be able to work on the
case (403 for those who may only read it, such as the manager). Each write validates with a form,
calls one service, then redirects (POST/redirect/GET) or re-renders with the input and errors.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dampingi.cases.models import Case
from dampingi.cases.permissions import get_case_for_user_or_404, get_case_for_work_or_403
from dampingi.cases.services import case_record_view
from dampingi.core.forms import add_service_errors
from dampingi.instruments import services
from dampingi.instruments.definitions import CURRENT, DIGITAL, PIE, definition
from dampingi.instruments.forms import PieForms, ScreeningForm
from dampingi.instruments.selectors import (
    ANCHOR,
    administration_comparison,
    administration_detail,
    administration_for_case_or_404,
    scales,
)


def _case_url(case_id: int) -> str:
    return reverse("cases:detail", args=[case_id]) + "#" + ANCHOR


def _detail_url(case_id: int, pk: int) -> str:
    return reverse("instruments:detail", args=[case_id, pk])


def _phase_refused(request, case: Case) -> HttpResponse | None:
    try:
        services.administer_check_phase(case)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_case_url(case.pk))
    return None


@require_http_methods(["GET", "POST"])
def pie_new(request, case_id: int):
    case = get_case_for_work_or_403(request.user, case_id)
    refused = _phase_refused(request, case)
    if refused is not None:
        return refused
    if request.method == "POST" and "more" in request.POST:
        forms = PieForms.with_more_rows(request.POST)
    else:
        forms = PieForms(request.POST if request.method == "POST" else None)
    if request.method == "POST" and "more" not in request.POST and forms.is_valid():
        try:
            administration = services.pie_administer(actor=request.user, case=case, **forms.cleaned())
        except ValidationError as exc:
            add_service_errors(forms.date, exc)
        else:
            messages.success(request, _("PIE recorded."))
            return redirect(_detail_url(case.pk, administration.pk))
    pie = CURRENT[PIE]
    context = {"case": case, "forms": forms, "scales": scales(pie.VERSION), "pie": pie}
    return render(request, "instruments/pie_form.html", context)


def _screening_field(key: str) -> str:
    """The form field of a service error key: an item's rating, or the field itself."""
    return f"rating_{key}" if key in CURRENT[DIGITAL].ITEMS else key


@require_http_methods(["GET", "POST"])
def screening_new(request, case_id: int):
    case = get_case_for_work_or_403(request.user, case_id)
    refused = _phase_refused(request, case)
    if refused is not None:
        return refused
    form = ScreeningForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            administration = services.screening_administer(
                actor=request.user,
                case=case,
                administered_on=form.cleaned_data["administered_on"],
                answers=form.answers(),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                exc = ValidationError({_screening_field(k): v for k, v in exc.error_dict.items()})
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Digital-life screening recorded."))
            return redirect(_detail_url(case.pk, administration.pk))
    context = {"case": case, "form": form, "digital": CURRENT[DIGITAL]}
    return render(request, "instruments/screening_form.html", context)


@require_GET
def detail(request, case_id: int, pk: int):
    case = get_case_for_user_or_404(request.user, case_id)
    administration = administration_for_case_or_404(case, pk)
    case_record_view(actor=request.user, case=case)
    context = {"case": case, **administration_detail(case=case, user=request.user, administration=administration)}
    if administration.instrument == PIE:
        context["scales"] = scales(administration.version)
    return render(request, "instruments/detail.html", context)


@require_GET
def compare(request, case_id: int, pk: int):
    case = get_case_for_user_or_404(request.user, case_id)
    administration = administration_for_case_or_404(case, pk)
    case_record_view(actor=request.user, case=case)
    context = {
        "case": case,
        "administration": administration,
        "name": definition(administration.instrument, administration.version).NAME,
        **administration_comparison(administration=administration),
    }
    return render(request, "instruments/compare.html", context)


@require_POST
def add_problem(request, case_id: int, pk: int, item: str):
    case = get_case_for_work_or_403(request.user, case_id)
    administration = administration_for_case_or_404(case, pk)
    try:
        problem = services.screening_add_problem(
            actor=request.user, case=case, administration_id=administration.pk, item=item
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("“%(title)s” was added to the problem tree.") % {"title": problem.title})
    return redirect(_detail_url(case.pk, administration.pk))
