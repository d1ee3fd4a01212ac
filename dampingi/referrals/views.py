"""Pages of referrals, mounted at /referrals/.

Workers refer from a case (search the directory, fill the referral, save a draft or send), follow
the referral on its page and print the referral letter. Partner organisation staff answer from
their inbox and see only what the referral shares. Outsiders get 404 (selectors.
get_referral_for_user_or_404, cases.permissions.get_case_for_user_or_404); those who may read but
not act (a manager) get 403 on writes. Thin views: authorise, validate, one service, redirect.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dampingi.cases.models import Case
from dampingi.cases.permissions import can_work_on_case, get_case_for_user_or_404
from dampingi.cases.services import case_record_view
from dampingi.core.concurrency import ConcurrentEditError
from dampingi.core.forms import add_service_errors
from dampingi.referrals import selectors, services, sharing
from dampingi.referrals.forms import InboxFilterForm, MoveForm, ReferralForm, ServiceSearchForm
from dampingi.referrals.models import Referral
from dampingi.referrals.states import Side, Status, Verb, moves_from

SEARCH_LIMIT = 25


def _case_for_refer(request: HttpRequest, case_id: int) -> Case:
    case = get_case_for_user_or_404(request.user, case_id)
    if not (can_work_on_case(request.user, case) and case.is_open):
        raise PermissionDenied
    return case


def _detail_url(pk: int) -> str:
    return reverse("referrals:detail", args=[pk])


# --- Referring: search the directory, write the referral ------------------------------------------


def _search(request: HttpRequest) -> dict:
    from dampingi.directory.selectors import services_search

    form = ServiceSearchForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    results = list(
        services_search(
            need=criteria.get("need") or None, region_code=criteria.get("region") or None, q=criteria.get("q") or None
        )[:SEARCH_LIMIT]
    )
    today = timezone.localdate()
    for service in results:
        verified = service.last_verified_on
        service.verified_days = (today - verified).days if verified else None
    return {"search_form": form, "results": results, "search_limit": SEARCH_LIMIT}


def _chosen_service(request: HttpRequest):
    from dampingi.directory.selectors import service_for_referral

    service_id = request.POST.get("service") or request.GET.get("service")
    if not service_id:
        return None
    try:
        return service_for_referral(service_id)
    except Http404:
        messages.error(request, _("This service is no longer active in the directory: choose another one."))
        return False


def _form_context(case: Case, form: ReferralForm, service, referral: Referral | None = None) -> dict:
    return {
        "case": case,
        "form": form,
        "service": service,
        "referral": referral,
        "sections": form.section_rows(),
        "waitlist": service.capacity == "waitlist",
        "no_capacity": service.capacity == "no_capacity",
    }


@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case_for_refer(request, case_id)
    service = _chosen_service(request)
    if service is False:
        return redirect(reverse("referrals:new", args=[case.pk]))
    if service is None:
        return render(request, "referrals/service_search.html", {"case": case, **_search(request)})
    form = ReferralForm(request.POST if request.method == "POST" else None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_create(
                actor=request.user,
                case=case,
                service=service,
                send=request.POST.get("action") == "send",
                confirm_waitlist=form.cleaned_data["confirm_waitlist"],
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if referral.status == Status.REQUESTED:
                messages.success(request, _("Referral sent to %(service)s.") % {"service": service.name})
            else:
                messages.success(request, _("Referral saved as a draft."))
            return redirect(_detail_url(referral.pk))
    return render(request, "referrals/referral_form.html", _form_context(case, form, service))


@require_http_methods(["GET", "POST"])
def referral_edit(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.get_referral_for_user_or_404(request.user, pk)
    if selectors.side_of(request.user, referral) != Side.REFERRING:
        raise PermissionDenied
    if referral.status != Status.DRAFT:
        messages.error(request, _("Only a draft can be changed; this referral was already sent."))
        return redirect(_detail_url(referral.pk))
    case, service = referral.case, referral.service
    if request.method == "POST":
        form = ReferralForm(request.POST, case=case)
    else:
        form = ReferralForm(case=case, initial=ReferralForm.initial_for(referral))
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_update(
                actor=request.user,
                referral_id=referral.pk,
                expected_version=form.cleaned_data["version"] or 0,
                service=service,
                send=request.POST.get("action") == "send",
                confirm_waitlist=form.cleaned_data["confirm_waitlist"],
                **form.service_kwargs(),
            )
        except ConcurrentEditError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Referral saved."))
            return redirect(_detail_url(referral.pk))
    return render(request, "referrals/referral_form.html", _form_context(case, form, service, referral))


# --- One referral: the page, the moves, the letter -------------------------------------------------


def _actions(referral: Referral, side: Side | None, bound: dict | None) -> list[dict]:
    """The moves the user may make now, each with its form (the bound one if it was just refused)."""
    if side is None:
        return []
    actions = []
    for move in moves_from(referral.status, side):
        form = (bound or {}).get(move.target) or MoveForm(
            initial={"target": move.target, "expected_status": referral.status}, prefix=f"m-{move.target}"
        )
        actions.append(
            {
                "move": move,
                "form": form,
                "label": Verb(move.verb).label,
                "asks_reason": move.needs_reason or move.verb == Verb.HOLD,
                "asks_waitlist": move.target == Status.REQUESTED and referral.service.capacity == "waitlist",
                "primary": move.verb in (Verb.SEND, Verb.ACCEPT, Verb.START, Verb.RESUME, Verb.COMPLETE),
            }
        )
    return actions


def _detail_page(
    request: HttpRequest, referral: Referral, *, bound: dict | None = None, errors: list | None = None
) -> HttpResponse:
    user = request.user
    side = selectors.side_of(user, referral)
    today = timezone.localdate()
    history = selectors.referral_history(referral)
    context = {
        "referral": referral,
        "shared": selectors.shared_view(referral, today=today),
        "actions": _actions(referral, side, bound),
        "errors": errors or [],
        "overdue": referral.is_overdue_on(today),
        "section_labels": {s.value: s.label for s in sharing.Section},
    }
    if user.is_partner:
        services.referral_record_view(actor=user, referral=referral)
        context["history"] = [e for e in history if e.to_status != Status.DRAFT]
        return render(request, "referrals/partner_detail.html", context)
    case_record_view(actor=user, case=referral.case)
    context.update(
        case=referral.case,
        history=history,
        can_edit=side == Side.REFERRING and referral.status == Status.DRAFT,
        shared_labels=[sharing.Section(s).label for s in referral.shared_sections if s in sharing.Section.values],
    )
    return render(request, "referrals/detail.html", context)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.get_referral_for_user_or_404(request.user, pk)
    return _detail_page(request, referral)


@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.get_referral_for_user_or_404(request.user, pk)
    if selectors.side_of(request.user, referral) is None:
        raise PermissionDenied
    # Each action's form is prefixed with its target; "move" names the one submitted.
    form = MoveForm(request.POST, prefix=f"m-{request.POST.get('move', '')}")
    if not form.is_valid():
        return _detail_page(request, referral, errors=[_("This action is not available.")])
    data = form.cleaned_data
    try:
        moved = services.referral_move(
            actor=request.user,
            referral_id=referral.pk,
            target=data["target"],
            expected_status=data["expected_status"],
            reason=data["reason"],
            outcome=data["outcome"],
            confirm_waitlist=data["confirm_waitlist"],
        )
    except ValidationError as exc:
        referral = selectors.get_referral_for_user_or_404(request.user, pk)
        if getattr(exc, "code", None) in ("stale", "forbidden_move"):
            return _detail_page(request, referral, errors=exc.messages)
        add_service_errors(form, exc)
        return _detail_page(request, referral, bound={data["target"]: form})
    messages.success(request, _("The referral is now: %(status)s.") % {"status": moved.get_status_display()})
    return redirect(_detail_url(moved.pk))


@require_GET
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The referral letter (surat rujukan), to print, in the language of the case file."""
    referral = selectors.get_referral_for_user_or_404(request.user, pk)
    if request.user.is_partner:
        services.referral_record_view(actor=request.user, referral=referral)
    else:
        case_record_view(actor=request.user, case=referral.case)
    with translation.override(referral.case.language):
        context = {
            "referral": referral,
            "case": referral.case,
            "shared": selectors.shared_view(referral),
            "is_partner": request.user.is_partner,
            "letter_date": timezone.localdate(referral.sent_at) if referral.sent_at else timezone.localdate(),
        }
        response = render(request, "referrals/letter.html", context)
    response.headers["Content-Language"] = referral.case.language
    return response


# --- The partner organisation's inbox --------------------------------------------------------------


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_partner:
        raise Http404
    form = InboxFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.partner_inbox(user, status=filters.get("status") or "", overdue=bool(filters.get("overdue")))
    page_obj = Paginator(qs, settings.DAMPINGI_PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for referral in page_obj.object_list:
        referral.overdue = referral.is_overdue_on(today)
    params = request.GET.copy()
    params.pop("page", None)
    rest = params.urlencode()
    context = {
        "form": form,
        "page_obj": page_obj,
        "querystring_without_page": f"{rest}&" if rest else "",
        "linked": selectors.partner_organization_id(user) is not None,
    }
    return render(request, "referrals/inbox.html", context)
