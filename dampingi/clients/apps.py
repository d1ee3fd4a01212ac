from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "dampingi.clients"
    label = "clients"
