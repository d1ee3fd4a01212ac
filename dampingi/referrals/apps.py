from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "dampingi.referrals"
    label = "referrals"
