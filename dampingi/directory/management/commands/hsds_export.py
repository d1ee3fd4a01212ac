"""Export the directory as HSDS 3.0: JSON (a list of nested services) or the CSV data package (ZIP)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from dampingi.directory import hsds


class Command(BaseCommand):
    help = "Export the directory as HSDS 3.0 JSON (--format json) or as a ZIP data package of CSVs (--format csv)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "csv"], default="json", dest="file_format")
        parser.add_argument("path")

    def handle(self, *args, path, file_format, **options):
        target = Path(path)
        if file_format == "json":
            target.write_text(json.dumps(hsds.export_json(), ensure_ascii=False, indent=2), encoding="utf-8")
        else:
            target.write_bytes(hsds.export_tabular_zip())
        self.stdout.write(f"Wrote {target}")
