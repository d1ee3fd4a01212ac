from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "dampingi.assessments"
    label = "assessments"
