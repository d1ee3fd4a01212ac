from django.contrib import admin

from dampingi.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit events can be searched, never added, changed or deleted."""

    list_display = ["at", "actor", "action", "target_type", "target_id", "case"]
    list_filter = ["action", "target_type"]
    list_select_related = ["actor"]
    search_fields = ["target_id", "actor__username", "action"]
    date_hierarchy = "at"
    # Before/after snapshots hold case-file content; administrators do not read case files
    # (they see who did what, when, to which record).
    exclude = ["before", "after"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
