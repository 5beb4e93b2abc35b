"""Keeping figures: freeze the months whose reports are due, sum a quarter or a year of frozen
months once, keep the complete days of the months not due yet (frozen.py says what each is).

These are the writes behind the reports. Selectors only read what is kept (and count the rest
from the dossiers), so each page, API call, export and command that shows a period calls
`report_figures_keep` before it reads; the nightly `python -m motcua report --freeze` and
`--freeze-days` run the same services ahead of the first view.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
import time
from array import array
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.db.models.functions import Coalesce
from django.utils import timezone

from motcua.dossiers.models import Dossier

from . import frozen
from .constants import ALL_AGGREGATES, DERIVED
from .counts import province_pair_counts, province_span_counts
from .models import DayFigures, MonthFigures
from .periods import (
    Period,
    local_day_start,
    months_back,
    period_containing,
    period_of,
    period_of_bounds,
    period_parse,
)


def report_figures_keep(*, period: Period | str, now: dt.datetime | None = None) -> None:
    """Keep what a report of `period` reads: its due months frozen (a quarter or a year of them
    summed once), the complete days of its months not due yet kept. Cheap when they are: one
    query for the months and one per month not due."""
    period = period_of(period)
    months = period.month_periods()
    used = months_freeze_due(months, now=now)
    if used and len(used) == len(months) > 1:
        period_figures_keep(period, used, now=now)
        return
    recent_days_keep(months[len(used) :], now=now)


def trend_days_keep(*, last: Period, months: int, now: dt.datetime | None = None) -> None:
    """Keep the complete days of the trend's months not due yet (its due months are frozen by
    `month_figures_freeze`, in the background: tasks.trend_figures_keep)."""
    recent_days_keep([p for p in months_back(last, months) if not frozen.is_due(p, now)], now=now)


def recent_days_keep(months: Sequence[Period], *, now: dt.datetime | None = None) -> None:
    """Keep the complete days of consecutive months not due yet (extended by the days ended since
    they were kept), up to the first month whose days are not all over."""
    for month in months:
        kept = days_keep(month.start, month.end, now=now)
        if kept is None or kept.end < month.end:
            break


def months_freeze_due(
    months: Sequence[Period], *, now: dt.datetime | None = None
) -> list[MonthFigures]:
    """Freeze the leading months that are due and are not frozen yet; their frozen figures (one
    query, their data left to load when read); the list stops at the first month that is
    not due.

    Figures frozen under another cut-off day or another list of aggregates are frozen again
    (that is a change of definition, not of data).
    """
    out = []
    for month, figures in frozen.months_due(months, now=now):
        if figures is None:
            figures = month_figures_close(period=month, now=now)
        out.append(figures)
    return out


def period_figures_keep(
    period: Period, months: Sequence[MonthFigures], *, now: dt.datetime | None = None
) -> MonthFigures:
    """A quarter's or a year's counts, summed once from its frozen months and kept.

    Kept with the digests of the months it was summed from: a month frozen again (or forgotten)
    makes it stale, and it is summed again on its next read.
    """
    kept = frozen.period_stored(period, months)
    if kept is not None:
        return kept
    started = time.perf_counter()
    frozen.load_data(months)
    rows = frozen.combine([frozen.figures_rows(f) for f in months])
    return _store(
        period,
        rows,
        digest=frozen.months_digest(months),
        now=now,
        actor=None,
        seconds=time.perf_counter() - started,
    )


def month_figures_close(
    *, period: Period, actor: Any = None, now: dt.datetime | None = None
) -> MonthFigures:
    """Count the month from the dossiers and freeze it (again, if it was): one row."""
    started = time.perf_counter()
    rows = province_pair_counts(period)
    with transaction.atomic():
        figures = _store(
            period, rows, digest=None, now=now, actor=actor, seconds=time.perf_counter() - started
        )
        # The month row replaces its days (kept while it was not due).
        DayFigures.objects.filter(start__gte=period.start, end__lte=period.end).delete()
    return figures


def _pack(rows: frozen.Rows) -> bytes:
    """(unit, procedure, counts…) per line as little-endian 32-bit integers, sorted by the pair."""
    flat = array("i")
    for (unit_id, procedure_id), counts in sorted(rows.items()):
        flat.append(unit_id)
        flat.append(procedure_id)
        flat.extend(counts)
    if sys.byteorder == "big":  # pragma: no cover - stored little-endian everywhere
        flat.byteswap()
    return flat.tobytes()


def _store(
    period: Period,
    rows: frozen.Rows,
    *,
    digest: str | None,
    now: dt.datetime | None,
    actor: Any,
    seconds: float,
) -> MonthFigures:
    data = _pack(rows)
    received_total = [ALL_AGGREGATES.index(k) for k in DERIVED["received_total"]]
    values = {
        "months": period.months,
        "end": period.end,
        "aggregates": list(ALL_AGGREGATES),
        "data": data,
        "lines": len(rows),
        "digest": digest or hashlib.sha256(data).hexdigest(),
        "dossier_total": sum(row[i] for row in rows.values() for i in received_total),
        "closed_at": now or timezone.now(),
        "closed_by": actor,
        "seconds": round(seconds, 3),
        "checked_at": None,
        "mismatch": {},
    }
    with transaction.atomic():
        figures, _created = MonthFigures.objects.update_or_create(
            period=period.key, start=period.start, defaults=values
        )
    return figures


def month_figures_recount(
    *, figures: MonthFigures, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Recount a frozen month from the dossiers; store and return what differs (empty if equal).

    The differences are the province totals that moved, each as {"frozen": …, "now": …}, and the
    number of (unit, procedure) lines that differ.
    """
    kept = frozen.figures_rows(figures)
    if figures.aggregates != list(ALL_AGGREGATES):  # frozen under another list: compare by name
        kept = {
            key: [dict(zip(figures.aggregates, row, strict=True)).get(k, 0) for k in ALL_AGGREGATES]
            for key, row in kept.items()
        }
    fresh = province_span_counts(figures.start, figures.end)  # the bounds it was frozen with
    zero = [0] * len(ALL_AGGREGATES)
    lines = sum(1 for key in set(kept) | set(fresh) if kept.get(key, zero) != fresh.get(key, zero))
    columns: dict[str, dict[str, int]] = {}
    for i, key in enumerate(ALL_AGGREGATES):
        before = sum(row[i] for row in kept.values())
        after = sum(row[i] for row in fresh.values())
        if before != after:
            columns[key] = {"frozen": before, "now": after}
    mismatch: dict[str, Any] = {"columns": columns, "lines": lines} if lines else {}
    figures.mismatch = mismatch
    figures.checked_at = now or timezone.now()
    figures.save(update_fields=["mismatch", "checked_at"])
    return mismatch


def month_figures_forget(*, start: dt.datetime, end: dt.datetime) -> int:
    """Drop the frozen months and kept days that overlap [start, end) (after a bulk load of past
    dossiers); the number of rows dropped."""
    months, _per_model = MonthFigures.objects.filter(start__lt=end, end__gt=start).delete()
    days, _per_model = DayFigures.objects.filter(start__lt=end, end__gt=start).delete()
    return months + days


# --- Kept days ---------------------------------------------------------------------------------


def days_keep(
    start: dt.datetime,
    end: dt.datetime,
    *,
    now: dt.datetime | None = None,
    recount: bool = False,
) -> DayFigures | None:
    """The kept figures of the complete days of the month [start, end) that are over at `now`
    (None before its first day is over), as one row.

    The row is extended when days have ended since it was kept: those days are counted together
    from the dossiers and added to it (one count, whatever their number, and each day counted
    once). Kept under another list of aggregates, or up to a later day than `now` allows (a
    report made as of an earlier moment), or with `recount`, it is counted again from the
    month's start.
    """
    stop = frozen.days_over(start, end, now)
    if stop == start:
        return None
    kept = None if recount else DayFigures.objects.filter(start=start).first()
    current = kept is not None and kept.aggregates == list(ALL_AGGREGATES) and kept.end <= stop
    if current and kept.end == stop:
        return kept
    started = time.perf_counter()
    if current:
        rows = frozen.combine([frozen.figures_rows(kept), province_span_counts(kept.end, stop)])
    else:
        rows = province_span_counts(start, stop)
    return _store_days(start, stop, rows, now=now, seconds=time.perf_counter() - started)


def day_figures_close(
    *,
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime | None = None,
) -> DayFigures | None:
    """Count the complete days of the month [start, end) that are over from the dossiers and
    keep them (again: a change made after its day to a dossier is then counted)."""
    return days_keep(start, end, now=now, recount=True)


def _store_days(
    start: dt.datetime,
    stop: dt.datetime,
    rows: frozen.Rows,
    *,
    now: dt.datetime | None,
    seconds: float,
) -> DayFigures:
    data = _pack(rows)
    last = local_day_start(stop - dt.timedelta(hours=12))
    figures, _created = DayFigures.objects.update_or_create(
        start=start,
        defaults={
            "day": last.date(),
            "days": (last.date() - timezone.localtime(start, last.tzinfo).date()).days + 1,
            "end": stop,
            "aggregates": list(ALL_AGGREGATES),
            "data": data,
            "lines": len(rows),
            "digest": hashlib.sha256(data).hexdigest(),
            "closed_at": now or timezone.now(),
            "seconds": round(seconds, 3),
        },
    )
    return figures


# --- Freezing on request and at night ---------------------------------------------------------


def month_figures_freeze(
    *, period: Period | str, actor: Any = None, now: dt.datetime | None = None
) -> MonthFigures | None:
    """Count a due month from the dossiers and freeze it (again); None if it is not due yet.

    Freezing again is how a correction made after the month was frozen is accepted."""
    period = period_of(period)
    if period.months != 1:
        raise ValueError(period.key)
    if not frozen.is_due(period, now):
        return None
    return month_figures_close(period=period, actor=actor, now=now)


def month_figures_check(*, period: Period | str | None = None) -> dict[str, dict[str, Any]]:
    """Recount the frozen months (all, or one) from the dossiers, each with its own bounds;
    {month: what differs} for those that differ — each is flagged on the dashboard and in the API
    until frozen again. A month frozen under another definition of the month is named with its
    dates ("2020-05 (01/05/2020–31/05/2020)")."""
    figures = MonthFigures.objects.filter(months=1).order_by("period", "start")
    if period is not None:
        figures = figures.filter(period=period_of(period).key)
    out: dict[str, dict[str, Any]] = {}
    for row in figures:
        mismatch = month_figures_recount(figures=row)
        if mismatch:
            out[_month_name(row)] = mismatch
    return out


def _month_name(figures: MonthFigures) -> str:
    month = period_parse(figures.period)
    if figures.start == month.start and figures.end == month.end:
        return figures.period
    made = period_of_bounds(figures.period, figures.start)
    return f"{figures.period} ({made.start:%d/%m/%Y}–{made.last_day:%d/%m/%Y})"


def month_figures_freeze_again(*, figures: MonthFigures, actor: Any = None) -> MonthFigures:
    """Count a frozen month again from the dossiers, with the bounds it was frozen with, and
    freeze it so (the admin's "freeze again": a correction accepted)."""
    return month_figures_close(period=period_of_bounds(figures.period, figures.start), actor=actor)


def month_figures_unfrozen(*, now: dt.datetime | None = None) -> list[Period]:
    """The due months not frozen yet, from the first month with a dossier on the books."""
    first = Dossier.objects.aggregate(first=Min(Coalesce("received_at", "finished_at")))["first"]
    if first is None:
        return []
    done = set(MonthFigures.objects.filter(months=1).values_list("period", "start"))
    months: list[Period] = []
    month = period_containing(first)
    while frozen.is_due(month, now):
        if (month.key, month.start) not in done:
            months.append(month)
        month = month.following()
    return months


def months_not_due(*, now: dt.datetime | None = None) -> list[Period]:
    """The months whose reports are not due yet, up to the current one (oldest first): the
    current month, and the previous one until its reports' deadline."""
    month = period_containing(now or timezone.now())
    months = [month]
    while not frozen.is_due(months[0].previous(), now):
        months.insert(0, months[0].previous())
    return months


def day_figures_freeze(
    *, now: dt.datetime | None = None, missing_only: bool = False
) -> list[DayFigures]:
    """Count the complete days of the months not due yet again from the dossiers and keep them
    (the nightly run: yesterday is new, and a late change to the dossiers of the other days
    shows the next day); `missing_only` only adds the days ended since they were kept."""
    now = now or timezone.now()
    kept = []
    for month in months_not_due(now=now):
        close = days_keep if missing_only else day_figures_close
        figures = close(start=month.start, end=month.end, now=now)
        if figures is not None:
            kept.append(figures)
    return kept
