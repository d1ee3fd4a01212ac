"""The genogram editor: a header form and four formsets (people, unions, children, relations).

People carry a key ("P1", ...) and unions a key ("U1", ...), kept in hidden fields and shown as
labels; the selects of unions, children and relations are built from the people and union rows
as posted (or prefilled), so a person typed a moment ago can be chosen after "add rows". Rows
left empty are ignored. Nothing typed is lost: "add rows" re-renders the same input with more
empty rows, and refusals of the service come back next to the field at fault.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dampingi.core.forms import DateInput
from dampingi.genograms.models import ChildKind, Gender, RelationKind, UnionKind

EMPTY = [("", "---------")]
MAX_ROWS = {"people": 60, "unions": 30, "children": 60, "relations": 60}
MORE = {"people": 3, "unions": 2, "children": 3, "relations": 3}
KEY_PREFIX = {"people": "P", "unions": "U"}


def year_field(label) -> forms.IntegerField:
    message = _("Enter a year such as 1975.")
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1800,
        max_value=2200,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "year", "min": 1800, "max": 2200}),
        error_messages={"min_value": message, "max_value": message, "invalid": message},
    )


class HeaderForm(forms.Form):
    drawn_on = forms.DateField(label=_("Drawn on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class _RowForm(forms.Form):
    IGNORED = {"key", "person_id", "gender", "kind"}

    def is_filled(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return any(v not in (None, "", False) for k, v in data.items() if k not in self.IGNORED)


class PersonForm(_RowForm):
    key = forms.CharField(max_length=8, widget=forms.HiddenInput)
    person_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN, required=False)
    birth_year = year_field(_("Year of birth"))
    death_year = year_field(_("Year of death"))
    deceased = forms.BooleanField(label=_("Deceased"), required=False)
    is_index = forms.BooleanField(label=_("Index person (the client)"), required=False)
    in_household = forms.BooleanField(label=_("Lives in the household"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    IGNORED = {"key", "person_id", "gender"}


class UnionForm(_RowForm):
    key = forms.CharField(max_length=8, widget=forms.HiddenInput)
    partner_a = forms.ChoiceField(label=_("Partner"), required=False)
    partner_b = forms.ChoiceField(label=_("Second partner"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnionKind.choices, initial=UnionKind.MARRIAGE, required=False)
    since = year_field(_("Since (year)"))
    until = year_field(_("Until (year)"))

    def __init__(self, *args, people_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner_a"].choices = EMPTY + list(people_choices)
        self.fields["partner_b"].choices = [("", _("unknown partner"))] + list(people_choices)

    def is_filled(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("partner_a") or data.get("partner_b") or data.get("since") or data.get("until"))

    def clean(self):
        data = super().clean()
        if self.is_filled() and not data.get("partner_a"):
            self.add_error("partner_a", _("Choose a person from the list."))
        return data


class ChildForm(_RowForm):
    union = forms.ChoiceField(label=_("Parents (union)"), required=False)
    child = forms.ChoiceField(label=_("Child"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ChildKind.choices, initial=ChildKind.BIOLOGICAL, required=False)
    twin_group = forms.CharField(
        label=_("Twin group"),
        max_length=4,
        required=False,
        help_text=_("The same letter for twins, e.g. A."),
        widget=forms.TextInput(attrs={"size": 4}),
    )

    def __init__(self, *args, people_choices=(), union_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].choices = EMPTY + list(union_choices)
        self.fields["child"].choices = EMPTY + list(people_choices)

    def clean(self):
        data = super().clean()
        if self.is_filled():
            for name in ("union", "child"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Choose from the list."))
        return data


class RelationForm(_RowForm):
    person_a = forms.ChoiceField(label=_("From"), required=False)
    kind = forms.ChoiceField(label=_("Relationship"), choices=EMPTY + RelationKind.choices, required=False)
    person_b = forms.ChoiceField(label=_("To"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    IGNORED = {"note"}

    def __init__(self, *args, people_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person_a"].choices = EMPTY + list(people_choices)
        self.fields["person_b"].choices = EMPTY + list(people_choices)

    def clean(self):
        data = super().clean()
        if self.is_filled() or data.get("note"):
            for name in ("person_a", "kind", "person_b"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Choose from the list."))
        return data


def _formset(form, prefix):
    return forms.formset_factory(form, extra=0, max_num=MAX_ROWS[prefix], validate_max=True, absolute_max=200)


PersonFormSet = _formset(PersonForm, "people")
UnionFormSet = _formset(UnionForm, "unions")
ChildFormSet = _formset(ChildForm, "children")
RelationFormSet = _formset(RelationForm, "relations")


def _total(data, prefix: str) -> int:
    try:
        return max(0, min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), MAX_ROWS[prefix]))
    except (TypeError, ValueError):
        return 0


def _next_key(prefix: str, used: set[str]) -> str:
    n = 1
    while f"{prefix}{n}" in used:
        n += 1
    return f"{prefix}{n}"


class GenogramEditor:
    """The header form and the four formsets of one new genogram version, validated together."""

    PREFIXES = ("people", "unions", "children", "relations")

    def __init__(self, data=None, *, initial: dict[str, Any] | None = None):
        initial = initial or {}
        self.data = data
        self.header = HeaderForm(data, initial=initial.get("header"))
        if data is not None:
            people_rows = [
                (data.get(f"people-{i}-key", ""), data.get(f"people-{i}-name", ""))
                for i in range(_total(data, "people"))
            ]
            union_rows = [
                (
                    data.get(f"unions-{i}-key", ""),
                    data.get(f"unions-{i}-partner_a", ""),
                    data.get(f"unions-{i}-partner_b", ""),
                )
                for i in range(_total(data, "unions"))
            ]
        else:
            people_rows = [(p.get("key", ""), p.get("name", "")) for p in initial.get("people", [])]
            union_rows = [
                (u.get("key", ""), u.get("partner_a", ""), u.get("partner_b", "")) for u in initial.get("unions", [])
            ]
        names = {k: (n or "").strip() for k, n in people_rows if k}
        self.people_choices = [(k, f"{k} · {n}") for k, n in names.items() if n]
        unknown = str(_("unknown partner"))
        self.union_choices = [
            (k, f"{k} · {names.get(a) or '?'} & {names.get(b) or unknown}") for k, a, b in union_rows if k and a
        ]
        self.people = PersonFormSet(data, prefix="people", initial=initial.get("people"))
        self.unions = UnionFormSet(
            data, prefix="unions", initial=initial.get("unions"), form_kwargs={"people_choices": self.people_choices}
        )
        self.children = ChildFormSet(
            data,
            prefix="children",
            initial=initial.get("children"),
            form_kwargs={"people_choices": self.people_choices, "union_choices": self.union_choices},
        )
        self.relations = RelationFormSet(
            data,
            prefix="relations",
            initial=initial.get("relations"),
            form_kwargs={"people_choices": self.people_choices},
        )
        self.general_errors: list[str] = []
        self.list_errors: dict[str, list[str]] = {prefix: [] for prefix in self.PREFIXES}
        self._rows: dict[str, list[int]] = {}

    # --- construction ---------------------------------------------------------------------

    @classmethod
    def prefilled(cls, rows: dict[str, list[dict]], *, extra: int = 1) -> GenogramEditor:
        """An unbound editor showing `rows` (see rules) plus a few empty rows in each list.

        Built as bound-looking data is not needed: formsets get `initial` and TOTAL counts from it;
        the empty rows get fresh keys.
        """
        data = cls.rows_as_data(rows, drawn_on=timezone.localdate(), note="")
        for prefix in cls.PREFIXES:
            data = cls._add_rows(data, prefix, MORE[prefix] if not rows.get(prefix) else extra)
        return cls(data)

    @staticmethod
    def rows_as_data(rows: dict[str, list[dict]], *, drawn_on, note: str) -> dict[str, str]:
        """The POST data the editor would send for `rows` (used to prefill, and in tests)."""
        data: dict[str, str] = {"drawn_on": drawn_on.isoformat() if drawn_on else "", "note": note or ""}
        fields = {
            "people": [
                "key",
                "person_id",
                "name",
                "gender",
                "birth_year",
                "death_year",
                "deceased",
                "is_index",
                "in_household",
                "note",
            ],
            "unions": ["key", "partner_a", "partner_b", "kind", "since", "until"],
            "children": ["union", "child", "kind", "twin_group"],
            "relations": ["person_a", "kind", "person_b", "note"],
        }
        for prefix, names in fields.items():
            items = rows.get(prefix, [])
            data[f"{prefix}-TOTAL_FORMS"] = str(len(items))
            data[f"{prefix}-INITIAL_FORMS"] = "0"
            for i, row in enumerate(items):
                for name in names:
                    value = row.get(name)
                    if isinstance(value, bool):
                        if value:
                            data[f"{prefix}-{i}-{name}"] = "on"
                    elif value is not None:
                        data[f"{prefix}-{i}-{name}"] = str(value)
        return data

    @staticmethod
    def _add_rows(data, prefix: str, count: int):
        data = data.copy()
        total = _total(data, prefix)
        new_total = min(total + count, MAX_ROWS[prefix])
        key_prefix = KEY_PREFIX.get(prefix)
        if key_prefix:
            used = {data.get(f"{prefix}-{i}-key", "") for i in range(total)}
            for i in range(total, new_total):
                key = _next_key(key_prefix, used)
                used.add(key)
                data[f"{prefix}-{i}-key"] = key
        data[f"{prefix}-TOTAL_FORMS"] = str(new_total)
        data.setdefault(f"{prefix}-INITIAL_FORMS", "0")
        return data

    @classmethod
    def with_more_rows(cls, data, which: str) -> GenogramEditor:
        """The same input with a few more empty rows in the list `which` (all lists if unknown)."""
        prefixes = [which] if which in cls.PREFIXES else list(cls.PREFIXES)
        for prefix in prefixes:
            data = cls._add_rows(data, prefix, MORE[prefix])
        return cls(data)

    # --- validation -----------------------------------------------------------------------

    @property
    def all(self):
        return [self.header, self.people, self.unions, self.children, self.relations]

    def is_valid(self) -> bool:
        return all([f.is_valid() for f in self.all])

    def cleaned(self) -> dict[str, Any]:
        """The service's arguments from the filled rows (remembering which form each row came from)."""
        result: dict[str, Any] = {
            "drawn_on": self.header.cleaned_data["drawn_on"],
            "note": self.header.cleaned_data["note"],
        }
        for prefix in self.PREFIXES:
            formset = getattr(self, prefix)
            rows, indexes = [], []
            for i, form in enumerate(formset.forms):
                if form.is_filled():
                    rows.append(dict(form.cleaned_data))
                    indexes.append(i)
            result[prefix] = rows
            self._rows[prefix] = indexes
        return result

    def add_service_errors(self, exc: ValidationError) -> None:
        """Put the service's refusals next to the fields: "people-2-name" is the person row behind
        the third filled person; "drawn_on"/"note" go to the header; anything else on top."""
        if not hasattr(exc, "error_dict"):
            self.general_errors.extend(exc.messages)
            return
        for key, errors in exc.error_dict.items():
            messages = [m for e in errors for m in e.messages]
            match = re.fullmatch(r"(people|unions|children|relations)-(\d+)-(\w+)", key)
            if key in self.header.fields:
                self.header.add_error(key, messages)
            elif key in self.list_errors:
                self.list_errors[key].extend(messages)
            elif match:
                prefix, row, field = match.group(1), int(match.group(2)), match.group(3)
                indexes = self._rows.get(prefix, [])
                formset = getattr(self, prefix)
                if row < len(indexes):
                    form = formset.forms[indexes[row]]
                    visible = field in form.fields and not form.fields[field].widget.is_hidden
                    form.add_error(field if visible else None, messages)
                else:
                    self.general_errors.extend(messages)
            else:
                self.general_errors.extend(messages)

    @property
    def has_errors(self) -> bool:
        return (
            bool(self.general_errors)
            or any(self.list_errors.values())
            or any(f.errors if isinstance(f, forms.Form) else (f.total_error_count()) for f in self.all)
        )
