from django.core.management.base import BaseCommand

from dampingi.regions.services import regions_load


class Command(BaseCommand):
    help = "Load the shipped Kemendagri region list (idempotent: existing codes are kept)."

    def add_arguments(self, parser):
        parser.add_argument("--prefix", action="append", help="Only this code subtree (repeatable), e.g. 32.04")

    def handle(self, *args, **options):
        added = regions_load(prefixes=options["prefix"])
        self.stdout.write(f"Regions added: {added}")
