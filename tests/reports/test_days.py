"""Kept days: a month not due yet read as its complete local days plus today equals the count
from the dossiers; days are kept only once over, extended day by day, counted again at night,
forgotten with their month."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from motcua.dossiers.constants import Channel, DossierStatus
from motcua.dossiers.models import Dossier
from motcua.reports import frozen, keeping
from motcua.reports.constants import ALL_AGGREGATES
from motcua.reports.models import DayFigures, MonthFigures
from motcua.workcal import Timing

from .conftest import (
    FINAL,
    STATUSES,
    VN,
    Province,
    _dossier,
    build_province,
    random_dossier,
    report_kept,
    trend_kept,
)

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
        random_dossier(
            world,
            f"t{i}",
            rng,
            status=status,
            received=received,
            due=due,
            finished=finished,
            returned_after=dt.timedelta(hours=5),
            timing=timing,
        )
    return world


def _same_as_live(world: Province, now: dt.datetime) -> None:
    for key in ("2020-11", "2020-12", "2020-Q4", "2020"):
        for agency in (None, world.a, world.b, world.c):
            live = report_kept(period=key, agency=agency, live=True)
            kept = report_kept(period=key, agency=agency, now=now)
            assert kept.pair_counts == live.pair_counts, (key, agency)
            assert kept.totals == live.totals, (key, agency)


def _kept() -> list[tuple[dt.date, dt.date, int]]:
    """(first day, last day, number of days) of each kept row, by local dates."""
    return [
        (timezone.localtime(f.start, VN).date(), f.day, f.days)
        for f in DayFigures.objects.order_by("start")
    ]


def test_a_month_not_due_from_its_days_and_today_equals_the_count_from_the_dossiers(
    busy_autumn: Province,
) -> None:
    _same_as_live(busy_autumn, NOW)
    # November's days and December's up to the 9th are kept (a row a month), not the 10th.
    assert _kept() == [
        (dt.date(2020, 11, 1), dt.date(2020, 11, 30), 30),
        (dt.date(2020, 12, 1), dt.date(2020, 12, 9), 9),
    ]
    # The month rows are those of the due months only, never of November or December.
    assert not MonthFigures.objects.filter(period__in=["2020-11", "2020-12"]).exists()
    # Read again, nothing more is counted.
    closed = list(DayFigures.objects.order_by("start").values_list("closed_at", flat=True))
    _same_as_live(busy_autumn, NOW + dt.timedelta(hours=9))  # 23:30, the 10th is not over
    assert list(DayFigures.objects.order_by("start").values_list("closed_at", flat=True)) == closed
    # The next day, the 10th is over and added to December's row; the figures still agree.
    _same_as_live(busy_autumn, NOW + dt.timedelta(days=1))
    assert _kept()[1] == (dt.date(2020, 12, 1), dt.date(2020, 12, 10), 10)
    # Three days later: the three days are added at once.
    _same_as_live(busy_autumn, NOW + dt.timedelta(days=4))
    assert _kept()[1] == (dt.date(2020, 12, 1), dt.date(2020, 12, 13), 13)


def test_with_a_cut_off_day_the_days_still_add_up(busy_autumn: Province) -> None:
    with override_settings(MOTCUA_REPORT_CUTOFF_DAY=15):
        # 2020-12 runs from 15 November and is due before 22/12/2020; 2020-11 (15 October to
        # 14 November) was due before 22/11/2020, so it is frozen: only December's days are kept.
        _same_as_live(busy_autumn, NOW)
        assert _kept() == [(dt.date(2020, 11, 15), dt.date(2020, 12, 9), 25)]
        assert MonthFigures.objects.filter(period="2020-11").exists()
        _same_as_live(busy_autumn, dt.datetime(2020, 12, 15, 0, 0, 1, tzinfo=VN))
    # Back to calendar months: the rows of the other months are not taken for them.
    _same_as_live(busy_autumn, NOW)


def test_a_day_is_a_local_day(province: Province) -> None:
    w = province
    # 06:00 on 3 December in Vietnam is 23:00 on 2 December in UTC.
    early = dt.datetime(2020, 12, 3, 6, 0, tzinfo=VN)
    _dossier(w, "sáng sớm", procedure=w.p1, channel=Channel.ONLINE, received=early)
    now = dt.datetime(2020, 12, 3, 7, 0, tzinfo=VN)
    report = report_kept(period="2020-12", now=now)
    assert report.totals["received_online"] == 1  # today, counted from the dossiers
    kept = DayFigures.objects.get()
    assert (kept.start, kept.end) == (
        dt.datetime(2020, 11, 30, 17, 0, tzinfo=dt.UTC),
        dt.datetime(2020, 12, 2, 17, 0, tzinfo=dt.UTC),
    )
    online = ALL_AGGREGATES.index("received_online")
    assert sum(row[online] for row in frozen.figures_rows(kept).values()) == 0
    later = report_kept(period="2020-12", now=now + dt.timedelta(days=1))
    assert later.totals["received_online"] == 1
    assert sum(row[online] for row in frozen.figures_rows(DayFigures.objects.get()).values()) == 1


def test_a_day_is_kept_only_once_it_is_over(province: Province) -> None:
    report_kept(period="2020-12", now=NOW)
    assert DayFigures.objects.get().end == dt.datetime(2020, 12, 10, tzinfo=VN)
    first_day = dt.datetime(2020, 12, 1, 9, tzinfo=VN)
    assert report_kept(period="2020-12", now=first_day).totals is not None
    assert (
        keeping.days_keep(
            dt.datetime(2020, 12, 1, tzinfo=VN),
            dt.datetime(2021, 1, 1, tzinfo=VN),
            now=first_day,
        )
        is None
    )


def test_the_nightly_run_counts_the_days_again_and_a_late_change_shows(
    busy_autumn: Province, capsys
) -> None:
    w = busy_autumn
    # Paid by transfer on 2 December, the bank statement imported only on the 9th: a kept day
    # (the 2nd) changes.
    late = _dossier(w, "trả sau", procedure=w.p2, received=dt.datetime(2020, 12, 2, 9, tzinfo=VN))
    before = report_kept(period="2020-12", now=NOW).totals["paid_online"]
    Dossier.objects.filter(pk=late.pk).update(
        paid_online=True, paid_online_at=dt.datetime(2020, 12, 2, 10, tzinfo=VN)
    )
    assert report_kept(period="2020-12", now=NOW).totals["paid_online"] == before  # kept
    tomorrow = NOW + dt.timedelta(days=1)  # only the 10th is added, the 2nd is not counted again
    assert report_kept(period="2020-12", now=tomorrow).totals["paid_online"] == before
    kept = keeping.day_figures_freeze(now=tomorrow)
    assert [f.days for f in kept] == [30, 10]  # November and December, counted again
    after = report_kept(period="2020-12", now=tomorrow).totals
    assert after["paid_online"] == before + 1
    assert after == report_kept(period="2020-12", live=True).totals
    # The command (for cron) does the same at the real now, for the months not due then.
    call_command("report", "--freeze-days")
    assert "day(s) counted and kept" in capsys.readouterr().out


def test_days_are_forgotten_with_their_month_and_by_a_bulk_load(busy_autumn: Province) -> None:
    report_kept(period="2020-Q4", now=NOW)
    assert len(_kept()) == 2
    # On 22 December November is due: frozen from the dossiers, its days are dropped.
    keeping.month_figures_freeze(period="2020-11", now=dt.datetime(2020, 12, 22, tzinfo=VN))
    assert _kept() == [(dt.date(2020, 12, 1), dt.date(2020, 12, 9), 9)]
    removed = keeping.month_figures_forget(
        start=dt.datetime(2020, 12, 5, tzinfo=VN), end=dt.datetime(2020, 12, 7, tzinfo=VN)
    )
    assert removed == 1  # December's days (its month is not due: not frozen)
    assert _kept() == []
    _same_as_live(busy_autumn, NOW)  # counted again


def test_the_trend_reads_the_months_not_due_from_their_days(busy_autumn: Province) -> None:
    w = busy_autumn
    for agency in (None, w.a, w.b):
        trend = trend_kept(last="2020-12", months=4, agency=agency, now=NOW)
        assert [p.period.key for p in trend] == ["2020-09", "2020-10", "2020-11", "2020-12"]
        for point in trend:
            live = report_kept(period=point.period, agency=agency, live=True).totals
            assert point.received_online == live["received_online"], (point.period, agency)
            assert point.received_direct == live["received_direct"]
            assert point.received_postal == live["received_postal"]
            assert point.resolved_early == live["resolved_early"]
            assert point.resolved_on_time == live["resolved_on_time"]
            assert point.resolved_late == live["resolved_late"]
    assert len(_kept()) == 2  # November, December to the 9th
    # Read from the days, the trend equals the one counted from the dossiers (level 3–4 too).
    counted = trend_kept(last="2020-12", months=4, agency=w.a)  # now: every month is due
    kept = trend_kept(last="2020-12", months=4, agency=w.a, now=NOW)
    assert [vars(p) for p in kept] == [vars(p) for p in counted]
