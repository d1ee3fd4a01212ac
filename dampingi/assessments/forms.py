"""Forms of the assessment section: the assessment text, problems with causes and effects, ratings.

Forms that offer a choice of records (other problems, goals, stakeholders) take the records as a
list that the section selector has already fetched, so rendering a form per row runs no query.
"""

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dampingi.assessments.models import Assessment, Problem, ProblemFactor, SocialFunctioningRating
from dampingi.core.forms import DateInput, VersionedForm, VersionedModelForm

FACTOR_MAX_LENGTH = ProblemFactor._meta.get_field("text").max_length


class ObjectChoiceField(forms.TypedChoiceField):
    """A choice among records already in memory; cleans to the record (or None when left empty)."""

    def __init__(self, *, objects=(), label_of=str, empty_label="---------", **kwargs):
        self.objects = {obj.pk: obj for obj in objects}
        choices = [("", empty_label)] + [(obj.pk, label_of(obj)) for obj in objects]
        super().__init__(choices=choices, coerce=int, empty_value=None, **kwargs)

    def clean(self, value):
        pk = super().clean(value)
        return None if pk is None else self.objects[pk]


class ObjectMultipleChoiceField(forms.TypedMultipleChoiceField):
    """Several records already in memory, shown as checkboxes; cleans to a list of records."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, objects=(), label_of=str, **kwargs):
        self.objects = {obj.pk: obj for obj in objects}
        super().__init__(choices=[(obj.pk, label_of(obj)) for obj in objects], coerce=int, **kwargs)

    def clean(self, value):
        return [self.objects[pk] for pk in super().clean(value)]


def _factor_lines(text: str) -> list[str]:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    too_long = [line for line in lines if len(line) > FACTOR_MAX_LENGTH]
    if too_long:
        raise forms.ValidationError(
            _("Each line may have at most %(max)d characters; shorten: %(line)s"),
            code="line_too_long",
            params={"max": FACTOR_MAX_LENGTH, "line": too_long[0][:60]},
        )
    return lines


class AssessmentForm(VersionedModelForm):
    """The worker may save a draft; completing the assessment checks what is still missing."""

    class Meta:
        model = Assessment
        fields = ["summary", "strengths", "resources", "risks", "risk_level"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "strengths": forms.Textarea(attrs={"rows": 3}),
            "resources": forms.Textarea(attrs={"rows": 3}),
            "risks": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "assessment")
        super().__init__(*args, **kwargs)
        self.fields["summary"].required = False
        self.fields["strengths"].required = False
        self.fields["summary"].help_text = _("Required to complete the assessment; you may save a draft first.")


class ProblemForm(VersionedModelForm):
    """A problem of the problem tree; new problems may list their causes and effects, one per line."""

    causes = forms.CharField(
        label=_("Causes (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=3000
    )
    effects = forms.CharField(
        label=_("Effects (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=3000
    )

    class Meta:
        model = Problem
        fields = ["title", "description", "is_priority"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, problems=(), **kwargs):
        super().__init__(*args, **kwargs)
        others = [p for p in problems if p.pk != self.instance.pk]
        self.fields["leads_to"] = ObjectMultipleChoiceField(
            objects=others, required=False, label=capfirst(Problem._meta.get_field("linked").verbose_name)
        )
        if self.instance.pk:
            # Causes and effects of an existing problem are added and removed one by one.
            del self.fields["causes"]
            del self.fields["effects"]
            if not self.is_bound:
                self.initial["leads_to"] = [p.pk for p in self.instance.linked.all()]
        # Keep the version as the last field.
        self.fields["version"] = self.fields.pop("version")

    def clean_causes(self):
        return _factor_lines(self.cleaned_data.get("causes", ""))

    def clean_effects(self):
        return _factor_lines(self.cleaned_data.get("effects", ""))


class ProblemFactorForm(forms.ModelForm):
    class Meta:
        model = ProblemFactor
        fields = ["kind", "text"]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ProblemFactor.Kind.choices
        self.initial.setdefault("kind", ProblemFactor.Kind.CAUSE)


class RatingForm(forms.ModelForm):
    """Social functioning on the three statutory dimensions, each from 1 (very poor) to 5 (very good)."""

    class Meta:
        model = SocialFunctioningRating
        fields = ["occasion", "rated_on", "basic_needs", "social_roles", "problem_solving", "evidence"]
        widgets = {"rated_on": DateInput, "evidence": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "rating")
        super().__init__(*args, **kwargs)
        for name in ("basic_needs", "social_roles", "problem_solving"):
            self.fields[name] = forms.IntegerField(
                label=capfirst(SocialFunctioningRating._meta.get_field(name).verbose_name),
                min_value=1,
                max_value=5,
                help_text=_("1 = very poor, 3 = adequate, 5 = very good"),
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        if not self.is_bound:
            self.initial.setdefault("rated_on", timezone.localdate())

    def clean_rated_on(self):
        rated_on = self.cleaned_data["rated_on"]
        if rated_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."), code="future_date")
        return rated_on


class VersionOnlyForm(VersionedForm):
    """For actions on a record (complete, delete) that must not act on a version the user has not seen."""
