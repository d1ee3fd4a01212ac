"""Forms of the referral pages. They validate input; dampingi.referrals.services does the writing."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dampingi.cases.models import Consent
from dampingi.core.forms import DateInput
from dampingi.referrals import sharing
from dampingi.referrals.models import Referral
from dampingi.referrals.states import Status


class ServiceSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Service or organisation name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    need = forms.ChoiceField(label=_("Need (kind of service)"), required=False, choices=[])
    region = forms.CharField(
        label=_("Region code"),
        required=False,
        max_length=13,
        help_text=_("Kemendagri code of the regency or district, e.g. 32.04 or 32.04.05."),
    )

    def __init__(self, *args, **kwargs):
        from dampingi.directory.selectors import need_choices

        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [("", _("any need")), *need_choices()]


class ConsentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Consent) -> str:
        return _("%(name)s · %(method)s · %(date)s") % {
            "name": obj.giver_name,
            "method": obj.get_method_display(),
            "date": obj.given_on.isoformat(),
        }


class ReferralForm(forms.Form):
    """The referral: what is asked, by when, what is shared and on which consent."""

    BASIS_CASE = "case"
    BASIS_REFERRAL = "referral"
    BASIS_OVERRIDE = "override"
    BASIS_LATER = "later"
    BASIS_CHOICES = [
        (BASIS_CASE, _("a consent of the case that covers sharing")),
        (BASIS_REFERRAL, _("consent given for this referral")),
        (BASIS_OVERRIDE, _("share without consent (give the reason)")),
        (BASIS_LATER, _("not yet: save as a draft")),
    ]

    reason = forms.CharField(
        label=_("Reason for the referral"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the client needs from this service. The service always sees this."),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Referral.Urgency.choices, initial="routine")
    answer_by = forms.DateField(
        label=_("Answer by"), widget=DateInput(), help_text=_("The service should accept or reject by this date.")
    )
    shared_sections = forms.MultipleChoiceField(
        label=_("Data shared with the service"),
        choices=sharing.Section.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes_for_service = forms.CharField(
        label=_("Notes for the service"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    consent_basis = forms.ChoiceField(
        label=_("Consent to share"), choices=BASIS_CHOICES, widget=forms.RadioSelect, initial=BASIS_CASE
    )
    consent = ConsentChoiceField(label=_("Consent of the case"), queryset=Consent.objects.none(), required=False)
    consent_given_by = forms.ChoiceField(
        label=_("consent given by"), choices=[("", "---------"), *Consent.GivenBy.choices], required=False
    )
    consent_giver_name = forms.CharField(label=_("name of the person consenting"), max_length=150, required=False)
    consent_method = forms.ChoiceField(
        label=_("how consent was given"), choices=[("", "---------"), *Consent.Method.choices], required=False
    )
    consent_given_on = forms.DateField(label=_("date of consent"), required=False, widget=DateInput())
    override_reason = forms.CharField(
        label=_("Reason to share without consent"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when waiting for consent would put the client at risk (e.g. emergency). This is logged."),
    )
    confirm_waitlist = forms.BooleanField(
        label=_("I confirm: the client goes on the service's waiting list"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        consents = Consent.objects.filter(case=case, covers_sharing=True, withdrawn_on__isnull=True).order_by(
            "-given_on", "-id"
        )
        self.fields["consent"].queryset = consents
        if not self.is_bound and "shared_sections" not in self.initial:
            self.initial["shared_sections"] = [s.value for s in sharing.MINIMUM]
        if not self.is_bound and "answer_by" not in self.initial:
            self.initial["answer_by"] = timezone.localdate() + datetime.timedelta(days=7)

    @classmethod
    def initial_for(cls, referral: Referral) -> dict:
        if referral.consent_id:
            basis = cls.BASIS_CASE
        elif referral.has_referral_consent:
            basis = cls.BASIS_REFERRAL
        elif referral.consent_override_reason:
            basis = cls.BASIS_OVERRIDE
        else:
            basis = cls.BASIS_LATER
        return {
            "reason": referral.reason,
            "urgency": referral.urgency,
            "answer_by": referral.answer_by,
            "shared_sections": referral.shared_sections,
            "notes_for_service": referral.notes_for_service,
            "consent_basis": basis,
            "consent": referral.consent_id,
            "consent_given_by": referral.consent_given_by,
            "consent_giver_name": referral.consent_giver_name,
            "consent_method": referral.consent_method,
            "consent_given_on": referral.consent_given_on,
            "override_reason": referral.consent_override_reason,
            "version": referral.version,
        }

    def clean(self):
        data = super().clean()
        basis = data.get("consent_basis")
        if basis == self.BASIS_CASE and not data.get("consent"):
            self.add_error("consent", _("Choose the consent that covers sharing."))
        if basis == self.BASIS_OVERRIDE and not (data.get("override_reason") or "").strip():
            self.add_error("override_reason", _("Give the reason to share without consent."))
        return data

    def service_kwargs(self) -> dict:
        """The arguments of referral_create / referral_update: only the chosen consent basis is passed on."""
        data = self.cleaned_data
        basis = data["consent_basis"]
        kwargs = {
            "reason": data["reason"],
            "urgency": data["urgency"],
            "answer_by": data["answer_by"],
            "shared_sections": data["shared_sections"],
            "notes_for_service": data["notes_for_service"],
        }
        if basis == self.BASIS_CASE and data.get("consent"):
            kwargs["consent_id"] = data["consent"].pk
        elif basis == self.BASIS_REFERRAL:
            kwargs.update(
                consent_given_by=data["consent_given_by"],
                consent_giver_name=data["consent_giver_name"],
                consent_method=data["consent_method"],
                consent_given_on=data["consent_given_on"],
            )
        elif basis == self.BASIS_OVERRIDE:
            kwargs["override_reason"] = data["override_reason"]
        return kwargs

    def section_rows(self) -> list[dict]:
        """Each shareable section with its checkbox and what it contains (for the template)."""
        field = self["shared_sections"]
        chosen = {str(v) for v in (field.value() or [])}
        return [
            {
                "value": section.value,
                "label": section.label,
                "explanation": sharing.EXPLANATIONS[section],
                "checked": section.value in chosen or section in sharing.REQUIRED,
                "required": section in sharing.REQUIRED,
                "id": f"id_shared_{section.value}",
            }
            for section in sharing.Section
        ]


# Service errors on these keys are shown next to the field of the same name; the others above the form.
SERVICE_ERROR_FIELDS = {
    "reason",
    "urgency",
    "answer_by",
    "shared_sections",
    "notes_for_service",
    "consent",
    "consent_given_by",
    "consent_giver_name",
    "consent_method",
    "consent_given_on",
    "override_reason",
    "confirm_waitlist",
}


class MoveForm(forms.Form):
    target = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    expected_status = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done for the client, or why the service could not help."),
    )
    confirm_waitlist = forms.BooleanField(
        label=_("I confirm: the client goes on the service's waiting list"), required=False
    )


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("all")), *[(s.value, s.label) for s in Status if s != Status.DRAFT]],
    )
    overdue = forms.BooleanField(label=_("only overdue"), required=False)
