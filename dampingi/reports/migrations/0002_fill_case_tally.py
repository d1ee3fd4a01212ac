"""Fill the case tally from the cases already there: one INSERT ... SELECT ... GROUP BY per dimension,
by month and for all months.

The same computation as dampingi.reports.tally.case_tally_rebuild, written here with the
historical models (a migration imports no app code). Set-based: seconds at 1.5 million cases.
"""

import datetime

from django.db import migrations
from django.db.models import CharField, Count, DateField, Q, Value
from django.db.models.functions import Cast, Coalesce, Substr, TruncMonth
from django.utils import timezone

ALL_MONTHS = datetime.date(1, 1, 1)  # CaseTally.ALL_MONTHS: the row that counts every month


def fill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseTally = apps.get_model("reports", "CaseTally")
    connection = schema_editor.connection
    alias = connection.alias
    qn = connection.ops.quote_name
    table = qn(CaseTally._meta.db_table)
    columns = ", ".join(qn(c) for c in ("team_id", "month", "dimension", "bucket", "n_open", "n_closed"))
    by_month = Cast(
        TruncMonth("opened_at", output_field=DateField(), tzinfo=timezone.get_default_timezone()), DateField()
    )
    buckets = {
        "phase": Cast("phase", CharField()),
        "ppks": Cast("ppks_id", CharField()),
        "district": Coalesce(Substr("client_system__region_id", 1, 8), Value(""), output_field=CharField()),
    }
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
        for dimension, bucket in buckets.items():
            for month in (by_month, Value(ALL_MONTHS, output_field=DateField())):
                qs = (
                    Case.objects.using(alias)
                    .order_by()
                    .annotate(tally_month=month, tally_bucket=bucket)
                    .values("team_id", "tally_month", "tally_bucket")
                    .annotate(
                        n_open=Count("pk", filter=Q(closed_at__isnull=True)),
                        n_closed=Count("pk", filter=Q(closed_at__isnull=False)),
                    )
                )
                sql, params = qs.query.sql_with_params()
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) "
                    f"SELECT e.team_id, e.tally_month, %s, e.tally_bucket, e.n_open, e.n_closed FROM ({sql}) e",
                    [dimension, *params],
                )


def empty(apps, schema_editor):
    CaseTally = apps.get_model("reports", "CaseTally")
    CaseTally.objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_case_tally"),
        ("cases", "0005_case_transfer"),
        ("clients", "0003_fill_name_keys"),
    ]

    operations = [migrations.RunPython(fill, empty)]
