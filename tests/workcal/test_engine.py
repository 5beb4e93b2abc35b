"""Properties of the calendar arithmetic, checked with hypothesis on random moments and limits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.workcal.engine import (
    MICROS_PER_HOUR,
    WorkingCalendar,
    parse_sessions,
    to_micros,
)
from motcua.workcal.exceptions import InvalidOfficeHours, NaiveDatetime, NoWorkingDays

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT = parse_sessions(("07:30-11:30", "13:30-17:00"))
EIGHT = parse_sessions(("07:00-11:00", "13:00-17:00"))
THREE = parse_sessions(("07:00-09:00", "09:30-11:30", "13:15-16:45"))

moments = st.datetimes(
    min_value=dt.datetime(2019, 1, 1), max_value=dt.datetime(2027, 6, 30), timezones=st.just(VN)
)
day_amounts = st.decimals(min_value=0, max_value=60, places=2)
hour_amounts = st.integers(min_value=0, max_value=400)
flipped_days = st.sets(
    st.dates(min_value=dt.date(2018, 12, 1), max_value=dt.date(2028, 6, 30)), max_size=60
)


def make(sessions=DEFAULT, flipped: frozenset[dt.date] | set[dt.date] = frozenset()):  # type: ignore[no-untyped-def]
    base = WorkingCalendar(sessions=sessions, hours_per_day=8, tz=VN)
    overrides = {day: not base.is_working_day(day) for day in flipped}
    return WorkingCalendar(sessions=sessions, hours_per_day=8, tz=VN, overrides=overrides)


CALENDAR = make()


def in_office_hours(calendar: WorkingCalendar, moment: dt.datetime, *, end_allowed: bool) -> bool:
    local = moment.astimezone(VN)
    if not calendar.is_working_day(local.date()):
        return False
    micros = (local - local.replace(hour=0, minute=0, second=0, microsecond=0)) // dt.timedelta(
        microseconds=1
    )
    return any(
        start <= micros < end or (end_allowed and micros == end) for start, end in calendar.sessions
    )


def days(calendar: WorkingCalendar, amount: Decimal) -> Fraction:
    return to_micros(amount, calendar.day_micros)


@settings(max_examples=150, deadline=None)
@given(
    start=moments,
    amount=day_amounts,
    sessions=st.sampled_from([DEFAULT, EIGHT, THREE]),
    flipped=flipped_days,
)
def test_a_due_time_is_always_inside_office_hours_of_a_working_day(
    start: dt.datetime, amount: Decimal, sessions, flipped: set[dt.date]
) -> None:  # type: ignore[no-untyped-def]
    calendar = make(sessions, flipped)
    due = calendar.add(start, days(calendar, amount))
    assert in_office_hours(calendar, due, end_allowed=amount > 0)
    assert due >= start
    assert due.utcoffset() == dt.timedelta(hours=7)


@settings(max_examples=150, deadline=None)
@given(start=moments, a=day_amounts, b=day_amounts, flipped=flipped_days)
def test_more_time_is_never_earlier(
    start: dt.datetime, a: Decimal, b: Decimal, flipped: set[dt.date]
) -> None:
    calendar = make(DEFAULT, flipped)
    low, high = sorted((a, b))
    assert calendar.add(start, days(calendar, low)) <= calendar.add(start, days(calendar, high))


@settings(max_examples=150, deadline=None)
@given(first=moments, second=moments, amount=day_amounts)
def test_a_later_start_is_never_due_earlier(
    first: dt.datetime, second: dt.datetime, amount: Decimal
) -> None:
    early, late = sorted((first, second))
    assert CALENDAR.add(early, days(CALENDAR, amount)) <= CALENDAR.add(late, days(CALENDAR, amount))


@settings(max_examples=150, deadline=None)
@given(start=moments, n=st.integers(min_value=0, max_value=80), flipped=flipped_days)
def test_days_and_the_equivalent_hours_agree(
    start: dt.datetime, n: int, flipped: set[dt.date]
) -> None:
    calendar = make(THREE, flipped)
    by_days = calendar.add(start, to_micros(n, calendar.day_micros))
    by_hours = calendar.add(start, to_micros(8 * n, MICROS_PER_HOUR))
    assert by_days == by_hours


@settings(max_examples=150, deadline=None)
@given(start=moments, n=st.integers(min_value=1, max_value=80))
def test_whole_days_keep_the_clock_time_inside_a_session(start: dt.datetime, n: int) -> None:
    if not CALENDAR.is_working_time(start):
        start = CALENDAR.next_session_start(start)
    due = CALENDAR.add(start, to_micros(n, CALENDAR.day_micros))
    if start.time() == dt.time(7, 30):  # from opening, n days end when day n-1 closes
        assert due == CALENDAR.end_of_working_day(CALENDAR.shift_working_days(start.date(), n - 1))
    elif start.time() == dt.time(13, 30):  # the same working moment as 11:30, shown as an end
        assert due.time() == dt.time(11, 30)
        assert CALENDAR.count_working_days(start.date(), due.date()) == n
    else:
        assert due.time() == start.time()
        assert CALENDAR.count_working_days(start.date(), due.date()) == n


@settings(max_examples=150, deadline=None)
@given(start=moments, hours=hour_amounts, flipped=flipped_days)
def test_elapsed_time_undoes_added_time(
    start: dt.datetime, hours: int, flipped: set[dt.date]
) -> None:
    calendar = make(DEFAULT, flipped)
    amount = to_micros(hours, MICROS_PER_HOUR)
    due = calendar.add(start, amount)
    # Results are rounded to the microsecond of office time: at most a scaled microsecond off.
    assert abs(calendar.between(start, due) - amount) <= calendar.scale
    assert abs(calendar.between(due, start) + amount) <= calendar.scale


@settings(max_examples=150, deadline=None)
@given(start=moments, hours=st.integers(min_value=1, max_value=400))
def test_going_back_undoes_going_forward(start: dt.datetime, hours: int) -> None:
    amount = to_micros(hours, MICROS_PER_HOUR)
    there = CALENDAR.add(start, amount)
    back = CALENDAR.add(there, -amount)
    assert CALENDAR.between(back, CALENDAR.next_session_start(start)) == 0


@settings(max_examples=150, deadline=None)
@given(moment=moments, flipped=flipped_days)
def test_receipt_time_is_the_first_working_moment_from_then(
    moment: dt.datetime, flipped: set[dt.date]
) -> None:
    calendar = make(DEFAULT, flipped)
    t0 = calendar.next_session_start(moment)
    assert t0 >= moment
    assert in_office_hours(calendar, t0, end_allowed=False)
    assert calendar.next_session_start(t0) == t0
    assert calendar.between(moment, t0) == 0


@settings(max_examples=100, deadline=None)
@given(first=st.dates(dt.date(2019, 1, 1), dt.date(2027, 1, 1)), span=st.integers(0, 900))
def test_counting_working_days_matches_a_plain_walk(first: dt.date, span: int) -> None:
    last = first + dt.timedelta(days=span)
    walked = sum(
        CALENDAR.is_working_day(first + dt.timedelta(days=i)) for i in range((last - first).days)
    )
    assert CALENDAR.count_working_days(first, last) == walked
    assert CALENDAR.count_working_days(last, first) == -walked


def test_bad_office_hours_are_refused() -> None:
    for spec in [
        (),
        ("7h30-11h30",),
        ("11:30-07:30",),
        ("07:30-11:30", "11:00-17:00"),
        ("25:00-26:00",),
    ]:
        with pytest.raises(InvalidOfficeHours):
            parse_sessions(spec)


def test_naive_moments_are_refused() -> None:
    with pytest.raises(NaiveDatetime):
        CALENDAR.add(dt.datetime(2025, 3, 10, 9), Fraction(MICROS_PER_HOUR))


def test_a_calendar_without_working_days_fails_clearly() -> None:
    nothing = WorkingCalendar(
        sessions=DEFAULT,
        hours_per_day=8,
        tz=VN,
        overrides={dt.date(2025, 1, 1) + dt.timedelta(days=i): False for i in range(366 * 70)},
    )
    with pytest.raises(NoWorkingDays):
        nothing.add(dt.datetime(2025, 3, 10, 9, tzinfo=VN), Fraction(MICROS_PER_HOUR))


def test_floats_are_refused_as_amounts() -> None:
    with pytest.raises(TypeError):
        to_micros(1.5, MICROS_PER_HOUR)  # type: ignore[arg-type]
