"""Reporting periods (month, quarter, year) as half-open [start, end) local-midnight intervals.

A month is the calendar month unless `MOTCUA_REPORT_CUTOFF_DAY` is set (15: the 15th of the
previous month up to the 14th). Times are Asia/Ho_Chi_Minh midnights, stored as aware datetimes.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

_PERIOD_RE = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])))?$")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class InvalidPeriod(ValueError):
    """The period text is not YYYY-MM, YYYY-Qn or YYYY (or is out of range)."""


def _tz() -> dt.tzinfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _month_start(year: int, month: int) -> dt.datetime:
    """Local midnight opening the reporting month `year-month` (cut-off day aware)."""
    cutoff = settings.MOTCUA_REPORT_CUTOFF_DAY
    if cutoff <= 1:
        return dt.datetime(year, month, 1, tzinfo=_tz())
    # Month M runs from the cut-off day of month M-1.
    prev_year, prev_month = (year - 1, 12) if month == 1 else (year, month - 1)
    return dt.datetime(prev_year, prev_month, cutoff, tzinfo=_tz())


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


@dataclass(frozen=True)
class Period:
    """`months` reporting months starting with (`year`, `month`)."""

    year: int
    month: int
    months: int = 1

    @property
    def kind(self) -> str:
        return {1: "month", 3: "quarter", 12: "year"}.get(self.months, "range")

    @property
    def key(self) -> str:
        if self.months == 12 and self.month == 1:
            return f"{self.year}"
        if self.months == 3 and self.month % 3 == 1:
            return f"{self.year}-Q{(self.month - 1) // 3 + 1}"
        return f"{self.year}-{self.month:02d}"

    @property
    def start(self) -> dt.datetime:
        return _month_start(self.year, self.month)

    @property
    def end(self) -> dt.datetime:
        return _month_start(*_add_months(self.year, self.month, self.months))

    @property
    def label(self) -> str:
        if self.kind == "year":
            return _("Năm %(year)s") % {"year": self.year}
        if self.kind == "quarter":
            quarter = ROMAN[(self.month - 1) // 3 + 1]
            return _("Quý %(quarter)s/%(year)s") % {"quarter": quarter, "year": self.year}
        return _("Tháng %(month)s/%(year)s") % {"month": self.month, "year": self.year}

    @property
    def range_label(self) -> str:
        """ "từ ngày 01/05/2020 đến ngày 31/05/2020" (end inclusive, local dates)."""
        last = self.end - dt.timedelta(days=1)
        return _("Từ ngày %(start)s đến ngày %(end)s") % {
            "start": self.start.strftime("%d/%m/%Y"),
            "end": last.strftime("%d/%m/%Y"),
        }

    def month_periods(self) -> list[Period]:
        return [Period(*_add_months(self.year, self.month, i)) for i in range(self.months)]

    def previous(self) -> Period:
        return Period(*_add_months(self.year, self.month, -self.months), months=self.months)

    def following(self) -> Period:
        return Period(*_add_months(self.year, self.month, self.months), months=self.months)

    def is_closed(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.end

    def submission_deadline(self) -> dt.datetime:
        """Reports of the period are due before this local midnight (the 22nd after the end)."""
        last_year, last_month = _add_months(self.year, self.month, self.months - 1)
        year, month = _add_months(last_year, last_month, 1)
        return dt.datetime(year, month, settings.MOTCUA_REPORT_DUE_DAY, tzinfo=_tz())


def period_parse(value: str) -> Period:
    """`2020-05` (a month), `2020-Q2` (a quarter) or `2020` (a year)."""
    match = _PERIOD_RE.match((value or "").strip())
    if not match:
        raise InvalidPeriod(value)
    year = int(match["year"])
    if not 2000 <= year <= 2100:
        raise InvalidPeriod(value)
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise InvalidPeriod(value)
        return Period(year, month)
    if match["quarter"]:
        return Period(year, (int(match["quarter"]) - 1) * 3 + 1, months=3)
    return Period(year, 1, months=12)


def period_of(value: Period | str) -> Period:
    """`value` as a period: a key ("2020-05", "2020-Q2", "2020") is parsed."""
    return period_parse(value) if isinstance(value, str) else value


def period_containing(moment: dt.datetime) -> Period:
    """The reporting month that contains `moment`."""
    local = timezone.localtime(moment, _tz())
    year, month = local.year, local.month
    candidate = Period(*_add_months(year, month, 1))
    if candidate.start <= moment:
        return candidate
    candidate = Period(year, month)
    if candidate.start <= moment:
        return candidate
    return Period(*_add_months(year, month, -1))


def local_day_start(moment: dt.datetime) -> dt.datetime:
    """The local midnight opening the day that contains `moment`."""
    local = timezone.localtime(moment, _tz())
    return dt.datetime(local.year, local.month, local.day, tzinfo=_tz())


def period_last_closed(now: dt.datetime | None = None) -> Period:
    """The latest month that has ended (the one to report on)."""
    return period_containing(now or timezone.now()).previous()


def months_back(last: Period, count: int) -> list[Period]:
    """`count` consecutive months ending with the month `last` (oldest first)."""
    return [Period(*_add_months(last.year, last.month, i - count + 1)) for i in range(count)]
