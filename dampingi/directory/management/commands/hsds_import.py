"""Import an HSDS 3.0 file into the directory: a JSON file, a ZIP data package or a directory of CSVs."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dampingi.directory import hsds
from dampingi.directory.services import directory_import


class Command(BaseCommand):
    help = "Import an HSDS 3.0 file (JSON, ZIP data package or a directory with datapackage CSVs). All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        source = Path(path)
        if not source.exists():
            raise CommandError(f"No such file or directory: {source}")
        if source.is_dir() or source.suffix.lower() == ".zip":
            tables, file_format = hsds.parse_tabular(source), "csv"
        else:
            tables, file_format = hsds.parse_json(source.read_bytes()), "json"
        result = directory_import(actor=None, tables=tables, file_format=file_format, file_name=source.name)
        if not result.ok:
            for p in result.problems:
                self.stderr.write(f"{p.table or '-'}\t{p.where or '-'}\t{p.field or '-'}\t{p.message}")
            raise CommandError(f"{len(result.problems)} problem(s): nothing was imported.")
        self.stdout.write(
            f"Imported {source.name}: {result.created} created, {result.updated} updated, {result.unchanged} unchanged."
        )
