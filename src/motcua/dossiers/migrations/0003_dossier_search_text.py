"""The officers' search column: added, backfilled for existing rows, trigram-indexed on PostgreSQL."""

from django.db import DatabaseError, migrations, models, transaction

from motcua.catalog.search import normalise

# Frozen here (not imported from dossiers.search) so the migration keeps its meaning.
SEARCH_FIELDS = (
    "code",
    "external_code",
    "applicant_name",
    "applicant_organisation",
    "applicant_citizen_id",
    "applicant_tax_code",
    "applicant_phone",
)
BATCH = 2000
INDEX = "dossier_search_trgm"


def backfill(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    rows = Dossier.objects.using(schema_editor.connection.alias).only("pk", *SEARCH_FIELDS)
    batch = []
    for row in rows.order_by("pk").iterator(chunk_size=BATCH):
        row.search_text = normalise(
            " ".join(str(getattr(row, name) or "") for name in SEARCH_FIELDS)
        )
        batch.append(row)
        if len(batch) >= BATCH:
            Dossier.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        Dossier.objects.bulk_update(batch, ["search_text"])


def add_trigram_index(apps, schema_editor):
    """GIN trigram index for LIKE '%word%' on PostgreSQL; elsewhere the scoped scan suffices.

    pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it. Where it
    cannot be created the search still works, without the index.
    """
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:  # no privilege, or not installed: go without the index
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON dossiers_dossier "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0002_delivery_address_rating"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="search_text",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="chuỗi tìm kiếm"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(add_trigram_index, drop_trigram_index),
    ]
