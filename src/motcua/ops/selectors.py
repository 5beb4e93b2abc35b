"""Reads of operational state."""

import datetime as dt

from django.utils import timezone

from .models import WorkerHeartbeat

# A worker beats every HEARTBEAT_SECONDS; one silent for three beats is taken as gone.
HEARTBEAT_SECONDS = 10
HEARTBEAT_STALE_AFTER = dt.timedelta(seconds=3 * HEARTBEAT_SECONDS)


def live_workers_count() -> int:
    return WorkerHeartbeat.objects.filter(
        seen_at__gte=timezone.now() - HEARTBEAT_STALE_AFTER
    ).count()
