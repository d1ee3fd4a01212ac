"""Writes of the service directory: organizations, services, capacity updates and HSDS imports.

The directory is reference data, not case data: no case is locked. Administrators and supervisors
edit it; administrators import. Every write records an audit event in its transaction.
"""

import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dampingi.accounts.models import Role
from dampingi.audit.services import audit_record, snapshot
from dampingi.core.concurrency import save_versioned
from dampingi.directory import hsds
from dampingi.directory.models import (
    Address,
    Attribute,
    DirectoryImport,
    Location,
    Organization,
    Phone,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)

ORGANIZATION_FIELDS = ["name", "alternate_name", "description", "email", "website", "legal_status"]
SERVICE_FIELDS = [
    "organization",
    "name",
    "alternate_name",
    "description",
    "status",
    "url",
    "email",
    "application_process",
    "fees_description",
    "wait_time",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "alert",
]


def can_edit_directory(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in (Role.ADMINISTRATOR, Role.SUPERVISOR)


def can_import_directory(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role == Role.ADMINISTRATOR


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _check_ages(minimum, maximum) -> None:
    if minimum is not None and maximum is not None and minimum > maximum:
        raise ValidationError({"maximum_age": _("The maximum age cannot be below the minimum age.")}, code="age_range")


def organization_create(*, actor, data: dict) -> Organization:
    _require(can_edit_directory(actor))
    with transaction.atomic():
        organization = Organization.objects.create(**{k: data.get(k, "") or "" for k in ORGANIZATION_FIELDS})
        audit_record(
            actor=actor, action="directory.organization_create", target=organization, after=snapshot(organization)
        )
    return organization


def organization_update(*, actor, organization: Organization, data: dict, expected_version: int) -> Organization:
    _require(can_edit_directory(actor))
    with transaction.atomic():
        before = snapshot(organization)
        for name in ORGANIZATION_FIELDS:
            setattr(organization, name, data.get(name, "") or "")
        save_versioned(organization, expected_version=expected_version, fields=[*ORGANIZATION_FIELDS, "updated_at"])
        audit_record(
            actor=actor,
            action="directory.organization_update",
            target=organization,
            before=before,
            after=snapshot(organization),
        )
    return organization


def _set_terms(service: Service, terms: Iterable[TaxonomyTerm]) -> None:
    wanted = {t.pk for t in terms}
    current = dict(
        Attribute.objects.filter(link_entity="service", link_id=service.pk).values_list("taxonomy_term_id", "id")
    )
    Attribute.objects.filter(id__in=[pk for term, pk in current.items() if term not in wanted]).delete()
    Attribute.objects.bulk_create(
        Attribute(id=uuid.uuid4(), link_id=service.pk, link_entity="service", taxonomy_term_id=term)
        for term in sorted(wanted - current.keys())
    )


def _set_place(service: Service, *, region, address_1: str, phone: str) -> None:
    """The service's first location (created when missing) with one address in `region`, and a phone."""
    if region is None and not address_1 and not phone:
        return
    sal = service.service_at_locations.select_related("location").order_by("id").first()
    if sal is None:
        location = Location.objects.create(
            location_type=Location.LocationType.PHYSICAL,
            organization=service.organization,
            name=service.organization.name,
        )
        sal = ServiceAtLocation.objects.create(service=service, location=location)
    location = sal.location
    if location.region_id != getattr(region, "pk", None):
        location.region = region
        location.save(update_fields=["region"])
    if address_1 or region is not None:
        address = location.addresses.order_by("id").first() or Address(location=location, country="ID")
        codes = region.ancestor_codes() if region is not None else []
        names = dict(region.__class__.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
        address.address_1 = address_1 or address.address_1 or "-"
        address.region = region.code if region is not None else ""
        address.city = names.get(codes[1], "-") if len(codes) > 1 else address.city or "-"
        address.state_province = names.get(codes[0], "-") if codes else address.state_province or "-"
        address.postal_code = address.postal_code or "-"
        address.address_type = Location.LocationType.PHYSICAL
        address.save()
    if phone:
        current = service.phones.order_by("id").first()
        if current is None:
            Phone.objects.create(service=service, service_at_location=sal, number=phone)
        elif current.number != phone:
            current.number = phone
            current.save(update_fields=["number"])


def _service_snapshot(service: Service) -> dict:
    data = snapshot(service)
    data["terms"] = sorted(
        str(t)
        for t in Attribute.objects.filter(link_entity="service", link_id=service.pk).values_list(
            "taxonomy_term_id", flat=True
        )
    )
    return data


def service_create(
    *, actor, data: dict, terms: Iterable[TaxonomyTerm] = (), region=None, address_1="", phone=""
) -> Service:
    _require(can_edit_directory(actor))
    _check_ages(data.get("minimum_age"), data.get("maximum_age"))
    with transaction.atomic():
        values = {k: data[k] for k in SERVICE_FIELDS if k in data}
        for k, v in list(values.items()):
            if v is None and k not in ("minimum_age", "maximum_age"):
                values[k] = ""
        service = Service.objects.create(**values, last_verified_on=timezone.localdate(), last_modified=timezone.now())
        _set_terms(service, terms)
        _set_place(service, region=region, address_1=address_1, phone=phone)
        audit_record(actor=actor, action="directory.service_create", target=service, after=_service_snapshot(service))
    return service


def service_update(
    *,
    actor,
    service: Service,
    data: dict,
    expected_version: int,
    terms: Iterable[TaxonomyTerm] = (),
    region=None,
    address_1="",
    phone="",
) -> Service:
    _require(can_edit_directory(actor))
    _check_ages(data.get("minimum_age"), data.get("maximum_age"))
    with transaction.atomic():
        before = _service_snapshot(service)
        for name in SERVICE_FIELDS:
            if name in data:
                value = data[name]
                setattr(service, name, "" if value is None and name not in ("minimum_age", "maximum_age") else value)
        service.last_modified = timezone.now()
        save_versioned(
            service, expected_version=expected_version, fields=[*SERVICE_FIELDS, "last_modified", "updated_at"]
        )
        _set_terms(service, terms)
        _set_place(service, region=region, address_1=address_1, phone=phone)
        audit_record(
            actor=actor,
            action="directory.service_update",
            target=service,
            before=before,
            after=_service_snapshot(service),
        )
    return service


def service_update_capacity(*, actor, service: Service, capacity: str) -> Service:
    """Record the service's current capacity and mark it verified today."""
    _require(can_edit_directory(actor))
    if capacity not in Service.Capacity.values:
        raise ValidationError({"capacity": _("Choose a valid capacity.")}, code="invalid")
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        before = snapshot(locked, ["capacity", "last_verified_on"])
        locked.capacity = capacity
        locked.last_verified_on = timezone.localdate()
        save_versioned(locked, expected_version=locked.version, fields=["capacity", "last_verified_on", "updated_at"])
        audit_record(
            actor=actor,
            action="directory.capacity_update",
            target=locked,
            before=before,
            after=snapshot(locked, ["capacity", "last_verified_on"]),
        )
    return locked


def directory_import(*, actor, tables: hsds.Tables, file_format: str, file_name: str = "") -> hsds.ImportResult:
    """Import parsed HSDS data (hsds.parse_json / hsds.parse_tabular): all or nothing.

    actor None = a management command run by the operator. On success a DirectoryImport row and an
    audit event record who imported what; on failure nothing is written and the result lists every
    problem.
    """
    if actor is not None:
        _require(can_import_directory(actor))
    with transaction.atomic():
        result = hsds.import_tables(tables)
        if result.ok:
            run = DirectoryImport.objects.create(
                imported_by=actor if actor is not None else None,
                file_format=file_format,
                file_name=file_name[:255],
                created=result.created,
                updated=result.updated,
                unchanged=result.unchanged,
            )
            audit_record(actor=actor, action="directory.import", target=run, after=snapshot(run))
    return result
