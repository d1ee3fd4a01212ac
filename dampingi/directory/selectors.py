"""Reads of the service directory. The directory is reference data, not case data: any signed-in
staff user may read it and no case-viewed event is written."""

import uuid

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from dampingi.directory.models import (
    Attribute,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from dampingi.directory.taxonomy_data import PSKS_TAXONOMY, SECTOR_TAXONOMY, ref_id


def _as_uuid(value) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def resolve_term(need) -> TaxonomyTerm | None:
    """A taxonomy term from a TaxonomyTerm, its UUID or its code ("sector.health", "psks.lks")."""
    if need is None or need == "":
        return None
    if isinstance(need, TaxonomyTerm):
        return need
    pk = _as_uuid(need)
    lookup = Q(pk=pk) if pk else Q(code=str(need))
    return TaxonomyTerm.objects.filter(lookup).first()


def _region_codes_up(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def services_search(*, need=None, region_code: str | None = None, q: str | None = None) -> QuerySet[Service]:
    """Services of the directory matching every given criterion; defunct services are left out.

    need: a taxonomy term (instance, UUID or code such as "sector.health" or "psks.lks"): services that
        carry the term as an HSDS attribute. An unknown term matches nothing.
    region_code: a Kemendagri code or code prefix ("32.04" regency, "32.04.05" district): services with
        a location inside that region, or a service area that covers it (the same region, a region
        inside it, or a larger region around it, e.g. a regency-wide service for a district search).
    q: words of the name (case-insensitive); the result is ranked: exact name, name starting with q,
        name containing q, then organization name containing q.
    Ordered by rank (when q is given), then name. The queryset selects the organization; callers add
    their own prefetches.
    """
    qs = Service.objects.exclude(status=Service.Status.DEFUNCT).select_related("organization")
    if need not in (None, ""):
        term = resolve_term(need)
        if term is None:
            return qs.none()
        linked = Attribute.objects.filter(taxonomy_term=term, link_entity="service").values("link_id")
        qs = qs.filter(id__in=linked)
    if region_code:
        code = region_code.strip().rstrip(".")
        inside = Q(region_id=code) | Q(region__code__startswith=code + ".")
        at_locations = ServiceAtLocation.objects.filter(
            location__in=Location.objects.filter(inside).values("id")
        ).values("service_id")
        areas = ServiceArea.objects.filter(inside | Q(region_id__in=_region_codes_up(code))).values("service_id")
        qs = qs.filter(Q(id__in=at_locations) | Q(id__in=areas))
    if q:
        q = q.strip()
        qs = qs.filter(Q(name__icontains=q) | Q(alternate_name__icontains=q) | Q(organization__name__icontains=q))
        qs = qs.annotate(
            rank=Case(
                When(name__iexact=q, then=Value(0)),
                When(name__istartswith=q, then=Value(1)),
                When(name__icontains=q, then=Value(2)),
                When(alternate_name__icontains=q, then=Value(3)),
                default=Value(4),
                output_field=IntegerField(),
            )
        ).order_by("rank", "name", "id")
    else:
        qs = qs.order_by("name", "id")
    return qs


def service_for_referral(pk) -> Service:
    """The active service with this id (organization selected), for a referral; Http404 if unknown or
    not active (inactive, defunct, temporarily closed)."""
    service_id = _as_uuid(pk)
    if service_id is None:
        raise Http404
    service = Service.objects.select_related("organization").filter(pk=service_id, status=Service.Status.ACTIVE).first()
    if service is None:
        raise Http404
    return service


def service_terms(service_ids) -> dict[uuid.UUID, list[TaxonomyTerm]]:
    """The taxonomy terms of each service, in one query."""
    result: dict[uuid.UUID, list[TaxonomyTerm]] = {}
    for attribute in (
        Attribute.objects.filter(link_entity="service", link_id__in=list(service_ids))
        .select_related("taxonomy_term")
        .order_by("taxonomy_term__code", "taxonomy_term__name")
    ):
        result.setdefault(attribute.link_id, []).append(attribute.taxonomy_term)
    return result


def service_detail(pk) -> Service:
    """A service with everything the detail page shows, in a fixed number of queries; Http404 if unknown."""
    service_id = _as_uuid(pk)
    if service_id is None:
        raise Http404
    service = (
        Service.objects.select_related("organization", "program")
        .prefetch_related(
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location", "location__region").prefetch_related(
                    "location__addresses", "location__phones"
                ),
            ),
            Prefetch("phones", queryset=Phone.objects.order_by("number", "id")),
            Prefetch("schedules", queryset=Schedule.objects.order_by("opens_at", "id")),
            "languages",
            "required_documents",
            Prefetch("service_areas", queryset=ServiceArea.objects.select_related("region")),
            "organization__phones",
        )
        .filter(pk=service_id)
        .first()
    )
    if service is None:
        raise Http404
    service.terms = service_terms([service.id]).get(service.id, [])
    return service


def need_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The sector and PSKS terms as grouped choices (code, name) for the search form."""
    terms = TaxonomyTerm.objects.filter(
        taxonomy_detail_id__in=[ref_id(SECTOR_TAXONOMY["code"]), ref_id(PSKS_TAXONOMY["code"])]
    ).order_by("code")
    sectors = [(t.code, t.display_name) for t in terms if t.code.startswith("sector.")]
    psks = [(t.code, t.display_name) for t in terms if t.code.startswith("psks.")]
    return [(_("Sectors"), sectors), (_("Welfare resources (PSKS)"), psks)]
