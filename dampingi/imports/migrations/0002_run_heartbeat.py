from django.db import migrations, models
from django.db.models import F


def runs_in_progress_started_beating(apps, schema_editor):
    """Runs left "running" by an earlier version count as started: their last sign of life is
    their start (so an interrupted one is reported as interrupted, not as never started)."""
    ImportRun = apps.get_model("imports", "ImportRun")
    ImportRun.objects.filter(status="running", heartbeat_at__isnull=True).update(heartbeat_at=F("started_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_import_runs"),
    ]

    operations = [
        migrations.AddField(
            model_name="importrun",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last sign of life"),
        ),
        migrations.RunPython(runs_in_progress_started_beating, migrations.RunPython.noop),
    ]
