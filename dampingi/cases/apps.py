from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "dampingi.cases"
    label = "cases"
