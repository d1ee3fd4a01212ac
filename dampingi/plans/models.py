from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.description


class ResponsibleParty(models.TextChoices):
    CLIENT = "client", _("client")
    WORKER = "worker", _("social worker")
    FAMILY = "family", _("family member")
    ACADEMIC = "academic", _("academic")
    COMMUNITY = "community", _("community")
    GOVERNMENT = "government", _("government")


class Task(models.Model):
    class Status(models.TextChoices):
        TODO = "todo", _("to do")
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
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.TODO)
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
