"""Pages of the service directory, mounted at /directory/.

Any signed-in staff user reads the directory (partner users do not, for now); administrators and
supervisors edit it; administrators import and export HSDS files. The directory is reference data,
not case data: no case-viewed event is written.
"""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dampingi.accounts.models import Role
from dampingi.core.concurrency import ConcurrentEditError
from dampingi.core.forms import add_service_errors
from dampingi.directory import hsds, services
from dampingi.directory.forms import CapacityForm, ImportForm, OrganizationForm, SearchForm, ServiceForm
from dampingi.directory.models import DirectoryImport, Organization, Service
from dampingi.directory.selectors import _as_uuid, service_detail, service_terms, services_search

STALE_AFTER_DAYS = 180


def _require_reader(user) -> None:
    if user.role == Role.PARTNER:
        raise PermissionDenied


def _require_editor(user) -> None:
    if not services.can_edit_directory(user):
        raise PermissionDenied


def _require_importer(user) -> None:
    if not services.can_import_directory(user):
        raise PermissionDenied


def _stale_before() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=STALE_AFTER_DAYS)


@require_GET
def service_list(request):
    _require_reader(request.user)
    form = SearchForm(request.GET or None)
    criteria = {}
    if form.is_bound and form.is_valid():
        region = form.cleaned_data.get("region")
        criteria = {
            "need": form.cleaned_data.get("need") or None,
            "region_code": region.code if region else None,
            "q": form.cleaned_data.get("q") or None,
        }
    page_obj = Paginator(services_search(**criteria), settings.DAMPINGI_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page_obj.object_list)
    terms = service_terms([s.id for s in rows])
    stale_before = _stale_before()
    for service in rows:
        service.terms = terms.get(service.id, [])
        service.is_stale = service.last_verified_on is None or service.last_verified_on < stale_before
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page_obj": page_obj,
        "rows": rows,
        "can_edit": services.can_edit_directory(request.user),
        "can_import": services.can_import_directory(request.user),
        "querystring_without_page": query.urlencode() + "&" if query else "",
    }
    return render(request, "directory/service_list.html", context)


@require_GET
def service_detail_view(request, pk):
    _require_reader(request.user)
    service = service_detail(pk)
    context = {
        "service": service,
        "is_stale": service.last_verified_on is None or service.last_verified_on < _stale_before(),
        "stale_days": STALE_AFTER_DAYS,
        "can_edit": services.can_edit_directory(request.user),
        "capacity_form": CapacityForm(initial={"capacity": service.capacity}),
    }
    return render(request, "directory/service_detail.html", context)


def _service_or_404(pk) -> Service:
    service_id = _as_uuid(pk)
    service = Service.objects.select_related("organization").filter(pk=service_id).first() if service_id else None
    if service is None:
        raise Http404
    return service


@require_POST
def service_capacity(request, pk):
    _require_editor(request.user)
    service = _service_or_404(pk)
    form = CapacityForm(request.POST)
    if form.is_valid():
        services.service_update_capacity(actor=request.user, service=service, capacity=form.cleaned_data["capacity"])
        messages.success(request, _("Capacity updated and marked as verified today."))
    else:
        messages.error(request, _("Choose a valid capacity."))
    return redirect("directory:service_detail", pk=service.pk)


def _place_initial(service: Service) -> dict:
    sal = service.service_at_locations.select_related("location").order_by("id").first()
    initial = {"terms": service_terms([service.id]).get(service.id, [])}
    if sal is not None:
        initial["region"] = sal.location.region_id
        address = sal.location.addresses.order_by("id").first()
        initial["address_1"] = address.address_1 if address else ""
    phone = service.phones.order_by("id").first()
    initial["phone"] = phone.number if phone else ""
    return initial


@require_http_methods(["GET", "POST"])
def service_edit(request, pk=None):
    _require_editor(request.user)
    service = _service_or_404(pk) if pk else None
    if request.method == "POST":
        form = ServiceForm(request.POST, instance=service)
    else:
        initial = _place_initial(service) if service else {"organization": request.GET.get("organization")}
        form = ServiceForm(instance=service, initial=initial)
    if request.method == "POST" and form.is_valid():
        extra = {
            "terms": form.cleaned_data["terms"],
            "region": form.cleaned_data["region"],
            "address_1": form.cleaned_data["address_1"],
            "phone": form.cleaned_data["phone"],
        }
        try:
            if service is None:
                service = services.service_create(actor=request.user, data=form.service_data(), **extra)
            else:
                service = services.service_update(
                    actor=request.user,
                    service=Service.objects.get(pk=service.pk),
                    data=form.service_data(),
                    expected_version=form.cleaned_data["version"] or 0,
                    **extra,
                )
        except ConcurrentEditError:
            form.add_error(None, ConcurrentEditError.message)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Service saved."))
            return redirect("directory:service_detail", pk=service.pk)
    return render(request, "directory/service_form.html", {"form": form, "service": service})


@require_http_methods(["GET", "POST"])
def organization_edit(request, pk=None):
    _require_editor(request.user)
    organization = None
    if pk:
        organization = Organization.objects.filter(pk=_as_uuid(pk)).first() if _as_uuid(pk) else None
        if organization is None:
            raise Http404
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in OrganizationForm.Meta.fields}
        try:
            if organization is None:
                organization = services.organization_create(actor=request.user, data=data)
            else:
                organization = services.organization_update(
                    actor=request.user,
                    organization=Organization.objects.get(pk=organization.pk),
                    data=data,
                    expected_version=form.cleaned_data["version"] or 0,
                )
        except ConcurrentEditError:
            form.add_error(None, ConcurrentEditError.message)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Organization saved."))
            return redirect(reverse("directory:service_new") + f"?organization={organization.pk}")
    return render(request, "directory/organization_form.html", {"form": form, "organization": organization})


# --- HSDS import and export (administrators) -------------------------------------------------


def _parse_upload(upload) -> tuple[hsds.Tables, str]:
    data = upload.read()
    name = (upload.name or "").lower()
    if name.endswith(".zip") or data[:2] == b"PK":
        from io import BytesIO

        return hsds.parse_tabular(BytesIO(data)), "csv"
    return hsds.parse_json(data), "json"


@require_http_methods(["GET", "POST"])
def hsds_import(request):
    _require_importer(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        tables, file_format = _parse_upload(upload)
        result = services.directory_import(
            actor=request.user, tables=tables, file_format=file_format, file_name=Path(upload.name or "").name
        )
        if result.ok:
            messages.success(
                request,
                _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
                % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
            )
            return redirect("directory:hsds_import")
        problems = result.problems
        form.add_error("file", _("The file was not imported: nothing was changed. Correct the problems below."))
    context = {
        "form": form,
        "problems": problems,
        "imports": DirectoryImport.objects.select_related("imported_by")[:10],
    }
    return render(request, "directory/hsds_import.html", context, status=200 if problems is None else 400)


@require_GET
def hsds_export(request, file_format: str):
    _require_importer(request.user)
    stamp = timezone.localdate().isoformat()
    if file_format == "json":
        body = json.dumps(hsds.export_json(), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="hsds-services-{stamp}.json"'
        return response
    if file_format != "zip":
        raise Http404
    response = HttpResponse(hsds.export_tabular_zip(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="hsds-datapackage-{stamp}.zip"'
    return response


# --- HSDS API (read-only JSON, signed-in users) ----------------------------------------------


def _api_user_or_error(request):
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "Authentication required."}, status=401)
    if request.user.role == Role.PARTNER:
        return JsonResponse({"detail": "Forbidden."}, status=403)
    return None


@login_not_required
@require_GET
def api_root(request):
    refused = _api_user_or_error(request)
    if refused:
        return refused
    return JsonResponse(
        {
            "version": "3.0",
            "profile": "https://docs.openreferral.org/en/latest/hsds/",
            "openapi_url": "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json",
        }
    )


def _positive_int(value, default: int, maximum: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return min(max(number, 1), maximum)


@login_not_required
@require_GET
def api_services(request):
    refused = _api_user_or_error(request)
    if refused:
        return refused
    per_page = _positive_int(request.GET.get("per_page"), settings.DAMPINGI_PAGE_SIZE, 100)
    qs = services_search(q=request.GET.get("search") or None, need=request.GET.get("taxonomy_term_id") or None)
    organization_id = _as_uuid(request.GET.get("organization_id")) if request.GET.get("organization_id") else None
    if request.GET.get("organization_id"):
        qs = qs.filter(organization_id=organization_id) if organization_id else qs.none()
    paginator = Paginator(qs, per_page)
    number = _positive_int(request.GET.get("page"), 1, 10**9)
    total_pages = max(paginator.num_pages, 1)
    contents = []
    if number <= paginator.num_pages:
        contents = [hsds.service_list_item(s) for s in paginator.page(number).object_list]
    return JsonResponse(
        {
            "total_items": paginator.count,
            "total_pages": total_pages,
            "page_number": number,
            "size": len(contents),
            "first_page": number == 1,
            "last_page": number >= total_pages,
            "empty": not contents,
            "contents": contents,
        }
    )


@login_not_required
@require_GET
def api_service(request, pk):
    refused = _api_user_or_error(request)
    if refused:
        return refused
    data = hsds.service_to_json(pk)
    if data is None:
        return JsonResponse({"detail": "Not found."}, status=404)
    return JsonResponse(data)
