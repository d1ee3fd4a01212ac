"""Forms of the instruments. Indices are typed as numbers so a wrong value stays in the field with
its error; the scales are shown beside the form."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dampingi.core.forms import DateInput
from dampingi.instruments.definitions import CURRENT, DIGITAL, PIE

EMPTY = [("", "---------")]


def index_field(label, *, required: bool = True) -> forms.IntegerField:
    message = _("Enter a value from 1 to 6.")
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=1,
        max_value=6,
        widget=forms.NumberInput(attrs={"min": 1, "max": 6, "inputmode": "numeric", "class": "index"}),
        error_messages={"min_value": message, "max_value": message, "invalid": message},
    )


class AdministrationForm(forms.Form):
    administered_on = forms.DateField(label=_("Date taken"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("administered_on", timezone.localdate())


class RoleProblemForm(forms.Form):
    """Factor I: a problem in a social role."""

    role = forms.ChoiceField(label=_("Role"))
    problem_type = forms.ChoiceField(label=_("Problem type"))
    severity = index_field(_("Severity"))
    duration = index_field(_("Duration"))
    coping = index_field(_("Coping"))
    strengths = forms.CharField(label=_("Strengths"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pie = CURRENT[PIE]
        self.fields["role"].choices = EMPTY + pie.role_choices()
        self.fields["problem_type"].choices = EMPTY + list(pie.PROBLEM_TYPES.items())


class EnvironmentProblemForm(forms.Form):
    """Factor II: a problem in a system of the client's environment."""

    problem = forms.ChoiceField(label=_("System and problem"))
    detail = forms.CharField(label=_("Detail"), max_length=300, required=False)
    severity = index_field(_("Severity"))
    duration = index_field(_("Duration"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem"].choices = EMPTY + CURRENT[PIE].system_problem_choices()


class HealthForm(forms.Form):
    """Factor III or IV: restricted health data."""

    diagnosis = forms.CharField(label=_("Diagnosis (text or code)"), max_length=300, required=False)
    client_reported = forms.CharField(label=_("Condition reported by the client"), max_length=500, required=False)


RoleProblemFormSet = forms.formset_factory(RoleProblemForm, extra=3, max_num=30, validate_max=True)
EnvironmentProblemFormSet = forms.formset_factory(EnvironmentProblemForm, extra=3, max_num=30, validate_max=True)
HealthFormSet = forms.formset_factory(HealthForm, extra=2, max_num=10, validate_max=True)


class PieForms:
    """The date form and the four factor formsets of one PIE administration, validated together."""

    def __init__(self, data=None):
        self.date = AdministrationForm(data)
        self.roles = RoleProblemFormSet(data, prefix="role")
        self.environment = EnvironmentProblemFormSet(data, prefix="env")
        self.mental = HealthFormSet(data, prefix="mental")
        self.physical = HealthFormSet(data, prefix="physical")
        self.errors: list[str] = []

    PREFIXES = ("role", "env", "mental", "physical")
    MORE = 3

    @classmethod
    def with_more_rows(cls, data) -> "PieForms":
        """The same input with a few more empty rows in every factor (nothing is saved)."""
        data = data.copy()
        for prefix in cls.PREFIXES:
            key = f"{prefix}-TOTAL_FORMS"
            try:
                total = int(data.get(key, 0))
            except ValueError:
                total = 0
            data[key] = str(min(max(total, 0) + cls.MORE, 30 if prefix in ("role", "env") else 10))
        return cls(data)

    @property
    def all(self):
        return [self.date, self.roles, self.environment, self.mental, self.physical]

    def is_valid(self) -> bool:
        return all([f.is_valid() for f in self.all])

    @staticmethod
    def _filled(formset) -> list[dict]:
        return [f.cleaned_data for f in formset.forms if f.has_changed() and f.cleaned_data]

    def cleaned(self) -> dict:
        return {
            "administered_on": self.date.cleaned_data["administered_on"],
            "role_problems": self._filled(self.roles),
            "environment_problems": self._filled(self.environment),
            "health": [{"factor": 3, **d} for d in self._filled(self.mental)]
            + [{"factor": 4, **d} for d in self._filled(self.physical)],
        }


class ScreeningForm(AdministrationForm):
    """Every item of the digital-life screening: a rating 0-3 and notes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        digital = CURRENT[DIGITAL]
        self.definition = digital
        choices = list(digital.RATINGS.items())
        for key, item in digital.ITEMS.items():
            self.fields[f"rating_{key}"] = forms.TypedChoiceField(
                label=item.label,
                help_text=item.help,
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "rating-choices"}),
                error_messages={"required": _("Rate this item."), "invalid_choice": _("Rate from 0 to 3.")},
            )
            self.fields[f"notes_{key}"] = forms.CharField(
                label=_("Notes"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def areas(self) -> list[dict]:
        return [
            {
                "label": area.label,
                "items": [(self[f"rating_{item.key}"], self[f"notes_{item.key}"]) for item in area.items],
            }
            for area in self.definition.AREAS
        ]

    def answers(self) -> dict[str, tuple[int, str]]:
        data = self.cleaned_data
        return {key: (data[f"rating_{key}"], data[f"notes_{key}"]) for key in self.definition.ITEMS}
