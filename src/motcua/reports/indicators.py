"""Indicators and the Decision 766 quality scores (Decision 766/QĐ-TTg, 2022, "Bộ chỉ số chỉ
đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp"; docs/DOMAIN.md).

An `Indicator` is a numerator over a denominator, met when its value (rounded to 4 places)
reaches its target. Decision 766 scores those our data supports: full points at or above the
threshold, else rate × points ÷ threshold, summed per group (constants.QUALITY_INDICATORS). The
catalogue side (published procedures, online level, fees, specialised software) is read as it is
now (`CatalogueFacts`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Exists,
    OuterRef,
)

from motcua.catalog.models import Fee, Procedure
from motcua.dossiers.constants import Satisfaction
from motcua.dossiers.models import DossierRating
from motcua.orgs.models import Unit
from motcua.payments.selectors import online_payment_roots, takes_online_payment

from .constants import (
    GROUP_NAMES,
    GROUP_WEIGHTS,
    QUALITY_INDICATORS,
)
from .counts import add_counts, empty_counts, with_derived
from .periods import Period
from .scope import scoped, subtree_ids

# --- Indicators ------------------------------------------------------------------------------


@dataclass
class Indicator:
    id: str
    name: str
    numerator: int
    denominator: int
    target: float | None = None
    group: int | None = None
    threshold: float | None = None
    max_points: float | None = None
    column: str | None = None  # the report column whose dossiers explain the numerator

    @property
    def value(self) -> float | None:
        if not self.denominator:
            return None
        return self.numerator / self.denominator

    @property
    def met(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return round(self.value, 4) >= self.target

    @property
    def score(self) -> float | None:
        """Decision 766: full points at or above the threshold, else rate × max ÷ threshold."""
        if self.value is None or self.max_points is None or self.threshold is None:
            return None
        if self.value >= self.threshold:
            return round(self.max_points, 2)
        return round(self.value * self.max_points / self.threshold, 2)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "value": None if self.value is None else round(self.value, 4),
            "target": self.target,
            "met": self.met,
            "numerator": self.numerator,
            "denominator": self.denominator,
        }
        if self.group is not None:
            data.update(
                {
                    "group": self.group,
                    "threshold": self.threshold,
                    "max_points": self.max_points,
                    "score": self.score,
                }
            )
        return data


@dataclass(frozen=True)
class CatalogueFacts:
    """Published procedures of a scope and their flags (the catalogue side of the KPIs)."""

    published: frozenset[int]
    level34: frozenset[int]
    level4: frozenset[int]
    fee_bearing: frozenset[int]
    specialised: frozenset[int]
    integrated: frozenset[int]
    # Fee-bearing procedures that every performing agency lets citizens pay online (an active
    # vnpay or VietQR account of the agency or of a unit above it).
    online_payable: frozenset[int] = frozenset()


def catalogue_rows(unit_ids: list[int] | None) -> list[dict[str, Any]]:
    qs = Procedure.objects.filter(published=True)
    if unit_ids is not None:
        qs = qs.filter(performing_units__in=unit_ids).distinct()
    paid = Fee.objects.filter(procedure=OuterRef("pk"), amount__gt=0)
    rows = list(
        qs.annotate(has_fee=Exists(paid)).values(
            "pk",
            "online_level",
            "has_fee",
            "handled_in_specialised_software",
            "specialised_software_integrated",
        )
    )
    payable = _online_payable({r["pk"] for r in rows if r["has_fee"]})
    for row in rows:
        row["online_payable"] = row["pk"] in payable
    return rows


def _online_payable(procedure_ids: set[int]) -> set[int]:
    """The procedures whose performing agencies all take money online (from the payment
    accounts configured, not from the procedure's level)."""
    if not procedure_ids:
        return set()
    roots = online_payment_roots()
    if not roots:
        return set()
    paying: dict[int, bool] = {}
    links = Procedure.performing_units.through.objects.filter(procedure_id__in=procedure_ids)
    for procedure_id, path in links.values_list("procedure_id", "unit__path"):
        paying[procedure_id] = paying.get(procedure_id, True) and takes_online_payment(path, roots)
    return {p for p, all_pay in paying.items() if all_pay}


def facts_of(rows: Iterable[dict[str, Any]]) -> CatalogueFacts:
    rows = list(rows)
    return CatalogueFacts(
        published=frozenset(r["pk"] for r in rows),
        level34=frozenset(r["pk"] for r in rows if r["online_level"] >= 3),
        level4=frozenset(r["pk"] for r in rows if r["online_level"] >= 4),
        fee_bearing=frozenset(r["pk"] for r in rows if r["has_fee"]),
        specialised=frozenset(r["pk"] for r in rows if r["handled_in_specialised_software"]),
        integrated=frozenset(
            r["pk"]
            for r in rows
            if r["handled_in_specialised_software"] and r["specialised_software_integrated"]
        ),
        online_payable=frozenset(r["pk"] for r in rows if r.get("online_payable")),
    )


def catalogue_facts(*, agency: Unit | None) -> CatalogueFacts:
    return facts_of(catalogue_rows(subtree_ids(agency)))


def counts_per_procedure(
    pairs: Mapping[tuple[int, int], Mapping[str, int]], units: set[int] | None = None
) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = defaultdict(empty_counts)
    for (unit_id, procedure_id), counts in pairs.items():
        if units is None or unit_id in units:
            add_counts(out[procedure_id], counts)
    return out


def quality_indicators(
    *,
    totals: Mapping[str, int],
    per_procedure: Mapping[int, Mapping[str, int]],
    facts: CatalogueFacts,
    not_satisfied: int,
) -> list[Indicator]:
    """Decision 766 indicators that our data supports, with scores (docs/DOMAIN.md §6)."""
    t = with_derived(totals)
    processed = t["resolved"] + t["pending"]
    bad = t["resolved_late"] + t["pending_overdue"] + not_satisfied
    values = {
        "2.1": (
            t["national_ok_finished"] + t["national_ok_pending"],
            t["resolved"] + t["stopped"] + t["pending"],
        ),
        "3.1": (len(facts.level34), len(facts.published)),
        "3.3": (t["received_online"], t["received_new"]),
        "3.5": (len(facts.online_payable & facts.fee_bearing), len(facts.fee_bearing)),
        "3.6": (t["fee_paid_online"], t["fee_dossiers"]),
        "4.1": (t["e_results"], t["resolved"]),
        "4.2": (t["digitised"], t["received_new"]),
        "5.4": (max(processed - bad, 0), processed),
    }
    return [
        Indicator(
            id=key,
            name=str(name),
            numerator=values[key][0],
            denominator=values[key][1],
            group=group,
            threshold=threshold,
            max_points=points,
        )
        for key, group, name, threshold, points in QUALITY_INDICATORS
    ]


def quality_groups(indicators: Iterable[Indicator]) -> list[dict[str, Any]]:
    """Points per group of Decision 766 (only the supported indicators are scored)."""
    out = []
    for group, weight in GROUP_WEIGHTS.items():
        members = [i for i in indicators if i.group == group]
        scored = [i.score for i in members if i.score is not None]
        out.append(
            {
                "group": group,
                "name": str(GROUP_NAMES[group]),
                "weight": weight,
                "max_points": round(sum(i.max_points or 0 for i in members), 2),
                "score": round(sum(scored), 2) if scored else None,
                "indicators": [i.id for i in members],
            }
        )
    return out


def not_satisfied_count(period: Period, unit_ids: list[int] | None) -> int:
    qs = DossierRating.objects.filter(
        created_at__gte=period.start,
        created_at__lt=period.end,
        overall=Satisfaction.NOT_SATISFIED,
    )
    return scoped(qs, unit_ids, prefix="dossier__").count()
