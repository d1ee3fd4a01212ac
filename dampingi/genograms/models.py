"""Genograms (McGoldrick, Gerson & Petry) of a case, kept as immutable versions.

A new drawing is a new `Genogram` (number 1, 2, ... per case) with its own people, unions, children
and emotional relations; earlier versions are never edited, so intake and termination can be
compared. People are identified inside one version by a short key ("P1", "P2", ...), unions by
"U1", "U2", ...; rows of different versions are not linked (the optional `person` link to the
client system's Person is kept for reference only).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")
    OTHER = "other", _("other gender")
    UNKNOWN = "unknown", _("unknown")


class UnionKind(models.TextChoices):
    MARRIAGE = "marriage", _("marriage")
    COHABITATION = "cohabitation", _("living together")
    SEPARATED = "separated", _("separated")
    DIVORCED = "divorced", _("divorced")


class ChildKind(models.TextChoices):
    BIOLOGICAL = "biological", _("biological")
    ADOPTED = "adopted", _("adopted (anak angkat)")
    FOSTER = "foster", _("foster")


class RelationKind(models.TextChoices):
    CLOSE = "close", _("close")
    FUSED = "fused", _("fused")
    DISTANT = "distant", _("distant")
    CONFLICT = "conflict", _("conflict")
    CLOSE_HOSTILE = "close_hostile", _("close but hostile")
    CUT_OFF = "cut_off", _("cut off")
    PHYSICAL_ABUSE = "physical_abuse", _("physical abuse")
    EMOTIONAL_ABUSE = "emotional_abuse", _("emotional abuse")
    SEXUAL_ABUSE = "sexual_abuse", _("sexual abuse")
    CARETAKER = "caretaker", _("caretaker")


class Genogram(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="genograms")
    number = models.PositiveSmallIntegerField(_("version"))
    drawn_on = models.DateField(_("drawn on"))
    phase = models.CharField(_("phase"), max_length=16)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("drawn by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)

    class Meta:
        ordering = ["case", "number"]
        verbose_name = _("genogram")
        verbose_name_plural = _("genograms")
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="genogram_number_unique_per_case"),
            models.CheckConstraint(condition=Q(number__gte=1), name="genogram_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} v{self.number}"


class GenogramPerson(models.Model):
    genogram = models.ForeignKey(Genogram, on_delete=models.CASCADE, related_name="people")
    key = models.CharField(_("key"), max_length=8)
    name = models.CharField(_("name"), max_length=150)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, default=Gender.UNKNOWN)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    death_year = models.PositiveSmallIntegerField(_("year of death"), null=True, blank=True)
    deceased = models.BooleanField(_("deceased"), default=False)
    is_index = models.BooleanField(_("index person"), default=False)
    in_household = models.BooleanField(_("in the household"), default=False)
    person = models.ForeignKey(
        "clients.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("person")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["genogram", "id"]
        verbose_name = _("person in a genogram")
        verbose_name_plural = _("people in a genogram")
        constraints = [
            models.UniqueConstraint(fields=["genogram", "key"], name="genogram_person_key_unique"),
            models.UniqueConstraint(fields=["genogram"], condition=Q(is_index=True), name="genogram_one_index_person"),
            models.CheckConstraint(condition=Q(gender__in=Gender.values), name="genogram_person_gender_valid"),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(death_year__isnull=True) | Q(death_year__gte=F("birth_year")),
                name="genogram_person_death_after_birth",
            ),
            models.CheckConstraint(
                condition=Q(death_year__isnull=True) | Q(deceased=True), name="genogram_person_death_year_deceased"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.name}"


class GenogramUnion(models.Model):
    """A couple: marriage, living together, separated or divorced. The second partner may be unknown."""

    genogram = models.ForeignKey(Genogram, on_delete=models.CASCADE, related_name="unions")
    key = models.CharField(_("key"), max_length=8)
    partner_a = models.ForeignKey(GenogramPerson, on_delete=models.CASCADE, related_name="+", verbose_name=_("partner"))
    partner_b = models.ForeignKey(
        GenogramPerson,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second partner"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=UnionKind.choices, default=UnionKind.MARRIAGE)
    since = models.PositiveSmallIntegerField(_("since (year)"), null=True, blank=True)
    until = models.PositiveSmallIntegerField(_("until (year)"), null=True, blank=True)

    class Meta:
        ordering = ["genogram", "id"]
        verbose_name = _("union")
        verbose_name_plural = _("unions")
        constraints = [
            models.UniqueConstraint(fields=["genogram", "key"], name="genogram_union_key_unique"),
            models.CheckConstraint(condition=Q(kind__in=UnionKind.values), name="genogram_union_kind_valid"),
            models.CheckConstraint(
                condition=Q(partner_b__isnull=True) | ~Q(partner_a=F("partner_b")),
                name="genogram_union_two_people",
            ),
            models.CheckConstraint(
                condition=Q(since__isnull=True) | Q(until__isnull=True) | Q(until__gte=F("since")),
                name="genogram_union_until_after_since",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.kind}"


class GenogramChild(models.Model):
    union = models.ForeignKey(GenogramUnion, on_delete=models.CASCADE, related_name="children")
    child = models.ForeignKey(GenogramPerson, on_delete=models.CASCADE, related_name="+", verbose_name=_("child"))
    kind = models.CharField(_("kind"), max_length=16, choices=ChildKind.choices, default=ChildKind.BIOLOGICAL)
    twin_group = models.CharField(_("twin group"), max_length=4, blank=True)

    class Meta:
        ordering = ["union", "id"]
        verbose_name = _("child in a genogram")
        verbose_name_plural = _("children in a genogram")
        constraints = [
            models.UniqueConstraint(fields=["union", "child"], name="genogram_child_once_per_union"),
            models.UniqueConstraint(
                fields=["child"], condition=Q(kind="biological"), name="genogram_child_one_birth_union"
            ),
            models.CheckConstraint(condition=Q(kind__in=ChildKind.values), name="genogram_child_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.union_id} → {self.child_id}"


class GenogramRelation(models.Model):
    """An emotional relationship between two people (for abuse and caretaking: from person_a to person_b)."""

    genogram = models.ForeignKey(Genogram, on_delete=models.CASCADE, related_name="relations")
    person_a = models.ForeignKey(GenogramPerson, on_delete=models.CASCADE, related_name="+", verbose_name=_("from"))
    person_b = models.ForeignKey(GenogramPerson, on_delete=models.CASCADE, related_name="+", verbose_name=_("to"))
    kind = models.CharField(_("relationship"), max_length=16, choices=RelationKind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["genogram", "id"]
        verbose_name = _("emotional relationship")
        verbose_name_plural = _("emotional relationships")
        constraints = [
            models.CheckConstraint(condition=~Q(person_a=F("person_b")), name="genogram_relation_two_people"),
            models.CheckConstraint(condition=Q(kind__in=RelationKind.values), name="genogram_relation_kind_valid"),
            models.UniqueConstraint(
                fields=["person_a", "person_b", "kind"], name="genogram_relation_once_per_pair_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} {self.kind} {self.person_b_id}"
