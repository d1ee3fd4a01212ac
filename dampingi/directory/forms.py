from django import forms
from django.utils.translation import gettext_lazy as _

from dampingi.core.forms import VersionedModelForm
from dampingi.directory.models import Organization, Service, TaxonomyTerm
from dampingi.directory.selectors import need_choices
from dampingi.regions.forms import RegionField


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    need = forms.ChoiceField(label=_("Need"), required=False)
    region = RegionField(label=_("Region"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [("", _("Any need")), *need_choices()]


class OrganizationForm(VersionedModelForm):
    class Meta:
        model = Organization
        fields = ["name", "alternate_name", "description", "email", "website", "legal_status"]
        widgets = {
            "alternate_name": forms.TextInput,
            "legal_status": forms.TextInput,
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class ServiceForm(VersionedModelForm):
    terms = forms.ModelMultipleChoiceField(
        label=_("Needs served"),
        queryset=TaxonomyTerm.objects.filter(code__startswith="sector.")
        | TaxonomyTerm.objects.filter(code__startswith="psks."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    region = RegionField(label=_("Region of the location"), required=False)
    address_1 = forms.CharField(label=_("Address"), required=False, max_length=300)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=100)

    class Meta:
        model = Service
        fields = [
            "organization",
            "name",
            "alternate_name",
            "description",
            "status",
            "url",
            "email",
            "application_process",
            "fees_description",
            "wait_time",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "alert",
        ]
        widgets = {
            "alternate_name": forms.TextInput,
            "fees_description": forms.TextInput,
            "wait_time": forms.TextInput,
            "alert": forms.TextInput,
            "description": forms.Textarea(attrs={"rows": 3}),
            "application_process": forms.Textarea(attrs={"rows": 2}),
            "eligibility_description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["terms"].label_from_instance = lambda term: term.display_name
        self.fields["terms"].queryset = self.fields["terms"].queryset.order_by("code")

    def clean(self):
        data = super().clean()
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", _("The maximum age cannot be below the minimum age."))
        return data

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CapacityForm(forms.Form):
    capacity = forms.ChoiceField(label=_("Capacity"), choices=Service.Capacity.choices)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("HSDS file"),
        help_text=_("A JSON file of services, or a ZIP data package (datapackage.json and CSV files)."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 50 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 50 MB."), code="too_large")
        return upload
