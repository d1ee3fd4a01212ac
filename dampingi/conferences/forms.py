"""Forms of a case conference: the meeting and its action items (a formset)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dampingi.assessments.forms import ObjectChoiceField, ObjectMultipleChoiceField
from dampingi.conferences.models import Conference
from dampingi.core.forms import DateInput
from dampingi.plans.forms import stakeholder_label
from dampingi.plans.models import ResponsibleParty

MAX_ACTIONS = 20


class ConferenceForm(forms.ModelForm):
    class Meta:
        model = Conference
        fields = ["held_on", "place", "other_participants", "agenda", "decisions"]
        widgets = {
            "held_on": DateInput,
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, stakeholders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"] = ObjectMultipleChoiceField(
            objects=stakeholders,
            label_of=stakeholder_label,
            required=False,
            label=_("Stakeholders taking part"),
            help_text=_("Family, academics, community and government: add them as stakeholders of the case first."),
        )
        self.order_fields(["held_on", "place", "participants", "other_participants", "agenda", "decisions"])
        if not self.is_bound:
            self.initial.setdefault("held_on", timezone.localdate())


class ActionForm(forms.Form):
    description = forms.CharField(label=_("action"), max_length=300)
    # The initial value makes an untouched row count as unchanged (left empty) in the formset.
    responsible = forms.ChoiceField(
        label=_("responsible party"), choices=ResponsibleParty.choices, initial=ResponsibleParty.WORKER
    )
    due_date = forms.DateField(label=_("due date"), widget=DateInput)

    def __init__(self, *args, goals=(), stakeholders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"] = ObjectChoiceField(objects=goals, label=_("goal of the plan"), label_of=str)
        self.fields["stakeholder"] = ObjectChoiceField(
            objects=stakeholders,
            label_of=stakeholder_label,
            required=False,
            label=_("assigned to"),
            empty_label=_("(no stakeholder)"),
        )
        self.order_fields(["description", "goal", "responsible", "stakeholder", "due_date"])


ActionFormSet = forms.formset_factory(ActionForm, extra=2, max_num=MAX_ACTIONS, validate_max=True)


def action_formset(data=None, *, goals, stakeholders, more: bool = False):
    """The action items; with `more`, the same input and two more empty rows (nothing is saved)."""
    if data is not None and more:
        data = data.copy()
        try:
            total = int(data.get("action-TOTAL_FORMS", 0))
        except ValueError:
            total = 0
        data["action-TOTAL_FORMS"] = str(min(max(total, 0) + 2, MAX_ACTIONS))
    return ActionFormSet(data, prefix="action", form_kwargs={"goals": goals, "stakeholders": stakeholders})


def filled_actions(formset) -> list[tuple[int, dict]]:
    """(form index, service kwargs) of the rows the user filled in."""
    rows = []
    for index, form in enumerate(formset.forms):
        if form.has_changed() and form.cleaned_data:
            data = form.cleaned_data
            rows.append(
                (
                    index,
                    {
                        "description": data["description"],
                        "goal_id": data["goal"].pk,
                        "responsible": data["responsible"],
                        "due_date": data["due_date"],
                        "stakeholder": data["stakeholder"],
                    },
                )
            )
    return rows
