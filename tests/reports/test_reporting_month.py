"""The reporting month of the national rules: from the 15th of the month before to the 14th, due
before the 22nd of the month itself (Decree 09/2019/NĐ-CP Art. 12; Directive 08); calendar months
with MOTCUA_REPORT_CUTOFF_DAY=1, then due the 22nd of the month after. Every date below is
computed by hand, not by the code under test."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from motcua.dossiers.constants import Channel, DossierStatus
from motcua.dossiers.models import Dossier
from motcua.orgs.constants import Role
from motcua.reports import keeping, services
from motcua.reports.models import MonthFigures, ReportSubmission
from motcua.reports.monthly import report_monthly
from motcua.reports.periods import (
    InvalidPeriod,
    period_containing,
    period_last_closed,
    period_of_bounds,
    period_parse,
)
from tests.factories import MembershipFactory, StaffFactory

from .conftest import VN, Province, _dossier, report_kept


def d(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0):
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=VN)


UTC = dt.UTC
CALENDAR_MONTHS = False  # the default setting here (conftest pins calendar months elsewhere)

# key: (start, end (excluded), "Từ ngày … đến ngày …", due before)
NATIONAL = {
    "2020-05": (d(2020, 4, 15), d(2020, 5, 15), "15/04/2020", "14/05/2020", dt.date(2020, 5, 22)),
    "2020-01": (d(2019, 12, 15), d(2020, 1, 15), "15/12/2019", "14/01/2020", dt.date(2020, 1, 22)),
    "2025-Q2": (d(2025, 3, 15), d(2025, 6, 15), "15/03/2025", "14/06/2025", dt.date(2025, 6, 22)),
    "2025-H2": (d(2025, 6, 15), d(2025, 12, 15), "15/06/2025", "14/12/2025", dt.date(2025, 12, 22)),
    "2025": (d(2024, 12, 15), d(2025, 12, 15), "15/12/2024", "14/12/2025", dt.date(2025, 12, 22)),
}
CALENDAR = {
    "2020-05": (d(2020, 5, 1), d(2020, 6, 1), "01/05/2020", "31/05/2020", dt.date(2020, 6, 22)),
    "2020-01": (d(2020, 1, 1), d(2020, 2, 1), "01/01/2020", "31/01/2020", dt.date(2020, 2, 22)),
    "2025-Q2": (d(2025, 4, 1), d(2025, 7, 1), "01/04/2025", "30/06/2025", dt.date(2025, 7, 22)),
    "2025-H2": (d(2025, 7, 1), d(2026, 1, 1), "01/07/2025", "31/12/2025", dt.date(2026, 1, 22)),
    "2025": (d(2025, 1, 1), d(2026, 1, 1), "01/01/2025", "31/12/2025", dt.date(2026, 1, 22)),
}


@pytest.mark.parametrize(("cutoff", "table"), [(15, NATIONAL), (1, CALENDAR)])
def test_periods_and_deadlines_under_both_settings(settings, cutoff: int, table) -> None:
    settings.MOTCUA_REPORT_CUTOFF_DAY = cutoff
    for key, (start, end, first, last, due) in table.items():
        period = period_parse(key)
        assert (period.start, period.end) == (start, end), key
        assert period.range_label == f"Từ ngày {first} đến ngày {last}", key
        assert period.due_before == due, key
        assert period.submission_deadline() == d(due.year, due.month, due.day), key
        assert period.key == key


def test_the_default_is_the_national_month() -> None:
    may = period_parse("2020-05")
    assert (may.start, may.end) == NATIONAL["2020-05"][:2]
    assert may.submission_deadline() == d(2020, 5, 22)


def test_halves_quarters_and_their_months(settings) -> None:
    settings.MOTCUA_REPORT_CUTOFF_DAY = 15
    first = period_parse("2025-H1")
    assert first.label == "6 tháng đầu năm 2025"
    assert (first.start, first.end) == (d(2024, 12, 15), d(2025, 6, 15))
    assert period_parse("2025-H2").label == "6 tháng cuối năm 2025"
    quarter = period_parse("2025-Q2")
    assert [(m.key, m.start, m.end) for m in quarter.month_periods()] == [
        ("2025-04", d(2025, 3, 15), d(2025, 4, 15)),
        ("2025-05", d(2025, 4, 15), d(2025, 5, 15)),
        ("2025-06", d(2025, 5, 15), d(2025, 6, 15)),
    ]
    for bad in ("2025-H3", "2025-H0", "2025-Q5", "2025-13"):
        with pytest.raises(InvalidPeriod):
            period_parse(bad)


def test_which_month_a_moment_is_in_at_local_midnight(settings) -> None:
    settings.MOTCUA_REPORT_CUTOFF_DAY = 15
    assert period_containing(d(2020, 5, 14, 23, 59, 59)).key == "2020-05"
    assert period_containing(d(2020, 5, 15)).key == "2020-06"
    # 17:00 UTC on the 14th is midnight on the 15th in Vietnam: the next month already.
    assert period_containing(dt.datetime(2020, 5, 14, 17, 0, tzinfo=UTC)).key == "2020-06"
    assert period_containing(dt.datetime(2020, 5, 14, 16, 59, 59, tzinfo=UTC)).key == "2020-05"
    assert period_containing(d(2019, 12, 20)).key == "2020-01"
    # On 20 May the month that has ended is May (15/04–14/05), due before the 22nd.
    assert period_last_closed(now=d(2020, 5, 20)).key == "2020-05"


def test_a_stored_period_keeps_its_bounds(settings) -> None:
    settings.MOTCUA_REPORT_CUTOFF_DAY = 15
    calendar = period_of_bounds("2020-05", d(2020, 5, 1))
    assert (calendar.start, calendar.end) == (d(2020, 5, 1), d(2020, 6, 1))
    assert calendar.submission_deadline() == d(2020, 6, 22)
    assert [m.start for m in period_of_bounds("2020-Q2", d(2020, 4, 1)).month_periods()] == [
        d(2020, 4, 1),
        d(2020, 5, 1),
        d(2020, 6, 1),
    ]
    national = period_of_bounds("2020-05", d(2020, 4, 15))
    assert (national.start, national.end) == (d(2020, 4, 15), d(2020, 5, 15))


# --- Figures around the boundary ---------------------------------------------------------------


@pytest.fixture
def boundary(province: Province, settings) -> Province:
    """Dossiers of 2021 (the hand-counted province has none) around 15 May 2021, 00:00 local."""
    settings.MOTCUA_REPORT_CUTOFF_DAY = 15
    w = province
    online = {"procedure": w.p1, "channel": Channel.ONLINE}
    _dossier(w, "15/04 00:00", received=d(2021, 4, 15), **online)  # first moment of 2021-05
    _dossier(w, "14/04 23:59", received=d(2021, 4, 14, 23, 59, 59), **online)  # 2021-04
    _dossier(w, "14/05 12:00", received=d(2021, 5, 14, 12), **online)  # 2021-05
    _dossier(w, "14/05 23:59:59", received=d(2021, 5, 14, 23, 59, 59), **online)  # 2021-05
    _dossier(w, "15/05 00:00", received=d(2021, 5, 15), **online)  # 2021-06
    # 17:30 UTC on the 14th = 00:30 on the 15th in Vietnam: June's.
    _dossier(w, "14/05 17:30 UTC", received=dt.datetime(2021, 5, 14, 17, 30, tzinfo=UTC), **online)
    # Received in May's period, resolved just after midnight: open at May's end, June's result.
    _dossier(
        w,
        "across",
        procedure=w.p1,
        channel=Channel.DIRECT,
        status=DossierStatus.RESULT_READY,
        received=d(2021, 5, 10, 9),
        due=d(2021, 5, 20, 17),
        finished=d(2021, 5, 15, 0, 10),
        timing="on_time",
    )
    return w


def test_the_figures_fall_into_the_right_months(boundary: Province) -> None:
    w = boundary
    april = report_monthly(period="2021-04", agency=w.a, live=True).totals
    may = report_monthly(period="2021-05", agency=w.a, live=True).totals
    june = report_monthly(period="2021-06", agency=w.a, live=True).totals
    assert april["received_online"] == 1  # 14/04 23:59:59
    assert may["received_online"] == 3  # 15/04 00:00, 14/05 12:00, 14/05 23:59:59
    assert june["received_online"] == 2  # 15/05 00:00, 00:30 local (17:30 UTC on the 14th)
    assert may["received_direct"] == 1  # "across"
    # Open at May's end (15/05 00:00): April's one, May's three online ones (still processing,
    # no due time) and "across".
    assert (may["resolved_on_time"], may["pending_within_deadline"]) == (0, 5)
    # June opens with what May left open (the 2020 province's overdue ones too) and resolves
    # "across" on time.
    assert june["carried_over"] == may["pending_within_deadline"] + may["pending_overdue"]
    assert june["resolved_on_time"] == 1
    # The quarter (15/03–14/06/2021) holds them all, April's too: each counted once.
    quarter = report_monthly(period="2021-Q2", agency=w.a, live=True).totals
    assert quarter["received_online"] == 6 and quarter["resolved_on_time"] == 1


def test_a_frozen_month_keeps_its_figures(boundary: Province) -> None:
    w = boundary
    after_deadline = d(2021, 5, 22)  # May 2021's reports are due: it is frozen
    before = report_kept(period="2021-05", agency=w.a, now=after_deadline)
    assert [f.period for f in before.frozen] == ["2021-05"]
    row = MonthFigures.objects.get(period="2021-05")
    assert (row.start, row.end) == (d(2021, 4, 15), d(2021, 5, 15))
    # A correction after freezing: the dossier of 15/05 00:00 was in fact received on the 14th.
    Dossier.objects.filter(applicant_name="15/05 00:00").update(received_at=d(2021, 5, 14, 8))
    kept = report_kept(period="2021-05", agency=w.a, now=after_deadline)
    assert kept.totals == before.totals  # frozen: it does not move by itself
    live = report_monthly(period="2021-05", agency=w.a, live=True).totals
    assert live["received_online"] == before.totals["received_online"] + 1
    assert keeping.month_figures_check() == {
        "2021-05": {
            "columns": {
                "received_online": {"frozen": 3, "now": 4},
                # … and it is one more open at May's end.
                "pending_within_deadline": {"frozen": 5, "now": 6},
                "national_ok_pending": {"frozen": 5, "now": 6},
            },
            "lines": 1,
        }
    }


def test_the_json_report_states_its_bounds_and_deadline(boundary: Province) -> None:
    body = Client().get("/api/v1/stats/kpi", {"period": "2021-05"}).json()
    assert (body["start"], body["end"], body["due_before"]) == (
        "2021-04-15T00:00:00+07:00",
        "2021-05-15T00:00:00+07:00",
        "2021-05-22",
    )
    half = Client().get("/api/v1/stats/kpi", {"period": "2021-H1"}).json()
    assert (half["start"], half["end"], half["due_before"]) == (
        "2020-12-15T00:00:00+07:00",
        "2021-06-15T00:00:00+07:00",
        "2021-06-22",
    )


def test_the_pages_print_the_period_in_words_and_its_deadline(boundary: Province) -> None:
    page = Client().get("/bao-cao/cong-khai/", {"period": "2021-05"}).content.decode()
    assert "Từ ngày 15/04/2021 đến ngày 14/05/2021" in page
    admin = StaffFactory(username="lanh-dao-tinh")
    MembershipFactory(user=admin, unit=boundary.province, role=Role.PROVINCE_ADMIN)
    client = Client()
    client.force_login(admin)
    dashboard = client.get("/bao-cao/", {"period": "2021-05"}).content.decode()
    assert "Từ ngày 15/04/2021 đến ngày 14/05/2021" in dashboard
    overview = client.get("/bao-cao/nop-bao-cao/", {"period": "2021-05"}).content.decode()
    assert "Hạn gửi: trước ngày 22/05/2021" in overview


def test_a_report_submitted_for_a_calendar_month_keeps_it(boundary: Province, settings) -> None:
    w = boundary
    settings.MOTCUA_REPORT_CUTOFF_DAY = 1
    draft = services.report_snapshot_generate(unit=w.a, period="2021-05", actor=None)
    services.report_submit(submission=draft, actor=None, now=d(2021, 6, 3))
    settings.MOTCUA_REPORT_CUTOFF_DAY = 15
    old = ReportSubmission.objects.get(pk=draft.pk)
    assert (old.start, old.end) == (d(2021, 5, 1), d(2021, 6, 1))
    # Checked again with its own bounds it agrees: nothing was corrected.
    assert services.report_snapshot_check(submission=old) == {}
    # The 15th-to-14th May is another report, not submitted yet.
    national = services.report_snapshot_generate(unit=w.a, period="2021-05", actor=None)
    assert national.pk != old.pk and (national.start, national.end) == (
        d(2021, 4, 15),
        d(2021, 5, 15),
    )
