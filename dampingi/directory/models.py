"""The service directory in the shape of Open Referral HSDS 3.0.

Every table keeps the HSDS field names and a UUID `id`, so import and export are a mapping,
not a translation (see dampingi.directory.hsds). Optional HSDS strings are stored as "" when
absent and optional numbers as NULL; the exporter leaves both out.

Dampingi's own fields (not in HSDS) are marked as such: `capacity`, `last_verified_on`,
`version`, `region`.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


def _text(label):
    return models.TextField(label, blank=True, default="")


def _uuid_pk():
    return models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)


class Organization(models.Model):
    """HSDS organization: who provides services (a puskesmas, an LBH, a LKS …)."""

    id = _uuid_pk()
    name = models.CharField(_("name"), max_length=255)
    alternate_name = _text(_("alternate name"))
    description = models.TextField(_("description"))
    email = models.CharField(_("email"), max_length=254, blank=True, default="")
    website = models.CharField(_("website"), max_length=500, blank=True, default="")
    tax_status = _text(_("tax status"))
    tax_id = _text(_("tax ID"))
    year_incorporated = models.PositiveSmallIntegerField(_("year incorporated"), null=True, blank=True)
    legal_status = _text(_("legal status"))
    logo = _text(_("logo"))
    uri = models.CharField(_("URI"), max_length=500, blank=True, default="")
    # HSDS declares no foreign key here: the parent may be outside this directory, so no DB constraint.
    parent_organization = models.ForeignKey(
        "self", on_delete=models.DO_NOTHING, null=True, blank=True, related_name="children", db_constraint=False
    )
    # Dampingi's own
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """HSDS service: what an organization offers, plus Dampingi's capacity and verification date."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        INACTIVE = "inactive", _("inactive")
        DEFUNCT = "defunct", _("defunct")
        TEMPORARILY_CLOSED = "temporarily closed", _("temporarily closed")

    class Capacity(models.TextChoices):
        CAPACITY = "capacity", _("capacity")
        NO_CAPACITY = "no_capacity", _("no capacity")
        WAITLIST = "waitlist", _("waitlist")

    id = _uuid_pk()
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="services", verbose_name=_("organization")
    )
    program = models.ForeignKey(
        "directory.Program", on_delete=models.SET_NULL, null=True, blank=True, related_name="services"
    )
    name = models.CharField(_("name"), max_length=255)
    alternate_name = _text(_("alternate name"))
    description = _text(_("description"))
    url = models.CharField(_("URL"), max_length=500, blank=True, default="")
    email = models.CharField(_("email"), max_length=254, blank=True, default="")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    interpretation_services = _text(_("interpretation services"))
    application_process = _text(_("application process"))
    fees_description = _text(_("fees"))
    wait_time = _text(_("wait time"))
    fees = _text(_("fees (deprecated)"))
    accreditations = _text(_("accreditations"))
    eligibility_description = _text(_("eligibility"))
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    assured_date = models.DateField(_("assured date"), null=True, blank=True)
    assurer_email = models.CharField(_("assurer email"), max_length=254, blank=True, default="")
    licenses = _text(_("licenses"))
    alert = _text(_("alert"))
    last_modified = models.DateTimeField(_("last modified"), null=True, blank=True)
    # Dampingi's own
    capacity = models.CharField(_("capacity"), max_length=16, choices=Capacity.choices, default=Capacity.CAPACITY)
    last_verified_on = models.DateField(_("last verified"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        indexes = [models.Index(fields=["status", "name"], name="dir_service_status_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["active", "inactive", "defunct", "temporarily closed"]),
                name="dir_service_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__in=["capacity", "no_capacity", "waitlist"]),
                name="dir_service_capacity_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


def _fk(model, label, *, required=False, related_name="+", **kw):
    if required:
        return models.ForeignKey(model, on_delete=models.CASCADE, related_name=related_name, verbose_name=label, **kw)
    return models.ForeignKey(
        model, on_delete=models.SET_NULL, null=True, blank=True, related_name=related_name, verbose_name=label, **kw
    )


class Program(models.Model):
    """HSDS program: a group of services of one organization."""

    id = _uuid_pk()
    organization = _fk(Organization, _("organization"), required=True, related_name="programs")
    name = models.CharField(_("name"), max_length=255)
    alternate_name = _text(_("alternate name"))
    description = models.TextField(_("description"))

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    """HSDS location. `region` (Kemendagri code) is Dampingi's own; the exporter carries it in the
    location's addresses' `region` column and the importer reads it back from there."""

    class LocationType(models.TextChoices):
        PHYSICAL = "physical", _("physical")
        POSTAL = "postal", _("postal")
        VIRTUAL = "virtual", _("virtual")

    id = _uuid_pk()
    location_type = models.CharField(_("location type"), max_length=10, choices=LocationType.choices)
    url = models.CharField(_("URL"), max_length=500, blank=True, default="")
    organization = _fk(Organization, _("organization"), related_name="locations")
    name = models.CharField(_("name"), max_length=255, blank=True, default="")
    alternate_name = _text(_("alternate name"))
    description = _text(_("description"))
    transportation = _text(_("transportation"))
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    external_identifier = _text(_("external identifier"))
    external_identifier_type = _text(_("external identifier type"))
    # Dampingi's own
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return self.name or str(self.id)


class ServiceAtLocation(models.Model):
    id = _uuid_pk()
    service = _fk(Service, _("service"), required=True, related_name="service_at_locations")
    location = _fk(Location, _("location"), required=True, related_name="service_at_locations")
    description = _text(_("description"))

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.id)


class Address(models.Model):
    id = _uuid_pk()
    location = _fk(Location, _("location"), related_name="addresses")
    attention = _text(_("attention"))
    address_1 = models.TextField(_("address"))
    address_2 = _text(_("address (line 2)"))
    city = models.TextField(_("city"))
    region = _text(_("region"))
    state_province = models.TextField(_("province"))
    postal_code = models.TextField(_("postal code"))
    country = models.CharField(_("country"), max_length=2)
    address_type = models.CharField(_("address type"), max_length=10, choices=Location.LocationType.choices)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.address_1


class Contact(models.Model):
    id = _uuid_pk()
    organization = _fk(Organization, _("organization"), related_name="contacts")
    service = _fk(Service, _("service"), related_name="contacts")
    service_at_location = _fk(ServiceAtLocation, _("service at location"), related_name="contacts")
    location = _fk(Location, _("location"), related_name="contacts")
    name = _text(_("name"))
    title = _text(_("title"))
    department = _text(_("department"))
    email = models.CharField(_("email"), max_length=254, blank=True, default="")

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name or str(self.id)


class Phone(models.Model):
    id = _uuid_pk()
    location = _fk(Location, _("location"), related_name="phones")
    service = _fk(Service, _("service"), related_name="phones")
    organization = _fk(Organization, _("organization"), related_name="phones")
    contact = _fk(Contact, _("contact"), related_name="phones")
    service_at_location = _fk(ServiceAtLocation, _("service at location"), related_name="phones")
    number = models.CharField(_("number"), max_length=100)
    extension = models.PositiveIntegerField(_("extension"), null=True, blank=True)
    type = _text(_("type"))
    description = _text(_("description"))

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.number


class Schedule(models.Model):
    class Freq(models.TextChoices):
        WEEKLY = "WEEKLY", _("weekly")
        MONTHLY = "MONTHLY", _("monthly")

    class Weekday(models.TextChoices):
        MO = "MO", _("Monday")
        TU = "TU", _("Tuesday")
        WE = "WE", _("Wednesday")
        TH = "TH", _("Thursday")
        FR = "FR", _("Friday")
        SA = "SA", _("Saturday")
        SU = "SU", _("Sunday")

    id = _uuid_pk()
    service = _fk(Service, _("service"), related_name="schedules")
    location = _fk(Location, _("location"), related_name="schedules")
    service_at_location = _fk(ServiceAtLocation, _("service at location"), related_name="schedules")
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    dtstart = models.DateField(_("start"), null=True, blank=True)
    timezone = models.FloatField(_("time zone"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    count = models.PositiveIntegerField(_("count"), null=True, blank=True)
    wkst = models.CharField(_("week start"), max_length=2, choices=Weekday.choices, blank=True, default="")
    freq = models.CharField(_("frequency"), max_length=7, choices=Freq.choices, blank=True, default="")
    interval = models.PositiveIntegerField(_("interval"), null=True, blank=True)
    byday = _text(_("days"))
    byweekno = _text(_("week numbers"))
    bymonthday = _text(_("days of the month"))
    byyearday = _text(_("days of the year"))
    description = _text(_("description"))
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    schedule_link = models.CharField(_("schedule link"), max_length=500, blank=True, default="")
    attending_type = _text(_("attending type"))
    notes = _text(_("notes"))

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description or f"{self.freq} {self.byday}"


class Funding(models.Model):
    id = _uuid_pk()
    organization = _fk(Organization, _("organization"), related_name="funding")
    service = _fk(Service, _("service"), related_name="funding")
    source = _text(_("source"))

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.source


class ServiceArea(models.Model):
    """HSDS service_area. `region` is Dampingi's own: exported as extent=<code>, extent_type="kemendagri"."""

    id = _uuid_pk()
    service = _fk(Service, _("service"), related_name="service_areas")
    name = _text(_("name"))
    description = _text(_("description"))
    extent = _text(_("extent"))
    extent_type = _text(_("extent type"))
    uri = _text(_("URI"))
    # Dampingi's own
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name or str(self.id)


class RequiredDocument(models.Model):
    id = _uuid_pk()
    service = _fk(Service, _("service"), related_name="required_documents")
    document = _text(_("document"))
    uri = models.CharField(_("URI"), max_length=500, blank=True, default="")

    class Meta:
        ordering = ["document", "id"]

    def __str__(self) -> str:
        return self.document


class Language(models.Model):
    id = _uuid_pk()
    service = _fk(Service, _("service"), related_name="languages")
    location = _fk(Location, _("location"), related_name="languages")
    phone = _fk(Phone, _("phone"), related_name="languages")
    name = _text(_("name"))
    code = models.CharField(_("code"), max_length=20, blank=True, default="")
    note = _text(_("note"))

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name or self.code


class Accessibility(models.Model):
    id = _uuid_pk()
    location = _fk(Location, _("location"), related_name="accessibility")
    description = _text(_("description"))
    details = _text(_("details"))
    url = models.CharField(_("URL"), max_length=500, blank=True, default="")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


class CostOption(models.Model):
    id = _uuid_pk()
    service = _fk(Service, _("service"), required=True, related_name="cost_options")
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    option = _text(_("option"))
    currency = models.CharField(_("currency"), max_length=10, blank=True, default="")
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, null=True, blank=True)
    amount_description = _text(_("amount description"))

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.option


class OrganizationIdentifier(models.Model):
    id = _uuid_pk()
    organization = _fk(Organization, _("organization"), required=True, related_name="organization_identifiers")
    identifier_scheme = _text(_("identifier scheme"))
    identifier_type = models.TextField(_("identifier type"))
    identifier = models.TextField(_("identifier"))

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.identifier


class Taxonomy(models.Model):
    id = _uuid_pk()
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"))
    uri = models.CharField(_("URI"), max_length=500, blank=True, default="")
    version = models.CharField(_("version"), max_length=50, blank=True, default="")

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    """HSDS taxonomy_term. `indonesian_name` is Dampingi's own (the HSDS `name` is English)."""

    id = _uuid_pk()
    code = models.CharField(_("code"), max_length=100, null=True, blank=True, unique=True)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"))
    parent_id = models.UUIDField(_("parent"), null=True, blank=True)
    taxonomy = _text(_("taxonomy"))
    language = models.CharField(_("language"), max_length=20, blank=True, default="")
    taxonomy_detail = models.ForeignKey(
        Taxonomy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_column="taxonomy_id",
        related_name="terms",
        verbose_name=_("taxonomy"),
    )
    term_uri = models.CharField(_("term URI"), max_length=500, blank=True, default="")
    # Dampingi's own
    indonesian_name = models.CharField(_("Indonesian name"), max_length=255, blank=True, default="")

    class Meta:
        ordering = ["code", "name", "id"]
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        if self.indonesian_name and (get_language() or "").startswith("id"):
            return self.indonesian_name
        return self.name


class Attribute(models.Model):
    """HSDS attribute: links a taxonomy term to any object (`link_id`, `link_entity` e.g. "service")."""

    id = _uuid_pk()
    link_id = models.UUIDField(_("linked object"))
    taxonomy_term = _fk(TaxonomyTerm, _("taxonomy term"), required=True, related_name="attributes")
    link_type = _text(_("link type"))
    link_entity = models.CharField(_("linked entity"), max_length=50)
    value = _text(_("value"))

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["link_entity", "link_id"], name="dir_attribute_link_idx")]

    def __str__(self) -> str:
        return str(self.taxonomy_term_id)


class Metadata(models.Model):
    id = _uuid_pk()
    resource_id = models.UUIDField(_("resource"))
    resource_type = models.CharField(_("resource type"), max_length=50)
    last_action_date = models.DateField(_("last action date"))
    last_action_type = models.TextField(_("last action type"))
    field_name = models.TextField(_("field name"))
    previous_value = models.TextField(_("previous value"))
    replacement_value = models.TextField(_("replacement value"))
    updated_by = models.TextField(_("updated by"))

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["resource_id"], name="dir_metadata_resource_idx")]

    def __str__(self) -> str:
        return f"{self.resource_type} {self.field_name}"


class MetaTableDescription(models.Model):
    id = _uuid_pk()
    name = _text(_("name"))
    language = models.CharField(_("language"), max_length=20, blank=True, default="")
    character_set = models.CharField(_("character set"), max_length=50, blank=True, default="")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class DirectoryImport(models.Model):
    """Dampingi's own: one successful HSDS import (who, what, counts); the target of its audit event."""

    class Format(models.TextChoices):
        JSON = "json", "JSON"
        CSV = "csv", _("CSV data package")

    imported_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    file_format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    file_name = models.CharField(_("file"), max_length=255, blank=True, default="")
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_format} {self.imported_at:%Y-%m-%d %H:%M}"
