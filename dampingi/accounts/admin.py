from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from dampingi.accounts.models import Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "team", "is_active"]
    list_filter = ["role", "team", "is_active"]
    list_select_related = ["team"]
    autocomplete_fields = ["region"]
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Dampingi"), {"fields": ("role", "team", "region", "language")}))
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, (_("Dampingi"), {"fields": ("role", "team", "region")}))


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "supervisor"]
    list_select_related = ["region", "supervisor"]
    autocomplete_fields = ["region", "supervisor"]
    search_fields = ["name"]
