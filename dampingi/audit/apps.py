from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "dampingi.audit"
    label = "audit"
