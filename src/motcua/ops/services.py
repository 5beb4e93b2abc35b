"""Writes of operational state: worker heartbeats, and the runs of the periodic jobs."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
import traceback
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from .models import JobRun, WorkerHeartbeat
from .schedule import JobSpec

logger = logging.getLogger(__name__)

# What a run keeps of its result and of its error's traceback (the tail, where the cause is).
RESULT_MAX_CHARS = 2000
ERROR_MAX_CHARS = 4000


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


# --- Periodic jobs ----------------------------------------------------------------------------


def job_run_claim(
    *, job: str, scheduled_for: dt.datetime, worker_id: str, manual: bool = False
) -> JobRun | None:
    """Take the period of `job` for this worker: the new row, or None when another worker's row
    for the same period is already there (the unique constraint decides, in the database, so two
    workers on two machines cannot both get in)."""
    try:
        with transaction.atomic():
            return JobRun.objects.create(
                job=job,
                scheduled_for=scheduled_for.replace(microsecond=0),
                manual=manual,
                worker_id=worker_id[:64],
                started_at=timezone.now(),
            )
    except IntegrityError:
        return None


def _result_text(value: Any) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text[:RESULT_MAX_CHARS]


def job_run_finish(*, run: JobRun, ok: bool, result: Any = None, error: str = "") -> JobRun:
    run.finished_at = timezone.now()
    run.ok = ok
    run.result = _result_text(result)
    run.error = error[-ERROR_MAX_CHARS:]
    run.save(update_fields=["finished_at", "ok", "result", "error"])
    return run


def job_run_execute(
    *, spec: JobSpec, scheduled_for: dt.datetime, worker_id: str, manual: bool = False
) -> JobRun | None:
    """Run one period of a job once: claim its row, call the job, record what it returned or
    the error it raised. None when another worker has the period. An error is kept in the row
    (and logged), never raised: one failing job must not stop the scheduler or the others."""
    run = job_run_claim(
        job=spec.name, scheduled_for=scheduled_for, worker_id=worker_id, manual=manual
    )
    if run is None:
        return None
    try:
        value = spec.target()(**spec.kwargs)
    except Exception:
        logger.exception("Tác vụ định kỳ %s lỗi (job failed)", spec.name)
        return job_run_finish(run=run, ok=False, error=traceback.format_exc())
    return job_run_finish(run=run, ok=True, result=value)


def job_runs_purge(*, older_than: dt.timedelta = dt.timedelta(days=90)) -> int:
    """Forget runs started before `older_than`, except each job's last successful run (what
    /metrics reports as its last success)."""
    keep = JobRun.objects.filter(ok=True).values("job").annotate(last=Max("pk")).values("last")
    deleted, _ = (
        JobRun.objects.filter(started_at__lt=timezone.now() - older_than)
        .exclude(pk__in=keep)
        .delete()
    )
    return deleted
