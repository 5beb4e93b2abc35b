"""The open steps per unit were the queues' way to the dossiers at a unit's steps; since 0007 the
dossier keeps its current unit (index `dossier_queue_away`) and nothing reads this index, which
every step written still paid for."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0007_current_unit"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="dossierstep",
            name="dossierstep_open_unit",
        ),
    ]
