from django.apps import AppConfig


class GenogramsConfig(AppConfig):
    name = "dampingi.genograms"
    label = "genograms"

    def ready(self) -> None:
        from dampingi.cases.selectors import register_timeline_source
        from dampingi.genograms.models import Genogram
        from dampingi.genograms.selectors import timeline_entries

        register_timeline_source(name="genograms", entries=timeline_entries, rows=Genogram.objects.all)
