"""Client pages: the list and search, registration (search before you create), the client
file and corrections. Thin views: authorise, validate with a form, call one service."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from dampingi.cases.permissions import can_open_cases
from dampingi.clients.forms import ClientSystemEditForm, PersonEditForm, Registration
from dampingi.clients.models import ClientSystem
from dampingi.clients.permissions import can_edit_clients, can_register_clients
from dampingi.clients.selectors import (
    client_search_pages,
    client_system_cases_for_user,
    client_system_members,
    client_systems_visible_to,
    duplicate_candidates,
    get_client_system_for_user_or_404,
    get_person_for_user_or_404,
    region_path,
)
from dampingi.clients.services import client_system_record_view, client_system_update, person_update
from dampingi.clients.services import client_system_register as register_service
from dampingi.core.concurrency import ConcurrentEditError

Kind = ClientSystem.Kind

KIND_HELP = {
    Kind.INDIVIDUAL: gettext_lazy("One person: a child, an older person, an adult in need."),
    Kind.FAMILY: gettext_lazy("A household on one family card, with the head of household and members."),
    Kind.GROUP: gettext_lazy("People who meet or are helped together, e.g. a mothers' group or a youth group."),
    Kind.COMMUNITY: gettext_lazy("A village or area, e.g. after a flood; contact persons are optional."),
}


def _add_service_error(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _vary(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def client_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    qs = client_search_pages(request.user, query=query, kind=kind)
    page_obj = Paginator(qs, settings.DAMPINGI_PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page_obj": page_obj,
        "clients": page_obj.object_list,
        "query": query,
        "kind": kind if kind in Kind.values else "",
        "kinds": Kind.choices,
        "querystring_without_page": params.urlencode() + "&" if params else "",
        "can_register": can_register_clients(request.user),
    }
    template = "clients/client_list.html#results" if request.htmx else "clients/client_list.html"
    return _vary(render(request, template, context))


@require_http_methods(["GET", "POST"])
def client_register(request: HttpRequest) -> HttpResponse:
    if not can_register_clients(request.user):
        raise Http404
    kind = request.GET.get("kind", "")
    if kind not in Kind.values:
        kinds = [{"value": value, "label": label, "help": KIND_HELP[value]} for value, label in Kind.choices]
        return render(request, "clients/kind_chooser.html", {"kinds": kinds})

    matches = []
    if request.method == "POST":
        registration = Registration(kind, request.POST)
        if "add_member" in request.POST and kind != Kind.INDIVIDUAL:
            registration = registration.with_another_row()
            template = "clients/register.html#members" if request.htmx else "clients/register.html"
            return _vary(render(request, template, _register_context(kind, registration, [])))
        if registration.is_valid():
            matches = duplicate_candidates(
                user=request.user,
                people=registration.probes(),
                no_kk=registration.system.cleaned_data.get("no_kk", ""),
            )
            for match in matches:
                if match.is_hard:
                    registration.form_for_ref(match.ref).add_error(
                        "nik", _("A person with this NIK is already registered (see above).")
                    )
            hard = any(m.is_hard for m in matches)
            if not hard and (not matches or registration.confirmed):
                warnings = registration.warnings()
                try:
                    client_system = register_service(actor=request.user, **registration.service_kwargs())
                except ValidationError as exc:
                    _add_service_error(registration.system, exc)
                else:
                    messages.success(request, _("%(name)s is registered.") % {"name": client_system.name})
                    for warning in warnings:
                        messages.warning(request, warning.message)
                    return redirect("clients:detail", pk=client_system.pk)
    else:
        registration = Registration(kind)
    return _vary(render(request, "clients/register.html", _register_context(kind, registration, matches)))


def _register_context(kind: str, registration: Registration, matches: list) -> dict:
    titles = {
        Kind.INDIVIDUAL: _("Register an individual client"),
        Kind.FAMILY: _("Register a family"),
        Kind.GROUP: _("Register a group"),
        Kind.COMMUNITY: _("Register a community"),
    }
    return {
        "kind": kind,
        "title": titles[kind],
        "registration": registration,
        "matches": matches,
        "hard_match": any(m.is_hard for m in matches),
        "warnings": registration.warnings(),
    }


@require_GET
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    client_system = get_client_system_for_user_or_404(request.user, pk)
    today = timezone.localdate()
    members = client_system_members(client_system)
    for membership in members:
        membership.age = membership.person.age_on(today)
    context = {
        "client": client_system,
        "members": members,
        "ppks": list(client_system.ppks.order_by("number")),
        "region_path": region_path(client_system.region),
        "cases": list(client_system_cases_for_user(request.user, client_system)),
        "can_edit": can_edit_clients(request.user),
        "can_open_case": can_open_cases(request.user),
    }
    client_system_record_view(actor=request.user, client_system=client_system)
    return render(request, "clients/detail.html", context)


@require_http_methods(["GET", "POST"])
def client_system_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_edit_clients(request.user):
        raise Http404
    client_system = get_client_system_for_user_or_404(request.user, pk)
    title = client_system.name
    form = ClientSystemEditForm(request.POST or None, instance=client_system)
    if request.method == "POST" and form.is_valid():
        try:
            client_system_update(
                actor=request.user,
                client_system=client_system,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
                ppks=form.cleaned_data["ppks"],
            )
        except ConcurrentEditError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            _add_service_error(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("clients:detail", pk=client_system.pk)
    return _vary(render(request, "clients/client_system_edit.html", {"form": form, "client_pk": pk, "title": title}))


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_edit_clients(request.user):
        raise Http404
    person = get_person_for_user_or_404(request.user, pk)
    back = _return_client_system(request, person)
    title = person.full_name
    form = PersonEditForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            person_update(
                actor=request.user,
                person=person,
                expected_version=form.cleaned_data["version"],
                changes={f: form.cleaned_data[f] for f in form.Meta.fields},
            )
        except ConcurrentEditError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            _add_service_error(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            for warning in form.warnings:
                messages.warning(request, warning.message)
            return redirect("clients:detail", pk=back.pk)
    return _vary(render(request, "clients/person_edit.html", {"form": form, "back": back, "title": title}))


def _return_client_system(request: HttpRequest, person) -> ClientSystem:
    """The client file to go back to: the one the user came from, else the person's first visible one."""
    visible = client_systems_visible_to(request.user).filter(memberships__person=person).order_by("pk")
    wanted = request.GET.get("from", "")
    if wanted.isdigit():
        chosen = visible.filter(pk=int(wanted)).first()
        if chosen is not None:
            return chosen
    return visible.first()
