from django.apps import AppConfig


class InstrumentsConfig(AppConfig):
    name = "dampingi.instruments"
    label = "instruments"
