from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dampingi.accounts"
    label = "accounts"
