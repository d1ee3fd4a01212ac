from django.core.management.base import BaseCommand

from dampingi.cases.reference import programmes_load
from dampingi.clients.reference import ppks_load
from dampingi.regions.services import regions_load


class Command(BaseCommand):
    help = "Load the shipped reference data: regions (Kemendagri), PPKS categories, default programmes. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--region-prefix", action="append", help="Load only this region subtree (repeatable)")

    def handle(self, *args, **options):
        regions = regions_load(prefixes=options["region_prefix"])
        ppks = ppks_load()
        programmes = programmes_load()
        self.stdout.write(f"Regions added: {regions}; PPKS categories: {ppks}; programmes added: {programmes}")
