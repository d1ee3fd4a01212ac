from django import forms
from django.utils.translation import gettext_lazy as _

from dampingi.core.forms import DateInput


class PeriodForm(forms.Form):
    """The optional period of the manager's figures: cases opened between two dates (whole months)."""

    start = forms.DateField(label=_("Opened from"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Opened until"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period cannot be before its start."))
        return data
