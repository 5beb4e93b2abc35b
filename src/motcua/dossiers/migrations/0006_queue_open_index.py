"""The officer queues' open dossiers per unit (backoffice.selectors), as partial indexes.

`dossier_queue_open`: only dossiers with a code in a state a queue tab shows (the work in hand,
not the history), per unit, status and due date: a tab's capped count and its first page stop
at the cap or the page, whatever the number of finished dossiers.
`dossier_queue_unassigned`: the unassigned dossiers in processing per unit and due date, the
second part of "my work" (unassigned at a step of my role), without walking the work already
assigned to others.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0005_queue_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(
                    ("code__isnull", False),
                    (
                        "status__in",
                        [
                            "submitted",
                            "received",
                            "processing",
                            "awaiting_supplement",
                            "result_ready",
                        ],
                    ),
                ),
                fields=["receiving_unit", "status", "due_at", "id"],
                name="dossier_queue_open",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(
                    ("assignee__isnull", True),
                    ("code__isnull", False),
                    ("status", "processing"),
                ),
                fields=["receiving_unit", "due_at", "id"],
                name="dossier_queue_unassigned",
            ),
        ),
    ]
