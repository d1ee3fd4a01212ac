from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Register file"),
        help_text=_(
            "CSV (UTF-8, columns separated by ; or ,) or Excel workbook (.xlsx); the first line names the columns."
        ),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("Recognise from the file")), ("csv", "CSV"), ("xlsx", "XLSX")],
    )
