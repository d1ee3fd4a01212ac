"""Administrators link partner users to the organisation they work for.

Referrals themselves are not in the admin: they change only through referrals.services, which
checks the status table and writes the history and the audit log.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dampingi.accounts.models import Role
from dampingi.referrals.models import PartnerStaff


class PartnerStaffForm(forms.ModelForm):
    class Meta:
        model = PartnerStaff
        fields = ["user", "organization"]

    def clean_user(self):
        user = self.cleaned_data["user"]
        if user.role != Role.PARTNER:
            raise forms.ValidationError(_("Only a user with the role partner organisation staff can be linked."))
        return user


@admin.register(PartnerStaff)
class PartnerStaffAdmin(admin.ModelAdmin):
    form = PartnerStaffForm
    list_display = ["user", "organization", "created_at"]
    list_select_related = ["user", "organization"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organization__name"]
    autocomplete_fields: list[str] = []
