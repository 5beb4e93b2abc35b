"""The trend by month (the dashboard's charts): received by channel and resolved by timing, with
the definitions of the monthly report (counts.py).

Frozen months are read from their figures, months not due yet from their kept days and today,
and the due months not frozen yet from two grouped queries over the dossiers (one bucket per
month). Freezing those is the caller's (the dashboard enqueues it: `months_unfrozen`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from motcua.catalog.models import Procedure
from motcua.dbrouters import reports_database
from motcua.dossiers.constants import Channel
from motcua.dossiers.models import Dossier
from motcua.orgs.models import Unit
from motcua.workcal import Timing

from . import frozen
from .constants import (
    ALL_AGGREGATES,
)
from .counts import RESOLVED_STATES, entered_before, entered_from, recent_parts
from .models import MonthFigures
from .periods import Period, months_back, period_of
from .scope import scoped, subtree_ids

# --- Trend by month --------------------------------------------------------------------------


@dataclass
class TrendPoint:
    period: Period
    received_online: int = 0
    received_direct: int = 0
    received_postal: int = 0
    received_level34: int = 0
    received_online_level34: int = 0
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0

    @property
    def received(self) -> int:
        return self.received_online + self.received_direct + self.received_postal

    @property
    def resolved(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def on_time_rate(self) -> float | None:
        return (
            (self.resolved_early + self.resolved_on_time) / self.resolved if self.resolved else None
        )

    @property
    def online_share(self) -> float | None:
        if not self.received_level34:
            return None
        return self.received_online_level34 / self.received_level34


def _bucket(expression: Any, periods: list[Period]) -> Case:
    whens = [When(Q(**{f"{expression}__lt": p.end}), then=Value(i)) for i, p in enumerate(periods)]
    return Case(*whens, default=Value(-1), output_field=IntegerField())


_TREND_KEYS = (
    "received_online",
    "received_direct",
    "received_postal",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
)


def _trend_from_figures(
    point: TrendPoint, figures: MonthFigures, unit_ids: list[int] | None, levels: Mapping[int, int]
) -> None:
    units, procedure_ids, columns = frozen.figures_columns(figures, _TREND_KEYS)
    wanted = None if unit_ids is None else set(unit_ids)
    lines = [i for i, u in enumerate(units) if wanted is None or u in wanted]
    level34 = [i for i in lines if levels.get(procedure_ids[i], 0) >= 3]
    for key in _TREND_KEYS:
        column = columns[key]
        setattr(point, key, getattr(point, key) + sum(column[i] for i in lines))
    online = columns["received_online"]
    point.received_online_level34 += sum(online[i] for i in level34)
    point.received_level34 += sum(
        columns[key][i]
        for key in ("received_online", "received_direct", "received_postal")
        for i in level34
    )


def _trend_from_rows(point: TrendPoint, rows: frozen.Rows, levels: Mapping[int, int]) -> None:
    index = {key: ALL_AGGREGATES.index(key) for key in _TREND_KEYS}
    received = [index["received_online"], index["received_direct"], index["received_postal"]]
    for (_unit_id, procedure_id), row in rows.items():
        for key, i in index.items():
            setattr(point, key, getattr(point, key) + row[i])
        if levels.get(procedure_id, 0) >= 3:
            point.received_level34 += sum(row[i] for i in received)
            point.received_online_level34 += row[index["received_online"]]


def report_trend(
    *,
    last: Period | str,
    months: int = 12,
    agency: Unit | None = None,
    now: dt.datetime | None = None,
) -> list[TrendPoint]:
    """Received (by channel) and resolved (by timing) per month for `months` months up to
    `last`, with the same definitions as the monthly report: the frozen months from their
    figures, the months not due yet from their kept days and today (as the report), the others
    from two grouped queries over the dossiers. Due months not frozen yet are counted so until
    they are (`months_unfrozen` names them, for the caller to freeze in the background)."""
    last = period_of(last)
    periods = months_back(last, months)
    unit_ids = subtree_ids(agency)
    points = [TrendPoint(p) for p in periods]

    due = [p for p in periods if frozen.is_due(p, now)]
    figures = _frozen_months(due)
    recent = [point for point in points if point.period not in due]
    if figures or recent:
        levels = dict(Procedure.objects.values_list("pk", "online_level"))
        for point in points:
            if point.period.key in figures:
                _trend_from_figures(point, figures[point.period.key], unit_ids, levels)
        for point in recent:
            rows = frozen.combine(recent_parts([point.period], unit_ids, now))
            _trend_from_rows(point, rows, levels)
    missing = [i for i, p in enumerate(periods) if p.key not in figures and p in due]
    if not missing:
        return points
    span = periods[missing[0] : missing[-1] + 1]
    start, end = span[0].start, span[-1].end
    wanted = {i - missing[0] for i in missing}

    entered = Coalesce(F("received_at"), F("finished_at"))
    dossiers = Dossier.objects.using(reports_database())
    received = scoped(dossiers.filter(entered_from(start) & entered_before(end)), unit_ids)
    received_rows = (
        received.annotate(t_in=entered)
        .annotate(bucket=_bucket("t_in", span))
        .values("bucket", "channel", "procedure__online_level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in received_rows:
        if row["bucket"] not in wanted:
            continue
        point = points[missing[0] + row["bucket"]]
        key = f"received_{row['channel']}"
        setattr(point, key, getattr(point, key) + row["n"])
        if row["procedure__online_level"] >= 3:
            point.received_level34 += row["n"]
            if row["channel"] == Channel.ONLINE:
                point.received_online_level34 += row["n"]

    ended = scoped(
        dossiers.filter(
            entered_before(end),
            Q(finished_at__lt=end),
            Q(finished_at__gte=start) | entered_from(start),
            status__in=RESOLVED_STATES,
        ),
        unit_ids,
    )
    ended_rows = (
        ended.annotate(t_end=Greatest(entered, F("finished_at")))
        .annotate(bucket=_bucket("t_end", span))
        .values("bucket", "timing")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in ended_rows:
        if row["bucket"] not in wanted:
            continue
        point = points[missing[0] + row["bucket"]]
        if row["timing"] == Timing.EARLY:
            point.resolved_early += row["n"]
        elif row["timing"] == Timing.LATE:
            point.resolved_late += row["n"]
        else:
            point.resolved_on_time += row["n"]
    return points


def _frozen_months(due: list[Period]) -> dict[str, MonthFigures]:
    """The due months' frozen figures by key, those frozen with today's definitions."""
    return frozen.months_frozen_now(due)


def months_unfrozen(
    *, last: Period | str, months: int = 12, now: dt.datetime | None = None
) -> list[str]:
    """The trend's months that are due and not frozen (with today's definitions) yet."""
    last = period_of(last)
    due = [p for p in months_back(last, months) if frozen.is_due(p, now)]
    figures = _frozen_months(due)
    return [p.key for p in due if p.key not in figures]
