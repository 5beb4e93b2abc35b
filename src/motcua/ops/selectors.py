"""Reads of operational state: live workers, the periodic jobs' last runs, /metrics."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, OuterRef, Subquery
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client import CollectorRegistry, Gauge, generate_latest

from motcua.dossiers.models import Dossier

from .models import JobRun, WorkerHeartbeat
from .schedule import JobSpec, jobs_configured

# A worker beats every HEARTBEAT_SECONDS; one silent for three beats is taken as gone.
HEARTBEAT_SECONDS = 10
HEARTBEAT_STALE_AFTER = dt.timedelta(seconds=3 * HEARTBEAT_SECONDS)


def live_workers_count() -> int:
    return WorkerHeartbeat.objects.filter(
        seen_at__gte=timezone.now() - HEARTBEAT_STALE_AFTER
    ).count()


@dataclass(frozen=True)
class JobStatus:
    spec: JobSpec
    next_run: dt.datetime | None
    last_run: JobRun | None
    last_success_at: dt.datetime | None


def job_runs_last(names: list[str]) -> dict[str, JobRun]:
    """The latest run (started) of each named job: one query."""
    latest = (
        JobRun.objects.filter(job=OuterRef("job")).order_by("-started_at", "-pk").values("pk")[:1]
    )
    runs = JobRun.objects.filter(job__in=names, pk=Subquery(latest))
    return {run.job: run for run in runs}


def job_successes_last(names: list[str]) -> dict[str, dt.datetime]:
    """When each named job last finished successfully: one grouped query."""
    rows = (
        JobRun.objects.filter(job__in=names, ok=True)
        .values("job")
        .annotate(last=Max("finished_at"))
        .order_by()
    )
    return {row["job"]: row["last"] for row in rows}


def job_statuses(*, now: dt.datetime | None = None) -> list[JobStatus]:
    """Every configured job with its next fire time, its latest run and its last success."""
    now = now or timezone.now()
    specs = jobs_configured()
    names = [spec.name for spec in specs]
    last = job_runs_last(names)
    successes = job_successes_last(names)
    return [
        JobStatus(
            spec=spec,
            next_run=spec.next_run(now),
            last_run=last.get(spec.name),
            last_success_at=successes.get(spec.name),
        )
        for spec in specs
    ]


def metrics_exposition() -> bytes:
    """Gauges read from the database at scrape time: a few grouped queries, whatever the size."""
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
    # A job that never succeeded reports 0, so "time() - last success > limit" alerts on it too.
    last_success = Gauge(
        "motcua_job_last_success_timestamp_seconds",
        "Unix time a periodic job last finished successfully (0: never)",
        ["job"],
        registry=registry,
    )
    last_ok = Gauge(
        "motcua_job_last_run_ok",
        "Whether a periodic job's latest finished run succeeded (1) or failed (0)",
        ["job"],
        registry=registry,
    )
    names = [spec.name for spec in jobs_configured()]
    successes = job_successes_last(names)
    finished = (
        JobRun.objects.filter(job=OuterRef("job"), finished_at__isnull=False)
        .order_by("-finished_at", "-pk")
        .values("pk")[:1]
    )
    outcomes = dict(
        JobRun.objects.filter(job__in=names, pk=Subquery(finished)).values_list("job", "ok")
    )
    for name in names:
        at = successes.get(name)
        last_success.labels(job=name).set(at.timestamp() if at else 0)
        if name in outcomes:
            last_ok.labels(job=name).set(1 if outcomes[name] else 0)
    return generate_latest(registry)
