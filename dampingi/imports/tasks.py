"""Background work of the imports, on huey: an uploaded register is imported by the worker
(`manage.py run_huey`), the web page follows the run's progress. The uploaded file is deleted
when the run ends, whatever the outcome (it holds personal data; the run keeps its SHA-256)."""

from pathlib import Path

from huey.contrib.djhuey import db_task

from dampingi.imports.models import ImportRun
from dampingi.imports.services import import_run_execute


@db_task()
def import_uploaded_file(run_id: int, path: str) -> str:
    run = ImportRun.objects.select_related("created_by").get(pk=run_id)
    try:
        import_run_execute(run=run, path=Path(path))
    finally:
        Path(path).unlink(missing_ok=True)
    return run.status
