"""Kept days: a month not due yet read as its complete local days plus today equals the count
from the dossiers; days are kept only once over, counted again at night, forgotten with their
month."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.management import call_command
from django.test import override_settings

from motcua.dossiers.constants import Channel, DossierStatus
from motcua.dossiers.models import Apology, Dossier
from motcua.reports import frozen, services
from motcua.reports.models import DayFigures, MonthFigures
from motcua.reports.selectors import province_span_counts, report_monthly, report_trend
from motcua.workcal import Timing

from .conftest import VN, Province, _dossier, build_province, random_columns
from .test_frozen import FINAL, STATUSES

pytestmark = pytest.mark.django_db

# 14:30 on 10 December 2020 in Vietnam: December is the current month and November's reports
# are not due before 22 December, so both are read from their days (October is frozen).
NOW = dt.datetime(2020, 12, 10, 14, 30, tzinfo=VN)


@pytest.fixture
def busy_autumn() -> Province:
    """The hand-counted province plus 150 random dossiers from September to December 2020 (a
    fixed seed): received at any hour, most of them finished hours or days later, so that they
    cross local midnights (and UTC midnights, 7 hours earlier), some on the day of `NOW`."""
    world = build_province()
    rng = random.Random(20201210)
    autumn = dt.datetime(2020, 9, 1, tzinfo=VN)
    for i in range(150):
        status = rng.choice(STATUSES)
        moment = autumn + dt.timedelta(minutes=rng.randrange(122 * 24 * 60))
        received = None if status == DossierStatus.REFUSED else moment
        finished = None
        if status in FINAL:
            finished = moment + dt.timedelta(minutes=rng.randrange(10, 20 * 24 * 60))
        resolved = status in {DossierStatus.RESULT_READY, DossierStatus.RETURNED}
        timing = rng.choice([Timing.EARLY, Timing.ON_TIME, Timing.LATE, ""]) if resolved else ""
        due = moment + dt.timedelta(hours=rng.randrange(2, 30 * 24))
        dossier = _dossier(
            world,
            f"t{i}",
            **random_columns(world, rng),
            status=status,
            received=received,
            due=due,
            finished=finished,
            returned=finished + dt.timedelta(hours=5) if status == DossierStatus.RETURNED else None,
            timing=timing,
            apologised=timing == Timing.LATE and rng.random() < 0.5,
        )
        if dossier.apologised:
            Apology.objects.create(
                dossier=dossier,
                reason="Chậm",
                original_due_at=due,
                new_due_at=due + dt.timedelta(days=5),
                created_at=received + (finished - received) * rng.random(),
            )
    return world


def _same_as_live(world: Province, now: dt.datetime) -> None:
    for key in ("2020-11", "2020-12", "2020-Q4", "2020"):
        for agency in (None, world.a, world.b, world.c):
            live = report_monthly(period=key, agency=agency, live=True)
            kept = report_monthly(period=key, agency=agency, now=now)
            assert kept.pair_counts == live.pair_counts, (key, agency)
            assert kept.totals == live.totals, (key, agency)


def test_a_month_not_due_from_its_days_and_today_equals_the_count_from_the_dossiers(
    busy_autumn: Province,
) -> None:
    _same_as_live(busy_autumn, NOW)
    # The complete days of November and December up to the 9th are kept, today is not.
    days = list(DayFigures.objects.filter(days=1).order_by("day").values_list("day", flat=True))
    assert days[0] == dt.date(2020, 11, 1)
    assert days[-1] == dt.date(2020, 12, 9)
    assert len(days) == 30 + 9
    # … and each month's days are summed into one row: November whole, December to the 9th.
    sums = DayFigures.objects.filter(days__gt=1).order_by("day")
    assert [(s.day, s.days) for s in sums] == [
        (dt.date(2020, 11, 30), 30),
        (dt.date(2020, 12, 9), 9),
    ]
    # The month rows are those of the due months only, never of November or December.
    assert not MonthFigures.objects.filter(period__in=["2020-11", "2020-12"]).exists()
    # Read again, nothing more is counted for the days.
    closed = dict(DayFigures.objects.values_list("day", "closed_at"))
    _same_as_live(busy_autumn, NOW)
    assert dict(DayFigures.objects.values_list("day", "closed_at")) == closed
    # The next day, the 10th is over and kept too; the figures still agree.
    _same_as_live(busy_autumn, NOW + dt.timedelta(days=1))
    assert DayFigures.objects.filter(day=dt.date(2020, 12, 10), days=1).exists()
    assert not DayFigures.objects.filter(day=dt.date(2020, 12, 11)).exists()
    # December's sum now runs to the 10th and replaces the one to the 9th.
    assert list(DayFigures.objects.filter(days__gt=1).values_list("days", flat=True)) == [10, 30]


def test_a_day_counted_again_with_other_figures_makes_the_month_sum_stale(
    busy_autumn: Province,
) -> None:
    w = busy_autumn
    late = _dossier(w, "số hoá sau", procedure=w.p3, received=dt.datetime(2020, 12, 4, tzinfo=VN))
    report_monthly(period="2020-12", now=NOW)
    Dossier.objects.filter(pk=late.pk).update(is_digitised=True)
    frozen.day_figures_close(
        start=dt.datetime(2020, 12, 4, tzinfo=VN),
        end=dt.datetime(2020, 12, 5, tzinfo=VN),
        compute=province_span_counts,
        now=NOW,
    )
    kept = report_monthly(period="2020-12", now=NOW)
    assert kept.totals == report_monthly(period="2020-12", live=True).totals
    assert kept.totals["digitised"] >= 1


def test_with_a_cut_off_day_the_days_still_add_up(busy_autumn: Province) -> None:
    with override_settings(MOTCUA_REPORT_CUTOFF_DAY=15):
        # 2020-12 runs from 15 November; 2020-11 (from 15 October) is not due before 22/12.
        _same_as_live(busy_autumn, NOW)
        assert DayFigures.objects.order_by("day").values_list("day", flat=True).first() == dt.date(
            2020, 10, 15
        )
        _same_as_live(busy_autumn, dt.datetime(2020, 12, 15, 0, 0, 1, tzinfo=VN))


def test_a_day_is_a_local_day(province: Province) -> None:
    w = province
    # 06:00 on 3 December in Vietnam is 23:00 on 2 December in UTC.
    early = dt.datetime(2020, 12, 3, 6, 0, tzinfo=VN)
    _dossier(w, "sáng sớm", procedure=w.p1, channel=Channel.ONLINE, received=early)
    report_monthly(period="2020-12", now=NOW)
    day = DayFigures.objects.get(day=dt.date(2020, 12, 3), days=1)
    assert day.start == dt.datetime(2020, 12, 2, 17, 0, tzinfo=dt.UTC)
    received = [row[1] for row in frozen.figures_rows(day).values()]
    assert sum(received) == 1
    before = frozen.figures_rows(DayFigures.objects.get(day=dt.date(2020, 12, 2), days=1))
    assert sum(row[1] for row in before.values()) == 0


def test_a_day_is_kept_only_once_it_is_over(province: Province) -> None:
    report_monthly(period="2020-12", now=NOW)
    assert not DayFigures.objects.filter(day__gte=dt.date(2020, 12, 10)).exists()
    with pytest.raises(ValueError):
        frozen.day_figures_close(
            start=dt.datetime(2020, 12, 10, tzinfo=VN),
            end=dt.datetime(2020, 12, 11, tzinfo=VN),
            compute=lambda s, e: {},
            now=NOW,
        )


def test_the_nightly_run_counts_the_days_again_and_a_late_change_shows(
    busy_autumn: Province, capsys
) -> None:
    w = busy_autumn
    # Received on 2 December, paid online only on the 9th: the day of reception changes.
    late = _dossier(w, "trả sau", procedure=w.p2, received=dt.datetime(2020, 12, 2, 9, tzinfo=VN))
    before = report_monthly(period="2020-12", now=NOW).totals["paid_online"]
    Dossier.objects.filter(pk=late.pk).update(paid_online=True)
    assert report_monthly(period="2020-12", now=NOW).totals["paid_online"] == before  # kept
    services.day_figures_freeze(now=NOW)
    after = report_monthly(period="2020-12", now=NOW).totals
    assert after["paid_online"] == before + 1
    assert after == report_monthly(period="2020-12", live=True).totals
    # The command (for cron) does the same, at the real now: the days of the months not due.
    call_command("report", "--freeze-days")
    assert "day(s) counted and kept" in capsys.readouterr().out


def test_days_are_forgotten_with_their_month_and_by_a_bulk_load(busy_autumn: Province) -> None:
    report_monthly(period="2020-Q4", now=NOW)
    assert DayFigures.objects.filter(day__month=11, days=1).count() == 30
    # On 22 December November is due: frozen from the dossiers, its days are dropped.
    services.month_figures_freeze(period="2020-11", now=dt.datetime(2020, 12, 22, tzinfo=VN))
    assert not DayFigures.objects.filter(day__month=11).exists()
    assert DayFigures.objects.filter(day__month=12, days=1).count() == 9
    removed = frozen.month_figures_forget(
        start=dt.datetime(2020, 12, 5, tzinfo=VN), end=dt.datetime(2020, 12, 7, tzinfo=VN)
    )
    assert removed == 3  # the 5th, the 6th and December's sum (December is not due: no month)
    assert sorted(DayFigures.objects.values_list("day__day", flat=True)) == [1, 2, 3, 4, 7, 8, 9]


def test_the_trend_reads_the_months_not_due_from_their_days(busy_autumn: Province) -> None:
    w = busy_autumn
    for agency in (None, w.a, w.b):
        trend = report_trend(last="2020-12", months=4, agency=agency, now=NOW)
        assert [p.period.key for p in trend] == ["2020-09", "2020-10", "2020-11", "2020-12"]
        for point in trend:
            live = report_monthly(period=point.period, agency=agency, live=True).totals
            assert point.received_online == live["received_online"], (point.period, agency)
            assert point.received_direct == live["received_direct"]
            assert point.received_postal == live["received_postal"]
            assert point.resolved_early == live["resolved_early"]
            assert point.resolved_on_time == live["resolved_on_time"]
            assert point.resolved_late == live["resolved_late"]
    assert DayFigures.objects.filter(days__gt=1).count() == 2  # November, December to the 9th
    # Read from the days, the trend equals the one counted from the dossiers (level 3–4 too).
    counted = report_trend(last="2020-12", months=4, agency=w.a)  # now: every month is due
    kept = report_trend(last="2020-12", months=4, agency=w.a, now=NOW)
    assert [vars(p) for p in kept] == [vars(p) for p in counted]
