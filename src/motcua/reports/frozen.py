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
are counted from the dossiers, as before.

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
local days (Asia/Ho_Chi_Minh midnight to midnight, whatever the cut-off day), each counted once
and kept as a `DayFigures` row, combined with the rest of the month from today's midnight,
counted from the dossiers; a month's kept days are summed once into one row (month to date), so
that the month is read as that row plus today. A day's population is the dossiers open at its start plus its own
flows: its cost follows the work in hand, not the month's volume, and so does today's part.
A day is kept once it is over (never before), frozen the first time a report needs it; the
nightly `python -m motcua report --freeze-days` counts yesterday ahead of the first view and
counts the other kept days again, so that a change made after its day to a dossier counted in
it (an online payment recorded later, a scan attached later, a corrected channel) shows in the
month's report the next day instead of being flagged: until the month is due, its figures are
still news, not a record. Days are forgotten when their month is frozen (the month row replaces
them), again or for the first time, and by a bulk load over their range.
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


def complete_days(
    start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The local days [midnight, next midnight) from `start` (a local midnight) that end by
    `end` and are over at `now`."""
    stop = min(end, local_day_start(now or timezone.now()))
    out = []
    day = start
    while day < stop:
        following = local_day_start(day + dt.timedelta(hours=36))
        out.append((day, following))
        day = following
    return out


def _day_is_current(figures: DayFigures, start: dt.datetime, end: dt.datetime) -> bool:
    return (
        figures.start == start and figures.end == end and figures.aggregates == list(ALL_AGGREGATES)
    )


def days_kept(
    start: dt.datetime,
    end: dt.datetime,
    *,
    compute: SpanCompute,
    now: dt.datetime | None = None,
) -> list[DayFigures]:
    """The kept figures of the complete days from `start` (a local midnight) up to `end` or
    today's midnight, whichever comes first, oldest first (one query, data left to load); the
    days missing are counted and kept now."""
    days = complete_days(start, end, now)
    if not days:
        return []
    stored = {
        f.day: f
        for f in DayFigures.objects.filter(days=1, day__in=[s.date() for s, _e in days]).defer(
            "data"
        )
    }
    out = []
    for day_start, day_end in days:
        figures = stored.get(day_start.date())
        if figures is None or not _day_is_current(figures, day_start, day_end):
            figures = day_figures_close(start=day_start, end=day_end, compute=compute, now=now)
        out.append(figures)
    return out


def day_figures_close(
    *,
    start: dt.datetime,
    end: dt.datetime,
    compute: SpanCompute,
    now: dt.datetime | None = None,
) -> DayFigures:
    """Count the local day [start, end) from the dossiers and keep it (again, if it was)."""
    now = now or timezone.now()
    if end > now:
        raise ValueError(f"the day {start.date()} is not over")
    started = time.perf_counter()
    rows = compute(start, end)
    data = _pack(rows)
    figures, _created = DayFigures.objects.update_or_create(
        day=start.date(),
        days=1,
        defaults={
            "start": start,
            "end": end,
            "aggregates": list(ALL_AGGREGATES),
            "data": data,
            "lines": len(rows),
            "digest": hashlib.sha256(data).hexdigest(),
            "closed_at": now,
            "seconds": round(time.perf_counter() - started, 3),
        },
    )
    return figures


def load_day_data(days: Sequence[DayFigures]) -> None:
    """Read the data of kept days fetched without it, in one query."""
    missing = [f for f in days if "data" in f.get_deferred_fields()]
    if missing:
        data = dict(
            DayFigures.objects.filter(pk__in=[f.pk for f in missing]).values_list("pk", "data")
        )
        for f in missing:
            f.data = data[f.pk]


def _chain(days: Sequence[DayFigures]) -> str:
    return hashlib.sha256("".join(d.digest for d in days).encode()).hexdigest()


def days_summed(days: Sequence[DayFigures], *, now: dt.datetime | None = None) -> DayFigures:
    """The figures of consecutive kept days (a month's, from its start), summed once and kept
    as one row with the digest of the days it was summed from (a day counted again with other
    figures makes it stale). A sum of the first days, still right, is taken up and only the
    days after it are added: each new day costs one addition, not the month's."""
    if len(days) == 1:
        return days[0]
    wanted = _chain(days)
    sums = DayFigures.objects.filter(start=days[0].start, days__gt=1, days__lte=len(days)).defer(
        "data"
    )
    base = None
    for kept in sums.order_by("-days"):
        if kept.aggregates == list(ALL_AGGREGATES) and kept.digest == _chain(days[: kept.days]):
            if kept.days == len(days):
                return kept
            base = kept
            break
    started = time.perf_counter()
    rest = days[base.days :] if base is not None else days
    load_day_data([base, *rest] if base is not None else rest)
    parts = ([figures_rows(base)] if base is not None else []) + [figures_rows(d) for d in rest]
    rows = combine(parts)
    with transaction.atomic():
        summed, _created = DayFigures.objects.update_or_create(
            day=days[-1].day,
            days=len(days),
            defaults={
                "start": days[0].start,
                "end": days[-1].end,
                "aggregates": list(ALL_AGGREGATES),
                "data": _pack(rows),
                "lines": len(rows),
                "digest": wanted,
                "closed_at": now or timezone.now(),
                "seconds": round(time.perf_counter() - started, 3),
            },
        )
        # The shorter sums of the same month are superseded.
        DayFigures.objects.filter(start=days[0].start, days__gt=1, days__lt=len(days)).delete()
    return summed
