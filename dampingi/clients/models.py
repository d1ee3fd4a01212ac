from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from dampingi.clients.matching import name_key as make_name_key

PPKS_VERSION = "permensos-8-2012"


class PPKSCategory(models.Model):
    """A type of PPKS (people needing social welfare services), versioned reference data."""

    number = models.PositiveSmallIntegerField(_("number"))
    slug = models.SlugField(_("code"), max_length=16)
    name_id = models.CharField(_("name (Indonesian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    sensitive = models.BooleanField(_("sensitive"), default=False)
    version = models.CharField(_("version"), max_length=32, default=PPKS_VERSION)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("PPKS category")
        verbose_name_plural = _("PPKS categories")
        constraints = [models.UniqueConstraint(fields=["version", "slug"], name="ppks_version_slug_unique")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name_en if translation.get_language() == "en" else self.name_id


class Sex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class Disability(models.TextChoices):
    NONE = "", _("none")
    PHYSICAL = "physical", _("physical")
    INTELLECTUAL = "intellectual", _("intellectual")
    MENTAL = "mental", _("mental (psychosocial)")
    SENSORY = "sensory", _("sensory")
    MULTIPLE = "multiple", _("multiple")


class Person(models.Model):
    """A person known to the service: a client, or a member of a client system."""

    full_name = models.CharField(_("full name"), max_length=150, db_index=True)
    # Spelling-insensitive form of full_name (dampingi.clients.matching.name_key), kept by save().
    name_key = models.CharField(_("search key"), max_length=255, blank=True, db_index=True, editable=False)
    nik = models.CharField(_("NIK"), max_length=16, null=True, blank=True, unique=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_place = models.CharField(_("place of birth"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    disability = models.CharField(_("disability"), max_length=16, choices=Disability.choices, blank=True)
    disability_note = models.CharField(_("disability details"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["birth_date", "full_name"], name="person_birth_name_idx")]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_key = make_name_key(self.full_name)[:255]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "full_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    def age_on(self, day) -> int | None:
        if self.birth_date is None:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


class ClientSystem(models.Model):
    """The unit a social worker helps: an individual, a family, a group or a community."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("individual")
        FAMILY = "family", _("family")
        GROUP = "group", _("group")
        COMMUNITY = "community", _("community")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=150, db_index=True)
    # Spelling-insensitive form of name (dampingi.clients.matching.name_key), kept by save().
    name_key = models.CharField(_("search key"), max_length=255, blank=True, db_index=True, editable=False)
    no_kk = models.CharField(_("family card number"), max_length=16, blank=True, db_index=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    description = models.TextField(_("description"), blank=True, max_length=4000)
    ppks = models.ManyToManyField(PPKSCategory, blank=True, related_name="+", verbose_name=_("PPKS categories"))
    members = models.ManyToManyField(Person, through="Membership", related_name="client_systems")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        verbose_name = _("client system")
        verbose_name_plural = _("client systems")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["individual", "family", "group", "community"]),
                name="client_system_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = make_name_key(self.name)[:255]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)


class Membership(models.Model):
    """A person's place in a client system (for families: the relationship to the head)."""

    class Relationship(models.TextChoices):
        SELF = "self", _("the client")
        HEAD = "head", _("head of household")
        SPOUSE = "spouse", _("spouse")
        CHILD = "child", _("child")
        STEPCHILD = "stepchild", _("stepchild")
        ADOPTED_CHILD = "adopted", _("adopted child")
        GRANDCHILD = "grandchild", _("grandchild")
        PARENT = "parent", _("parent")
        GRANDPARENT = "grandparent", _("grandparent")
        SIBLING = "sibling", _("sibling")
        PARENT_IN_LAW = "parent_in_law", _("parent-in-law")
        CHILD_IN_LAW = "child_in_law", _("son/daughter-in-law")
        OTHER_RELATIVE = "relative", _("other relative")
        MEMBER = "member", _("member")
        CONTACT = "contact", _("contact person")
        OTHER = "other", _("other")

    client_system = models.ForeignKey(ClientSystem, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    relationship = models.CharField(_("relationship"), max_length=16, choices=Relationship.choices)
    is_head = models.BooleanField(_("head of household"), default=False)

    class Meta:
        ordering = ["-is_head", "id"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(fields=["client_system", "person"], name="membership_unique_person"),
            models.UniqueConstraint(
                fields=["client_system"], condition=models.Q(is_head=True), name="membership_one_head"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relationship_display()})"
