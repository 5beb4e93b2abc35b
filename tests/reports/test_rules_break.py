"""Report boundaries a test must catch when broken (issue 19 point 8, docs/TESTING.md): a KPI
exactly at its target is met, and a dossier due exactly at the period's end is not overdue."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import Apology
from motcua.reports.counts import ALL_AGGREGATES, aggregate_query
from motcua.reports.indicators import Indicator
from motcua.reports.periods import period_parse
from tests.factories import DossierFactory, ProcedureFactory, UnitFactory

from .conftest import at

# --- a KPI at its target --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "target"),
    [(19, 20, 0.95), (3, 5, 0.60), (3, 10, 0.30), (1, 5, 0.20), (7, 7, 1.00)],
)
def test_a_kpi_exactly_at_its_target_is_met(numerator: int, denominator: int, target) -> None:
    assert Indicator("x", "x", numerator, denominator, target=target).met is True
    # One dossier fewer in the numerator is below the target.
    assert Indicator("x", "x", numerator - 1, denominator, target=target).met is False


def test_a_kpi_at_its_target_as_shown_is_met() -> None:
    """Rates are shown to four places: 2/3 reads 66.67 %, so a 66.67 % target is met."""
    assert Indicator("x", "x", 2, 3, target=0.6667).met is True
    assert Indicator("x", "x", 2, 3, target=0.6668).met is False


def test_an_indicator_exactly_at_its_threshold_scores_full_points() -> None:
    """(At the threshold the proportional formula gives the full points too, so `>` for `>=`
    there is an equivalent change; docs/TESTING.md.)"""
    assert Indicator("x", "x", 9, 10, threshold=0.9, max_points=2.0).score == 2.0
    assert Indicator("x", "x", 8, 10, threshold=0.9, max_points=2.0).score == round(16 / 9, 2)


# --- due exactly at the period's end -----------------------------------------------------------


def _counts(period) -> Counter:
    rows, positions = aggregate_query(period.start, period.end, None, "default")
    totals: Counter = Counter()
    for row in rows:
        for key, position in zip(ALL_AGGREGATES, positions, strict=True):
            totals[key] += row[position]
    return totals


def _open(unit, procedure, *, due: dt.datetime, name: str, **extra):
    return DossierFactory(
        applicant_name=name,
        procedure=procedure,
        receiving_unit=unit,
        status=DossierStatus.PROCESSING,
        submitted_at=at(5, 4, 8),
        received_at=at(5, 4, 8),
        due_at=due,
        original_due_at=extra.pop("original_due", due),
        finished_at=None,
        **extra,
    )


@pytest.mark.django_db
def test_a_dossier_due_exactly_at_the_period_end_is_not_overdue() -> None:
    period = period_parse("2020-05")
    assert period.end == at(6, 1)
    unit, procedure = UnitFactory(), ProcedureFactory()
    _open(unit, procedure, due=period.end, name="đúng hạn cuối kỳ")
    counts = _counts(period)
    assert (counts["pending_within_deadline"], counts["pending_overdue"]) == (1, 0)
    # A microsecond earlier it is overdue at the end of the period.
    _open(unit, procedure, due=period.end - dt.timedelta(microseconds=1), name="quá hạn")
    counts = _counts(period)
    assert (counts["pending_within_deadline"], counts["pending_overdue"]) == (1, 1)


@pytest.mark.django_db
def test_an_apology_after_the_period_keeps_a_due_time_at_its_end_within_the_deadline() -> None:
    """The apology came after the period: the due time in force at its end is the original one,
    exactly the end, so within the deadline."""
    period = period_parse("2020-05")
    unit, procedure = UnitFactory(), ProcedureFactory()
    d = _open(
        unit,
        procedure,
        due=at(6, 10),
        original_due=period.end,
        name="xin lỗi sau kỳ",
        apologised=True,
        apology_due_at=at(6, 10),
    )
    Apology.objects.create(
        dossier=d,
        reason="Chậm",
        original_due_at=period.end,
        new_due_at=at(6, 10),
        created_at=at(6, 2, 9),
    )
    counts = _counts(period)
    assert (counts["pending_within_deadline"], counts["pending_overdue"]) == (1, 0)
