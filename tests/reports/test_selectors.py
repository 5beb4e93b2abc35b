"""The monthly report and the indicators against figures worked out by hand (conftest.py)."""

from __future__ import annotations

import pytest

from motcua.payments.models import PaymentAccount
from motcua.reports.constants import COLUMN_KEYS
from motcua.reports.counts import LINKABLE_COLUMNS, report_dossier_queryset, with_derived
from motcua.reports.kpis import agency_ranking, kpi_indicators
from motcua.reports.monthly import report_monthly
from motcua.reports.periods import period_parse
from motcua.reports.trend import report_trend

from .conftest import Province, at, build_province, report_kept

MAY = period_parse("2020-05")

ZERO = dict.fromkeys(COLUMN_KEYS, 0)

# Agency A (with its commune C), May 2020: which dossiers each column holds.
A_MAY_DOSSIERS: dict[str, set[str]] = {
    "carried_over": {"#1", "#3", "#9"},
    "received_online": {"#2", "#8", "#10", "#13", "#19"},
    "received_direct": {"#6", "#12", "#14", "#18", "#20"},
    "received_postal": {"#7"},
    "resolved_early": {"#1", "#18"},
    "resolved_on_time": {"#20"},
    "resolved_late": {"#7", "#8"},
    "pending_within_deadline": {"#3", "#6", "#13", "#19"},
    "pending_overdue": {"#2", "#14"},
    "withdrawn": {"#9"},
    "refused": {"#10"},
    "stopped": {"#12"},
    "apologies": {"#7"},
    "late_with_apology": {"#7"},
    "late_without_apology": {"#8"},
    "paid_online": {"#8"},
    "postal_pickups": {"#7"},
    "postal_deliveries": {"#1", "#17"},
}
A_MAY = {key: len(names) for key, names in A_MAY_DOSSIERS.items()}

# The same, per procedure (p4 has no dossier: no row).
P1 = ZERO | {
    "carried_over": 1, "received_online": 3, "received_direct": 1, "received_postal": 1,
    "resolved_early": 1, "resolved_on_time": 1, "resolved_late": 2,
    "pending_within_deadline": 1, "pending_overdue": 1, "apologies": 1,
    "late_with_apology": 1, "late_without_apology": 1, "paid_online": 1,
    "postal_pickups": 1, "postal_deliveries": 2,
}  # fmt: skip
P2 = ZERO | {
    "carried_over": 2, "received_direct": 3, "resolved_early": 1,
    "pending_within_deadline": 2, "pending_overdue": 1, "withdrawn": 1,
}  # fmt: skip
P3 = ZERO | {
    "received_online": 2, "received_direct": 1, "pending_within_deadline": 1,
    "refused": 1, "stopped": 1,
}  # fmt: skip


def _columns(counts: dict[str, int]) -> dict[str, int]:
    return {key: counts[key] for key in COLUMN_KEYS}


def _identity_holds(counts: dict[str, int]) -> bool:
    f = with_derived(counts)
    left = f["carried_over"] + f["received_online"] + f["received_direct"] + f["received_postal"]
    right = f["resolved"] + f["pending"] + f["withdrawn"] + f["refused"] + f["stopped"]
    return left == right == f["received_total"]


def test_agency_report_every_column(province: Province) -> None:
    report = report_monthly(period=MAY, agency=province.a)
    assert _columns(report.totals) == A_MAY
    figures = report.figures
    assert figures["received_total"] == 14
    assert figures["received_new"] == 11
    assert figures["resolved"] == 5
    assert figures["pending"] == 6
    assert _identity_holds(report.totals)


def test_agency_report_rows_per_procedure(province: Province) -> None:
    report = report_monthly(period="2020-05", agency="000.00.21.H16")
    rows = {row.key: _columns(row.counts) for row in report.by_procedure}
    assert rows == {"1.000001": P1, "1.000002": P2, "1.000003": P3}
    for row in report.by_procedure:
        assert _identity_holds(row.counts)
    fields = {(row.extra["gov_level"], row.key): _columns(row.counts) for row in report.by_field}
    hộ_tịch = {key: P1[key] + P3[key] for key in COLUMN_KEYS}
    assert fields == {("province", "HT"): hộ_tịch, ("province", "CT"): P2}
    # Below A: A's own dossiers and those of its commune.
    agencies = {row.key: _columns(row.counts)["received_online"] for row in report.by_agency}
    assert agencies == {"000.00.21.H16": 4, "000.31.21.H16": 1}


def test_every_number_lists_exactly_its_dossiers(province: Province) -> None:
    report = report_monthly(period=MAY, agency=province.a)
    units = report.unit_ids
    for column in COLUMN_KEYS:
        qs = report_dossier_queryset(period=MAY, column=column, unit_ids=units)
        assert province.names(qs) == A_MAY_DOSSIERS[column], column
    for column in LINKABLE_COLUMNS:
        qs = report_dossier_queryset(period=MAY, column=column, unit_ids=units)
        assert qs.count() == report.figures[column], column
    p1_late = report_dossier_queryset(
        period=MAY, column="resolved_late", unit_ids=units, procedure_id=province.p1.pk
    )
    assert province.names(p1_late) == {"#7", "#8"}
    field_ct = report_dossier_queryset(
        period=MAY, column="pending", unit_ids=units, field_id=province.p2.field_id
    )
    assert province.names(field_ct) == {"#3", "#6", "#14"}


def test_province_report_adds_agency_b(province: Province) -> None:
    report = report_monthly(period=MAY)
    expected = A_MAY | {
        "received_direct": A_MAY["received_direct"] + 1,
        "pending_overdue": A_MAY["pending_overdue"] + 1,
    }
    assert _columns(report.totals) == expected
    assert _identity_holds(report.totals)
    by_agency = {row.key: _columns(row.counts) for row in report.by_agency}
    assert by_agency["000.00.21.H16"] == A_MAY
    assert by_agency["000.00.22.H16"] == ZERO | {"received_direct": 1, "pending_overdue": 1}
    # The province root itself named as the agency gives the same figures.
    assert _columns(report_monthly(period=MAY, agency=province.province).totals) == expected


def test_commune_report(province: Province) -> None:
    report = report_monthly(period=MAY, agency=province.c)
    assert _columns(report.totals) == ZERO | {"received_online": 1, "pending_within_deadline": 1}


def test_april_and_june_follow_on(province: Province) -> None:
    """What May carries over is what April leaves pending; May's pending is June's carry-over."""
    april = report_monthly(period="2020-04", agency=province.a)
    june = report_monthly(period="2020-06", agency=province.a)
    may = report_monthly(period=MAY, agency=province.a)
    assert april.figures["pending"] == may.totals["carried_over"] == 3
    assert may.figures["pending"] == june.totals["carried_over"] == 6
    # April: #1, #3, #5, #9, #17 received in person, #11 refused at reception (online); #17
    # resolved early, #5 late (finished one second before May); #1, #3, #9 left open.
    assert _columns(april.totals) == ZERO | {
        "received_direct": 5,
        "received_online": 1,
        "resolved_early": 1,
        "resolved_late": 1,
        "late_without_apology": 1,
        "pending_within_deadline": 3,
        "refused": 1,
    }
    assert _identity_holds(april.totals)
    assert june.totals["received_direct"] == 1  # #4
    assert june.totals["resolved_early"] == 1  # #6 finished at the midnight opening June
    assert june.totals["apologies"] == 1  # #14
    assert _identity_holds(june.totals)


def test_quarter_and_year(province: Province) -> None:
    q2 = report_monthly(period="2020-Q2", agency=province.a)
    year = report_monthly(period="2020", agency=province.a)
    # Nothing before April: no carry-over into the quarter or the year.
    assert q2.totals["carried_over"] == year.totals["carried_over"] == 0
    assert _identity_holds(q2.totals)
    assert _columns(q2.totals) == _columns(year.totals)
    assert q2.figures["received_new"] == 6 + 11 + 1  # April, May, June (#4)
    assert q2.figures["pending"] == 6  # #2, #3, #4, #13, #14, #19
    assert q2.totals["pending_overdue"] == 6  # all past their due time on 1 July
    assert q2.totals["apologies"] == 2


def test_cutoff_day(province: Province, settings) -> None:
    """With the national cut-off (15th → 14th), 'May' runs from 15 April to 14 May."""
    settings.MOTCUA_REPORT_CUTOFF_DAY = 15
    report = report_monthly(period=MAY, agency=province.a)
    assert (report.period.start, report.period.end) == (at(4, 15), at(5, 15))
    f = report.figures
    assert f["carried_over"] == 2  # #5 and #17 were open on 15 April
    # #1, #3, #9, #11 (refused) in late April; #2, #8, #7, #13, #12, #20, #10, #6, #14, #18
    assert f["received_new"] == 14
    assert _identity_holds(report.totals)


def _online_payment(province: Province) -> None:
    """Agency A takes money through the gateway; p3 is also performed by B, which does not."""
    PaymentAccount.objects.create(unit=province.a, provider="vnpay", tmn_code="A0000001")
    PaymentAccount.objects.create(unit=province.b, provider="cash")  # at the desk: not online
    province.p3.performing_units.add(province.b)


def test_directive_08_indicators(province: Province) -> None:
    _online_payment(province)
    result = kpi_indicators(period=MAY, agency=province.a)
    got = {i.id: (i.numerator, i.denominator, i.met) for i in result.directive}
    assert got == {
        "procedures_level34_share": (2, 4, False),  # p1, p3 of p1–p4 (p5 unpublished)
        "procedures_level4_share": (1, 4, False),
        "dossiers_online_share": (5, 8, True),  # p1: 3 of 5, p3: 2 of 3
        "dossiers_postal_share": (1, 5, True),  # p1 accepts post: #7 of 5 new
        # p1 of p1, p3 (fee, level 3–4): every agency of p1 takes money online, B of p3 does not
        "online_payment_coverage": (1, 2, False),
        "integration_coverage": (1, 2, False),  # p2 of p2, p3
        "on_time_rate": (3, 5, False),
        "late_apology_rate": (1, 2, False),
    }
    values = {i.id: i.value for i in result.directive}
    assert values["procedures_level34_share"] == pytest.approx(0.5)
    assert values["dossiers_online_share"] == pytest.approx(0.625)
    targets = {i.id: i.target for i in result.directive}
    assert targets["procedures_level34_share"] == 0.6 and targets["on_time_rate"] == 0.95


def test_targets_per_year(province: Province, settings) -> None:
    settings.MOTCUA_KPI_TARGETS = settings.MOTCUA_KPI_TARGETS | {"2020": {"on_time_rate": 0.5}}
    result = kpi_indicators(period=MAY, agency=province.a)
    on_time = next(i for i in result.directive if i.id == "on_time_rate")
    assert (on_time.target, on_time.met) == (0.5, True)


def test_decision_766_indicators(province: Province) -> None:
    _online_payment(province)
    result = kpi_indicators(period=MAY, agency=province.a)
    got = {i.id: (i.numerator, i.denominator, i.score) for i in result.quality}
    assert got == {
        # #1, #18, #20, #12 (stopped on time) + #3, #6, #19 (#13: two supplements) of 5+1+6
        "2.1": (7, 12, round(7 / 12 * 10, 2)),
        "3.1": (2, 4, round(0.5 * 4.4 / 0.8, 2)),
        "3.3": (5, 11, round(5 / 11 * 4.4 / 0.5, 2)),
        "3.5": (2, 3, round(2 / 3 * 4.4 / 0.8, 2)),  # p1, p4 payable online; fee: p1, p3, p4
        "3.6": (1, 2, round(0.5 * 4.4, 2)),  # #8 of #7, #8
        "4.1": (1, 5, round(0.2 * 4.4, 2)),
        "4.2": (2, 11, round(2 / 11 * 4.4 / 0.8, 2)),
        # 11 processed − (2 late + 2 overdue + 1 "not satisfied" in May)
        "5.4": (6, 11, round(6 / 11 * 6 / 0.9, 2)),
    }
    data = result.as_dict()
    groups = {g["group"]: g for g in data["quality"]["groups"]}
    assert groups[1]["score"] is None and groups[2]["weight"] == 20
    assert groups[5]["score"] == round(6 / 11 * 6 / 0.9, 2)


def test_zero_denominator_is_not_available(db) -> None:
    build_province()
    result = kpi_indicators(period="2019-01")
    on_time = next(i for i in result.directive if i.id == "on_time_rate")
    assert on_time.value is None and on_time.met is None
    assert on_time.as_dict()["value"] is None
    assert all(i.score is None for i in result.quality if i.denominator == 0)


def test_province_indicators_and_ranking(province: Province) -> None:
    result = kpi_indicators(period=MAY)
    got = {i.id: (i.numerator, i.denominator) for i in result.directive}
    assert got["procedures_level34_share"] == (3, 5)  # + p6 (level 4) of B
    assert got["procedures_level4_share"] == (2, 5)
    assert got["dossiers_online_share"] == (5, 9)  # + #16 (p6, level 4, direct)
    ranking = agency_ranking(report=result.report)
    assert [a.agency.code for a in ranking] == ["000.00.22.H16", "000.00.21.H16"]
    b = ranking[0]
    assert {i.id: (i.numerator, i.denominator) for i in b.indicators} == {
        "procedures_level34_share": (1, 1),
        "procedures_level4_share": (1, 1),
        "dossiers_online_share": (0, 1),
        "dossiers_postal_share": (0, 0),
        "online_payment_coverage": (0, 0),
        "integration_coverage": (0, 0),
        "on_time_rate": (0, 0),
        "late_apology_rate": (0, 0),
    }
    a = ranking[1]
    assert {i.id: i.numerator for i in a.indicators} == {
        i.id: i.numerator for i in kpi_indicators(period=MAY, agency=province.a).directive
    }


def test_trend_matches_the_monthly_reports(province: Province) -> None:
    points = report_trend(last="2020-06", months=3, agency=province.a)
    assert [p.period.key for p in points] == ["2020-04", "2020-05", "2020-06"]
    for point in points:
        report = report_monthly(period=point.period, agency=province.a)
        assert point.received_online == report.totals["received_online"]
        assert point.received_direct == report.totals["received_direct"]
        assert point.received_postal == report.totals["received_postal"]
        assert point.resolved_early == report.totals["resolved_early"]
        assert point.resolved_on_time == report.totals["resolved_on_time"]
        assert point.resolved_late == report.totals["resolved_late"]
    may = points[1]
    assert (may.received_online_level34, may.received_level34) == (5, 8)
    assert may.on_time_rate == pytest.approx(0.6)


def test_report_query_count_does_not_grow(
    province: Province, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(6):
        report_monthly(period=MAY, agency=province.a, live=True)
    report_kept(period=MAY, agency=province.a)  # May is due: this freezes it
    with django_assert_max_num_queries(6):
        report = report_monthly(period=MAY, agency=province.a)
    assert [f.period for f in report.frozen] == [MAY.key]
