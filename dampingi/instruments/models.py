"""Administrations of the assessment instruments and what was recorded in them.

An administration is kept as taken (never edited): the instrument id and version, the date, who,
and the case phase. Definitions live in dampingi.instruments.definitions.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dampingi.instruments.definitions import CURRENT, DIGITAL, PIE


class Administration(models.Model):
    class Instrument(models.TextChoices):
        PIE = PIE, CURRENT[PIE].NAME
        DIGITAL = DIGITAL, CURRENT[DIGITAL].NAME

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="instrument_administrations")
    instrument = models.CharField(_("instrument"), max_length=16, choices=Instrument.choices)
    version = models.CharField(_("version"), max_length=16)
    phase = models.CharField(_("phase"), max_length=16)
    administered_on = models.DateField(_("date"))
    administered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-administered_on", "-id"]
        verbose_name = _("instrument administration")
        verbose_name_plural = _("instrument administrations")
        indexes = [models.Index(fields=["case", "instrument", "administered_on"])]

    def __str__(self) -> str:
        return f"{self.instrument} v{self.version} {self.administered_on}"


def _index_field(label):
    return models.PositiveSmallIntegerField(label, null=True, blank=True)


class PieEntry(models.Model):
    """A Factor I (social role) or Factor II (environment) problem of a PIE administration."""

    administration = models.ForeignKey(Administration, on_delete=models.CASCADE, related_name="pie_entries")
    factor = models.PositiveSmallIntegerField(_("factor"))
    # Factor I
    role_group = models.CharField(_("role group"), max_length=32, blank=True)
    role = models.CharField(_("role"), max_length=32, blank=True)
    problem_type = models.CharField(_("problem type"), max_length=32, blank=True)
    coping = _index_field(_("coping"))
    strengths = models.CharField(_("strengths"), max_length=500, blank=True)
    # Factor II
    system = models.CharField(_("system"), max_length=32, blank=True)
    problem = models.CharField(_("problem"), max_length=32, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    # Both
    severity = models.PositiveSmallIntegerField(_("severity"))
    duration = models.PositiveSmallIntegerField(_("duration"))

    class Meta:
        ordering = ["factor", "id"]
        verbose_name = _("PIE entry")
        verbose_name_plural = _("PIE entries")
        constraints = [
            models.CheckConstraint(condition=models.Q(factor__in=[1, 2]), name="pie_entry_factor_1_or_2"),
            models.CheckConstraint(
                condition=models.Q(severity__gte=1, severity__lte=6) & models.Q(duration__gte=1, duration__lte=6),
                name="pie_entry_indices_1_to_6",
            ),
            models.CheckConstraint(
                condition=models.Q(coping__isnull=True) | models.Q(coping__gte=1, coping__lte=6),
                name="pie_entry_coping_1_to_6",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.factor}: {self.role or self.problem}"


class PieHealthEntry(models.Model):
    """Factor III (mental health) or IV (physical health): restricted, specific data."""

    administration = models.ForeignKey(Administration, on_delete=models.CASCADE, related_name="health_entries")
    factor = models.PositiveSmallIntegerField(_("factor"))
    diagnosis = models.CharField(_("diagnosis (text or code)"), max_length=300, blank=True)
    client_reported = models.CharField(_("condition reported by the client"), max_length=500, blank=True)

    class Meta:
        ordering = ["factor", "id"]
        verbose_name = _("PIE health entry")
        verbose_name_plural = _("PIE health entries")
        constraints = [
            models.CheckConstraint(condition=models.Q(factor__in=[3, 4]), name="pie_health_factor_3_or_4"),
        ]

    def __str__(self) -> str:
        return f"{self.factor}: {self.pk}"


class ScreeningAnswer(models.Model):
    """One rated item of a digital-life screening (0 none ... 3 severe concern)."""

    administration = models.ForeignKey(Administration, on_delete=models.CASCADE, related_name="answers")
    item = models.CharField(_("item"), max_length=32)
    rating = models.PositiveSmallIntegerField(_("rating"))
    notes = models.TextField(_("notes"), max_length=2000, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("screening answer")
        verbose_name_plural = _("screening answers")
        constraints = [
            models.UniqueConstraint(fields=["administration", "item"], name="screening_answer_once_per_item"),
            models.CheckConstraint(condition=models.Q(rating__gte=0, rating__lte=3), name="screening_rating_0_to_3"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.rating}"


class ScreeningProblem(models.Model):
    """A screening item that was added to the case's problem tree (once per case and item)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    item = models.CharField(_("item"), max_length=32)
    administration = models.ForeignKey(Administration, on_delete=models.CASCADE, related_name="problem_links")
    problem = models.OneToOneField("assessments.Problem", on_delete=models.CASCADE, related_name="screening_source")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("problem from the screening")
        verbose_name_plural = _("problems from the screening")
        constraints = [models.UniqueConstraint(fields=["case", "item"], name="screening_problem_once_per_case_item")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.item}"
