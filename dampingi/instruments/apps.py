from django.apps import AppConfig


class InstrumentsConfig(AppConfig):
    name = "dampingi.instruments"
    label = "instruments"

    def ready(self) -> None:
        from dampingi.cases.selectors import register_timeline_source
        from dampingi.instruments.models import Administration
        from dampingi.instruments.selectors import timeline_entries

        register_timeline_source(name="instruments", entries=timeline_entries, rows=Administration.objects.all)
