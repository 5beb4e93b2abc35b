"""The targets of Directive 08/CT-UBND (Đắk Lắk) as indicators, and the agencies ranked by them.

- procedures at level 3–4 and at level 4 among the published ones;
- dossiers received online among the new ones of level 3–4 procedures, and by post among those
  of the procedures that accept the post;
- fee-bearing level 3–4 procedures that can be paid online; integrated specialised software;
- dossiers resolved on time among the resolved, late ones with an apology among the late.

Targets per year come from settings.MOTCUA_KPI_TARGETS. `kpi_indicators` gives both these and the
Decision 766 block (indicators.py) for one report; `agency_ranking` ranks the report's agencies:
most targets met, then on-time rate, then online share.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from operator import add
from typing import Any

from django.conf import settings

from motcua.catalog.models import Procedure
from motcua.orgs.models import Unit

from .constants import (
    DIRECTIVE_INDICATORS,
)
from .counts import empty_counts, named_counts
from .indicators import (
    CatalogueFacts,
    Indicator,
    catalogue_rows,
    counts_per_procedure,
    facts_of,
    not_satisfied_count,
    quality_groups,
    quality_indicators,
)
from .monthly import (
    MonthlyReport,
    ProcedureInfo,
    ReportRow,
    agency_of_units,
    period_bounds,
    report_monthly,
)
from .periods import Period


def kpi_targets(*, year: int) -> dict[str, float]:
    targets = settings.MOTCUA_KPI_TARGETS
    return {**targets["default"], **targets.get(str(year), {})}


def directive_indicators(
    *,
    period: Period,
    totals: Mapping[str, int],
    per_procedure: Mapping[int, Mapping[str, int]],
    procedures: Mapping[int, ProcedureInfo],
    facts: CatalogueFacts,
) -> list[Indicator]:
    """Directive 08 indicators from report figures and catalogue facts (docs/DOMAIN.md §6)."""
    targets = kpi_targets(year=period.year)
    names = dict(DIRECTIVE_INDICATORS)
    online_num = online_den = postal_num = postal_den = 0
    for pid, counts in per_procedure.items():
        info = procedures[pid]
        new = counts["received_online"] + counts["received_direct"] + counts["received_postal"]
        if info.online_level >= 3:
            online_den += new
            online_num += counts["received_online"]
        if info.accepts_postal:
            postal_den += new
            postal_num += counts["postal_any"]
    fee34 = facts.fee_bearing & facts.level34
    paying = fee34 & facts.online_payable
    resolved = totals["resolved_early"] + totals["resolved_on_time"] + totals["resolved_late"]
    values = {
        "procedures_level34_share": (len(facts.level34), len(facts.published), None),
        "procedures_level4_share": (len(facts.level4), len(facts.published), None),
        "dossiers_online_share": (online_num, online_den, "received_online"),
        "dossiers_postal_share": (postal_num, postal_den, "postal_any"),
        "online_payment_coverage": (len(paying), len(fee34), None),
        "integration_coverage": (len(facts.integrated), len(facts.specialised), None),
        "on_time_rate": (
            totals["resolved_early"] + totals["resolved_on_time"],
            resolved,
            "resolved",
        ),
        "late_apology_rate": (
            totals["late_with_apology"],
            totals["resolved_late"],
            "late_with_apology",
        ),
    }
    return [
        Indicator(
            id=key,
            name=str(names[key]),
            numerator=num,
            denominator=den,
            target=targets.get(key),
            column=column,
        )
        for key, (num, den, column) in values.items()
    ]


@dataclass
class KpiResult:
    period: Period
    agency: Unit | None
    directive: list[Indicator]
    quality: list[Indicator]
    report: MonthlyReport

    def as_dict(self) -> dict[str, Any]:
        """The `GET /api/v1/stats/kpi` shape (docs/ARCHITECTURE.md §4) plus the Decision 766 block."""
        return {
            "period": self.period.key,
            "agency": self.agency.code if self.agency else None,
            "agency_name": self.agency.name if self.agency else None,
            **period_bounds(self.period),
            "indicators": [i.as_dict() for i in self.directive],
            "quality": {
                "indicators": [i.as_dict() for i in self.quality],
                "groups": quality_groups(self.quality),
            },
        }


def kpi_indicators(
    *,
    period: Period | str,
    agency: Unit | str | None = None,
    report: MonthlyReport | None = None,
    live: bool = False,
) -> KpiResult:
    """Directive 08 and Decision 766 indicators of `agency` (None = the province).

    Pass `report` when it is already computed for the same period and agency (saves the
    aggregate query).
    """
    if report is None:
        report = report_monthly(period=period, agency=agency, live=live)
    per_procedure = counts_per_procedure(report.pair_counts)
    facts = facts_of(catalogue_rows(report.unit_ids))
    directive = directive_indicators(
        period=report.period,
        totals=report.totals,
        per_procedure=per_procedure,
        procedures=report.procedures,
        facts=facts,
    )
    quality = quality_indicators(
        totals=report.totals,
        per_procedure=per_procedure,
        facts=facts,
        not_satisfied=not_satisfied_count(report.period, report.unit_ids),
    )
    return KpiResult(report.period, report.agency, directive, quality, report)


@dataclass
class AgencyKpis:
    agency: Unit
    row: ReportRow
    indicators: list[Indicator]

    @property
    def met_count(self) -> int:
        return sum(1 for i in self.indicators if i.met)

    @property
    def measured_count(self) -> int:
        return sum(1 for i in self.indicators if i.met is not None)

    def indicator(self, key: str) -> Indicator:
        return next(i for i in self.indicators if i.id == key)


def agency_ranking(*, report: MonthlyReport) -> list[AgencyKpis]:
    """Directive 08 indicators of each agency of the report, best first (targets met, then
    on-time rate, then online share). Two catalogue queries, whatever the number of agencies."""
    heads = agency_of_units(report.agency, {u for u, _p in report.pair_rows})
    rows = {r.ref: r for r in report.by_agency}
    # Each agency's counts per procedure, in one pass over the lines (not one pass per agency).
    sums: dict[int, dict[int, list[int]]] = defaultdict(dict)
    for (unit_id, procedure_id), counts in report.pair_rows.items():
        into = sums[heads[unit_id].pk]
        acc = into.get(procedure_id)
        into[procedure_id] = list(counts) if acc is None else list(map(add, acc, counts))
    per_agency = {
        agency_id: {procedure_id: named_counts(counts) for procedure_id, counts in procs.items()}
        for agency_id, procs in sums.items()
    }
    # Published procedures per agency through `performing_units`, mapped to the agency heads.
    through = Procedure.performing_units.through
    links = through.objects.filter(procedure__published=True)
    if report.unit_ids is not None:
        links = links.filter(unit_id__in=report.unit_ids)
    link_rows = list(links.values_list("unit_id", "procedure_id"))
    head_of_link = agency_of_units(report.agency, {u for u, _p in link_rows})
    catalogue = {r["pk"]: r for r in catalogue_rows(report.unit_ids)}
    per_agency_procs: dict[int, set[int]] = defaultdict(set)
    for unit_id, procedure_id in link_rows:
        per_agency_procs[head_of_link[unit_id].pk].add(procedure_id)
    agencies = {u.pk: u for u in [*heads.values(), *head_of_link.values()]}
    out = []
    for agency_id, agency in agencies.items():
        row = rows.get(agency_id) or ReportRow(
            key=agency.code, label=agency.name, counts=empty_counts(), kind="agency", ref=agency_id
        )
        facts = facts_of(
            catalogue[p] for p in per_agency_procs.get(agency_id, ()) if p in catalogue
        )
        per_procedure = per_agency.get(agency_id, {})
        indicators = directive_indicators(
            period=report.period,
            totals=row.counts,
            per_procedure=per_procedure,
            procedures=report.procedures,
            facts=facts,
        )
        out.append(AgencyKpis(agency, row, indicators))

    def rank_key(a: AgencyKpis) -> tuple[float, float, float, str]:
        on_time = a.indicator("on_time_rate").value
        online = a.indicator("dossiers_online_share").value
        share = a.met_count / a.measured_count if a.measured_count else 0.0
        return (-share, -(on_time or 0.0), -(online or 0.0), a.agency.path)

    return sorted(out, key=rank_key)
