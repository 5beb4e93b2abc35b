"""Frozen monthly figures (chốt số liệu): a due month is counted once, then read, not rescanned.

This module reads them; `keeping.py` writes them (a selector never writes: the pages, the API,
the exports and the commands call the keeping service explicitly before they read).

The monthly report is one aggregate over the dossiers on the books in the period (counts.py).
Its cost grows with the province's volume (≈ 1 s per million dossiers a year on two cores), while
a month's figures stop changing once its reports are due — the 22nd of the following month, when
every agency has reported. From then on the month's counts per (receiving unit, procedure) are
kept in one `MonthFigures` row, frozen by the pages and commands that read the month before
they read it (`keeping.report_figures_keep`) or by `python -m motcua report --freeze`, and every
report made of that month — any agency, field or
procedure — is summed from them; a quarter or a year of frozen months is summed once and kept as a
row of its own. The time no longer depends on the number of dossiers, only on the number of
(unit, procedure) lines (≈ 6 000 a month at 1 M dossiers). A period's months that are not yet due
are read from their kept days plus today (below).

A period made of several months is put together by kind of aggregate (constants.py): stocks at
the start come from its first month, stocks at the end from its last month, flows are summed. This
gives exactly the period's own aggregate, because each flow happens at one moment (received,
ended, apology dated, result returned) and so in exactly one month (tested on random data).

Correct and recomputable: `keeping.month_figures_check` recounts a frozen month from the dossiers and
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
from array import array
from collections.abc import Iterable, Sequence
from operator import add

from django.utils import timezone

from .constants import ALL_AGGREGATES, STOCK_AT_END, STOCK_AT_START
from .models import DayFigures, MonthFigures
from .periods import Period, local_day_start

# Counts per (receiving unit, procedure), in the order of ALL_AGGREGATES.
Rows = dict[tuple[int, int], list[int]]

_START = [ALL_AGGREGATES.index(key) for key in STOCK_AT_START]
_END = [ALL_AGGREGATES.index(key) for key in STOCK_AT_END]


def is_due(period: Period, now: dt.datetime | None = None) -> bool:
    """Whether the month's reports are due, so that its figures are frozen."""
    return (now or timezone.now()) >= period.submission_deadline()


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


def months_due(
    months: Sequence[Period], *, now: dt.datetime | None = None
) -> list[tuple[Period, MonthFigures | None]]:
    """The leading months that are due, each with its frozen figures when frozen with today's
    definition of the month and of the aggregates, else None (one query, their data left to load
    when read); the list stops at the first month that is not due."""
    due: list[Period] = []
    for month in months:
        if month.months != 1 or not is_due(month, now):
            break
        due.append(month)
    if not due:
        return []
    stored = months_frozen_now(due, data=False)
    return [(month, stored.get(month.key)) for month in due]


def months_frozen_now(
    months: Sequence[Period], *, fields: Sequence[str] = (), data: bool = True
) -> dict[str, MonthFigures]:
    """The frozen figures of `months` by key, those frozen with today's bounds of the month and
    list of aggregates (one query: only `fields` when given, without the data unless `data`). A
    month frozen under another cut-off day keeps its own row, which is not these months'."""
    if not months:
        return {}
    rows = MonthFigures.objects.filter(
        period__in={m.key for m in months}, start__in={m.start for m in months}, months=1
    )
    if fields:
        rows = rows.only(*fields)
    elif not data:
        rows = rows.defer("data")
    stored = {(f.period, f.start): f for f in rows}
    out = {}
    for month in months:
        figures = stored.get((month.key, month.start))
        if figures is not None and is_current(figures, month):
            out[month.key] = figures
    return out


def months_stored(
    months: Sequence[Period], *, now: dt.datetime | None = None
) -> list[MonthFigures]:
    """The frozen figures of the leading months that are due and frozen (months_due), up to the
    first that is not."""
    out = []
    for _month, figures in months_due(months, now=now):
        if figures is None:
            break
        out.append(figures)
    return out


def months_digest(months: Sequence[MonthFigures]) -> str:
    """What a quarter's or a year's kept sum was made of: the digests of its frozen months."""
    return hashlib.sha256("".join(f.digest for f in months).encode()).hexdigest()


def period_stored(period: Period, months: Sequence[MonthFigures]) -> MonthFigures | None:
    """The kept sum of a quarter or a year, if it was summed from these very frozen months."""
    kept = MonthFigures.objects.filter(period=period.key, start=period.start).first()
    if kept is not None and kept.digest == months_digest(months) and is_current(kept, period):
        return kept
    return None


def load_data(figures: Sequence[MonthFigures]) -> None:
    """Read the data of figures fetched without it, in one query."""
    missing = [f for f in figures if "data" in f.get_deferred_fields()]
    if missing:
        data = dict(
            MonthFigures.objects.filter(pk__in=[f.pk for f in missing]).values_list("pk", "data")
        )
        for f in missing:
            f.data = data[f.pk]


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


def days_stored(
    start: dt.datetime, end: dt.datetime, *, now: dt.datetime | None = None
) -> DayFigures | None:
    """The kept figures of complete days of the month [start, end), when kept with today's list
    of aggregates and not past the days over at `now` (they may stop before: the days ended since
    they were kept are then counted from the dossiers by the reader)."""
    stop = days_over(start, end, now)
    if stop == start:
        return None
    kept = DayFigures.objects.filter(start=start).first()
    if kept is None or kept.aggregates != list(ALL_AGGREGATES) or kept.end > stop:
        return None
    return kept
