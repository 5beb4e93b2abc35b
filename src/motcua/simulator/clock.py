"""Integer working-time arithmetic over one workcal calendar, for millions of simulated moments.

The simulator moves each dossier through its life by adding working hours many times; the
workcal engine does this exactly with Fractions (tens of µs a call). Here a moment of working
time is `(i, offset)`: the i-th working day of the calendar and the limit-time microseconds
already worked on it, as in `motcua.workcal.engine`, with plain integers. Legal due times are
not computed here but by `motcua.workcal` itself (see `DueTimes`), checked on a sample.
"""

from __future__ import annotations

import bisect
import datetime as dt
from typing import Any

from motcua.workcal import compute_due
from motcua.workcal.engine import WorkingCalendar

Pos = tuple[int, int]
MICROS_PER_HOUR = 3_600_000_000
ONE_MICRO = dt.timedelta(microseconds=1)


class FastClock:
    """Working days and sessions of `calendar` between two dates (with a margin), as integers."""

    def __init__(self, *, calendar: WorkingCalendar, first: dt.date, last: dt.date) -> None:
        self.calendar = calendar
        self.tz = calendar.tz
        self.sessions = calendar.sessions
        self.day = int(calendar.day_micros)
        self.office = int(calendar.office_micros)
        days: list[dt.date] = []
        for year in range(first.year - 1, last.year + 3):
            days += calendar.working_days_of_year(year)
        self.days = days
        self.index = {day: i for i, day in enumerate(days)}
        self._midnights: dict[int, dt.datetime] = {}

    def midnight(self, i: int) -> dt.datetime:
        found = self._midnights.get(i)
        if found is None:
            found = dt.datetime.combine(self.days[i], dt.time(0), tzinfo=self.tz)
            self._midnights[i] = found
        return found

    def day_index(self, day: dt.date) -> int:
        """The index of `day`, or of the next working day."""
        i = self.index.get(day)
        return i if i is not None else bisect.bisect_left(self.days, day)

    def position(self, moment: dt.datetime) -> Pos:
        """Where `moment` is in working time (outside working time: the next working moment)."""
        local = moment.astimezone(self.tz)
        i = self.index.get(local.date())
        if i is None:
            return bisect.bisect_left(self.days, local.date()), 0
        micros = (local - self.midnight(i)) // ONE_MICRO
        worked = 0
        for start, end in self.sessions:
            worked += min(max(micros - start, 0), end - start)
        return i, worked * self.day // self.office

    def is_working_time(self, moment: dt.datetime) -> bool:
        """Inside a session of a working day (a session's closing moment is not)."""
        local = moment.astimezone(self.tz)
        i = self.index.get(local.date())
        if i is None:
            return False
        micros = (local - self.midnight(i)) // ONE_MICRO
        return any(start <= micros < end for start, end in self.sessions)

    def at(self, pos: Pos) -> dt.datetime:
        """The clock time of a position; the end of a day shows as the end (17:00), not 07:30."""
        i, offset = pos
        quotient, remainder = divmod(offset * self.office, self.day)
        if 2 * remainder > self.day or (2 * remainder == self.day and quotient % 2):
            quotient += 1
        for start, end in self.sessions:
            if quotient <= end - start:
                return self.midnight(i) + dt.timedelta(microseconds=start + quotient)
            quotient -= end - start
        return self.midnight(i) + dt.timedelta(microseconds=self.sessions[-1][1])

    def add(self, pos: Pos, micros: int) -> Pos:
        """`pos` plus `micros` (> 0) of limit time."""
        total = pos[1] + micros
        k = -(-total // self.day) - 1
        return pos[0] + k, total - k * self.day

    def add_hours(self, pos: Pos, hours: float) -> Pos:
        return self.add(pos, max(int(hours * MICROS_PER_HOUR), 1_000_000))

    def between(self, start: Pos, end: Pos) -> int:
        """Limit-time microseconds from `start` to `end`."""
        return (end[0] - start[0]) * self.day + end[1] - start[1]

    def random_office_pos(self, i: int, rng: Any) -> Pos:
        """A moment of day `i` strictly inside working time, on the second."""
        return i, rng.randrange(1, self.day // 1_000_000) * 1_000_000


class DueTimes:
    """Legal due times from `motcua.workcal.compute_due`, with the cheap cases taken from memory.

    Adding N working days to a t0 strictly inside office hours keeps the clock time N working
    days later (workcal's rule); calendar-day and same-day limits depend only on t0's date. Every
    `check_every`-th answer is compared with compute_due itself, so a drift cannot go unseen.
    """

    def __init__(
        self, *, clock: FastClock, unit: Any, rounding: str, check_every: int = 997
    ) -> None:
        self.clock = clock
        self.unit = unit
        self.rounding = rounding
        self.check_every = check_every
        self.calls = 0
        self._by_date: dict[tuple[dt.date, int, str], dt.datetime] = {}
        first, last = clock.sessions[0][0], clock.sessions[-1][1]
        self._first, self._last = first, last

    def _slow(self, t0: dt.datetime, amount: int, time_unit: str) -> dt.datetime:
        return compute_due(t0, amount, time_unit, org_unit=self.unit)

    def due(self, t0: dt.datetime, amount: int, time_unit: str) -> dt.datetime:
        self.calls += 1
        answer = self._fast(t0, amount, time_unit)
        if answer is None:
            return self._slow(t0, amount, time_unit)
        if self.calls % self.check_every == 0:
            exact = self._slow(t0, amount, time_unit)
            if exact != answer:
                raise RuntimeError(
                    f"due time drift: {t0} + {amount} {time_unit}: {answer} != {exact}"
                )
        return answer

    def _fast(self, t0: dt.datetime, amount: int, time_unit: str) -> dt.datetime | None:
        clock = self.clock
        local = t0.astimezone(clock.tz)
        i = clock.index.get(local.date())
        if i is None or amount <= 0:
            return None
        micros = (local - clock.midnight(i)) // ONE_MICRO
        # A later session's opening is the same working moment as the previous one's close,
        # which workcal shows as the close: leave those (and the day's end) to compute_due.
        inside = micros == self._first or any(
            start < micros <= end for start, end in clock.sessions
        )
        if not inside or micros >= self._last:
            return None
        if time_unit == "working_days":
            if self.rounding != "exact" or i + amount >= len(clock.days):
                return None
            if micros == self._first:
                return clock.midnight(i + amount - 1) + dt.timedelta(microseconds=self._last)
            return clock.midnight(i + amount) + (local - clock.midnight(i))
        if time_unit in ("calendar_days", "same_day"):
            key = (local.date(), amount, time_unit)
            found = self._by_date.get(key)
            if found is None:
                found = self._slow(t0, amount, time_unit)
                self._by_date[key] = found
            return found
        return None
