"""Forms of a new eco-map version: the date and note, and one row per system (a formset).

Every row is optional: an untouched or cleared row is left out, a row ticked "remove" too. "Add
rows" re-renders what was typed, unvalidated, with more empty rows (nothing is saved).
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dampingi.core.forms import DateInput
from dampingi.ecomaps.models import Category, Flow, Strength
from dampingi.ecomaps.selectors import match_key
from dampingi.ecomaps.services import MAX_SYSTEMS

EMPTY = [("", "---------")]
EXTRA = 2  # empty rows below the prefilled ones
MORE = 3  # rows added by "add rows"


class EcoMapForm(forms.Form):
    drawn_on = forms.DateField(label=gettext_lazy("Date drawn"), widget=DateInput())
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("What stands out: resources, gaps, where a referral could help."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("drawn_on", timezone.localdate())


class SystemForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("System"), max_length=150)
    category = forms.ChoiceField(label=gettext_lazy("Kind"), choices=EMPTY + Category.choices)
    strength = forms.ChoiceField(label=gettext_lazy("Link"), choices=Strength.choices, initial=Strength.MODERATE)
    flow = forms.ChoiceField(label=gettext_lazy("Energy flows"), choices=Flow.choices, initial=Flow.NONE)
    stressful = forms.BooleanField(label=gettext_lazy("Stressful"), required=False)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)
    stakeholder = forms.IntegerField(required=False, widget=forms.HiddenInput)
    person = forms.IntegerField(required=False, widget=forms.HiddenInput)


class BaseSystemFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen: dict[str, forms.Form] = {}
        filled = 0
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            if not form.has_changed() or not form.cleaned_data:
                continue
            filled += 1
            key = match_key(form.cleaned_data["name"])
            if key in seen:
                form.add_error("name", _("This system is already listed above."))
            else:
                seen[key] = form
        if not filled:
            raise ValidationError(_("Add at least one system around the client."), code="empty")


def system_formset(extra: int):
    return forms.formset_factory(
        SystemForm,
        formset=BaseSystemFormSet,
        extra=extra,
        can_delete=True,
        max_num=MAX_SYSTEMS,
        validate_max=True,
        absolute_max=MAX_SYSTEMS,
    )


class EcoMapForms:
    """The map form and the systems formset of one new version, validated together."""

    PREFIX = "systems"

    def __init__(
        self,
        data=None,
        *,
        initial: dict[str, Any] | None = None,
        initial_systems: list[dict[str, Any]] | None = None,
        extra: int = EXTRA,
    ):
        self.map = EcoMapForm(data, initial=initial)
        formset_class = system_formset(extra)
        self.systems = formset_class(
            data, prefix=self.PREFIX, initial=initial_systems or None, form_kwargs={"empty_permitted": True}
        )
        self.system_errors: list[str] = []

    @classmethod
    def with_more_rows(cls, data) -> "EcoMapForms":
        """What was typed, as it was typed (not validated, no errors shown), with more empty rows."""
        bound = cls(data)
        rows = []
        for form in bound.systems.forms:
            values = {name: form[name].value() for name in SystemForm.base_fields}
            if form["DELETE"].value() in (True, "on", "true", "True"):
                continue
            if not (values["name"] or values["category"] or values["note"]):
                continue
            values["stressful"] = form.fields["stressful"].to_python(values["stressful"])
            rows.append(values)
        empty = len(bound.systems.forms) - len(rows)
        initial = {name: bound.map[name].value() for name in EcoMapForm.base_fields}
        return cls(initial=initial, initial_systems=rows, extra=max(0, empty) + MORE)

    def is_valid(self) -> bool:
        return all([self.map.is_valid(), self.systems.is_valid()])

    def cleaned(self) -> dict[str, Any]:
        systems = []
        for form in self.systems.forms:
            if self.systems._should_delete_form(form) or not form.has_changed() or not form.cleaned_data:
                continue
            data = form.cleaned_data
            systems.append(
                {
                    "name": data["name"],
                    "category": data["category"],
                    "strength": data["strength"],
                    "stressful": data["stressful"],
                    "flow": data["flow"],
                    "note": data["note"],
                    "stakeholder_id": data["stakeholder"],
                    "person_id": data["person"],
                }
            )
        return {
            "drawn_on": self.map.cleaned_data["drawn_on"],
            "note": self.map.cleaned_data["note"],
            "systems": systems,
        }

    def add_service_errors(self, exc: ValidationError) -> None:
        """Errors of the service next to their fields; those about the systems above the rows."""
        if not hasattr(exc, "error_dict"):
            self.map.add_error(None, exc)
            return
        for name, errors in exc.error_dict.items():
            if name == "systems":
                self.system_errors.extend(m for e in errors for m in e.messages)
            else:
                self.map.add_error(name if name in self.map.fields else None, errors)

    @property
    def all_system_errors(self) -> list[str]:
        return list(self.systems.non_form_errors()) + self.system_errors if self.systems.is_bound else []
