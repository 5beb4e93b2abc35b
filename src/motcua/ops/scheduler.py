"""The periodic jobs' scheduler, run inside each task worker (`python -m motcua worker`).

APScheduler 3 (BackgroundScheduler, a cron trigger per job in settings.TIME_ZONE) fires the jobs
in a small thread pool of the worker process, so a one-machine installation needs no cron and no
extra process. (django-crontask, made for Django's task framework, needs Python 3.12; we support
3.11.) With several workers every one of them schedules every job, and the row
`ops.JobRun(job, scheduled_for)` decides which one runs a period: the first to insert it
(`services.job_run_execute`). For that the workers must agree on the period, so each run is
handed the fire time the trigger computed (the same on every machine), never the clock.

Misfires are coalesced: a worker that was busy or asleep past several fire times runs the job
once, for the latest. A worker starting within the grace time after a fire time that no worker
served (all were down at 02:00) runs that period on start; one that another worker served is
skipped by its row.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.util import undefined
from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from .schedule import JobSpec, jobs_configured
from .services import job_run_execute

logger = logging.getLogger(__name__)


class _AtFireTime:
    """The job as APScheduler's run_job sees it, with the fire time added to its arguments."""

    def __init__(self, job: Any, fire_time: dt.datetime) -> None:
        self._job = job
        self.kwargs = {**job.kwargs, "scheduled_for": fire_time}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._job, name)

    def __str__(self) -> str:
        return str(self._job)


class FireTimeExecutor(ThreadPoolExecutor):
    """A thread pool that hands each run the (coalesced) time it was scheduled for."""

    def _do_submit_job(self, job: Any, run_times: list[dt.datetime]) -> None:
        super()._do_submit_job(_AtFireTime(job, run_times[-1]), run_times[-1:])


def _fire(*, spec: JobSpec, worker_id: str, scheduled_for: dt.datetime | None = None) -> str:
    """One fire of a job in a scheduler thread, with its own database connection.
    `scheduled_for` is added by FireTimeExecutor (the default only satisfies APScheduler's check
    of the arguments when the job is added)."""
    if scheduled_for is None:
        raise RuntimeError("FireTimeExecutor did not pass the fire time")
    close_old_connections()
    try:
        run = job_run_execute(spec=spec, scheduled_for=scheduled_for, worker_id=worker_id)
        if run is None:
            logger.debug(
                "Tác vụ %s kỳ %s đã do tiến trình khác chạy (another worker has it)",
                spec.name,
                scheduled_for.isoformat(),
            )
            return "skipped"
        return "ok" if run.ok else "failed"
    finally:
        connection.close()


def last_fire_time(
    trigger: BaseTrigger, now: dt.datetime, within: dt.timedelta
) -> dt.datetime | None:
    """The trigger's latest fire time in [now - within, now], or None."""
    back = dt.timedelta(seconds=1)
    while True:
        start = now - min(back, within)
        found = trigger.get_next_fire_time(None, start)
        if found is not None and found <= now:
            while True:
                after = trigger.get_next_fire_time(found, found + dt.timedelta(seconds=1))
                if after is None or after > now:
                    return found
                found = after
        if back >= within:
            return None
        back *= 2


def scheduler_create(*, worker_id: str, jobs: list[JobSpec] | None = None) -> BackgroundScheduler:
    """The scheduler of this worker with every configured job (or `jobs`), not started."""
    specs = jobs_configured() if jobs is None else jobs
    grace = dt.timedelta(seconds=settings.MOTCUA_SCHEDULER_MISFIRE_GRACE_SECONDS)
    scheduler = BackgroundScheduler(
        executors={"default": FireTimeExecutor(max_workers=settings.MOTCUA_SCHEDULER_THREADS)},
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            # APScheduler counts a run later than this as missed; 0 would miss every run.
            "misfire_grace_time": max(1, int(grace.total_seconds())),
        },
        timezone=settings.TIME_ZONE,
    )
    now = timezone.now()
    for spec in specs:
        trigger = spec.trigger()
        missed = last_fire_time(trigger, now, grace)
        scheduler.add_job(
            _fire,
            trigger=trigger,
            id=spec.name,
            name=spec.name,
            kwargs={"spec": spec, "worker_id": worker_id},
            next_run_time=missed or undefined,
        )
    return scheduler


def scheduler_start(*, worker_id: str, jobs: list[JobSpec] | None = None) -> BackgroundScheduler:
    """Start the scheduler of this worker with every configured job (or `jobs`)."""
    scheduler = scheduler_create(worker_id=worker_id, jobs=jobs)
    scheduler.start()
    logger.info("Bộ lập lịch chạy %d tác vụ định kỳ (scheduler started)", len(scheduler.get_jobs()))
    return scheduler


def scheduler_stop(scheduler: BackgroundScheduler) -> None:
    """Stop firing and wait for the runs under way, so each records how it ended."""
    if scheduler.running:
        scheduler.shutdown(wait=True)
