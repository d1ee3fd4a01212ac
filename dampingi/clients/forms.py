"""Forms for registering and correcting client systems and people.

`Registration` bundles what one "register a client" page posts: the client system's form,
then either one person (individual) or a formset of members (family, group, community),
and the "this is a different person" confirmation shown after a duplicate warning.
"""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dampingi.clients.matching import name_key
from dampingi.clients.models import ClientSystem, Membership, Person, PPKSCategory
from dampingi.clients.selectors import PersonProbe
from dampingi.clients.services import PERSON_FIELDS, RELATIONSHIPS
from dampingi.clients.validators import (
    Problem,
    nik_district_warning,
    nik_problems,
    no_kk_problems,
    normalise_id_number,
    province_codes,
)
from dampingi.core.forms import DateInput, VersionedModelForm
from dampingi.regions.forms import RegionField, RegionSelectWidget

Kind = ClientSystem.Kind
Relationship = Membership.Relationship

MAX_MEMBERS = 50
# Blank member rows on a new registration (more can be added with "Add another member").
BLANK_ROWS = {Kind.FAMILY: 3, Kind.GROUP: 3, Kind.COMMUNITY: 1}


class RegionFieldsetWidget(RegionSelectWidget):
    """The four dependent selects, grouped under the field's label as a fieldset legend."""

    use_fieldset = True


class PPKSChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", PPKSCategory.objects.filter(active=True).order_by("number"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("PPKS categories"))
        kwargs.setdefault(
            "help_text", _("The types of social welfare problem (PPKS, Permensos 8/2012) this client system has.")
        )
        super().__init__(**kwargs)

    def label_from_instance(self, obj: PPKSCategory) -> str:
        return obj.label


def _nik_field(help_text) -> forms.CharField:
    # Longer than 16 so that digits typed in groups ("3204 0552 0314 0001") are accepted and
    # normalised; the NIK rules then report a wrong length in their own words.
    return forms.CharField(
        label=_("NIK"),
        required=False,
        max_length=24,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


def _region_field(**kwargs) -> RegionField:
    kwargs.setdefault("required", False)
    kwargs.setdefault("label", _("Region"))
    return RegionField(widget=RegionFieldsetWidget, **kwargs)


class PersonCleaningMixin:
    """NIK, date-of-birth and sex checks shared by every form that edits a person.

    After is_valid(), `warnings` holds the NIK district warning (shown, never blocking).
    """

    warnings: list[Problem]
    # The address region to compare the NIK with when the form has no region of its own.
    fallback_region = None

    def clean_full_name(self) -> str:
        value = " ".join(self.cleaned_data["full_name"].split())
        if not name_key(value):
            raise forms.ValidationError(_("Enter the name in letters."), code="name_letters")
        return value

    def clean_nik(self) -> str | None:
        return normalise_id_number(self.cleaned_data.get("nik")) or None

    def clean_birth_date(self) -> datetime.date | None:
        value = self.cleaned_data.get("birth_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."), code="future_birth_date")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.warnings = []
        nik = cleaned.get("nik")
        if nik:
            problems = nik_problems(
                nik,
                birth_date=cleaned.get("birth_date"),
                sex=cleaned.get("sex"),
                provinces=self.provinces,
            )
            for problem in problems:
                self.add_error("nik", problem.as_validation_error())
            if not problems:
                warning = nik_district_warning(nik, cleaned.get("region") or self.fallback_region)
                if warning:
                    self.warnings.append(warning)
        return cleaned

    @property
    def provinces(self) -> set[str]:
        if not hasattr(self, "_provinces"):
            self._provinces = province_codes()
        return self._provinces


_PERSON_WIDGETS = {
    "full_name": forms.TextInput(attrs={"autocomplete": "off"}),
    "phone": forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    "birth_date": DateInput(),
    "notes": forms.Textarea(attrs={"rows": 3}),
}
_PERSON_HELP = {"disability_note": _("What the person needs, in their own words where possible.")}
_NIK_HELP = _("16 digits from the KTP or family card. Leave empty if the person has none.")


class PersonForm(PersonCleaningMixin, forms.ModelForm):
    """The person of an individual client, on the register page."""

    nik = _nik_field(_NIK_HELP)
    region = _region_field()

    class Meta:
        model = Person
        fields = list(PERSON_FIELDS)
        widgets = _PERSON_WIDGETS
        help_texts = _PERSON_HELP

    def validate_unique(self) -> None:
        """A NIK that exists already is reported by the duplicate check, with where it is."""


class PersonEditForm(PersonCleaningMixin, VersionedModelForm):
    nik = _nik_field(_NIK_HELP)
    region = _region_field()

    class Meta:
        model = Person
        fields = list(PERSON_FIELDS)
        widgets = _PERSON_WIDGETS
        help_texts = _PERSON_HELP

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = True

    def clean_nik(self) -> str | None:
        nik = super().clean_nik()
        if nik and Person.objects.filter(nik=nik).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A person with this NIK is already registered."), code="nik_taken")
        return nik

    def validate_unique(self) -> None:
        """Checked in clean_nik with a clearer message."""


class MemberForm(PersonCleaningMixin, forms.ModelForm):
    """One member row of a family, group or community. The address is the client system's."""

    relationship = forms.ChoiceField(label=_("Relationship"))
    nik = _nik_field(_("16 digits. Leave empty if the person has none."))

    class Meta:
        model = Person
        fields = [
            "full_name",
            "relationship",
            "sex",
            "birth_date",
            "nik",
            "birth_place",
            "phone",
            "disability",
            "disability_note",
        ]
        widgets = _PERSON_WIDGETS
        help_texts = _PERSON_HELP

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        choices = [(value, Relationship(value).label) for value in RELATIONSHIPS[kind]]
        relationship = self.fields["relationship"]
        if kind == Kind.FAMILY:
            relationship.label = _("Relationship to the head of household")
            relationship.choices = [("", "—"), *choices]
        else:
            relationship.choices = choices
            relationship.initial = choices[0][0]

    def validate_unique(self) -> None:
        """A NIK that exists already is reported by the duplicate check, with where it is."""

    @property
    def is_filled(self) -> bool:
        """Rows left blank are ignored."""
        return self.has_changed()


class BaseMemberFormSet(forms.BaseFormSet):
    """Member rows: blank rows are ignored; the kind's rules are checked across rows.

    Every row is a "new" row (initial_form_count is always 0), so that a row left blank or
    emptied again is skipped instead of refused.
    """

    def __init__(self, *args, kind: str, **kwargs):
        self.kind = kind
        kwargs.setdefault("form_kwargs", {})["kind"] = kind
        if kind == Kind.FAMILY and "initial" not in kwargs:
            kwargs["initial"] = [{"relationship": Relationship.HEAD}]
        super().__init__(*args, **kwargs)

    def initial_form_count(self) -> int:
        return 0

    def filled_forms(self) -> list[MemberForm]:
        return [form for form in self.forms if form.is_filled]

    def clean(self) -> None:
        if any(self.errors):
            return
        filled = self.filled_forms()
        if self.kind == Kind.FAMILY:
            heads = [f for f in filled if f.cleaned_data.get("relationship") == Relationship.HEAD]
            if not filled:
                raise forms.ValidationError(_("Enter the members of the family, starting with the head of household."))
            if len(heads) != 1:
                raise forms.ValidationError(
                    _("A family has exactly one head of household: mark one member (and only one) as the head.")
                )
        if self.kind == Kind.GROUP and not filled:
            raise forms.ValidationError(_("Enter at least one member of the group."))
        seen: dict[str, MemberForm] = {}
        for form in filled:
            nik = form.cleaned_data.get("nik")
            if nik and nik in seen:
                form.add_error("nik", _("Two members have the same NIK."))
            elif nik:
                seen[nik] = form


def member_formset_class(extra: int) -> type[BaseMemberFormSet]:
    return forms.formset_factory(
        MemberForm,
        formset=BaseMemberFormSet,
        extra=extra,
        max_num=MAX_MEMBERS,
        absolute_max=MAX_MEMBERS,
        validate_max=True,
    )


class ClientSystemForm(forms.ModelForm):
    """The client system's own facts; which fields appear depends on its kind."""

    FIELDS = {
        Kind.INDIVIDUAL: ["ppks", "description"],
        Kind.FAMILY: ["name", "no_kk", "address", "region", "ppks", "description"],
        Kind.GROUP: ["name", "description", "address", "region", "ppks"],
        Kind.COMMUNITY: ["name", "region", "address", "description", "ppks"],
    }

    no_kk = forms.CharField(
        label=_("Family card number"),
        required=False,
        max_length=24,
        help_text=_("16 digits on the family card (Kartu Keluarga), if the family has one."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    region = _region_field()
    ppks = PPKSChoiceField()

    class Meta:
        model = ClientSystem
        fields = ["name", "no_kk", "address", "region", "description", "ppks"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        wanted = self.FIELDS[kind]
        for name in list(self.fields):
            if name not in wanted and name != "version":
                del self.fields[name]
        self.order_fields(wanted)
        if "name" in self.fields:
            if kind == Kind.FAMILY:
                self.fields["name"].required = False
                self.fields["name"].help_text = _(
                    "Leave empty to call the family “Keluarga” and the head of household's name."
                )
            else:
                self.fields["name"].required = True
                self.fields["name"].label = _("Name of the group") if kind == Kind.GROUP else _("Name of the community")
                if kind == Kind.COMMUNITY:
                    self.fields["name"].help_text = _(
                        "The village, hamlet (RT/RW) or area, e.g. “Kampung Cibodas RW 05”."
                    )
        if kind == Kind.COMMUNITY:
            self.fields["region"].required = True
            self.fields["region"].min_level = 3
        if "description" in self.fields:
            self.fields["description"].help_text = {
                Kind.INDIVIDUAL: _("Anything about the client's situation that is not a case yet."),
                Kind.FAMILY: _("The household's situation in a few sentences."),
                Kind.GROUP: _("Who the group are and why they meet."),
                Kind.COMMUNITY: _("The community and what happened, e.g. how many households are affected."),
            }[kind]

    def clean_no_kk(self) -> str:
        value = normalise_id_number(self.cleaned_data.get("no_kk"))
        if value:
            problems = no_kk_problems(value)
            if problems:
                raise forms.ValidationError([p.as_validation_error() for p in problems])
        return value


class ClientSystemEditForm(ClientSystemForm, VersionedModelForm):
    """Correct a client system (kind-dependent fields, as when it was registered)."""

    FIELDS = {
        Kind.INDIVIDUAL: ["ppks", "description"],
        Kind.FAMILY: ["name", "no_kk", "address", "region", "ppks", "description"],
        Kind.GROUP: ["name", "description", "address", "region", "ppks"],
        Kind.COMMUNITY: ["name", "region", "address", "description", "ppks"],
    }

    def __init__(self, *args, **kwargs):
        instance = kwargs["instance"]
        super().__init__(*args, kind=instance.kind, **kwargs)
        self.fields["version"].required = True

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields if name not in ("version", "ppks")}


class ConfirmDifferentForm(forms.Form):
    confirm_different = forms.BooleanField(
        required=False,
        label=_("I have checked: this is a different person or family — save anyway"),
    )


class Registration:
    """Everything one registration page posts, for one kind of client system."""

    def __init__(self, kind: str, data=None, *, member_rows: list[dict[str, Any]] | None = None, system_initial=None):
        self.kind = kind
        self.checked = False  # is_valid() has run
        self.system = ClientSystemForm(data, kind=kind, initial=system_initial)
        self.person: PersonForm | None = None
        self.members: BaseMemberFormSet | None = None
        self.confirm = ConfirmDifferentForm(data)
        if kind == Kind.INDIVIDUAL:
            initial = (member_rows or [None])[0]
            self.person = PersonForm(data, prefix="person", initial=initial)
        else:
            if member_rows is not None:
                formset_class = member_formset_class(len(member_rows))
                self.members = formset_class(prefix="members", kind=kind, initial=member_rows)
            else:
                formset_class = member_formset_class(0 if data is not None else BLANK_ROWS[kind])
                self.members = formset_class(data, prefix="members", kind=kind)

    @property
    def person_forms(self) -> list[forms.Form]:
        if self.person is not None:
            return [self.person]
        return self.members.filled_forms()

    def is_valid(self) -> bool:
        self.checked = True
        valid = self.system.is_valid()
        if self.person is not None:
            valid = self.person.is_valid() and valid
        else:
            for form in self.members.forms:
                form.fallback_region = self.system.cleaned_data.get("region")
            valid = self.members.is_valid() and valid
        return self.confirm.is_valid() and valid

    @property
    def confirmed(self) -> bool:
        return bool(self.confirm.cleaned_data.get("confirm_different"))

    def probes(self) -> list[PersonProbe]:
        return [
            PersonProbe(
                ref=form.prefix or "",
                full_name=form.cleaned_data["full_name"],
                nik=form.cleaned_data.get("nik"),
                birth_date=form.cleaned_data.get("birth_date"),
            )
            for form in self.person_forms
        ]

    def form_for_ref(self, ref: str) -> forms.Form:
        return next(form for form in self.person_forms if (form.prefix or "") == ref)

    def warnings(self) -> list[Problem]:
        """The NIK district warnings of the people entered (after is_valid)."""
        if not self.checked:
            return []
        return [w for form in self.person_forms for w in getattr(form, "warnings", [])]

    def service_kwargs(self) -> dict[str, Any]:
        """The arguments of services.client_system_register."""
        data = self.system.cleaned_data
        kwargs: dict[str, Any] = {
            "kind": self.kind,
            "name": data.get("name", ""),
            "no_kk": data.get("no_kk", ""),
            "address": data.get("address", ""),
            "region": data.get("region"),
            "description": data.get("description", ""),
            "ppks": list(data.get("ppks") or []),
        }
        if self.person is not None:
            member = {f: self.person.cleaned_data.get(f) for f in PERSON_FIELDS}
            member["relationship"] = Relationship.SELF
            kwargs["members"] = [member]
        else:
            members = []
            for form in self.members.filled_forms():
                member = {f: form.cleaned_data.get(f) for f in PERSON_FIELDS if f in form.cleaned_data}
                member["relationship"] = form.cleaned_data["relationship"]
                members.append(member)
            kwargs["members"] = members
        return kwargs

    def with_another_row(self) -> "Registration":
        """The same page again with one more blank member row and every value kept, unchecked.

        Used by the "Add another member" button, which posts the form without saving it.
        """
        system_initial = {bf.name: bf.data for bf in self.system}
        rows = [{bf.name: bf.data for bf in form} for form in self.members.forms]
        rows.append({"relationship": "" if self.kind == Kind.FAMILY else RELATIONSHIPS[self.kind][0]})
        return Registration(self.kind, member_rows=rows[:MAX_MEMBERS], system_initial=system_initial)
