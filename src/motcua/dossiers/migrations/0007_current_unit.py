"""The unit a dossier's current step is at, kept on the dossier (backoffice.selectors).

`current_unit` is `current_step.unit` (None without a step): filled here from the steps, for the
dossiers at a step only (the work in hand, not the history: cheap however many there are).
`dossier_queue_away`: the dossiers at a step away from their receiving unit, per unit of that
step, status and due date: the queues' "received elsewhere, at my step" half reads only those,
however much other work my units or the province hold.
"""

import django.db.models.deletion
from django.db import migrations, models

# UPDATE … FROM: PostgreSQL, and SQLite since 3.33.
BACKFILL = """
UPDATE dossiers_dossier
SET current_unit_id = dossiers_dossierstep.unit_id
FROM dossiers_dossierstep
WHERE dossiers_dossier.current_step_id IS NOT NULL
  AND dossiers_dossierstep.id = dossiers_dossier.current_step_id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0006_queue_open_index"),
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="current_unit",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.unit",
                verbose_name="đơn vị đang xử lý",
            ),
        ),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop, elidable=False),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(
                    ("code__isnull", False),
                    ("current_unit__isnull", False),
                    models.Q(("current_unit", models.F("receiving_unit")), _negated=True),
                ),
                fields=["current_unit", "status", "due_at", "id"],
                include=("receiving_unit",),
                name="dossier_queue_away",
            ),
        ),
    ]
