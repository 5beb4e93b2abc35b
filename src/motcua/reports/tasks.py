"""Thin task wrappers for the worker: reminders and the recomputation check of a period."""

from __future__ import annotations

from django_tasks import task

from . import services


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
    figures = services.month_figures_freeze(period=period)
    return f"{figures.period}: {figures.seconds} s" if figures else f"{period}: not due"
