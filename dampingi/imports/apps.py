from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "dampingi.imports"
    label = "imports"
