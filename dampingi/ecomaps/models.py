"""Eco-maps (Hartman 1978): the client system at the centre and the systems around it.

An eco-map version is an immutable snapshot: it is never edited; a new drawing is a new version
(numbered 1, 2, ... per case), so the map at intake can be compared with the map at termination.
The centre (the client system's name and, for a family, the household members' names) is copied
into the version when it is drawn, so that an old version keeps showing what it showed then.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from dampingi.cases.phases import Phase


class EcoMap(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="ecomaps")
    number = models.PositiveSmallIntegerField(_("version"))
    drawn_on = models.DateField(_("date drawn"))
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("drawn by")
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    # Snapshot of the centre circle when the version was drawn.
    centre = models.CharField(_("client system"), max_length=150)
    household = models.JSONField(_("household members"), default=list, blank=True)

    class Meta:
        ordering = ["case", "number"]
        verbose_name = _("eco-map")
        verbose_name_plural = _("eco-maps")
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="ecomap_number_unique_per_case"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="ecomap_number_positive"),
            models.CheckConstraint(condition=models.Q(phase__in=Phase.values), name="ecomap_phase_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} v{self.number} {self.drawn_on}"


class Category(models.TextChoices):
    FAMILY = "family", _("extended family")
    SCHOOL = "school", _("school")
    WORK = "work", _("work")
    HEALTH = "health", _("health")
    RELIGION = "religion", _("religion")
    FRIENDS = "friends", _("friends")
    RECREATION = "recreation", _("recreation")
    WELFARE = "welfare", _("welfare services")
    LEGAL = "legal", _("court / legal")
    COMMUNITY = "community", _("community group")
    ONLINE = "online", _("online community")
    GOVERNMENT = "government", _("government")
    OTHER = "other", _("other")


class Strength(models.TextChoices):
    STRONG = "strong", _("strong")
    MODERATE = "moderate", _("moderate")
    TENUOUS = "tenuous", _("tenuous")


class Flow(models.TextChoices):
    TO_CLIENT = "to_client", _("to the client")
    FROM_CLIENT = "from_client", _("from the client")
    BOTH = "both", _("both ways")
    NONE = "none", _("none")


class EcoSystem(models.Model):
    """One system in the client's life, and its link to the client, in one eco-map version."""

    Category = Category
    Strength = Strength
    Flow = Flow

    ecomap = models.ForeignKey(EcoMap, on_delete=models.CASCADE, related_name="systems")
    name = models.CharField(_("name"), max_length=150)
    category = models.CharField(_("kind of system"), max_length=16, choices=Category.choices)
    stakeholder = models.ForeignKey(
        "cases.Stakeholder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stakeholder"),
    )
    person = models.ForeignKey(
        "clients.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("person")
    )
    strength = models.CharField(_("strength of the link"), max_length=16, choices=Strength.choices)
    stressful = models.BooleanField(_("stressful"), default=False)
    flow = models.CharField(_("flow of energy"), max_length=16, choices=Flow.choices, default=Flow.NONE)
    note = models.CharField(_("note"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        ordering = ["ecomap", "order"]
        verbose_name = _("system of an eco-map")
        verbose_name_plural = _("systems of an eco-map")
        constraints = [
            models.UniqueConstraint(fields=["ecomap", "order"], name="ecosystem_order_unique"),
            models.UniqueConstraint(Lower("name"), "ecomap", name="ecosystem_name_unique_per_map"),
            models.CheckConstraint(condition=models.Q(category__in=Category.values), name="ecosystem_category_valid"),
            models.CheckConstraint(condition=models.Q(strength__in=Strength.values), name="ecosystem_strength_valid"),
            models.CheckConstraint(condition=models.Q(flow__in=Flow.values), name="ecosystem_flow_valid"),
            models.CheckConstraint(condition=~models.Q(name=""), name="ecosystem_name_not_empty"),
            models.CheckConstraint(
                condition=models.Q(stakeholder__isnull=True) | models.Q(person__isnull=True),
                name="ecosystem_one_source",
            ),
        ]

    def __str__(self) -> str:
        return self.name
