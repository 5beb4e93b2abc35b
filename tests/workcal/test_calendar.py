"""Table tests of the public working-calendar API on real Vietnamese calendars."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from motcua.catalog.constants import TimeUnit
from motcua.workcal import (
    PendingTiming,
    Timing,
    add_working_time,
    apology_deadline,
    classify,
    classify_national,
    classify_pending,
    compute_due,
    due_after_supplement,
    handover_deadline,
    is_due_soon,
    is_working_day,
    reappointment_check,
    receipt_time,
    working_hours_between,
)
from motcua.workcal.exceptions import (
    ApologyAlreadyIssued,
    ApologyNewDueNotLater,
    ApologyNewDueNotWorkingTime,
    InvalidAmount,
    InvalidPolicy,
    InvalidTimeUnit,
    NaiveDatetime,
)

pytestmark = pytest.mark.django_db

# These cases were computed by hand with the sessions 07:30–11:30 and 13:30–17:00 (7.5 h, one
# limit hour = 56¼ minutes), the default until the working day became eight hours: they pin them
# and so keep testing a timetable that scales. The eight-hour default: test_eight_hour_day.py.
OLD_SESSIONS = ("07:30-11:30", "13:30-17:00")


@pytest.fixture(autouse=True)
def _sessions_of_these_cases(settings) -> None:
    settings.MOTCUA_OFFICE_HOURS = OLD_SESSIONS


VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=VN)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        # Tết 2020: Thu 23/01 to Wed 29/01 off.
        (dt.date(2020, 1, 22), True),
        (dt.date(2020, 1, 23), False),
        (dt.date(2020, 1, 29), False),
        (dt.date(2020, 1, 30), True),
        # Tết 2024: Thu 08/02 to Wed 14/02 off.
        (dt.date(2024, 2, 7), True),
        (dt.date(2024, 2, 8), False),
        (dt.date(2024, 2, 14), False),
        (dt.date(2024, 2, 15), True),
        # Tết 2025: Mon 27/01 to Fri 31/01 off (TB 6150/TB-BLĐTBXH).
        (dt.date(2025, 1, 24), True),
        (dt.date(2025, 1, 27), False),
        (dt.date(2025, 1, 31), False),
        (dt.date(2025, 2, 3), True),
        # Tết 2026: Mon 16/02 to Fri 20/02 off.
        (dt.date(2026, 2, 13), True),
        (dt.date(2026, 2, 16), False),
        (dt.date(2026, 2, 20), False),
        (dt.date(2026, 2, 23), True),
        # 30/4 and 1/5 2025, with Fri 02/05 swapped for Sat 26/04.
        (dt.date(2025, 4, 26), True),
        (dt.date(2025, 4, 30), False),
        (dt.date(2025, 5, 1), False),
        (dt.date(2025, 5, 2), False),
        (dt.date(2025, 5, 5), True),
        # 2024: Mon 29/04 swapped for Sat 04/05.
        (dt.date(2024, 4, 29), False),
        (dt.date(2024, 5, 4), True),
        # Quốc khánh: 2020 one day; since 2021 two (2025: 1–2/9; 2024: 2–3/9).
        (dt.date(2020, 9, 2), False),
        (dt.date(2020, 9, 3), True),
        (dt.date(2024, 9, 2), False),
        (dt.date(2024, 9, 3), False),
        (dt.date(2025, 9, 1), False),
        (dt.date(2025, 9, 2), False),
        (dt.date(2025, 9, 3), True),
        # 2026: Mon 31/08 swapped for Sat 22/08; 1–2/9 off.
        (dt.date(2026, 8, 22), True),
        (dt.date(2026, 8, 31), False),
        (dt.date(2026, 9, 1), False),
        # Giỗ Tổ 2026 falls on Sunday 26/04: the Monday after is off.
        (dt.date(2026, 4, 27), False),
        # Ngày Văn hóa Việt Nam, from 2026.
        (dt.date(2026, 11, 24), False),
        (dt.date(2025, 11, 24), True),
        # Plain weekends and weekdays.
        (dt.date(2025, 3, 8), False),
        (dt.date(2025, 3, 9), False),
        (dt.date(2025, 3, 10), True),
    ],
)
def test_is_working_day_on_the_vn_calendar(day: dt.date, working: bool) -> None:
    assert is_working_day(day) is working


def test_is_working_day_accepts_an_aware_datetime_in_local_time() -> None:
    # 17:30 UTC on Friday 25/04/2025 is already Saturday 26/04 (a working Saturday) in Việt Nam.
    moment = dt.datetime(2025, 4, 25, 17, 30, tzinfo=dt.UTC)
    assert is_working_day(moment) is True
    assert is_working_day(dt.datetime(2025, 5, 2, 17, 30, tzinfo=dt.UTC)) is False  # Sat 03/05


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (vn(2020, 1, 22, 9), 1, vn(2020, 1, 30, 9)),
        (vn(2024, 2, 7, 10), 2, vn(2024, 2, 16, 10)),
        (vn(2025, 1, 24, 9), 1, vn(2025, 2, 3, 9)),
        (vn(2025, 1, 24, 9), 5, vn(2025, 2, 7, 9)),
        (vn(2026, 2, 13, 14), 1, vn(2026, 2, 23, 14)),
        (vn(2025, 4, 25, 9), 1, vn(2025, 4, 26, 9)),  # the swapped Saturday is worked
        (vn(2025, 4, 25, 9), 2, vn(2025, 4, 28, 9)),
        (vn(2025, 4, 29, 9), 1, vn(2025, 5, 5, 9)),
        (vn(2024, 4, 26, 9), 1, vn(2024, 5, 2, 9)),
        (vn(2024, 5, 3, 9), 1, vn(2024, 5, 4, 9)),
        (vn(2020, 9, 1, 9), 1, vn(2020, 9, 3, 9)),
        (vn(2024, 8, 30, 9), 1, vn(2024, 9, 4, 9)),
        (vn(2025, 8, 29, 9), 1, vn(2025, 9, 3, 9)),
        (vn(2026, 8, 28, 9), 1, vn(2026, 9, 3, 9)),
        (vn(2026, 11, 23, 9), 1, vn(2026, 11, 25, 9)),
        (vn(2025, 1, 6, 8), 10, vn(2025, 1, 20, 8)),
        # Received at opening time: one day ends when the same day's office closes.
        (vn(2025, 1, 6, 7, 30), 1, vn(2025, 1, 6, 17)),
        # Received on Saturday (not worked): counted from Monday's opening.
        (vn(2025, 3, 8, 9), 1, vn(2025, 3, 10, 17)),
        # After closing time: counted from the next morning.
        (vn(2025, 3, 10, 18), 1, vn(2025, 3, 11, 17)),
        # Half a working day from opening: the middle of the office time (scaled, see engine).
        (vn(2025, 3, 10, 7, 30), Decimal("0.5"), vn(2025, 3, 10, 11, 15)),
        # Back in time: one working day before Monday 09:00 is Friday 09:00.
        (vn(2025, 3, 10, 9), -1, vn(2025, 3, 7, 9)),
    ],
)
def test_add_working_days(start: dt.datetime, days: int | Decimal, expected: dt.datetime) -> None:
    result = add_working_time(start, days, "days")
    assert result == expected
    assert result.utcoffset() == dt.timedelta(hours=7)


def test_days_are_eight_hours_each() -> None:
    start = vn(2025, 1, 23, 10, 45)
    for days in (1, 2, 3, 7):
        assert add_working_time(start, days, "days") == add_working_time(start, 8 * days, "hours")


def test_hours_are_scaled_to_an_office_time_of_seven_and_a_half_hours() -> None:
    # 07:30–11:30 and 13:30–17:00 hold 7.5 h: a limit hour is 56¼ minutes of office time.
    assert add_working_time(vn(2025, 3, 10, 7, 30), 4, "hours") == vn(2025, 3, 10, 11, 15)
    assert add_working_time(vn(2025, 3, 10, 7, 30), 8, "hours") == vn(2025, 3, 10, 17)


@override_settings(MOTCUA_OFFICE_HOURS=("07:00-11:00", "13:00-17:00"))
def test_hours_are_clock_hours_when_the_office_time_is_eight_hours() -> None:
    assert add_working_time(vn(2025, 3, 10, 7), 4, "hours") == vn(2025, 3, 10, 11)
    assert add_working_time(vn(2025, 3, 10, 10), 2, "hours") == vn(2025, 3, 10, 14)
    assert add_working_time(vn(2025, 3, 10, 9), 1, "days") == vn(2025, 3, 11, 9)


def test_add_working_time_refuses_bad_input() -> None:
    with pytest.raises(InvalidTimeUnit):
        add_working_time(vn(2025, 3, 10, 9), 1, "weeks")
    with pytest.raises(NaiveDatetime):
        add_working_time(dt.datetime(2025, 3, 10, 9), 1, "days")
    with pytest.raises(InvalidAmount):
        add_working_time(vn(2025, 3, 10, 9), "3", "days")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (vn(2025, 3, 10, 9, 15), vn(2025, 3, 10, 9, 15)),  # inside a session: unchanged
        (vn(2025, 3, 10, 7), vn(2025, 3, 10, 7, 30)),  # before opening
        (vn(2025, 3, 10, 12), vn(2025, 3, 10, 13, 30)),  # lunch break
        (vn(2025, 3, 10, 11, 30), vn(2025, 3, 10, 13, 30)),  # the morning has closed
        (vn(2025, 3, 10, 17), vn(2025, 3, 11, 7, 30)),  # closing time
        (vn(2025, 3, 7, 20), vn(2025, 3, 10, 7, 30)),  # Friday evening
        (vn(2025, 4, 26, 10), vn(2025, 4, 26, 10)),  # the working Saturday
        (vn(2025, 5, 3, 10), vn(2025, 5, 5, 7, 30)),  # Saturday reception is not working time
        (vn(2025, 1, 25, 9), vn(2025, 2, 3, 7, 30)),  # Tết 2025
    ],
)
def test_receipt_time(moment: dt.datetime, expected: dt.datetime) -> None:
    assert receipt_time(moment) == expected


def test_receipt_time_of_a_utc_moment_is_shown_in_local_time() -> None:
    t0 = receipt_time(dt.datetime(2025, 3, 10, 2, 0, tzinfo=dt.UTC))  # 09:00 in Việt Nam
    assert t0 == vn(2025, 3, 10, 9)
    assert t0.tzinfo is not None and t0.utcoffset() == dt.timedelta(hours=7)


@pytest.mark.parametrize(
    ("t0", "amount", "time_unit", "rounding", "expected"),
    [
        (vn(2025, 1, 6, 8), 10, TimeUnit.WORKING_DAYS, "exact", vn(2025, 1, 20, 8)),
        (vn(2025, 1, 6, 8), 10, TimeUnit.WORKING_DAYS, "end_of_day", vn(2025, 1, 20, 17)),
        (vn(2025, 1, 20, 10), 5, TimeUnit.WORKING_DAYS, "exact", vn(2025, 2, 3, 10)),  # over Tết
        # Civil Code: day 1 is the next day; a last day that is not worked moves to the next one.
        (vn(2025, 1, 6, 9), 3, TimeUnit.CALENDAR_DAYS, "exact", vn(2025, 1, 9, 17)),
        (vn(2025, 1, 8, 9), 3, TimeUnit.CALENDAR_DAYS, "exact", vn(2025, 1, 13, 17)),
        (vn(2025, 1, 24, 9), 5, TimeUnit.CALENDAR_DAYS, "exact", vn(2025, 2, 3, 17)),
        (vn(2025, 1, 6, 16), 8, TimeUnit.WORKING_HOURS, "exact", vn(2025, 1, 7, 16)),
        (vn(2025, 1, 6, 9), 0, TimeUnit.SAME_DAY, "exact", vn(2025, 1, 6, 17)),
        (vn(2025, 1, 24, 18), 0, TimeUnit.SAME_DAY, "exact", vn(2025, 2, 3, 17)),
    ],
)
def test_compute_due(
    t0: dt.datetime, amount: int, time_unit: str, rounding: str, expected: dt.datetime
) -> None:
    assert compute_due(t0, amount, time_unit, rounding=rounding) == expected


@override_settings(MOTCUA_DUE_ROUNDING="end_of_day")
def test_compute_due_rounding_defaults_to_the_setting() -> None:
    assert compute_due(vn(2025, 1, 6, 8), 2, TimeUnit.WORKING_DAYS) == vn(2025, 1, 8, 17)


def test_compute_due_refuses_bad_input() -> None:
    with pytest.raises(InvalidTimeUnit):
        compute_due(vn(2025, 1, 6, 8), 2, "fortnights")
    with pytest.raises(InvalidPolicy):
        compute_due(vn(2025, 1, 6, 8), 2, TimeUnit.WORKING_DAYS, rounding="up")
    with pytest.raises(InvalidAmount):
        compute_due(vn(2025, 1, 6, 8), -2, TimeUnit.WORKING_DAYS)


def test_working_hours_between() -> None:
    assert working_hours_between(vn(2025, 1, 6, 7, 30), vn(2025, 1, 7, 7, 30)) == 8
    assert working_hours_between(vn(2025, 1, 24, 9), vn(2025, 2, 3, 9)) == 8  # over Tết
    assert working_hours_between(vn(2025, 2, 3, 9), vn(2025, 1, 24, 9)) == -8
    assert working_hours_between(vn(2025, 1, 6, 9), vn(2025, 1, 6, 9)) == 0
    # Nights and weekends do not count.
    assert working_hours_between(vn(2025, 3, 7, 17), vn(2025, 3, 10, 7, 30)) == 0
    assert working_hours_between(vn(2025, 3, 10, 7, 30), vn(2025, 3, 10, 11, 30)) == Decimal(
        "4.266667"
    )


@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        (vn(2025, 1, 14, 16), Timing.EARLY),
        (vn(2025, 1, 15, 8), Timing.ON_TIME),
        (vn(2025, 1, 15, 10), Timing.ON_TIME),
        (vn(2025, 1, 15, 10, 1), Timing.LATE),
        (vn(2025, 1, 16, 8), Timing.LATE),
        # 23:30 UTC on the 14th is 06:30 on the 15th in Việt Nam: the due day, so not early.
        (dt.datetime(2025, 1, 14, 23, 30, tzinfo=dt.UTC), Timing.ON_TIME),
    ],
)
def test_classify(finished: dt.datetime, expected: Timing) -> None:
    assert classify(finished, vn(2025, 1, 15, 10)) == expected


def test_classify_pending() -> None:
    due = vn(2025, 1, 15, 10)
    assert classify_pending(vn(2025, 1, 15, 10), due) == PendingTiming.WITHIN_DEADLINE
    assert classify_pending(vn(2025, 1, 15, 10, 1), due) == PendingTiming.OVERDUE


def test_supplement_restart_counts_the_whole_limit_again() -> None:
    due = due_after_supplement(
        due_at=vn(2025, 1, 10, 15),
        requested_at=vn(2025, 1, 6, 9),
        completed_at=vn(2025, 1, 8, 18),  # after hours: t0 is the next morning
        amount=5,
        time_unit=TimeUnit.WORKING_DAYS,
        policy="restart",
    )
    assert due == vn(2025, 1, 15, 17)


def test_supplement_pause_moves_the_due_time_by_the_wait() -> None:
    due = due_after_supplement(
        due_at=vn(2025, 1, 17, 17),
        requested_at=vn(2025, 1, 13, 7, 30),
        completed_at=vn(2025, 1, 14, 7, 30),
        amount=5,
        time_unit=TimeUnit.WORKING_DAYS,
        policy="pause",
    )
    assert due == vn(2025, 1, 20, 17)


@override_settings(MOTCUA_SUPPLEMENT_POLICY="pause")
def test_supplement_policy_defaults_to_the_setting() -> None:
    kwargs = {
        "due_at": vn(2025, 1, 17, 17),
        "requested_at": vn(2025, 1, 13, 9),
        "completed_at": vn(2025, 1, 13, 9),
        "amount": 5,
        "time_unit": TimeUnit.WORKING_DAYS,
    }
    assert due_after_supplement(**kwargs) == vn(2025, 1, 17, 17)
    with pytest.raises(InvalidPolicy):
        due_after_supplement(**kwargs, policy="forget")


def test_apology_deadline_is_one_working_day_before() -> None:
    assert apology_deadline(vn(2025, 3, 10, 17)) == vn(2025, 3, 7, 17)  # Monday → Friday
    assert apology_deadline(vn(2025, 2, 3, 10)) == vn(2025, 1, 24, 10)  # back over Tết 2025


def test_is_due_soon() -> None:
    due = vn(2025, 3, 11, 10)
    assert is_due_soon(due, at=vn(2025, 3, 10, 9)) is False
    assert is_due_soon(due, at=vn(2025, 3, 10, 10)) is True
    assert is_due_soon(due, at=vn(2025, 3, 11, 10)) is True
    assert is_due_soon(due, at=vn(2025, 3, 11, 10, 1)) is False  # overdue, not "soon"


def test_reappointment_is_allowed_once_later_and_in_office_hours() -> None:
    current = vn(2025, 3, 11, 10)
    reappointment_check(current_due=current, new_due=vn(2025, 3, 14, 17), apologies_so_far=0)
    with pytest.raises(ApologyAlreadyIssued) as error:
        reappointment_check(current_due=current, new_due=vn(2025, 3, 14, 17), apologies_so_far=1)
    assert error.value.code == "apology_already_issued"
    assert "không được hẹn lại lần nữa" in error.value.message
    with pytest.raises(ApologyNewDueNotLater):
        reappointment_check(current_due=current, new_due=current, apologies_so_far=0)
    with pytest.raises(ApologyNewDueNotWorkingTime):
        reappointment_check(current_due=current, new_due=vn(2025, 3, 15, 9), apologies_so_far=0)
    with pytest.raises(ApologyNewDueNotWorkingTime):
        reappointment_check(current_due=current, new_due=vn(2025, 3, 14, 12), apologies_so_far=0)


@pytest.mark.parametrize(
    ("t0", "expected"),
    [
        (vn(2025, 3, 10, 9), vn(2025, 3, 10, 17)),
        (vn(2025, 3, 10, 15), vn(2025, 3, 10, 17)),
        (vn(2025, 3, 10, 15, 1), vn(2025, 3, 11, 11, 30)),
        (vn(2025, 3, 7, 16), vn(2025, 3, 10, 11, 30)),  # Friday afternoon → Monday morning
        (vn(2025, 3, 8, 9), vn(2025, 3, 10, 17)),  # Saturday reception: Monday counts
    ],
)
def test_handover_deadline_of_a_direct_dossier(t0: dt.datetime, expected: dt.datetime) -> None:
    assert handover_deadline(t0) == expected


def test_classify_national_subtracts_one_supplement_and_fails_two() -> None:
    due = vn(2025, 1, 15, 10)
    finished = vn(2025, 1, 17, 9)
    assert classify(finished, due) == Timing.LATE
    one = [(vn(2025, 1, 8, 9), vn(2025, 1, 10, 9))]  # two days of waiting
    assert classify_national(finished_at=finished, due_at=due, supplements=one) == Timing.ON_TIME
    assert classify_national(finished_at=vn(2025, 1, 16, 9), due_at=due, supplements=one) == (
        Timing.EARLY
    )
    two = [*one, (vn(2025, 1, 13, 9), vn(2025, 1, 13, 10))]
    assert classify_national(finished_at=vn(2025, 1, 10, 9), due_at=due, supplements=two) == (
        Timing.LATE
    )
    assert classify_national(finished_at=finished, due_at=due) == Timing.LATE
