from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskLevel(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class Assessment(models.Model):
    """The worker's understanding of the client system in one cycle of the helping process."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="assessments")
    summary = models.TextField(_("summary of the situation"), max_length=8000)
    strengths = models.TextField(_("strengths"), max_length=4000)
    resources = models.TextField(_("resources"), max_length=4000, blank=True)
    risks = models.TextField(_("risks"), max_length=4000, blank=True)
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.LOW)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # The supervisor's sign-off of the completed assessment (approval kind "assessment"). A return for
    # revision clears completed_at and keeps the supervisor's comment here for the worker.
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed off by"),
    )
    signed_off_at = models.DateTimeField(_("signed off"), null=True, blank=True)
    signoff_comment = models.TextField(_("supervisor's comment"), blank=True, max_length=2000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.created_at:%Y-%m-%d}"


class Problem(models.Model):
    """A social problem of the case, with its causes and effects. Problems link to each other."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="problems")
    title = models.CharField(_("problem"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    is_priority = models.BooleanField(_("priority problem"), default=False)
    linked = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="linked_from", verbose_name=_("leads to (other problems)")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-is_priority", "id"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")

    def __str__(self) -> str:
        return self.title


class ProblemFactor(models.Model):
    """A cause or an effect of a problem."""

    class Kind(models.TextChoices):
        CAUSE = "cause", _("cause")
        EFFECT = "effect", _("effect")

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="factors")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    text = models.CharField(_("description"), max_length=300)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("cause or effect")
        verbose_name_plural = _("causes and effects")

    def __str__(self) -> str:
        return self.text


def rating_field(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, validators=[MinValueValidator(1), MaxValueValidator(5)])


class SocialFunctioningRating(models.Model):
    """Keberfungsian sosial on the three statutory dimensions (UU 14/2019), each 1–5."""

    class Occasion(models.TextChoices):
        INTAKE = "intake", _("intake")
        REVIEW = "review", _("review")
        TERMINATION = "termination", _("termination")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="functioning_ratings")
    occasion = models.CharField(_("occasion"), max_length=16, choices=Occasion.choices)
    rated_on = models.DateField(_("date"))
    basic_needs = rating_field(_("meeting basic needs and rights"))
    social_roles = rating_field(_("carrying out social tasks and roles"))
    problem_solving = rating_field(_("overcoming life problems"))
    evidence = models.TextField(_("evidence"), max_length=4000)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["rated_on", "id"]
        verbose_name = _("social functioning rating")
        verbose_name_plural = _("social functioning ratings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(basic_needs__gte=1, basic_needs__lte=5)
                & models.Q(social_roles__gte=1, social_roles__lte=5)
                & models.Q(problem_solving__gte=1, problem_solving__lte=5),
                name="functioning_rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.occasion} {self.rated_on}"

    @property
    def average(self) -> float:
        return round((self.basic_needs + self.social_roles + self.problem_solving) / 3, 1)
