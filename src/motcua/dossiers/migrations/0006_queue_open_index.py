"""The officer queues' open dossiers per unit, status and due date (backoffice.selectors).

Partial: only dossiers with a code in a state a queue tab shows (the work in hand, not the
history), so a tab's capped count and its first page are index-only walks that stop at the
cap or the page, whatever the number of finished dossiers.
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
    ]
