from django.apps import AppConfig


class EcomapsConfig(AppConfig):
    name = "dampingi.ecomaps"
    label = "ecomaps"

    def ready(self) -> None:
        from dampingi.cases.selectors import register_timeline_source
        from dampingi.ecomaps.models import EcoMap
        from dampingi.ecomaps.selectors import timeline_entries

        register_timeline_source(name="ecomaps", entries=timeline_entries, rows=EcoMap.objects.all)
