from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "dampingi.regions"
    label = "regions"
