"""Forms of the planning, task progress and evaluation sections.

Choices of records (problems, goals, stakeholders) come from lists the section selector already
fetched, so a form per goal or task renders without a query.
"""

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dampingi.assessments.forms import ObjectChoiceField
from dampingi.core.forms import DateInput, VersionedModelForm
from dampingi.plans.gas import LEVEL_FIELDS
from dampingi.plans.models import Evaluation, Goal, GoalResult, GoalScore, Plan, Task


def problem_label(problem) -> str:
    return f"★ {problem.title}" if problem.is_priority else problem.title


def stakeholder_label(stakeholder) -> str:
    return f"{stakeholder.name} ({stakeholder.role})"


class PlanApproachForm(VersionedModelForm):
    class Meta:
        model = Plan
        fields = ["approach"]
        widgets = {"approach": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "plan")
        super().__init__(*args, **kwargs)


class GoalForm(VersionedModelForm):
    """A goal with a measurable indicator; it may address one problem of the assessment."""

    class Meta:
        model = Goal
        fields = ["description", "indicator", "target_date", *LEVEL_FIELDS, "weight"]
        widgets = {"target_date": DateInput}

    def __init__(self, *args, problems=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem"] = ObjectChoiceField(
            objects=problems,
            label_of=problem_label,
            required=False,
            label=capfirst(Goal._meta.get_field("problem").verbose_name),
            help_text=_("Priority problems are marked ★ and listed first."),
            empty_label=_("(no problem chosen)"),
        )
        if self.instance.pk and not self.is_bound:
            self.initial["problem"] = self.instance.problem_id
        self.fields["indicator"].help_text = _(
            "How you will know the goal is reached, e.g. 'attends school 4 days a week'."
        )
        self.fields["level_0"].help_text = _(
            "Goal attainment scaling: describe what each level looks like for this goal before the work "
            "starts. All five are needed before the plan is sent for approval."
        )
        self.fields["weight"].required = False
        self.fields["version"] = self.fields.pop("version")

    def clean_weight(self):
        weight = self.cleaned_data.get("weight")
        return 1 if weight is None else weight

    def levels(self) -> list[str]:
        return [self.cleaned_data[name] for name in LEVEL_FIELDS]


class TaskForm(VersionedModelForm):
    """A task of a goal. New tasks get their goal from the URL; an existing task may move to another goal."""

    class Meta:
        model = Task
        fields = ["description", "responsible", "due_date"]
        widgets = {"due_date": DateInput}

    def __init__(self, *args, goals=None, stakeholders=(), **kwargs):
        super().__init__(*args, **kwargs)
        if goals is not None:
            self.fields["goal"] = ObjectChoiceField(
                objects=goals, label=capfirst(Task._meta.get_field("goal").verbose_name)
            )
            if self.instance.pk and not self.is_bound:
                self.initial["goal"] = self.instance.goal_id
        self.fields["stakeholder"] = ObjectChoiceField(
            objects=stakeholders,
            label_of=stakeholder_label,
            required=False,
            label=capfirst(Task._meta.get_field("stakeholder").verbose_name),
            help_text=_("A stakeholder of this case who carries out or supports the task."),
            empty_label=_("(none)"),
        )
        if self.instance.pk and not self.is_bound:
            self.initial["stakeholder"] = self.instance.stakeholder_id
        self.fields["version"] = self.fields.pop("version")


class TaskProgressForm(VersionedModelForm):
    class Meta:
        model = Task
        fields = ["status", "progress_note"]
        widgets = {"progress_note": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Task.Status.CANCELLED and not (cleaned.get("progress_note") or "").strip():
            self.add_error("progress_note", _("Say why the task was cancelled."))
        return cleaned


class EvaluationForm(forms.Form):
    """One result with its evidence for every goal of the plan, the client's own view and the conclusion."""

    evaluated_on = forms.DateField(
        label=capfirst(Evaluation._meta.get_field("evaluated_on").verbose_name), widget=DateInput
    )
    client_view = forms.CharField(
        label=capfirst(Evaluation._meta.get_field("client_view").verbose_name),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In the client's own words: what changed, what did not, what they want next."),
    )
    summary = forms.CharField(
        label=capfirst(Evaluation._meta.get_field("summary").verbose_name),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, goals=(), **kwargs):
        kwargs.setdefault("prefix", "evaluation")
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        if not self.is_bound:
            self.initial.setdefault("evaluated_on", timezone.localdate())
        for goal in self.goals:
            self.fields[f"result_{goal.pk}"] = forms.ChoiceField(
                label=capfirst(GoalResult._meta.get_field("result").verbose_name),
                choices=GoalResult.Result.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Rate this goal.")},
            )
            self.fields[f"evidence_{goal.pk}"] = forms.CharField(
                label=capfirst(GoalResult._meta.get_field("evidence").verbose_name),
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("What shows the result, measured against the indicator."),
                error_messages={"required": _("Give the evidence for this result.")},
            )

    def clean_evaluated_on(self):
        evaluated_on = self.cleaned_data["evaluated_on"]
        if evaluated_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."), code="future_date")
        return evaluated_on

    def general_fields(self):
        return [self["evaluated_on"], self["client_view"], self["summary"]]

    def goal_fields(self):
        """(goal, result field, evidence field) for each goal, for the template."""
        return [(goal, self[f"result_{goal.pk}"], self[f"evidence_{goal.pk}"]) for goal in self.goals]

    def results(self) -> list[tuple[int, str, str]]:
        return [
            (goal.pk, self.cleaned_data[f"result_{goal.pk}"], self.cleaned_data[f"evidence_{goal.pk}"])
            for goal in self.goals
        ]


class GoalScoreForm(forms.Form):
    """The Goal Attainment Scaling level of one goal on a date: its baseline or a follow-up."""

    scored_on = forms.DateField(label=capfirst(GoalScore._meta.get_field("scored_on").verbose_name), widget=DateInput)
    level = forms.TypedChoiceField(
        label=capfirst(GoalScore._meta.get_field("level").verbose_name),
        choices=GoalScore.Level.choices,
        coerce=int,
        error_messages={"invalid_choice": _("The level must be one of −2, −1, 0, +1, +2.")},
    )
    note = forms.CharField(
        label=capfirst(GoalScore._meta.get_field("note").verbose_name),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, goals=(), kinds=tuple(GoalScore.Kind.values), **kwargs):
        kwargs.setdefault("prefix", "score")
        super().__init__(*args, **kwargs)
        self.fields["goal"] = ObjectChoiceField(
            objects=goals, label=capfirst(GoalScore._meta.get_field("goal").verbose_name)
        )
        self.fields["kind"] = forms.ChoiceField(
            label=capfirst(GoalScore._meta.get_field("kind").verbose_name),
            choices=[(value, label) for value, label in GoalScore.Kind.choices if value in kinds],
        )
        self.order_fields(["goal", "kind", "level", "scored_on", "note"])
        if not self.is_bound:
            self.initial.setdefault("scored_on", timezone.localdate())

    def clean_scored_on(self):
        scored_on = self.cleaned_data["scored_on"]
        if scored_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."), code="future_date")
        return scored_on
