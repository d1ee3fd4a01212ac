"""Case conferences: a meeting of the worker with the family, academics, community and government
on one case. Its action items are tasks of the case's plan (plans.Task), linked here."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Conference(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="conferences")
    held_on = models.DateField(_("date of the conference"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.ManyToManyField(
        "cases.Stakeholder", blank=True, related_name="conferences", verbose_name=_("stakeholders taking part")
    )
    other_participants = models.CharField(
        _("other participants"),
        max_length=500,
        blank=True,
        help_text=_("People who are not stakeholders of the case, e.g. the client, the village head, a teacher."),
    )
    agenda = models.TextField(_("agenda"), max_length=4000)
    decisions = models.TextField(_("decisions"), max_length=4000)
    phase = models.CharField(_("phase"), max_length=16)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("case conference")
        verbose_name_plural = _("case conferences")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.held_on}"


class ActionItem(models.Model):
    """An action decided at a conference; it is carried out as a task of the plan."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="actions")
    task = models.OneToOneField("plans.Task", on_delete=models.CASCADE, related_name="conference_action")

    class Meta:
        ordering = ["id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return f"{self.conference_id}: {self.task_id}"
