"""Reads of operational state."""

import datetime as dt

from django.db.models import Count
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client import CollectorRegistry, Gauge, generate_latest

from motcua.dossiers.models import Dossier

from .models import WorkerHeartbeat

# A worker beats every HEARTBEAT_SECONDS; one silent for three beats is taken as gone.
HEARTBEAT_SECONDS = 10
HEARTBEAT_STALE_AFTER = dt.timedelta(seconds=3 * HEARTBEAT_SECONDS)


def live_workers_count() -> int:
    return WorkerHeartbeat.objects.filter(
        seen_at__gte=timezone.now() - HEARTBEAT_STALE_AFTER
    ).count()


def metrics_exposition() -> bytes:
    """Gauges read from the database at scrape time: three grouped queries, whatever the size."""
    registry = CollectorRegistry()
    dossiers = Gauge(
        "motcua_dossiers",
        "Dossiers by status and channel",
        ["status", "channel"],
        registry=registry,
    )
    for row in Dossier.objects.values("status", "channel").annotate(n=Count("id")).order_by():
        dossiers.labels(status=row["status"], channel=row["channel"]).set(row["n"])
    tasks = Gauge("motcua_tasks", "Background tasks by status", ["status"], registry=registry)
    for row in DBTaskResult.objects.values("status").annotate(n=Count("id")).order_by():
        tasks.labels(status=row["status"]).set(row["n"])
    workers = Gauge(
        "motcua_live_workers", "Task workers with a recent heartbeat", registry=registry
    )
    workers.set(live_workers_count())
    return generate_latest(registry)
