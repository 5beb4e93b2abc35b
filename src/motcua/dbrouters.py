"""Database routing for the scale-out layout: reports may read from a replica (docs/DEPLOYMENT.md).

With `REPORTS_DATABASE_URL` set, settings add a "reports" database and this router; the reports
app's reads go there, every write and every other read to "default" (the primary). A replica
lags a little behind the primary, which the monthly figures tolerate and a dossier page would not.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

REPLICA_ALIAS = "reports"
# Apps whose reads may be served by the replica.
REPLICA_READ_APPS = frozenset({"reports"})


class ReportsReplicaRouter:
    """Reads of the reports app → the "reports" replica when configured; nothing else moves."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if model._meta.app_label in REPLICA_READ_APPS and REPLICA_ALIAS in settings.DATABASES:
            return REPLICA_ALIAS
        return None

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # A replica is migrated by replication, never directly.
        return db != REPLICA_ALIAS


def reports_database() -> str:
    """The alias report queries should read from: the replica when configured, else the primary.

    The report selectors read the dossiers app's tables, which the router cannot tell apart from
    a dossier page's reads, so they ask for it explicitly: `Dossier.objects.using(reports_database())`.
    """
    return REPLICA_ALIAS if REPLICA_ALIAS in settings.DATABASES else "default"
