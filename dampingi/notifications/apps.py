from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "dampingi.notifications"
    label = "notifications"
