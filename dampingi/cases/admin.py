"""Administrators manage the programmes (reference data) here.

Case files are deliberately not in the admin: an administrator reads a case only with a case
role (cases.permissions), and every change to a case goes through cases.services, which checks
the phase rules and writes the audit log.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from dampingi.cases.models import Programme


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "active", "case_count"]
    list_filter = ["active"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(case_count=Count("cases"))

    @admin.display(description=_("cases"), ordering="case_count")
    def case_count(self, obj):
        return obj.case_count

    def has_delete_permission(self, request, obj=None):
        # Programmes of existing cases are deactivated, not deleted (cases keep their programme).
        if obj is not None and obj.cases.exists():
            return False
        return super().has_delete_permission(request, obj)
