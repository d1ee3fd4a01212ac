from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dampingi.core"
    label = "core"
