"""Small adapters that let a periodic job (settings.MOTCUA_JOBS) call another app's work.

Each takes no argument it cannot default, calls the owning app's function found by its dotted
path (so this app imports no other app), and returns a short summary for `schedule` and the
JobRun row. A job whose function already fits (`invoices_expire`, `idempotency_records_purge`,
…) is named directly in the settings and has no adapter here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.module_loading import import_string


def _call(path: str, **kwargs: Any) -> Any:
    return import_string(path)(**kwargs)


def postal_catch_up() -> dict[str, int]:
    """`postal_catch_up`: apply the operators' callbacks still waiting, place the orders that
    failed."""
    applied = _call("motcua.postal.moves.callbacks_apply_pending")
    placed, failed = _call("motcua.postal.moves.orders_place_pending")
    return {"callbacks": applied, "placed": placed, "failed": failed}


def report_reminders(*, days_before: int = 7, now: dt.datetime | None = None) -> dict[str, Any]:
    """`report --remind` for the last closed month, on each of the `days_before` days before its
    reports are due (the 15th to the 21st with the default cut-off and due day: reports are due
    before the 22nd); outside those days nothing is sent."""
    now = now or timezone.now()
    period = _call("motcua.reports.periods.period_last_closed", now=now)
    deadline = period.submission_deadline()
    if not deadline - dt.timedelta(days=days_before) <= now < deadline:
        return {"period": period.key, "sent": 0, "due_before": f"{period.due_before:%d/%m/%Y}"}
    sent = _call("motcua.reports.services.report_reminders_send", period=period, now=now)
    return {"period": period.key, "sent": len(sent)}


def report_submissions_check(*, now: dt.datetime | None = None) -> dict[str, Any]:
    """`report --check` for the last closed month on the day its reports fell due (the 22nd):
    every report submitted before the deadline compared with a recount of the data."""
    now = now or timezone.now()
    period = _call("motcua.reports.periods.period_last_closed", now=now)
    deadline = period.submission_deadline()
    if not deadline <= now < deadline + dt.timedelta(days=1):
        return {"period": period.key, "checked": False}
    flagged = _call("motcua.reports.services.report_snapshots_check_period", period=period)
    return {"period": period.key, "checked": True, "differ": flagged}


def report_months_freeze() -> dict[str, Any]:
    """`report --freeze`: freeze every due month not frozen yet."""
    frozen = []
    for month in _call("motcua.reports.keeping.month_figures_unfrozen"):
        if _call("motcua.reports.keeping.month_figures_freeze", period=month) is not None:
            frozen.append(month.key)
    return {"frozen": frozen}


def report_days_freeze() -> dict[str, int]:
    """`report --freeze-days`: count again and keep the complete days of the months not due."""
    kept = _call("motcua.reports.keeping.day_figures_freeze")
    return {"months": len(kept), "days": sum(figures.days for figures in kept)}


def report_frozen_check() -> dict[str, int]:
    """`report --check-frozen`: recount every frozen month and flag those that differ."""
    return {"differ": len(_call("motcua.reports.keeping.month_figures_check"))}


def media_orphans_delete(*, older_than_hours: float = 24) -> dict[str, int]:
    """`media --orphans --delete`: remove stored files no row names, once a day old."""
    from .media import orphans_delete

    deleted = orphans_delete(grace=dt.timedelta(hours=older_than_hours))
    return {"files": len(deleted), "bytes": sum(orphan.size for orphan in deleted)}


def task_results_prune(*, days: int = 14, failed_days: int = 30) -> int:
    """Forget the finished background-task results (django-tasks-db's table) older than `days`,
    failed ones after `failed_days` (what its `prune_db_task_results` command does)."""
    from django.db.models import Q
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    deleted, _ = (
        DBTaskResult.objects.finished()
        .filter(
            Q(status=TaskResultStatus.SUCCESSFUL, finished_at__lte=now - dt.timedelta(days=days))
            | Q(
                status=TaskResultStatus.FAILED,
                finished_at__lte=now - dt.timedelta(days=failed_days),
            )
        )
        .delete()
    )
    return deleted


def job_runs_purge(*, days: int = 90) -> int:
    """Forget the periodic jobs' own runs older than `days` (each job's last success is kept)."""
    from .services import job_runs_purge as purge

    return purge(older_than=dt.timedelta(days=days))
