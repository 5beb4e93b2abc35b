"""Frozen monthly figures (chốt số liệu): a due month is counted once, then read, not rescanned.

The monthly report is one aggregate over the dossiers on the books in the period (selectors.py).
Its cost grows with the province's volume (≈ 1 s per million dossiers a year on two cores), while
a month's figures stop changing once its reports are due — the 22nd of the following month, when
every agency has reported. From then on the month's counts per (receiving unit, procedure) are
kept in one `MonthFigures` row, frozen the first time they are asked for (or by
`python -m motcua report --freeze`), and every report made of that month — any agency, field or
procedure — is summed from them; a quarter or a year of frozen months is summed once and kept as a
row of its own. The time no longer depends on the number of dossiers, only on the number of
(unit, procedure) lines (≈ 6 000 a month at 1 M dossiers). A period's months that are not yet due
are read from their kept days plus today (below).

A period made of several months is put together by kind of aggregate (constants.py): stocks at
the start come from its first month, stocks at the end from its last month, flows are summed. This
gives exactly the period's own aggregate, because each flow happens at one moment (received,
ended, apology dated, result returned) and so in exactly one month (tested on random data).

Correct and recomputable: `month_figures_check` recounts a frozen month from the dossiers and
records what differs (a correction made after the month was frozen) in `mismatch`, which the
dashboard and the API flag; `month_figures_close(…)` (`report --freeze --period`, or the admin's
"freeze again") freezes it again after a correction was accepted. A bulk load of past dossiers (the simulator) forgets the months it touched.

Months not yet due (the current month, and the previous one until the 22nd) are made of days.
`combine` holds for any consecutive intervals, not only months, so such a month is its complete
local days (Asia/Ho_Chi_Minh midnight to midnight, whatever the cut-off day), counted once and
kept as one `DayFigures` row per month (month to date), combined with the rest of the month from
today's midnight, counted from the dossiers. When days have ended since the row was kept, they
are counted together and added to it: the first view of a day counts yesterday (its population
is the dossiers open at its start plus its own flows: bounded by the work in hand, not by the
month's volume), the other views read one row; today's part costs the same as a day.
Days are kept once they are over (never before), the first time a report needs them; the
nightly `python -m motcua report --freeze-days` counts the month's complete days again from the
dossiers, ahead of the first view, so that a change made after its day to a dossier counted in
it (an online payment recorded later, a scan attached later, a corrected channel) shows in the
month's report the next day instead of being flagged: until the month is due, its figures are
still news, not a record (without that run, such a change shows when the month is frozen).
Kept days are forgotten when their month is frozen (the month row replaces them), again or for
the first time, and by a bulk load over their range.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
import time
from array import array
from collections.abc import Callable, Iterable, Sequence
from operator import add
from typing import Any

from django.db import transaction
from django.utils import timezone

from .constants import ALL_AGGREGATES, DERIVED, STOCK_AT_END, STOCK_AT_START
from .models import DayFigures, MonthFigures
from .periods import Period, local_day_start, period_parse

# Counts per (receiving unit, procedure), in the order of ALL_AGGREGATES.
Rows = dict[tuple[int, int], list[int]]
Compute = Callable[[Period], Rows]
# Counts of the interval [start, end) per (receiving unit, procedure).
SpanCompute = Callable[[dt.datetime, dt.datetime], Rows]

_START = [ALL_AGGREGATES.index(key) for key in STOCK_AT_START]
_END = [ALL_AGGREGATES.index(key) for key in STOCK_AT_END]


def is_due(period: Period, now: dt.datetime | None = None) -> bool:
    """Whether the month's reports are due, so that its figures are frozen."""
    return (now or timezone.now()) >= period.submission_deadline()


def _pack(rows: Rows) -> bytes:
    """(unit, procedure, counts…) per line as little-endian 32-bit integers, sorted by the pair."""
    flat = array("i")
    for (unit_id, procedure_id), counts in sorted(rows.items()):
        flat.append(unit_id)
        flat.append(procedure_id)
        flat.extend(counts)
    if sys.byteorder == "big":  # pragma: no cover - stored little-endian everywhere
        flat.byteswap()
    return flat.tobytes()


def _unpack(data: bytes) -> array:
    flat = array("i")
    flat.frombytes(bytes(data))
    if sys.byteorder == "big":  # pragma: no cover
        flat.byteswap()
    return flat


def figures_rows(figures: MonthFigures | DayFigures, unit_ids: Iterable[int] | None = None) -> Rows:
    """The frozen counts per (unit, procedure), restricted to `unit_ids` (None = all)."""
    flat = _unpack(figures.data)
    width = 2 + len(figures.aggregates)
    wanted = None if unit_ids is None else set(unit_ids)
    out: Rows = {}
    for i in range(0, len(flat), width):
        unit_id = flat[i]
        if wanted is None or unit_id in wanted:
            out[(unit_id, flat[i + 1])] = flat[i + 2 : i + width].tolist()
    return out


def figures_columns(
    figures: MonthFigures, keys: Sequence[str]
) -> tuple[array, array, dict[str, array]]:
    """The unit ids, procedure ids and the columns `keys` of frozen figures, each as one array
    (sliced in C: no Python object per line)."""
    flat = _unpack(figures.data)
    width = 2 + len(figures.aggregates)
    index = {key: figures.aggregates.index(key) for key in keys}
    columns = {key: flat[2 + i :: width] for key, i in index.items()}
    return flat[0::width], flat[1::width], columns


def is_current(figures: MonthFigures, period: Period) -> bool:
    """Frozen with today's definition of the month (cut-off day) and of the aggregates."""
    return (
        figures.start == period.start
        and figures.end == period.end
        and figures.aggregates == list(ALL_AGGREGATES)
    )


def months_frozen(
    months: Sequence[Period], *, compute: Compute, now: dt.datetime | None = None
) -> list[MonthFigures]:
    """The frozen figures of the leading months that are due (one query, their data left to
    load when read), freezing those that are not yet; the list stops at the first month that is
    not due.

    Figures frozen under another cut-off day or another list of aggregates are frozen again
    (that is a change of definition, not of data).
    """
    due: list[Period] = []
    for month in months:
        if month.months != 1 or not is_due(month, now):
            break
        due.append(month)
    if not due:
        return []
    stored = {
        f.period: f
        for f in MonthFigures.objects.filter(period__in=[m.key for m in due]).defer("data")
    }
    out = []
    for month in due:
        figures = stored.get(month.key)
        if figures is None or not is_current(figures, month):
            figures = month_figures_close(period=month, compute=compute, now=now)
        out.append(figures)
    return out


def load_data(figures: Sequence[MonthFigures]) -> None:
    """Read the data of figures fetched without it, in one query."""
    missing = [f for f in figures if "data" in f.get_deferred_fields()]
    if missing:
        data = dict(
            MonthFigures.objects.filter(pk__in=[f.pk for f in missing]).values_list("pk", "data")
        )
        for f in missing:
            f.data = data[f.pk]


def period_figures(
    period: Period, months: Sequence[MonthFigures], *, now: dt.datetime | None = None
) -> MonthFigures:
    """A quarter's or a year's counts, summed once from its frozen months and kept.

    Kept with the digests of the months it was summed from: a month frozen again (or forgotten)
    makes it stale, and it is summed again on its next read.
    """
    source = hashlib.sha256("".join(f.digest for f in months).encode()).hexdigest()
    kept = MonthFigures.objects.filter(period=period.key).first()
    if kept is not None and kept.digest == source and is_current(kept, period):
        return kept
    started = time.perf_counter()
    load_data(months)
    rows = combine([figures_rows(f) for f in months])
    return _store(
        period,
        rows,
        digest=source,
        now=now,
        actor=None,
        seconds=time.perf_counter() - started,
    )


def month_figures_close(
    *, period: Period, compute: Compute, actor: Any = None, now: dt.datetime | None = None
) -> MonthFigures:
    """Count the month from the dossiers and freeze it (again, if it was): one row."""
    started = time.perf_counter()
    rows = compute(period)
    with transaction.atomic():
        figures = _store(
            period, rows, digest=None, now=now, actor=actor, seconds=time.perf_counter() - started
        )
        # The month row replaces its days (kept while it was not due).
        DayFigures.objects.filter(start__gte=period.start, end__lte=period.end).delete()
    return figures


def _store(
    period: Period,
    rows: Rows,
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
        "start": period.start,
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
            period=period.key, defaults=values
        )
    return figures


def month_figures_check(
    *, figures: MonthFigures, compute: Compute, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Recount a frozen month from the dossiers; store and return what differs (empty if equal).

    The differences are the province totals that moved, each as {"frozen": …, "now": …}, and the
    number of (unit, procedure) lines that differ.
    """
    kept = figures_rows(figures)
    if figures.aggregates != list(ALL_AGGREGATES):  # frozen under another list: compare by name
        kept = {
            key: [dict(zip(figures.aggregates, row, strict=True)).get(k, 0) for k in ALL_AGGREGATES]
            for key, row in kept.items()
        }
    fresh = compute(period_parse(figures.period))
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


def combine(parts: Sequence[Rows]) -> Rows:
    """The counts of a period from those of its consecutive parts (oldest first): every
    aggregate summed, then the stocks at the start taken from the first part and those at the
    end from the last one."""
    if len(parts) == 1:
        return parts[0]
    out: Rows = {}
    for part in parts:
        for key, row in part.items():
            acc = out.get(key)
            out[key] = list(map(add, acc, row)) if acc is not None else list(row)
    first, last = parts[0], parts[-1]
    for key, row in out.items():
        head, tail = first.get(key), last.get(key)
        for i in _START:
            row[i] = head[i] if head is not None else 0
        for i in _END:
            row[i] = tail[i] if tail is not None else 0
    return {key: row for key, row in out.items() if any(row)}


# --- Kept days ---------------------------------------------------------------------------------


def days_over(start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None) -> dt.datetime:
    """Where the complete local days of [start, end) that are over at `now` end: today's local
    midnight, within [start, end]."""
    return max(start, min(end, local_day_start(now or timezone.now())))


def days_kept(
    start: dt.datetime,
    end: dt.datetime,
    *,
    compute: SpanCompute,
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
    stop = days_over(start, end, now)
    if stop == start:
        return None
    kept = None if recount else DayFigures.objects.filter(start=start).first()
    current = kept is not None and kept.aggregates == list(ALL_AGGREGATES) and kept.end <= stop
    if current and kept.end == stop:
        return kept
    started = time.perf_counter()
    if current:
        rows = combine([figures_rows(kept), compute(kept.end, stop)])
    else:
        rows = compute(start, stop)
    return _store_days(start, stop, rows, now=now, seconds=time.perf_counter() - started)


def day_figures_close(
    *,
    start: dt.datetime,
    end: dt.datetime,
    compute: SpanCompute,
    now: dt.datetime | None = None,
) -> DayFigures | None:
    """Count the complete days of the month [start, end) that are over from the dossiers and
    keep them (again: a change made after its day to a dossier is then counted)."""
    return days_kept(start, end, compute=compute, now=now, recount=True)


def _store_days(
    start: dt.datetime,
    stop: dt.datetime,
    rows: Rows,
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
