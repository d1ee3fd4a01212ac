from django.apps import AppConfig


class SummariesConfig(AppConfig):
    name = "dampingi.summaries"
    label = "summaries"
