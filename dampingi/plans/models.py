from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dampingi.plans.gas import LEVEL_FIELDS as GAS_LEVEL_FIELDS


class Plan(models.Model):
    """The intervention plan of a case. The supervisor approves it before Intervention."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("waiting for approval")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned for revision")

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="plan")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    approach = models.TextField(_("strategy and approach"), blank=True, max_length=4000)
    supervisor_comment = models.TextField(_("supervisor's comment"), blank=True, max_length=2000)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.status}"


class Goal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    description = models.CharField(_("goal"), max_length=300)
    indicator = models.CharField(_("measurable indicator"), max_length=300)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    problem = models.ForeignKey(
        "assessments.Problem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("addresses problem"),
    )
    # Goal Attainment Scaling: the five outcome levels, written before intervention, and the goal's weight.
    level_minus2 = models.CharField(_("−2 much less than expected"), max_length=300, blank=True)
    level_minus1 = models.CharField(_("−1 less than expected"), max_length=300, blank=True)
    level_0 = models.CharField(_("0 expected outcome"), max_length=300, blank=True)
    level_plus1 = models.CharField(_("+1 more than expected"), max_length=300, blank=True)
    level_plus2 = models.CharField(_("+2 much more than expected"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("How much this goal counts in the overall score (1 = like the others)."),
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.description

    @property
    def gas_levels(self) -> list[tuple[int, str, str]]:
        """(level, its label, this goal's description of it) from −2 to +2."""
        return [
            (level, self._meta.get_field(name).verbose_name, getattr(self, name))
            for level, name in zip((-2, -1, 0, 1, 2), GAS_LEVEL_FIELDS, strict=True)
        ]

    @property
    def gas_levels_complete(self) -> bool:
        return all(getattr(self, name).strip() for name in GAS_LEVEL_FIELDS)


class ResponsibleParty(models.TextChoices):
    CLIENT = "client", _("client")
    WORKER = "worker", _("social worker")
    FAMILY = "family", _("family member")
    ACADEMIC = "academic", _("academic")
    COMMUNITY = "community", _("community")
    GOVERNMENT = "government", _("government")


class Task(models.Model):
    class Status(models.TextChoices):
        TO_DO = "todo", _("to do")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("goal"))
    description = models.CharField(_("activity or task"), max_length=300)
    responsible = models.CharField(_("responsible party"), max_length=16, choices=ResponsibleParty.choices)
    stakeholder = models.ForeignKey(
        "cases.Stakeholder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("stakeholder"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.TO_DO)
    progress_note = models.TextField(_("progress"), blank=True, max_length=2000)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [models.Index(fields=["status", "due_date"], name="task_status_due_idx")]

    def __str__(self) -> str:
        return self.description


class Evaluation(models.Model):
    """The evaluation of one cycle: the client's own view and the worker's conclusion."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="evaluations")
    client_view = models.TextField(_("the client's own view"), max_length=4000)
    summary = models.TextField(_("conclusion"), max_length=4000)
    evaluated_on = models.DateField(_("date"))
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-evaluated_on", "-id"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.evaluated_on}"


class GoalResult(models.Model):
    class Result(models.TextChoices):
        ACHIEVED = "achieved", _("achieved")
        PARTLY = "partly", _("partly achieved")
        NOT_ACHIEVED = "not_achieved", _("not achieved")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="results")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="results")
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)
    evidence = models.TextField(_("evidence"), max_length=2000)

    class Meta:
        ordering = ["goal_id"]
        verbose_name = _("goal result")
        verbose_name_plural = _("goal results")
        constraints = [models.UniqueConstraint(fields=["evaluation", "goal"], name="goal_result_once_per_evaluation")]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.result}"


class GoalScore(models.Model):
    """A Goal Attainment Scaling score of one goal on a date: the baseline or a follow-up."""

    class Level(models.IntegerChoices):
        MUCH_LESS = -2, _("−2 much less than expected")
        LESS = -1, _("−1 less than expected")
        EXPECTED = 0, _("0 expected outcome")
        MORE = 1, _("+1 more than expected")
        MUCH_MORE = 2, _("+2 much more than expected")

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("baseline score")
        FOLLOW_UP = "follow_up", _("follow-up score")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="scores", verbose_name=_("goal"))
    level = models.SmallIntegerField(_("attainment level"), choices=Level.choices)
    scored_on = models.DateField(_("date"))
    kind = models.CharField(_("kind of score"), max_length=16, choices=Kind.choices)
    note = models.TextField(_("note"), blank=True, max_length=1000)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scored_on", "id"]
        verbose_name = _("goal attainment score")
        verbose_name_plural = _("goal attainment scores")
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=-2, level__lte=2), name="goal_score_level_range"),
            models.UniqueConstraint(
                fields=["goal"], condition=models.Q(kind="baseline"), name="goal_score_one_baseline"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal_id} {self.kind} {self.scored_on}: {self.level}"
