"""Pages of the cases area. Thin views: authorise, validate with a form, call one service, redirect.

Outsiders get 404 (cases.permissions.get_case_for_user_or_404). A user who may read a case but
not change it (a manager, or anyone on a closed case) gets 404 from the write endpoints: the
page never offers them the action.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dampingi.assessments.sections import assessment_section, problems_for_case
from dampingi.cases import selectors
from dampingi.cases.forms import (
    ORGANISATION_HINTS,
    ActivityNoteForm,
    ApprovalDecisionForm,
    CaseFilterForm,
    CaseOpenForm,
    ConsentForm,
    ConsentWithdrawForm,
    ContractForm,
    PhaseMoveForm,
    ReopenForm,
    StakeholderForm,
    StakeholderRemoveForm,
    TerminationForm,
    TransferForm,
)
from dampingi.cases.guards import FORWARD_GUARDS
from dampingi.cases.models import ActivityNote, Approval, Case, Consent, Stakeholder
from dampingi.cases.permissions import (
    can_approve_for_case,
    can_open_cases,
    can_work_on_case,
    cases_visible_to,
    get_case_for_user_or_404,
)
from dampingi.cases.phases import ORDER, PP39_NAMES, MoveKind, Phase, move_for, moves_from
from dampingi.cases.services import (
    PhaseMoveError,
    activity_note_add,
    activity_note_update,
    approval_decide,
    can_edit_note,
    case_change_phase,
    case_open,
    case_record_view,
    case_reopen,
    case_terminate,
    case_transfer_request,
    consent_record,
    consent_withdraw,
    contract_create,
    contract_update,
    stakeholder_add,
    stakeholder_remove,
    stakeholder_update,
)
from dampingi.clients.models import ClientSystem
from dampingi.clients.selectors import get_client_system_for_user_or_404
from dampingi.conferences.selectors import case_conferences
from dampingi.core.concurrency import ConcurrentEditError
from dampingi.core.forms import add_service_errors
from dampingi.ecomaps.sections import ecomap_section
from dampingi.genograms.sections import genogram_section
from dampingi.instruments.selectors import instruments_section
from dampingi.plans.sections import evaluation_section, planning_section, read_case_plan, task_progress_section
from dampingi.referrals.sections import referrals_section

# Where on the case page the supervisor reads what an approval request is about.
APPROVAL_ANCHORS = {
    Approval.Kind.PLAN: "planning",
    Approval.Kind.ASSESSMENT: "assessment",
    Approval.Kind.CLOSURE: "termination",
    Approval.Kind.TRANSFER: "transfer",
}

# --- Helpers ----------------------------------------------------------------------------------


def _paginate(request: HttpRequest, object_list) -> dict:
    page_obj = Paginator(object_list, settings.DAMPINGI_PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    rest = params.urlencode()
    return {"page_obj": page_obj, "querystring_without_page": f"{rest}&" if rest else ""}


def _case_url(case_id: int, anchor: str = "") -> str:
    url = reverse("cases:detail", args=[case_id])
    return f"{url}#{anchor}" if anchor else url


def _case_or_404(request: HttpRequest, pk: int, *, may: Callable | None = None) -> Case:
    """The case if the user may see it and (with `may`) do the action; 404 otherwise."""
    case = get_case_for_user_or_404(request.user, pk)
    if may is not None and not may(request.user, case):
        raise Http404
    return case


def _writable_case(request: HttpRequest, pk: int) -> Case:
    return _case_or_404(request, pk, may=lambda user, case: can_work_on_case(user, case) and case.is_open)


def _with_vary(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ["HX-Request"])
    return response


def _all_errors(form) -> list[str]:
    return [str(error) for errors in form.errors.values() for error in errors]


# --- Case list and approvals -----------------------------------------------------------------


@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    filters = form.filters()
    qs = selectors.case_list(user=request.user, **filters)
    context = {
        "form": form,
        "filters": filters,
        "can_open": can_open_cases(request.user),
        **_paginate(request, qs),
    }
    template = "cases/case_list.html#results" if request.htmx else "cases/case_list.html"
    return _with_vary(render(request, template, context))


@require_GET
def approval_list(request: HttpRequest) -> HttpResponse:
    context = {
        "is_supervisor": request.user.is_supervisor,
        **_paginate(request, selectors.pending_approvals_for(request.user)),
    }
    return render(request, "cases/approval_list.html", context)


# --- Opening a case ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def case_open_view(request: HttpRequest) -> HttpResponse:
    try:
        client_pk = int(request.GET.get("client", ""))
    except ValueError:
        raise Http404 from None
    client_system = get_client_system_for_user_or_404(request.user, client_pk)
    if not can_open_cases(request.user):
        raise Http404
    form = CaseOpenForm(request.POST or None, user=request.user, client_system=client_system)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = case_open(
                actor=request.user,
                client_system=client_system,
                programme=data["programme"],
                presenting_problem=data["presenting_problem"],
                referral_source=data["referral_source"],
                referral_source_detail=data["referral_source_detail"],
                ppks=data["ppks"],
                priority=data["priority"],
                assigned_worker=data["assigned_worker"],
                supervisor=data["supervisor"],
                team=data["assigned_worker"].team,
                language=data["language"],
            )
        except ValidationError as exc:
            form.add_error("programme", exc)
        else:
            messages.success(request, _("Case %(reference)s opened.") % {"reference": case.reference})
            return redirect(_case_url(case.pk))
    open_cases = list(
        cases_visible_to(request.user)
        .filter(client_system=client_system, closed_at__isnull=True)
        .select_related("programme")
        .order_by("-opened_at")
    )
    return render(
        request,
        "cases/case_open.html",
        {"form": form, "client_system": client_system, "open_cases": open_cases},
    )


# --- The case page -------------------------------------------------------------------------------


def _steps(case: Case) -> list[dict]:
    current = ORDER.index(Phase(case.phase))
    steps = []
    for index, phase in enumerate(ORDER):
        if not case.is_open or index < current:
            state = "done"
        elif index == current:
            state = "current"
        else:
            state = "todo"
        if not case.is_open and phase == Phase.TERMINATION:
            state = "current"
        steps.append({"value": phase.value, "label": phase.label, "pp39": PP39_NAMES[phase], "state": state})
    return steps


def _move_panel(case: Case, user, bound: dict, latest_termination, closure) -> dict:
    """The moves the user may make from the case's current phase, each with its form."""
    can_work = can_work_on_case(user, case)
    panel: dict = {
        "errors": bound.get("panel_errors", []),
        "forward": None,
        "forward_form": None,
        "missing": [],
        "cycle_form": None,
        "termination_form": None,
        "closure_pending": False,
        "closure_returned": None,
        "reopen_form": None,
    }
    if case.is_open and can_work:
        moves = moves_from(case.phase)
        forward = next((m for m in moves if m.kind == MoveKind.FORWARD), None)
        if forward is not None:
            panel["forward"] = forward
            panel["missing"] = FORWARD_GUARDS[forward.source](case)
            panel["forward_form"] = bound.get("forward") or PhaseMoveForm(
                initial={"target": forward.target, "expected_phase": case.phase}
            )
        cycle_targets = [m.target for m in moves if m.kind == MoveKind.CYCLE]
        if cycle_targets:
            panel["cycle_form"] = bound.get("cycle") or PhaseMoveForm(
                cycle_targets=cycle_targets, initial={"expected_phase": case.phase}
            )
        if case.phase != Phase.TERMINATION:
            panel["termination_form"] = bound.get("terminate") or TerminationForm(
                initial={"expected_phase": case.phase}
            )
        elif closure is not None and closure.status == Approval.Status.PENDING:
            panel["closure_pending"] = True
        elif closure is not None and closure.status == Approval.Status.RETURNED:
            panel["closure_returned"] = closure
            initial = {"expected_phase": case.phase}
            if latest_termination is not None:
                initial.update(
                    reason=latest_termination.reason,
                    summary=latest_termination.summary,
                    followup_date=latest_termination.followup_date,
                )
            panel["termination_form"] = bound.get("terminate") or TerminationForm(initial=initial)
        elif closure is None:
            # In Termination without a closure request (e.g. data from before approvals): ask now.
            panel["termination_form"] = bound.get("terminate") or TerminationForm(
                initial={"expected_phase": case.phase}
            )
    if not case.is_open and can_approve_for_case(user, case):
        panel["reopen_form"] = bound.get("reopen") or ReopenForm(initial={"expected_phase": case.phase})
    return panel


def _case_page(request: HttpRequest, pk: int, *, bound: dict | None = None) -> HttpResponse:
    """The whole case file. `bound` carries forms with the user's input and errors after a refusal.

    The timeline is not read here: the page loads its latest entries on demand (timeline_latest).
    What several sections show (approvals, problems, stakeholders, the plan and its goals) is read once.
    """
    bound = bound or {}
    user = request.user
    case = get_case_for_user_or_404(user, pk)
    contract = selectors.case_contract(case)
    consents = selectors.case_prefetch_consents(case)
    approvals = selectors.case_approvals(case)
    latest = selectors.case_latest_approvals(case, approvals=approvals)
    latest_termination = selectors.case_latest_termination(case)
    closure = latest.get(Approval.Kind.CLOSURE)
    can_approve = can_approve_for_case(user, case)
    pending = [a for a in latest.values() if a.status == Approval.Status.PENDING]
    decisions = []
    for approval in sorted(pending, key=lambda a: a.requested_at):
        form = None
        if can_approve:
            form = bound.get(f"approval-{approval.pk}") or ApprovalDecisionForm(prefix=f"approval-{approval.pk}")
        decisions.append({"approval": approval, "form": form})
    panel = _move_panel(case, user, bound, latest_termination, closure)
    shown = {panel[k] for k in ("forward_form", "cycle_form", "termination_form", "reopen_form")}
    shown |= {d["form"] for d in decisions}
    for key, form in bound.items():
        if key != "panel_errors" and form not in shown:
            # The page no longer offers this form (e.g. the request was decided meanwhile): say why above the moves.
            panel["errors"] = [*panel["errors"], *_all_errors(form)]
    case_record_view(actor=user, case=case)
    stakeholders = selectors.case_stakeholders(case)
    problems = problems_for_case(case)
    case_plan = read_case_plan(case)
    steps = _steps(case)
    context = {
        "case": case,
        "steps": steps,
        "steps_by_phase": {s["value"]: s for s in steps},
        "can_work": can_work_on_case(user, case) and case.is_open,
        "can_approve": can_approve,
        "panel": panel,
        "decisions": decisions,
        "contract": contract,
        "consents": consents,
        "engagement_missing": FORWARD_GUARDS[Phase.ENGAGEMENT](case) if case.phase == Phase.ENGAGEMENT else [],
        "intake_notes": selectors.case_intake_notes(case),
        "recent_notes": selectors.case_recent_notes(case),
        "stakeholders": stakeholders,
        "transfers": selectors.case_transfers(case, approvals=approvals),
        "conferences": case_conferences(case),
        "referrals_section": referrals_section(case=case, user=user),
        "latest_termination": latest_termination,
        "closure": closure,
        "assessment_section": assessment_section(case=case, user=user, problems=problems),
        "instruments_section": instruments_section(case=case, user=user),
        "ecomap_section": ecomap_section(case=case, user=user),
        "genogram_section": genogram_section(case=case, user=user),
        "tools_open_phases": (Phase.ASSESSMENT, Phase.EVALUATION, Phase.TERMINATION),
        "planning_section": planning_section(
            case=case, user=user, case_plan=case_plan, problems=problems, stakeholders=stakeholders
        ),
        "task_progress_section": task_progress_section(case=case, user=user, case_plan=case_plan),
        "evaluation_section": evaluation_section(case=case, user=user, case_plan=case_plan),
    }
    return _with_vary(render(request, "cases/case_detail.html", context))


@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, pk)


def _refused_move(request: HttpRequest, pk: int, form, slot: str, exc: ValidationError) -> HttpResponse:
    """Re-render the case page with the refusal on the form the user used, keeping what they typed.

    If the case moved meanwhile (stale page), the message is shown above the moves and the form is
    re-bound to the case's current phase, so that a new submission acts on what the user now sees.
    """
    if getattr(exc, "code", None) == "stale":
        case = get_case_for_user_or_404(request.user, pk)
        data = form.data.copy()
        data["expected_phase"] = case.phase
        if slot == "forward":
            forward = next((m for m in moves_from(case.phase) if m.kind == MoveKind.FORWARD), None)
            data["target"] = forward.target if forward is not None else ""
        form = form.__class__(data, **getattr(form, "rebind_kwargs", {}))
        form.is_valid()
        return _case_page(request, pk, bound={slot: form, "panel_errors": exc.messages})
    if getattr(exc, "code", None) == "reason_required" and "reason" in form.fields:
        form.add_error("reason", exc)
    else:
        add_service_errors(form, exc)
    return _case_page(request, pk, bound={slot: form})


@require_POST
def case_move(request: HttpRequest, pk: int) -> HttpResponse:
    case = _writable_case(request, pk)
    move = move_for(request.POST.get("expected_phase", ""), request.POST.get("target", ""))
    if move is not None and move.kind == MoveKind.CYCLE:
        slot = "cycle"
        targets = [m.target for m in moves_from(move.source) if m.kind == MoveKind.CYCLE]
        form = PhaseMoveForm(request.POST, cycle_targets=targets)
        form.rebind_kwargs = {"cycle_targets": targets}
    else:
        slot = "forward"
        form = PhaseMoveForm(request.POST)
    if not form.is_valid():
        return _case_page(request, pk, bound={slot: form})
    try:
        case = case_change_phase(
            actor=request.user,
            case_id=case.pk,
            target=form.cleaned_data["target"],
            reason=form.cleaned_data["reason"],
            expected_phase=form.cleaned_data["expected_phase"],
        )
    except ValidationError as exc:
        return _refused_move(request, pk, form, slot, exc)
    messages.success(request, _("The case moved to %(phase)s.") % {"phase": case.get_phase_display()})
    return redirect(_case_url(case.pk, case.phase))


@require_POST
def case_terminate_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = _writable_case(request, pk)
    form = TerminationForm(request.POST)
    if not form.is_valid():
        return _case_page(request, pk, bound={"terminate": form})
    data = form.cleaned_data
    try:
        case_terminate(
            actor=request.user,
            case_id=case.pk,
            reason=data["reason"],
            summary=data["summary"],
            followup_date=data["followup_date"],
            expected_phase=data["expected_phase"],
        )
    except ValidationError as exc:
        return _refused_move(request, pk, form, "terminate", exc)
    messages.success(request, _("Termination recorded. The supervisor has been asked to approve the closure."))
    return redirect(_case_url(case.pk, "termination"))


@require_POST
def case_reopen_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk, may=can_approve_for_case)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return _case_page(request, pk, bound={"reopen": form})
    if case.is_open or form.cleaned_data["expected_phase"] != case.phase:
        stale = PhaseMoveError(
            _("The case has already been reopened and is in %(phase)s. Reload the page to see its current state.")
            % {"phase": case.get_phase_display()},
            code="already_open",
        )
        return _case_page(request, pk, bound={"panel_errors": stale.messages})
    try:
        case_reopen(actor=request.user, case_id=case.pk, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        return _refused_move(request, pk, form, "reopen", exc)
    messages.success(request, _("The case is reopened in Engagement: review the contract with the client."))
    return redirect(_case_url(case.pk, "engagement"))


@require_POST
def approval_decide_view(request: HttpRequest, pk: int, approval_id: int) -> HttpResponse:
    case = _case_or_404(request, pk, may=can_approve_for_case)
    approval = get_object_or_404(Approval, pk=approval_id, case=case)
    key = f"approval-{approval.pk}"
    form = ApprovalDecisionForm(request.POST, prefix=key)
    if form.is_valid():
        try:
            approval = approval_decide(
                actor=request.user,
                approval_id=approval.pk,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if approval.status == Approval.Status.APPROVED:
                messages.success(request, _("Approved: %(kind)s.") % {"kind": approval.get_kind_display()})
            else:
                messages.success(
                    request, _("Returned to the worker for revision: %(kind)s.") % {"kind": approval.get_kind_display()}
                )
            return redirect(_case_url(case.pk, APPROVAL_ANCHORS[approval.kind]))
    return _case_page(request, pk, bound={key: form})


# --- Engagement: contract and consent ------------------------------------------------------------


def _form_page(request: HttpRequest, case: Case, form, **context) -> HttpResponse:
    case_record_view(actor=request.user, case=case)
    return render(request, "cases/case_form.html", {"case": case, "form": form, **context})


@require_http_methods(["GET", "POST"])
def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _writable_case(request, pk)
    contract = selectors.case_contract(case)
    form = ContractForm(request.POST or None, instance=contract)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            if contract is None:
                contract_create(actor=request.user, case_id=case.pk, **fields)
            else:
                contract_update(
                    actor=request.user, case_id=case.pk, expected_version=form.cleaned_data["version"], **fields
                )
        except ConcurrentEditError:
            form.add_error(None, ConcurrentEditError.message)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Contract saved."))
            return redirect(_case_url(case.pk, "engagement"))
    title = _("Edit the contract") if contract else _("Write the contract")
    return _form_page(request, case, form, title=title, anchor="engagement", submit=_("Save the contract"))


@require_http_methods(["GET", "POST"])
def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _writable_case(request, pk)
    form = ConsentForm(request.POST or None, initial={"given_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            consent_record(actor=request.user, case_id=case.pk, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect(_case_url(case.pk, "engagement"))
    notice = ""
    if case.client_system.kind == ClientSystem.Kind.INDIVIDUAL:
        person = selectors.client_person(case.client_system)
        age = person.age_on(timezone.localdate()) if person is not None else None
        if age is not None and age < 18:
            notice = _("The client is %(age)s years old: consent is given by a parent or guardian.") % {"age": age}
    return _form_page(
        request, case, form, title=_("Record consent"), anchor="engagement", submit=_("Record consent"), notice=notice
    )


@require_http_methods(["GET", "POST"])
def consent_withdraw_view(request: HttpRequest, pk: int, consent_id: int) -> HttpResponse:
    case = _writable_case(request, pk)
    consent = get_object_or_404(Consent, pk=consent_id, case=case)
    if consent.withdrawn_on is not None:
        raise Http404
    form = ConsentWithdrawForm(request.POST or None, initial={"withdrawn_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            consent_withdraw(
                actor=request.user,
                case_id=case.pk,
                consent_id=consent.pk,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Consent withdrawal recorded."))
            return redirect(_case_url(case.pk, "engagement"))
    return _form_page(
        request,
        case,
        form,
        title=_("Withdraw consent"),
        anchor="engagement",
        submit=_("Record the withdrawal"),
        notice=_("Consent given by %(name)s on %(date)s.")
        % {"name": consent.giver_name, "date": consent.given_on.isoformat()},
    )


# --- Transfer ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def transfer_request_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = _writable_case(request, pk)
    form = TransferForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            case_transfer_request(actor=request.user, case_id=case.pk, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Transfer requested: the supervisor decides."))
            return redirect(_case_url(case.pk, "transfer"))
    title = _("Transfer the case")
    return _form_page(request, case, form, title=title, anchor="transfer", submit=_("Ask for approval"))


# --- Stakeholders --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def stakeholder_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = _writable_case(request, pk)
    form = StakeholderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        stakeholder_add(actor=request.user, case_id=case.pk, **fields)
        messages.success(request, _("Stakeholder added."))
        return redirect(_case_url(case.pk, "stakeholders"))
    return _form_page(
        request,
        case,
        form,
        title=_("Add a stakeholder"),
        anchor="stakeholders",
        submit=_("Add"),
        datalist=("organisation-hints", ORGANISATION_HINTS),
    )


@require_http_methods(["GET", "POST"])
def stakeholder_edit_view(request: HttpRequest, pk: int, stakeholder_id: int) -> HttpResponse:
    case = _writable_case(request, pk)
    stakeholder = get_object_or_404(Stakeholder, pk=stakeholder_id, case=case)
    form = StakeholderForm(request.POST or None, instance=stakeholder)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            stakeholder_update(
                actor=request.user,
                case_id=case.pk,
                stakeholder_id=stakeholder.pk,
                expected_version=form.cleaned_data["version"],
                **fields,
            )
        except ConcurrentEditError:
            form.add_error(None, ConcurrentEditError.message)
        else:
            messages.success(request, _("Stakeholder saved."))
            return redirect(_case_url(case.pk, "stakeholders"))
    return _form_page(
        request,
        case,
        form,
        title=_("Edit the stakeholder"),
        anchor="stakeholders",
        submit=_("Save"),
        datalist=("organisation-hints", ORGANISATION_HINTS),
        remove={
            "url": reverse("cases:stakeholder_remove", args=[case.pk, stakeholder.pk]),
            "version": stakeholder.version,
            "label": _("Remove this stakeholder"),
        },
    )


@require_POST
def stakeholder_remove_view(request: HttpRequest, pk: int, stakeholder_id: int) -> HttpResponse:
    case = _writable_case(request, pk)
    stakeholder = get_object_or_404(Stakeholder, pk=stakeholder_id, case=case)
    form = StakeholderRemoveForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        stakeholder_remove(actor=request.user, case_id=case.pk, stakeholder_id=stakeholder.pk, expected_version=version)
    except ConcurrentEditError:
        messages.error(request, ConcurrentEditError.message)
        return redirect(reverse("cases:stakeholder_edit", args=[case.pk, stakeholder.pk]))
    messages.success(request, _("Stakeholder removed: %(name)s.") % {"name": stakeholder.name})
    return redirect(_case_url(case.pk, "stakeholders"))


# --- Activity notes ------------------------------------------------------------------------------


def _note_anchor(note_or_kind) -> str:
    kind = getattr(note_or_kind, "kind", note_or_kind)
    return "engagement" if kind == ActivityNote.Kind.INTAKE else "notes"


@require_http_methods(["GET", "POST"])
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _writable_case(request, pk)
    kind = request.GET.get("kind", "")
    if kind not in ActivityNote.Kind.values:
        kind = ActivityNote.Kind.INTAKE if case.phase == Phase.ENGAGEMENT else ""
    form = ActivityNoteForm(request.POST or None, case=case, initial={"kind": kind})
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            note = activity_note_add(actor=request.user, case_id=case.pk, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Activity note saved."))
            return redirect(_case_url(case.pk, _note_anchor(note)))
    return _form_page(
        request,
        case,
        form,
        title=_("Add an activity note"),
        anchor=_note_anchor(kind),
        submit=_("Save the note"),
        notice=_("The note is recorded in the current phase: %(phase)s.") % {"phase": case.get_phase_display()},
    )


@require_http_methods(["GET", "POST"])
def note_edit(request: HttpRequest, pk: int, note_id: int) -> HttpResponse:
    case = _writable_case(request, pk)
    note = get_object_or_404(ActivityNote, pk=note_id, case=case)
    if not can_edit_note(request.user, note, case):
        raise Http404
    form = ActivityNoteForm(request.POST or None, case=case, instance=note)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            activity_note_update(
                actor=request.user,
                case_id=case.pk,
                note_id=note.pk,
                expected_version=form.cleaned_data["version"],
                **fields,
            )
        except ConcurrentEditError:
            form.add_error(None, ConcurrentEditError.message)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Activity note saved."))
            return redirect(_case_url(case.pk, _note_anchor(note)))
    return _form_page(
        request, case, form, title=_("Edit the activity note"), anchor=_note_anchor(note), submit=_("Save the note")
    )


@require_GET
def note_list(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    kind = request.GET.get("kind", "")
    phase = request.GET.get("phase", "")
    kind = kind if kind in ActivityNote.Kind.values else ""
    phase = phase if phase in Phase.values else ""
    qs = selectors.case_notes(case, kind=kind, phase=phase)
    case_record_view(actor=request.user, case=case)
    context = {
        "case": case,
        "kind": kind,
        "phase": phase,
        "kinds": ActivityNote.Kind.choices,
        "phases": Phase.choices,
        "can_work": can_work_on_case(request.user, case) and case.is_open,
        **_paginate(request, qs),
    }
    return render(request, "cases/note_list.html", context)


# --- Timeline ------------------------------------------------------------------------------------


@require_GET
def timeline(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    newest_first = request.GET.get("order") == "newest"
    entries = selectors.TimelineSequence(case, newest_first=newest_first)
    case_record_view(actor=request.user, case=case)
    context = {"case": case, "newest_first": newest_first, **_paginate(request, entries)}
    return render(request, "cases/timeline.html", context)


@require_GET
def timeline_latest(request: HttpRequest, pk: int) -> HttpResponse:
    """The latest entries of the timeline, newest last: the case page loads them when they scroll into view."""
    case = _case_or_404(request, pk)
    entries = selectors.case_timeline(case, limit=selectors.TIMELINE_PAGE_LIMIT + 1)
    more = len(entries) > selectors.TIMELINE_PAGE_LIMIT
    case_record_view(actor=request.user, case=case)
    context = {"case": case, "timeline": entries[1:] if more else entries, "timeline_more": more}
    return render(request, "cases/_timeline_latest.html", context)
