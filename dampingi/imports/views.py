"""Importing a client register from the web: upload page, run page (progress, then report).

Supervisors and administrators only (others 403). The uploaded file is stored in the inbox
(settings.DAMPINGI_IMPORTS_INBOX, default BASE_DIR / "imports-inbox"), the run is recorded and
the import is queued as a huey task; the task deletes the file when it ends. A run is visible
to whoever uploaded it and to administrators (others 404). The pages that show runs mark a run
whose process died as failed (services.import_run_mark_stale) instead of showing it running.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from dampingi.imports import selectors
from dampingi.imports.forms import UploadForm
from dampingi.imports.models import ImportRun
from dampingi.imports.services import (
    can_import_clients,
    import_run_mark_stale,
    import_run_start,
    import_runs_mark_stale,
)
from dampingi.imports.tasks import import_uploaded_file

RECENT_RUNS = 10


def inbox_dir() -> Path:
    return Path(getattr(settings, "DAMPINGI_IMPORTS_INBOX", settings.BASE_DIR / "imports-inbox"))


def _require_importer(request) -> None:
    if not can_import_clients(request.user):
        raise PermissionDenied


def _store(upload) -> Path:
    inbox = inbox_dir()
    inbox.mkdir(parents=True, exist_ok=True, mode=0o700)
    suffix = Path(upload.name).suffix.casefold()
    path = inbox / f"{uuid.uuid4().hex}{suffix if suffix in ('.csv', '.xlsx', '.txt') else ''}"
    with path.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    return path


@require_http_methods(["GET", "POST"])
def upload(request):
    _require_importer(request)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        path = _store(upload_file)
        try:
            run = import_run_start(
                actor=request.user, path=path, file_name=Path(upload_file.name).name, fmt=form.cleaned_data["format"]
            )
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        import_uploaded_file(run.pk, str(path))
        return redirect("imports:run", pk=run.pk)
    import_runs_mark_stale()  # a run whose process died is shown as failed, not running
    runs = list(selectors.runs_visible_to(request.user)[:RECENT_RUNS])
    return render(request, "imports/upload.html", {"form": form, "runs": runs})


@require_GET
def run_detail(request, pk: int):
    _require_importer(request)
    run = selectors.run_for_user_or_404(request.user, pk)
    import_run_mark_stale(run=run)  # no query unless the run's heartbeat stopped
    page_obj = None
    if run.status != ImportRun.Status.RUNNING:
        page_obj = Paginator(selectors.run_problems(run), settings.DAMPINGI_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"run": run, "page_obj": page_obj, "querystring_without_page": ""}
    return render(request, "imports/run.html", context)


@require_GET
def run_progress(request, pk: int):
    _require_importer(request)
    run = selectors.run_for_user_or_404(request.user, pk)
    import_run_mark_stale(run=run)
    response = render(request, "imports/_progress.html", {"run": run})
    if run.status != ImportRun.Status.RUNNING and request.htmx:
        response["HX-Refresh"] = "true"  # the run ended: reload the page to show the report
    return response
