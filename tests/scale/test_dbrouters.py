"""The reports read-replica router: reports' reads to the replica when configured, nothing else."""

from __future__ import annotations

from django.test import override_settings

from motcua.dbrouters import ReportsReplicaRouter, reports_database
from motcua.dossiers.models import Dossier


class _ReportModel:
    class _meta:
        app_label = "reports"


def _databases(with_replica: bool) -> dict:
    from django.conf import settings

    databases = {"default": settings.DATABASES["default"]}
    if with_replica:
        databases["reports"] = dict(settings.DATABASES["default"])
    return databases


def test_without_a_replica_everything_stays_on_the_primary() -> None:
    router = ReportsReplicaRouter()
    with override_settings(DATABASES=_databases(False)):
        assert router.db_for_read(_ReportModel) is None
        assert reports_database() == "default"


def test_with_a_replica_only_report_reads_move() -> None:
    router = ReportsReplicaRouter()
    with override_settings(DATABASES=_databases(True)):
        assert router.db_for_read(_ReportModel) == "reports"
        assert router.db_for_read(Dossier) is None
        assert router.db_for_write(_ReportModel) == "default"
        assert router.allow_migrate("reports", "dossiers") is False
        assert router.allow_migrate("default", "dossiers") is True
        assert reports_database() == "reports"
