"""The monthly report on the handling of administrative procedures (Biểu số 06/VPCP/KSTT,
Circular 01/2020/TT-VPCP) for a period: one line per procedure, per field (by level of
government) and per agency, and the total, each with every column of counts.py.

The lines are sums of the counts per (receiving unit, procedure): a few thousand additions,
whatever the number of dossiers. The JSON shape (`as_dict`) is the API's and the exports'.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from operator import add
from typing import Any

from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.orgs.constants import GovLevel
from motcua.orgs.models import Unit

from . import frozen
from .constants import (
    ALL_AGGREGATES,
    COLUMN_KEYS,
    DERIVED,
)
from .counts import named_counts, period_pair_counts, with_derived
from .models import MonthFigures
from .periods import Period, period_of
from .scope import agency_get, subtree_ids


@dataclass(frozen=True)
class ProcedureInfo:
    id: int
    code: str
    name: str
    field_id: int
    field_code: str
    field_name: str
    gov_level: str
    online_level: int
    accepts_postal: bool
    published: bool


@dataclass
class ReportRow:
    """A line of the report: a procedure, a field, an agency or the total."""

    key: str
    label: str
    counts: dict[str, int]
    kind: str = "procedure"
    ref: int | None = None  # procedure id, field id or unit id (for the links)
    extra: dict[str, Any] = field(default_factory=dict)

    def figures(self) -> dict[str, int]:
        return with_derived(self.counts)

    @property
    def on_time_rate(self) -> float | None:
        resolved = self.counts["resolved_early"] + self.counts["resolved_on_time"]
        total = resolved + self.counts["resolved_late"]
        return resolved / total if total else None


@dataclass
class MonthlyReport:
    period: Period
    agency: Unit | None
    totals: dict[str, int]
    by_procedure: list[ReportRow]
    by_field: list[ReportRow]
    by_agency: list[ReportRow]
    procedures: dict[int, ProcedureInfo]
    pair_rows: frozen.Rows
    unit_ids: list[int] | None
    computed_at: dt.datetime
    frozen: list[MonthFigures] = field(default_factory=list)

    @cached_property
    def pair_counts(self) -> dict[tuple[int, int], dict[str, int]]:
        """The counts per (receiving unit, procedure), by aggregate name."""
        return {
            key: dict(zip(ALL_AGGREGATES, row, strict=True)) for key, row in self.pair_rows.items()
        }

    @property
    def figures(self) -> dict[str, int]:
        return with_derived(self.totals)

    @property
    def corrected_months(self) -> list[str]:
        """Frozen months whose recount from the dossiers differed (data corrected since)."""
        return [f.period for f in self.frozen if f.corrected]

    def as_dict(self) -> dict[str, Any]:
        """The API / JSON shape (docs/ARCHITECTURE.md §4): totals and one row per procedure."""
        return {
            "period": self.period.key,
            "agency": self.agency.code if self.agency else None,
            "agency_name": self.agency.name if self.agency else None,
            **period_bounds(self.period),
            "totals": _public_counts(self.totals),
            "rows": [
                {
                    "procedure": row.key,
                    "procedure_name": row.label,
                    "field": row.extra.get("field_code", ""),
                    **_public_counts(row.counts),
                }
                for row in self.by_procedure
            ],
            "by_field": [
                {
                    "field": row.key,
                    "field_name": row.label,
                    "gov_level": row.extra.get("gov_level", ""),
                    **_public_counts(row.counts),
                }
                for row in self.by_field
            ],
            "by_agency": [
                {"agency": row.key, "agency_name": row.label, **_public_counts(row.counts)}
                for row in self.by_agency
            ],
        }


def period_bounds(period: Period) -> dict[str, str]:
    """The period's bounds in the JSON shapes: `start` (included), `end` (excluded) and the day
    before which its reports are due."""
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "due_before": period.due_before.isoformat(),
    }


def _public_counts(counts: Mapping[str, int]) -> dict[str, int]:
    full = with_derived(counts)
    return {key: full[key] for key in (*COLUMN_KEYS, *DERIVED)}


def _procedure_infos(ids: Iterable[int]) -> dict[int, ProcedureInfo]:
    rows = Procedure.objects.filter(pk__in=list(ids)).values(
        "pk",
        "code",
        "name",
        "field_id",
        "field__code",
        "field__name",
        "gov_level",
        "online_level",
        "accepts_postal_pickup",
        "accepts_postal_return",
        "published",
    )
    return {
        r["pk"]: ProcedureInfo(
            id=r["pk"],
            code=r["code"],
            name=r["name"],
            field_id=r["field_id"],
            field_code=r["field__code"],
            field_name=r["field__name"],
            gov_level=r["gov_level"],
            online_level=r["online_level"],
            accepts_postal=r["accepts_postal_pickup"] or r["accepts_postal_return"],
            published=r["published"],
        )
        for r in rows
    }


def agency_of_units(agency: Unit | None, unit_ids: Iterable[int]) -> dict[int, Unit]:
    """Each unit → the reporting agency it belongs to: the child of `agency` above it (or, for
    the province, the unit at depth 1), or the agency itself for its own dossiers."""
    units = {u.pk: u for u in Unit.objects.filter(pk__in=list(unit_ids))}
    depth = (agency.depth + 1) if agency is not None else 1
    wanted: dict[int, int] = {}
    for unit in units.values():
        ids = [int(p) for p in unit.path.strip("/").split("/") if p]
        wanted[unit.pk] = ids[depth] if len(ids) > depth else unit.pk
    heads = {u.pk: u for u in Unit.objects.filter(pk__in=set(wanted.values()))}
    return {unit_id: heads[head] for unit_id, head in wanted.items()}


GOV_LEVEL_ORDER = {GovLevel.PROVINCE: 0, GovLevel.DISTRICT: 1, GovLevel.COMMUNE: 2}


def report_monthly(
    *,
    period: Period | str,
    agency: Unit | str | None = None,
    live: bool = False,
    now: dt.datetime | None = None,
) -> MonthlyReport:
    """The report of `agency` (its whole subtree; None = the province) for a month/quarter/year.

    Queries: the unit subtree, the frozen months and kept days (or one aggregate over the
    dossiers), today's aggregate when the period is not over, the procedures and units that
    appear. Rows with no figure are left out. `live`: count every month from the dossiers,
    frozen or not. `now`: the moment the report is made at (what is due, which days are over).
    """
    period = period_of(period)
    if isinstance(agency, str):
        code = agency
        agency = agency_get(code=code)
        if agency is None:
            raise Unit.DoesNotExist(code)
    unit_ids = subtree_ids(agency)
    pairs, used = period_pair_counts(period, unit_ids, live=live, now=now)
    procedures = _procedure_infos({p for _u, p in pairs})
    heads = agency_of_units(agency, {u for u, _p in pairs})

    # Summed per procedure and per unit (two additions a line), then those few sums per field,
    # agency and in total.
    size = len(ALL_AGGREGATES)
    by_procedure_rows: dict[int, list[int]] = defaultdict(lambda: [0] * size)
    by_unit_rows: dict[int, list[int]] = defaultdict(lambda: [0] * size)
    for (unit_id, procedure_id), row in pairs.items():
        into = by_procedure_rows[procedure_id]
        into[:] = map(add, into, row)
        into = by_unit_rows[unit_id]
        into[:] = map(add, into, row)
    total = [0] * size
    by_field_rows: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0] * size)
    for procedure_id, row in by_procedure_rows.items():
        info = procedures[procedure_id]
        into = by_field_rows[(info.gov_level, info.field_id)]
        into[:] = map(add, into, row)
        total[:] = map(add, total, row)
    by_agency_rows: dict[int, list[int]] = defaultdict(lambda: [0] * size)
    for unit_id, row in by_unit_rows.items():
        into = by_agency_rows[heads[unit_id].pk]
        into[:] = map(add, into, row)
    totals = named_counts(total)
    per_procedure = {k: named_counts(v) for k, v in by_procedure_rows.items()}
    per_field = {k: named_counts(v) for k, v in by_field_rows.items()}
    per_agency = {k: named_counts(v) for k, v in by_agency_rows.items()}

    by_procedure = sorted(
        (
            ReportRow(
                key=procedures[pid].code,
                label=procedures[pid].name,
                counts=counts,
                ref=pid,
                extra={"field_code": procedures[pid].field_code},
            )
            for pid, counts in per_procedure.items()
        ),
        key=lambda r: r.key,
    )
    fields = {(i.gov_level, i.field_id): i for i in procedures.values()}
    by_field = sorted(
        (
            ReportRow(
                key=fields[k].field_code,
                label=fields[k].field_name,
                counts=counts,
                kind="field",
                ref=k[1],
                extra={"gov_level": k[0]},
            )
            for k, counts in per_field.items()
        ),
        key=lambda r: (GOV_LEVEL_ORDER.get(r.extra["gov_level"], 9), r.label),
    )
    agencies = {u.pk: u for u in heads.values()}
    by_agency = sorted(
        (
            ReportRow(
                key=agencies[uid].code,
                label=agencies[uid].name,
                counts=counts,
                kind="agency",
                ref=uid,
            )
            for uid, counts in per_agency.items()
        ),
        key=lambda r: agencies[r.ref].path if r.ref else "",
    )
    return MonthlyReport(
        period=period,
        agency=agency,
        totals=totals,
        by_procedure=by_procedure,
        by_field=by_field,
        by_agency=by_agency,
        procedures=procedures,
        pair_rows=pairs,
        unit_ids=unit_ids,
        computed_at=timezone.now(),
        frozen=used,
    )
