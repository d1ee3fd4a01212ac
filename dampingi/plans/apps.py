from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "dampingi.plans"
    label = "plans"
