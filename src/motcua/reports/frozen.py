"""Frozen monthly figures (chốt số liệu): a due month is counted once, then read, not rescanned.

The monthly report is one aggregate over the dossiers on the books in the period (selectors.py).
Its cost grows with the province's volume (≈ 1 s per million dossiers a year on two cores), while
a month's figures stop changing once its reports are due — the 22nd of the following month, when
every agency has reported. From then on the month's counts per (receiving unit, procedure) are
kept in one `MonthFigures` row, frozen the first time they are asked for (or by
`python -m motcua report --close`), and every report made of that month — any agency, field or
procedure, and any quarter or year — is summed from them: the time no longer depends on the number
of dossiers. A period's months that are not yet due are counted from the dossiers, as before.

A period made of several months is put together by kind of aggregate (constants.py): stocks at
the start come from its first month, stocks at the end from its last month, flows are summed. This
gives exactly the period's own aggregate, because each flow happens at one moment (received,
ended, apology dated, result returned) and so in exactly one month (tested on random data).

Correct and recomputable: `month_figures_check` recounts a frozen month from the dossiers and
records what differs (a correction made after the month was frozen) in `mismatch`, which the
dashboard and the API flag; `month_figures_close(…)` freezes it again after a correction was
accepted. A bulk load of past dossiers (the simulator) forgets the months it touched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from .constants import ALL_AGGREGATES, DERIVED, STOCK_AT_END, STOCK_AT_START
from .models import MonthFigures
from .periods import Period, period_parse

Pairs = dict[tuple[int, int], dict[str, int]]
Compute = Callable[[Period], Pairs]

FLOWS: tuple[str, ...] = tuple(
    key for key in ALL_AGGREGATES if key not in STOCK_AT_START and key not in STOCK_AT_END
)


def is_due(period: Period, now: dt.datetime | None = None) -> bool:
    """Whether the month's reports are due, so that its figures are frozen."""
    return (now or timezone.now()) >= period.submission_deadline()


def _encode(pairs: Pairs) -> list[list[int]]:
    return [
        [unit_id, procedure_id, *(counts[key] for key in ALL_AGGREGATES)]
        for (unit_id, procedure_id), counts in sorted(pairs.items())
    ]


def _digest(rows: list[list[int]]) -> str:
    return hashlib.sha256(json.dumps(rows, separators=(",", ":")).encode()).hexdigest()


def figures_pairs(figures: MonthFigures, unit_ids: Iterable[int] | None = None) -> Pairs:
    """The frozen counts per (unit, procedure), restricted to `unit_ids` (None = all)."""
    wanted = None if unit_ids is None else set(unit_ids)
    keys = figures.aggregates
    out: Pairs = {}
    for row in figures.pairs:
        if wanted is not None and row[0] not in wanted:
            continue
        out[(row[0], row[1])] = dict(zip(keys, row[2:], strict=True))
    return out


def is_current(figures: MonthFigures, period: Period) -> bool:
    """Frozen with today's definition of the month (cut-off day) and of the aggregates."""
    return (
        figures.start == period.start
        and figures.end == period.end
        and figures.aggregates == list(ALL_AGGREGATES)
    )


def month_figures_get(
    period: Period, *, compute: Compute, now: dt.datetime | None = None
) -> MonthFigures | None:
    """The frozen figures of a month that is due, freezing them now if needed; None before.

    Figures frozen under another cut-off day or another list of aggregates are frozen again
    (that is a change of definition, not of data).
    """
    if period.months != 1 or not is_due(period, now):
        return None
    figures = MonthFigures.objects.filter(period=period.key).first()
    if figures is not None and is_current(figures, period):
        return figures
    return month_figures_close(period=period, compute=compute, now=now)


def month_figures_close(
    *, period: Period, compute: Compute, actor: Any = None, now: dt.datetime | None = None
) -> MonthFigures:
    """Count the month from the dossiers and freeze it (again, if it was): one row."""
    started = time.perf_counter()
    pairs = compute(period)
    rows = _encode(pairs)
    total = sum(counts[k] for counts in pairs.values() for k in DERIVED["received_total"])
    values = {
        "start": period.start,
        "end": period.end,
        "aggregates": list(ALL_AGGREGATES),
        "pairs": rows,
        "digest": _digest(rows),
        "dossier_total": total,
        "closed_at": now or timezone.now(),
        "closed_by": actor,
        "seconds": round(time.perf_counter() - started, 3),
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
    period = period_parse(figures.period)
    frozen = figures_pairs(figures)
    fresh = compute(period)
    zero = dict.fromkeys(ALL_AGGREGATES, 0)
    lines = sum(
        1
        for key in set(frozen) | set(fresh)
        if {k: frozen.get(key, zero).get(k, 0) for k in ALL_AGGREGATES}
        != {k: fresh.get(key, zero)[k] for k in ALL_AGGREGATES}
    )
    columns: dict[str, dict[str, int]] = {}
    for key in ALL_AGGREGATES:
        before = sum(c.get(key, 0) for c in frozen.values())
        after = sum(c[key] for c in fresh.values())
        if before != after:
            columns[key] = {"frozen": before, "now": after}
    mismatch: dict[str, Any] = {"columns": columns, "lines": lines} if lines else {}
    figures.mismatch = mismatch
    figures.checked_at = now or timezone.now()
    figures.save(update_fields=["mismatch", "checked_at"])
    return mismatch


def month_figures_forget(*, start: dt.datetime, end: dt.datetime) -> int:
    """Drop the frozen months that overlap [start, end) (after a bulk load of past dossiers)."""
    deleted, _per_model = MonthFigures.objects.filter(start__lt=end, end__gt=start).delete()
    return deleted


def combine(parts: Sequence[Pairs]) -> Pairs:
    """The counts of a period from those of its consecutive parts (oldest first)."""
    if len(parts) == 1:
        return parts[0]
    first, last = parts[0], parts[-1]
    keys: set[tuple[int, int]] = set()
    for part in parts:
        keys.update(part)
    out: Pairs = {}
    for key in keys:
        counts = dict.fromkeys(ALL_AGGREGATES, 0)
        for part in parts:
            some = part.get(key)
            if some:
                for name in FLOWS:
                    counts[name] += some[name]
        if key in first:
            for name in STOCK_AT_START:
                counts[name] = first[key][name]
        if key in last:
            for name in STOCK_AT_END:
                counts[name] = last[key][name]
        if any(counts.values()):
            out[key] = counts
    return out
