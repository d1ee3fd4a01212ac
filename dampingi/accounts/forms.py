from django import forms
from django.utils.translation import gettext_lazy as _


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=[("id", "Bahasa Indonesia"), ("en", "English")])
    next = forms.CharField(required=False, widget=forms.HiddenInput)
