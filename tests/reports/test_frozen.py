"""Frozen monthly figures: equal to the count from the dossiers, kept once due, flagged when the
dossiers are corrected afterwards, frozen again on request."""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from motcua.dossiers.constants import Channel, DossierStatus
from motcua.dossiers.models import Dossier
from motcua.integration.services import api_client_create
from motcua.orgs.constants import Role
from motcua.reports import keeping, services
from motcua.reports.models import DayFigures, MonthFigures
from motcua.reports.monthly import report_monthly
from motcua.reports.periods import period_containing, period_parse
from motcua.reports.trend import report_trend
from motcua.workcal import Timing
from tests.factories import MembershipFactory, StaffFactory

from .conftest import (
    FINAL,
    STATUSES,
    VN,
    Province,
    build_province,
    random_dossier,
    report_kept,
    trend_kept,
)

pytestmark = pytest.mark.django_db

MAY = period_parse("2020-05")


def _moment(rng: random.Random, start: dt.datetime, days: int) -> dt.datetime:
    return start + dt.timedelta(days=rng.randrange(days), hours=rng.randrange(24))


@pytest.fixture
def busy_year() -> Province:
    """The hand-counted province plus 120 random dossiers over 2020 (a fixed seed), many of them
    crossing month ends, with apologies, post, online payment and supplements."""
    world = build_province()
    rng = random.Random(20200501)
    year = dt.datetime(2020, 1, 1, tzinfo=VN)
    for i in range(120):
        status = rng.choice(STATUSES)
        received = None if status == DossierStatus.REFUSED else _moment(rng, year, 366)
        base = received or _moment(rng, year, 366)
        finished = base + dt.timedelta(days=rng.randrange(0, 70)) if status in FINAL else None
        resolved = status in {DossierStatus.RESULT_READY, DossierStatus.RETURNED}
        timing = rng.choice([Timing.EARLY, Timing.ON_TIME, Timing.LATE, ""]) if resolved else ""
        due = base + dt.timedelta(days=rng.randrange(1, 40))
        random_dossier(
            world,
            f"r{i}",
            rng,
            status=status,
            received=received,
            due=due,
            finished=finished,
            returned_after=dt.timedelta(days=1),
            timing=timing,
        )
    return world


def test_any_period_from_frozen_months_equals_the_count_from_the_dossiers(
    busy_year: Province,
) -> None:
    w = busy_year
    for key in ("2020-05", "2020-Q2", "2020-Q4", "2020"):
        for agency in (None, w.a, w.b, w.c):
            live = report_kept(period=key, agency=agency, live=True)
            kept = report_kept(period=key, agency=agency)
            assert kept.pair_counts == live.pair_counts, (key, agency)
            assert kept.totals == live.totals
            assert [r.counts for r in kept.by_field] == [r.counts for r in live.by_field]
            assert len(kept.frozen) == kept.period.months  # every month of 2020 is due
            assert live.frozen == []
    # The months are counted once (12 rows), each quarter or year summed once from them.
    assert MonthFigures.objects.filter(months=1).count() == 12
    assert sorted(MonthFigures.objects.exclude(months=1).values_list("period", flat=True)) == [
        "2020",
        "2020-Q2",
        "2020-Q4",
    ]
    assert sum(f.dossier_total for f in MonthFigures.objects.filter(months=1)) > 120


def test_the_trend_reads_frozen_months_and_equals_the_count_from_the_dossiers(
    busy_year: Province,
) -> None:
    w = busy_year
    last = period_parse("2020-12")
    live = trend_kept(last=last, months=12, agency=w.a)  # enqueues freezing (runs at once)
    assert MonthFigures.objects.count() == 12
    kept = trend_kept(last=last, months=12, agency=w.a)
    assert [vars(p) for p in kept] == [vars(p) for p in live]
    assert sum(p.received for p in kept) > 0


def test_reading_a_report_writes_nothing_and_counts_what_is_not_kept(
    busy_year: Province, django_capture_on_commit_callbacks
) -> None:
    """Selectors never write: a report or a trend of due months that nobody kept is counted from
    the dossiers, with the same figures as once kept, and leaves no row and no task behind."""
    w = busy_year
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        quarter = report_monthly(period="2020-Q2", agency=w.a)
        points = report_trend(last="2020-12", months=12, agency=w.a)
    assert (MonthFigures.objects.count(), DayFigures.objects.count(), callbacks) == (0, 0, [])
    assert quarter.frozen == []
    assert quarter.pair_counts == report_kept(period="2020-Q2", agency=w.a).pair_counts
    assert len(report_monthly(period="2020-Q2", agency=w.a).frozen) == 3  # now read as kept
    assert [vars(p) for p in points] == [vars(p) for p in trend_kept(last="2020-12", agency=w.a)]


def test_a_month_is_frozen_from_its_report_deadline_on(busy_year: Province) -> None:
    deadline = dt.datetime(2020, 6, 22, tzinfo=VN)
    assert MAY.submission_deadline() == deadline
    before = deadline - dt.timedelta(microseconds=1)
    months = period_parse("2020-Q2").month_periods()
    frozen_before = keeping.months_freeze_due(months, now=before)
    assert [f.period for f in frozen_before] == ["2020-04"]  # April's deadline is past
    assert not MonthFigures.objects.filter(period="2020-05").exists()
    # At May's deadline April and May are due, June is not: the first two are frozen.
    frozen_now = keeping.months_freeze_due(months, now=deadline)
    assert [f.period for f in frozen_now] == ["2020-04", "2020-05"]
    figures = frozen_now[1]
    assert (figures.start, figures.end) == (MAY.start, MAY.end)
    # The current month is never frozen: counted from the dossiers each time.
    current = period_containing(dt.datetime.now(tz=VN))
    assert report_kept(period=current).frozen == []


def test_a_correction_after_freezing_is_flagged_until_frozen_again(province: Province) -> None:
    w = province
    before = report_kept(period=MAY).totals
    q2_before = report_kept(period="2020-Q2").totals
    assert before["received_online"] == 5  # #2, #8, #10 (refused), #13, #19 (see conftest)
    assert before["received_direct"] == 6  # #6, #12, #14, #16, #18, #20 (#7 is postal)
    # A correction: #8 was in fact received at the desk.
    Dossier.objects.filter(pk=w.d["#8"].pk).update(channel=Channel.DIRECT)

    kept = report_kept(period=MAY)
    assert kept.totals == before  # frozen: the report does not move by itself
    assert kept.corrected_months == []  # … and nobody has checked yet
    live = report_kept(period=MAY, live=True).totals
    assert (live["received_online"], live["received_direct"]) == (4, 7)

    differences = keeping.month_figures_check()
    assert differences == {
        "2020-05": {
            "columns": {
                "received_online": {"frozen": 5, "now": 4},
                "received_direct": {"frozen": 6, "now": 7},
            },
            "lines": 1,
        }
    }
    assert report_kept(period=MAY).corrected_months == ["2020-05"]
    assert report_kept(period="2020-Q2").corrected_months == ["2020-05"]

    corrected = keeping.month_figures_check()  # checking again keeps the flag
    assert list(corrected) == ["2020-05"]

    keeping.month_figures_freeze(period=MAY)
    again = report_kept(period=MAY)
    assert again.totals == live
    assert again.corrected_months == []
    assert keeping.month_figures_check() == {}
    # The quarter kept as a sum of its months is summed again from the new May.
    quarter = report_kept(period="2020-Q2")
    assert quarter.totals == report_kept(period="2020-Q2", live=True).totals
    assert quarter.totals["received_online"] == q2_before["received_online"] - 1


def test_a_new_cut_off_day_freezes_the_month_anew_and_keeps_the_old_figures(
    busy_year: Province,
) -> None:
    """A month frozen as a calendar month keeps its row and bounds when the reporting month
    becomes the 15th-to-14th one (migration 0004): the new month is frozen in a row of its own,
    each is read and recounted with its own bounds."""
    calendar = report_kept(period=MAY)
    calendar_row = MonthFigures.objects.get(period="2020-05")
    with override_settings(MOTCUA_REPORT_CUTOFF_DAY=15):
        shifted = report_kept(period=MAY)
        assert shifted.pair_counts == report_kept(period=MAY, live=True).pair_counts
        row = MonthFigures.objects.get(period="2020-05", start=dt.datetime(2020, 4, 15, tzinfo=VN))
        assert row.end == dt.datetime(2020, 5, 15, tzinfo=VN)
        assert [f.pk for f in shifted.frozen] == [row.pk]
        # Read again, the month is read, not frozen again: its row is found among the two.
        assert report_kept(period=MAY).frozen == [row]
        assert MonthFigures.objects.get(pk=row.pk).closed_at == row.closed_at
        # The calendar month's row is untouched, and a recount with its own bounds agrees.
        old = MonthFigures.objects.get(pk=calendar_row.pk)
        assert (old.start, old.end) == (
            dt.datetime(2020, 5, 1, tzinfo=VN),
            dt.datetime(2020, 6, 1, tzinfo=VN),
        )
        assert (old.digest, old.closed_at) == (calendar_row.digest, calendar_row.closed_at)
        assert keeping.month_figures_check() == {}
    assert shifted.totals != calendar.totals
    assert report_kept(period=MAY).frozen == [calendar_row]  # read back as it was frozen


def test_a_bulk_load_forgets_the_months_it_touched(busy_year: Province) -> None:
    report_kept(period="2020")
    assert MonthFigures.objects.count() == 13  # 12 months and their sum
    removed = keeping.month_figures_forget(
        start=dt.datetime(2020, 5, 10, tzinfo=VN), end=dt.datetime(2020, 7, 1, tzinfo=VN)
    )
    assert removed == 3  # May, June and the year
    assert sorted(MonthFigures.objects.values_list("period", flat=True)) == [
        f"2020-{m:02d}" for m in (1, 2, 3, 4, 7, 8, 9, 10, 11, 12)
    ]


def test_the_command_freezes_and_checks(busy_year: Province, capsys) -> None:
    call_command("report", "--freeze", "--period", "2020-Q2")
    out = capsys.readouterr().out
    assert "2020-04" in out and "2020-06" in out
    assert sorted(MonthFigures.objects.values_list("period", flat=True)) == [
        "2020-04",
        "2020-05",
        "2020-06",
    ]
    Dossier.objects.filter(pk=busy_year.d["#8"].pk).update(channel=Channel.DIRECT)
    call_command("report", "--check-frozen")
    out = capsys.readouterr().out
    assert "2020-05" in out and "received_online" in out


def test_the_api_and_the_dashboard_say_which_months_are_frozen_or_corrected(
    province: Province,
) -> None:
    viewer = StaffFactory(username="baocao")
    MembershipFactory(user=viewer, unit=province.province, role=Role.REPORT_VIEWER)
    _client, key = api_client_create(
        name="Sở TT&TT", agencies=[province.province], scopes=("reports:read",)
    )
    api = Client(headers={"authorization": f"Bearer {key}"})
    first = api.get("/api/v1/reports/monthly", {"period": "2020-Q2"}).json()
    assert first["frozen_months"] == ["2020-04", "2020-05", "2020-06"]
    assert first["corrected_months"] == []
    Dossier.objects.filter(pk=province.d["#8"].pk).update(channel=Channel.DIRECT)
    keeping.month_figures_check()
    again = api.get("/api/v1/reports/monthly", {"period": "2020-Q2"}).json()
    assert again["corrected_months"] == ["2020-05"]
    assert again["totals"] == first["totals"]

    browser = Client()
    browser.force_login(viewer)
    page = browser.get("/bao-cao/", {"period": "2020-05"}).content.decode()
    assert "số liệu đã chốt" in page
    assert "Dữ liệu tháng 2020-05 đã được điều chỉnh sau khi chốt" in page


def test_the_admin_lists_frozen_months_and_freezes_again(
    province: Province, admin_client: Client, admin_user
) -> None:
    report_kept(period="2020-Q2")
    browser = admin_client
    page = browser.get("/admin/reports/monthfigures/")
    assert page.status_code == 200
    assert "2020-05" in page.content.decode()
    Dossier.objects.filter(pk=province.d["#8"].pk).update(channel=Channel.DIRECT)
    may = MonthFigures.objects.get(period="2020-05")
    url = "/admin/reports/monthfigures/"
    answer = browser.post(url, {"action": "recount", "_selected_action": [may.pk]}, follow=True)
    assert "Khác với dữ liệu hiện tại: 2020-05" in answer.content.decode()
    assert MonthFigures.objects.get(period="2020-05").corrected
    browser.post(url, {"action": "freeze_again", "_selected_action": [may.pk]})
    again = MonthFigures.objects.get(period="2020-05")
    assert not again.corrected
    assert again.closed_by == admin_user
    assert report_kept(period=MAY).totals == report_kept(period=MAY, live=True).totals


def test_each_page_keeps_what_it_reads(province: Province) -> None:
    """The pages, exports and open data call the keeping service before they read: a due month
    they show is frozen by them, and the dashboard's trend months are frozen in the background."""
    viewer = StaffFactory(username="baocao")
    MembershipFactory(user=viewer, unit=province.province, role=Role.REPORT_VIEWER)
    browser = Client()
    browser.force_login(viewer)

    def frozen_months() -> set[str]:
        return set(MonthFigures.objects.filter(months=1).values_list("period", flat=True))

    assert browser.get("/bao-cao/", {"period": "2020-05"}).status_code == 200
    assert "số liệu đã chốt" in browser.get("/bao-cao/", {"period": "2020-05"}).content.decode()
    assert {f"2019-{m:02d}" for m in range(6, 13)} | {"2020-05"} <= frozen_months()  # the trend
    MonthFigures.objects.all().delete()
    assert browser.get("/bao-cao/tai-ve.csv", {"period": "2020-04"}).status_code == 200
    assert frozen_months() == {"2020-04"}
    assert Client().get("/bao-cao/cong-khai/du-lieu.json", {"period": "2020-03"}).status_code == 200
    assert frozen_months() == {"2020-03", "2020-04"}
    Client().get("/bao-cao/cong-khai/", {"period": "2020-02"})
    assert "2020-02" in frozen_months()
    MonthFigures.objects.all().delete()
    out = io.StringIO()
    call_command("report", "--period", "2020-01", "--format", "json", "--out", "-", stdout=out)
    assert frozen_months() == {"2020-01"}
    MonthFigures.objects.all().delete()
    services.report_snapshot_generate(unit=province.a, period="2020-06", actor=viewer)
    assert frozen_months() == {"2020-06"}  # the snapshot reads what the dashboard shows
