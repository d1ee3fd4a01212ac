from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "dampingi.directory"
    label = "directory"
