"""Forms of the cases area. They validate input; the services in cases.services do the writing."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dampingi.cases.models import ActivityNote, Case, Consent, Contract, Priority, Programme, Stakeholder, Termination
from dampingi.cases.phases import Phase
from dampingi.cases.selectors import supervisors_for_assignment, transfer_candidates, workers_for_assignment
from dampingi.clients.models import PPKSCategory
from dampingi.core.forms import DateInput, VersionedModelForm

FUTURE_DATE = _("This date cannot be in the future.")


def _not_in_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(FUTURE_DATE, code="future_date")
    return value


class CaseFilterForm(forms.Form):
    """The filters of the case list (GET)."""

    STATUS_CHOICES = [("open", _("open")), ("closed", _("closed")), ("all", _("all"))]

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("client name or case reference (K-000123)")}),
    )
    phase = forms.ChoiceField(label=_("Phase"), required=False, choices=[("", _("all phases")), *Phase.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("all priorities")), *Priority.choices]
    )
    mine = forms.BooleanField(label=_("only cases assigned to me"), required=False)

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": data.get("q", ""),
            "phase": data.get("phase", ""),
            "status": data.get("status") or "open",
            "priority": data.get("priority", ""),
            "mine": bool(data.get("mine")),
        }


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.team})" if obj.team_id else str(obj)


class CaseOpenForm(forms.ModelForm):
    """Opening a case for a client system. The team follows the assigned worker."""

    assigned_worker = UserChoiceField(label=_("social worker"), queryset=None)
    supervisor = forms.ModelChoiceField(label=_("supervisor"), queryset=None)

    class Meta:
        model = Case
        fields = [
            "programme",
            "presenting_problem",
            "referral_source",
            "referral_source_detail",
            "ppks",
            "priority",
            "assigned_worker",
            "supervisor",
            "language",
        ]
        widgets = {"presenting_problem": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "presenting_problem": _("The problem as the client or the referrer describes it."),
            "priority": _("Urgent: a risk of harm that needs action within a day."),
        }

    def __init__(self, *args, user, client_system, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.client_system = client_system
        self.fields["programme"].queryset = Programme.objects.filter(active=True).order_by("name")
        self.fields["ppks"].queryset = PPKSCategory.objects.filter(active=True).order_by("number")
        workers = workers_for_assignment(user)
        self.fields["assigned_worker"].queryset = workers
        self.fields["supervisor"].queryset = supervisors_for_assignment()
        # The case file's language defaults to the Indonesian of the region's records.
        self.fields["language"].required = False
        if not self.is_bound:
            if user.team_id:
                self.initial.setdefault("assigned_worker", user.pk)
                if user.team.supervisor_id:
                    self.initial.setdefault("supervisor", user.team.supervisor_id)
            elif user.is_supervisor:
                self.initial.setdefault("supervisor", user.pk)

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or "id"


class PhaseMoveForm(forms.Form):
    """Forward to the next phase (optional note) or back for another cycle (reason required)."""

    target = forms.ChoiceField(choices=Phase.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    expected_phase = forms.ChoiceField(choices=Phase.choices, widget=forms.HiddenInput)

    def __init__(self, *args, cycle_targets=None, **kwargs):
        kwargs.setdefault("auto_id", "move_%s")
        super().__init__(*args, **kwargs)
        if cycle_targets:
            self.fields["target"] = forms.ChoiceField(
                label=_("Back to"), choices=[(p.value, p.label) for p in cycle_targets], widget=forms.RadioSelect
            )
            self.fields["reason"].label = _("Why another cycle?")
            self.fields["reason"].help_text = _("Required: what the evaluation showed.")
            self.order_fields(["target", "reason", "expected_phase"])


class TerminationForm(forms.ModelForm):
    expected_phase = forms.ChoiceField(choices=Phase.choices, widget=forms.HiddenInput)

    class Meta:
        model = Termination
        fields = ["reason", "summary", "followup_date"]
        labels = {"followup_date": _("follow-up (bimbingan lanjut) on")}
        widgets = {"summary": forms.Textarea(attrs={"rows": 4}), "followup_date": DateInput()}
        help_texts = {
            "summary": _("What changed, what the client can do now, what remains open."),
            "followup_date": _("Leave empty if no follow-up is planned."),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "termination_%s")
        super().__init__(*args, **kwargs)

    def clean_followup_date(self):
        value = self.cleaned_data.get("followup_date")
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("The follow-up date cannot be in the past."), code="past_date")
        return value


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the case reopened?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    expected_phase = forms.ChoiceField(choices=Phase.choices, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "reopen_%s")
        super().__init__(*args, **kwargs)


class ApprovalDecisionForm(forms.Form):
    DECISIONS = [("approve", _("Approve")), ("return", _("Return for revision"))]

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you return it: say what needs to be revised."),
    )


class ContractForm(VersionedModelForm):
    class Meta:
        model = Contract
        fields = [
            "focus",
            "client_goals",
            "worker_duties",
            "client_duties",
            "meeting_schedule",
            "start_date",
            "end_date",
            "signed_on",
        ]
        widgets = {
            "focus": forms.Textarea(attrs={"rows": 3}),
            "client_goals": forms.Textarea(attrs={"rows": 3}),
            "worker_duties": forms.Textarea(attrs={"rows": 3}),
            "client_duties": forms.Textarea(attrs={"rows": 3}),
            "start_date": DateInput(),
            "end_date": DateInput(),
            "signed_on": DateInput(),
        }
        help_texts = {
            "client_goals": _("Write them as the client says them."),
            "meeting_schedule": _("e.g. home visit every Tuesday afternoon"),
            "signed_on": _("Leave empty until the client has signed."),
        }

    def clean_signed_on(self):
        return _not_in_future(self.cleaned_data.get("signed_on"))

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data


class ConsentForm(forms.ModelForm):
    # Radio buttons without the empty "---------" choice a model field would add.
    given_by = forms.ChoiceField(
        label=Consent._meta.get_field("given_by").verbose_name,
        choices=Consent.GivenBy.choices,
        widget=forms.RadioSelect,
        help_text=_("A child's consent is given by a parent or guardian."),
    )
    method = forms.ChoiceField(
        label=Consent._meta.get_field("method").verbose_name, choices=Consent.Method.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = Consent
        fields = [
            "given_by",
            "giver_name",
            "method",
            "witness_name",
            "given_on",
            "covers_processing",
            "covers_sharing",
            "scope_note",
        ]
        widgets = {
            "given_on": DateInput(),
            "scope_note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"witness_name": _("Required for verbal consent.")}

    def clean_given_on(self):
        return _not_in_future(self.cleaned_data.get("given_on"))

    def clean(self):
        data = super().clean()
        if data.get("method") == Consent.Method.VERBAL_WITNESS and not (data.get("witness_name") or "").strip():
            self.add_error("witness_name", _("Verbal consent needs the name of the witness."))
        if not data.get("covers_processing") and not data.get("covers_sharing"):
            self.add_error("covers_processing", _("Say what the consent covers: processing, sharing or both."))
        return data


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("withdrawn on"), widget=DateInput())

    def clean_withdrawn_on(self):
        return _not_in_future(self.cleaned_data.get("withdrawn_on"))


ORGANISATION_HINTS = [
    "LKS",
    "Karang Taruna",
    "PSM",
    "TKSK",
    "Dinas Sosial",
    "Puskesmas",
    _("school"),
    _("police"),
    _("village office"),
]


class TransferForm(forms.Form):
    """Ask for the case to be handed to another worker; the supervisor decides."""

    to_worker = UserChoiceField(label=_("new social worker"), queryset=None)
    reason = forms.CharField(
        label=_("reason for the transfer"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("e.g. the family moved to another kecamatan, the worker's caseload, a conflict of interest."),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_worker"].queryset = transfer_candidates(case)


class StakeholderForm(VersionedModelForm):
    class Meta:
        model = Stakeholder
        fields = ["kind", "name", "organisation", "role", "phone", "email", "notes"]
        widgets = {
            "organisation": forms.TextInput(attrs={"list": "organisation-hints"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class StakeholderRemoveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ActivityNoteForm(VersionedModelForm):
    duration_minutes = forms.IntegerField(label=_("duration (minutes)"), required=False, min_value=1, max_value=24 * 60)

    class Meta:
        model = ActivityNote
        fields = ["kind", "occurred_on", "duration_minutes", "participants", "narrative", "task"]
        widgets = {"occurred_on": DateInput(), "narrative": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "participants": _("Who took part, e.g. the grandmother, the class teacher."),
            "task": _("The plan task this activity works on, if any."),
        }

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        from dampingi.plans.models import Task

        self.fields["task"].queryset = Task.objects.filter(plan__case=case).order_by("due_date", "id")
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("occurred_on", timezone.localdate())

    def clean_occurred_on(self):
        return _not_in_future(self.cleaned_data.get("occurred_on"))
