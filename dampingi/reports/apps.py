from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "dampingi.reports"
    label = "reports"
