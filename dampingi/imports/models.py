from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One import of a client register file (command line or web upload).

    Counts are final once the run is `done`; while it is `running`, `rows_done` / `rows_total`
    show progress (`rows_total` is an estimate taken from the file before reading it).
    `heartbeat_at` is the import process's last sign of life: empty while the run waits for the
    background worker, then renewed while it reads and writes. A running run whose heartbeat
    stops (the process was killed) is marked failed (services.import_runs_mark_stale).
    """

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("imported by")
    )
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    rows_total = models.PositiveIntegerField(_("rows (estimate)"), default=0)
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    imported = models.PositiveIntegerField(_("imported"), default=0)
    already_registered = models.PositiveIntegerField(_("already registered"), default=0)
    bad = models.PositiveIntegerField(_("rejected rows"), default=0)
    client_systems_created = models.PositiveIntegerField(_("client systems created"), default=0)
    # The earlier successful run of the same file (same SHA-256), if any.
    previous_run = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("earlier run")
    )
    error = models.TextField(_("error"), blank=True)
    seconds = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=["running", "done", "failed"]), name="import_status")
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"

    @property
    def percent(self) -> int:
        if self.status != self.Status.RUNNING:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)


# How the report names the columns (the field names of dampingi.imports.reader.FIELDS).
FIELD_LABELS = {
    "nik": _("NIK"),
    "no_kk": _("No. KK"),
    "name": _("name"),
    "sex": _("sex"),
    "birth_date": _("date of birth"),
    "address": _("address"),
    "region": _("region code"),
    "ppks": _("PPKS"),
    "relationship": _("relationship"),
}


class ImportProblem(models.Model):
    """Why one row of an import file was not imported (line 1 is the header)."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="problems")
    line = models.PositiveIntegerField(_("line"))
    field = models.CharField(_("column"), max_length=32, blank=True)
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["run", "line", "id"]
        verbose_name = _("import problem")
        verbose_name_plural = _("import problems")
        indexes = [models.Index(fields=["run", "line"], name="import_problem_run_line")]

    def __str__(self) -> str:
        return f"{self.line}: {self.reason}"

    @property
    def field_label(self) -> str:
        return str(FIELD_LABELS.get(self.field, self.field))
