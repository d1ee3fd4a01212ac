from django.apps import AppConfig


class GenogramsConfig(AppConfig):
    name = "dampingi.genograms"
    label = "genograms"
