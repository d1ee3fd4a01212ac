from django.apps import AppConfig


class EcomapsConfig(AppConfig):
    name = "dampingi.ecomaps"
    label = "ecomaps"
