"""Thin task wrappers for the worker: reminders, the recomputation check of a period, freezing a
month; and the trend's keeping, which freezes its months in the background."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from . import keeping, services, trend
from .periods import Period


@task()
def report_reminders_task(period: str) -> int:
    """E-mail the agencies that have not submitted `period` (e.g. enqueued on the 18th)."""
    return len(services.report_reminders_send(period=period))


@task()
def report_snapshots_check_task(period: str) -> int:
    """Recompute the submitted reports of `period`; the number flagged as corrected."""
    return services.report_snapshots_check_period(period=period)


@task()
def month_figures_close_task(period: str) -> str:
    """Freeze a due month's figures (enqueued by a dashboard that had to count it live)."""
    figures = keeping.month_figures_freeze(period=period)
    return f"{figures.period}: {figures.seconds} s" if figures else f"{period}: not due"


def trend_figures_keep(*, last: Period, months: int, now: dt.datetime | None = None) -> None:
    """Keep what a trend reads: the complete days of its months not due yet, and its due months
    not frozen yet frozen in the background (a task each), so that the next view reads them
    instead of counting them from the dossiers."""
    keeping.trend_days_keep(last=last, months=months, now=now)
    for key in trend.months_unfrozen(last=last, months=months, now=now):
        month_figures_close_task.enqueue(key)
