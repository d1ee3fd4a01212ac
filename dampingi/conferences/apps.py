from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "dampingi.conferences"
    label = "conferences"

    def ready(self) -> None:
        from dampingi.cases.selectors import register_timeline_source
        from dampingi.conferences.models import Conference
        from dampingi.conferences.selectors import timeline_entries

        register_timeline_source(name="conferences", entries=timeline_entries, rows=Conference.objects.all)
