"""The calendar arithmetic itself: a pure, database-free working calendar object.

Working time is measured in "limit time": every working day is worth exactly
`hours_per_day` limit hours (8 by law), spread linearly over that day's office sessions.
With the default sessions (07:00–11:00, 13:00–17:00 = 8 h of office time) one limit hour is
exactly one clock hour and half a working day is the morning; a unit whose own sessions total
7.5 h (07:30–11:30, 13:30–17:00) has limit hours of 56¼ minutes of office time (`limit_hour`). This keeps
"N working days = N × 8 working hours" true *and* keeps the clock time when whole days are
added (received Monday 09:00, 3 working days → Thursday 09:00).

A moment of working time is a position `(day, offset)`: a working day and the limit time
already worked on it, from 0 (the first session opens) to a full day (the last one closes).
The end of one working day and the start of the next are the same moment of working time;
results of adding time are shown as the end ("17:00 Monday" rather than "07:00 Tuesday").
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import math
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

import holidays

from motcua.workcal.exceptions import InvalidOfficeHours, NaiveDatetime, NoWorkingDays

MICROS_PER_SECOND = 1_000_000
MICROS_PER_HOUR = 3600 * MICROS_PER_SECOND
MICROS_PER_DAY = 24 * MICROS_PER_HOUR
# How far a computation may walk before it gives up (a calendar with no working day at all).
MAX_YEARS_WALKED = 60

_SESSION_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")

Number = int | Decimal | Fraction


def parse_sessions(spec: Sequence[str]) -> tuple[tuple[int, int], ...]:
    """Parse ("07:30-11:30", "13:30-17:00") into (start, end) microseconds since midnight."""
    sessions: list[tuple[int, int]] = []
    for item in spec:
        match = _SESSION_RE.match(item or "")
        if not match:
            raise InvalidOfficeHours()
        h1, m1, h2, m2 = (int(part) for part in match.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise InvalidOfficeHours()
        start = (h1 * 60 + m1) * 60 * MICROS_PER_SECOND
        end = (h2 * 60 + m2) * 60 * MICROS_PER_SECOND
        if end <= start or (sessions and start < sessions[-1][1]):
            raise InvalidOfficeHours()
        sessions.append((start, end))
    if not sessions:
        raise InvalidOfficeHours()
    return tuple(sessions)


def limit_hour(sessions: Sequence[tuple[int, int]], hours_per_day: int = 8) -> dt.timedelta:
    """How much office time one limit hour ("1 giờ làm việc" of a time limit) is with these
    sessions: their total over the hours a working day counts."""
    office = sum(end - start for start, end in sessions)
    return dt.timedelta(microseconds=office / hours_per_day)


@functools.lru_cache(maxsize=256)
def package_days(year: int) -> tuple[dict[dt.date, str], frozenset[dt.date]]:
    """The `holidays` package's VN days off (with names) and swapped working weekend days."""
    calendar = holidays.country_holidays("VN", years=year, language="vi")
    days_off = {day: str(name) for day, name in calendar.items() if day.year == year}
    workdays = frozenset(day for day in calendar.weekend_workdays if day.year == year)
    return days_off, workdays


def to_micros(amount: Number, unit_micros: int) -> Fraction:
    """`amount` (hours or days) as a Fraction of microseconds; floats are refused on purpose."""
    if isinstance(amount, bool) or not isinstance(amount, int | Decimal | Fraction):
        raise TypeError("amount must be int, Decimal or Fraction")
    if isinstance(amount, Decimal) and not amount.is_finite():
        raise ValueError("amount must be finite")
    return Fraction(amount) * unit_micros


class WorkingCalendar:
    """Working days and office sessions of one scope (the VN calendar plus resolved overrides)."""

    def __init__(
        self,
        *,
        sessions: Sequence[tuple[int, int]],
        hours_per_day: int,
        tz: dt.tzinfo,
        overrides: Mapping[dt.date, bool] | None = None,
    ) -> None:
        self.sessions = tuple(sessions)
        self.tz = tz
        self.overrides = dict(overrides or {})
        self.office_micros = sum(end - start for start, end in self.sessions)
        self.day_micros = hours_per_day * MICROS_PER_HOUR
        # Limit time per microsecond of office time.
        self.scale = Fraction(self.day_micros, self.office_micros)
        self._years: dict[int, list[dt.date]] = {}

    # --- days -----------------------------------------------------------------------------
    def is_working_day(self, day: dt.date) -> bool:
        override = self.overrides.get(day)
        if override is not None:
            return override
        days_off, workdays = package_days(day.year)
        if day in days_off:
            return False
        if day in workdays:
            return True
        return day.weekday() < 5

    def holiday_name(self, day: dt.date) -> str:
        """The package's name for a day off, or ""."""
        return package_days(day.year)[0].get(day, "")

    def working_days_of_year(self, year: int) -> list[dt.date]:
        days = self._years.get(year)
        if days is None:
            first = dt.date(year, 1, 1)
            count = (dt.date(year + 1, 1, 1) - first).days
            days = [
                first + dt.timedelta(days=i)
                for i in range(count)
                if self.is_working_day(first + dt.timedelta(days=i))
            ]
            self._years[year] = days
        return days

    def next_working_day(self, day: dt.date, *, inclusive: bool = True) -> dt.date:
        year = day.year
        days = self.working_days_of_year(year)
        i = (bisect.bisect_left if inclusive else bisect.bisect_right)(days, day)
        while i >= len(days):
            year += 1
            if year - day.year > MAX_YEARS_WALKED:
                raise NoWorkingDays()
            days = self.working_days_of_year(year)
            i = 0
        return days[i]

    def previous_working_day(self, day: dt.date, *, inclusive: bool = True) -> dt.date:
        year = day.year
        days = self.working_days_of_year(year)
        i = (bisect.bisect_right if inclusive else bisect.bisect_left)(days, day) - 1
        while i < 0:
            year -= 1
            if day.year - year > MAX_YEARS_WALKED:
                raise NoWorkingDays()
            days = self.working_days_of_year(year)
            i = len(days) - 1
        return days[i]

    def shift_working_days(self, day: dt.date, count: int) -> dt.date:
        """The working day `count` working days after (or before) the working day `day`."""
        year = day.year
        days = self.working_days_of_year(year)
        i = bisect.bisect_left(days, day) + count
        while i >= len(days):
            i -= len(days)
            year += 1
            if year - day.year > MAX_YEARS_WALKED:
                raise NoWorkingDays()
            days = self.working_days_of_year(year)
        while i < 0:
            year -= 1
            if day.year - year > MAX_YEARS_WALKED:
                raise NoWorkingDays()
            days = self.working_days_of_year(year)
            i += len(days)
        return days[i]

    def count_working_days(self, first: dt.date, last: dt.date) -> int:
        """Working days d with first <= d < last (negative when last < first)."""
        if last < first:
            return -self.count_working_days(last, first)
        total = 0
        for year in range(first.year, last.year + 1):
            days = self.working_days_of_year(year)
            lo = bisect.bisect_left(days, first) if year == first.year else 0
            hi = bisect.bisect_left(days, last) if year == last.year else len(days)
            total += hi - lo
        return total

    # --- moments --------------------------------------------------------------------------
    def local(self, moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise NaiveDatetime()
        return moment.astimezone(self.tz)

    def _offset(self, micros_of_day: int) -> Fraction:
        worked = 0
        for start, end in self.sessions:
            worked += min(max(micros_of_day - start, 0), end - start)
        return worked * self.scale

    def _time_of_offset(self, offset: Fraction, *, prefer_end: bool) -> int:
        """Microseconds since midnight of the limit-time `offset` into a working day."""
        remaining = offset / self.scale
        last = len(self.sessions) - 1
        for i, (start, end) in enumerate(self.sessions):
            length = end - start
            if remaining < length or (remaining == length and (prefer_end or i == last)):
                return start + round(remaining)
            remaining -= length
        return self.sessions[-1][1]

    def _at(self, day: dt.date, offset: Fraction, *, prefer_end: bool) -> dt.datetime:
        if offset >= self.day_micros and not prefer_end:
            day, offset = self.next_working_day(day, inclusive=False), Fraction(0)
        micros = self._time_of_offset(offset, prefer_end=prefer_end)
        midnight = dt.datetime.combine(day, dt.time(0), tzinfo=self.tz)
        return midnight + dt.timedelta(microseconds=micros)

    def position(self, moment: dt.datetime) -> tuple[dt.date, Fraction]:
        """The working-time position of `moment` (outside working time: the next one)."""
        local = self.local(moment)
        day = local.date()
        if not self.is_working_day(day):
            return self.next_working_day(day), Fraction(0)
        midnight = dt.datetime.combine(day, dt.time(0), tzinfo=self.tz)
        micros = (local - midnight) // dt.timedelta(microseconds=1)
        return day, self._offset(micros)

    def is_working_time(self, moment: dt.datetime) -> bool:
        local = self.local(moment)
        if not self.is_working_day(local.date()):
            return False
        micros = (local - local.replace(hour=0, minute=0, second=0, microsecond=0)) // (
            dt.timedelta(microseconds=1)
        )
        return any(start <= micros < end for start, end in self.sessions)

    def is_office_moment(self, moment: dt.datetime) -> bool:
        """Inside a session of a working day, its closing moment included (an appointment)."""
        local = self.local(moment)
        if not self.is_working_day(local.date()):
            return False
        micros = (local - local.replace(hour=0, minute=0, second=0, microsecond=0)) // (
            dt.timedelta(microseconds=1)
        )
        return any(start <= micros <= end for start, end in self.sessions)

    def end_of_first_session(self, day: dt.date) -> dt.datetime:
        midnight = dt.datetime.combine(day, dt.time(0), tzinfo=self.tz)
        return midnight + dt.timedelta(microseconds=self.sessions[0][1])

    def next_session_start(self, moment: dt.datetime) -> dt.datetime:
        """`moment` itself inside working time, else the start of the next working session."""
        day, offset = self.position(moment)
        if self.is_working_time(moment):
            return self.local(moment)
        return self._at(day, offset, prefer_end=False)

    def end_of_working_day(self, day: dt.date) -> dt.datetime:
        """When the last session of `day` closes (`day` must be a working day)."""
        midnight = dt.datetime.combine(day, dt.time(0), tzinfo=self.tz)
        return midnight + dt.timedelta(microseconds=self.sessions[-1][1])

    def start_of_working_day(self, day: dt.date) -> dt.datetime:
        midnight = dt.datetime.combine(day, dt.time(0), tzinfo=self.tz)
        return midnight + dt.timedelta(microseconds=self.sessions[0][0])

    # --- arithmetic -----------------------------------------------------------------------
    def add(self, start: dt.datetime, micros: Fraction) -> dt.datetime:
        """`start` plus `micros` of limit time (negative goes back). Ends are shown as ends."""
        day, offset = self.position(start)
        if micros == 0:
            return self.next_session_start(start)
        total = offset + micros
        # total = k full days + rest, with rest in (0, one day]: a boundary shows as an end.
        k = math.ceil(total / self.day_micros) - 1
        rest = total - k * self.day_micros
        return self._at(self.shift_working_days(day, k), rest, prefer_end=True)

    def between(self, start: dt.datetime, end: dt.datetime) -> Fraction:
        """Limit time from `start` to `end`, in microseconds (negative if end < start)."""
        day1, off1 = self.position(start)
        day2, off2 = self.position(end)
        return self.count_working_days(day1, day2) * self.day_micros + off2 - off1
