from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "dampingi.referrals"
    label = "referrals"

    def ready(self) -> None:
        from dampingi.cases.selectors import register_timeline_source
        from dampingi.notifications.reminders import register_reminder
        from dampingi.referrals.models import ReferralEvent
        from dampingi.referrals.reminders import referral_overdue_reminders
        from dampingi.referrals.selectors import timeline_entries

        register_reminder(referral_overdue_reminders)
        register_timeline_source(
            name="referrals", entries=timeline_entries, rows=ReferralEvent.objects.all, case_field="referral__case"
        )
