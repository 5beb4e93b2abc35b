"""Indexes of the officer queues (backoffice.selectors): a unit's tab in due order, open steps."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0004_report_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                fields=["receiving_unit", "status", "due_at", "id"], name="dossier_unit_status_due"
            ),
        ),
        migrations.AddIndex(
            model_name="dossierstep",
            index=models.Index(
                condition=models.Q(("finished_at__isnull", True)),
                fields=["unit", "id"],
                name="dossierstep_open_unit",
            ),
        ),
    ]
