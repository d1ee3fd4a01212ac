from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "dampingi.bench"
    label = "bench"
