"""Writes of operational state (worker heartbeats)."""

import datetime as dt
import os
import socket

from django.utils import timezone

from .models import WorkerHeartbeat


def heartbeat_beat(*, worker_id: str, started_at: dt.datetime, tasks_run: int = 0) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": timezone.now(),
            "tasks_run": tasks_run,
        },
    )


def heartbeat_forget(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
