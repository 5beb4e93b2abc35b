"""Reporting periods (month, quarter, half-year, year) as half-open [start, end) intervals between
local midnights (Asia/Ho_Chi_Minh), stored as aware datetimes.

The national reporting rules close a monthly period on the 14th (Decree 09/2019/NĐ-CP, Art. 12,
"thời gian chốt số liệu"): the period named `2020-05` runs from 15/04/2020 00:00 to 15/05/2020
00:00 and its reports are due before the 22nd of May itself (Directive 08/CT-UBND: "trước ngày
22 của tháng báo cáo"). A quarter, a half-year (`2025-H1`, `2025-H2`) and a year are made of
such months: 2025-Q2 is 15/03–14/06/2025, the year 2025 is 15/12/2024–14/12/2025.

`MOTCUA_REPORT_CUTOFF_DAY` sets the day a month opens on (default 15); 1 makes periods calendar
months, for a province that reports so; their reports are then due the 22nd of the following
month. In both cases a report is due before the first `MOTCUA_REPORT_DUE_DAY` (22) after the end
of its period. docs/DOMAIN.md §5 gives the sources.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

_PERIOD_RE = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])|H(?P<half>[12])))?$"
)
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class InvalidPeriod(ValueError):
    """The period text is not YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY (or is out of range)."""


def _tz() -> dt.tzinfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _month_start(year: int, month: int, cutoff: int | None = None) -> dt.datetime:
    """Local midnight opening the reporting month `year-month`: the 1st of the month, or with a
    cut-off day (default settings.MOTCUA_REPORT_CUTOFF_DAY) that day of the month before."""
    cutoff = settings.MOTCUA_REPORT_CUTOFF_DAY if cutoff is None else cutoff
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
    """`months` reporting months starting with (`year`, `month`).

    `cutoff` fixes the day the months open on (1: calendar months); None follows the setting.
    A period stored with its bounds (frozen figures, a submitted report) is read back with the
    cut-off it was made under (`period_of_bounds`), so it keeps those bounds.
    """

    year: int
    month: int
    months: int = 1
    cutoff: int | None = None

    @property
    def kind(self) -> str:
        return {1: "month", 3: "quarter", 6: "half", 12: "year"}.get(self.months, "range")

    @property
    def key(self) -> str:
        if self.months == 12 and self.month == 1:
            return f"{self.year}"
        if self.months == 3 and self.month % 3 == 1:
            return f"{self.year}-Q{(self.month - 1) // 3 + 1}"
        if self.months == 6 and self.month in (1, 7):
            return f"{self.year}-H{1 if self.month == 1 else 2}"
        return f"{self.year}-{self.month:02d}"

    @property
    def start(self) -> dt.datetime:
        return _month_start(self.year, self.month, self.cutoff)

    @property
    def end(self) -> dt.datetime:
        return _month_start(*_add_months(self.year, self.month, self.months), self.cutoff)

    @property
    def label(self) -> str:
        if self.kind == "year":
            return _("Năm %(year)s") % {"year": self.year}
        if self.kind == "quarter":
            quarter = ROMAN[(self.month - 1) // 3 + 1]
            return _("Quý %(quarter)s/%(year)s") % {"quarter": quarter, "year": self.year}
        if self.kind == "half":
            if self.month == 1:
                return _("6 tháng đầu năm %(year)s") % {"year": self.year}
            return _("6 tháng cuối năm %(year)s") % {"year": self.year}
        return _("Tháng %(month)s/%(year)s") % {"month": self.month, "year": self.year}

    @property
    def range_label(self) -> str:
        """ "Từ ngày 15/04/2020 đến ngày 14/05/2020" (the last day included, local dates)."""
        last = self.end - dt.timedelta(days=1)
        return _("Từ ngày %(start)s đến ngày %(end)s") % {
            "start": self.start.strftime("%d/%m/%Y"),
            "end": last.strftime("%d/%m/%Y"),
        }

    @property
    def last_day(self) -> dt.date:
        """The period's last day (its end is the midnight after it)."""
        return (self.end - dt.timedelta(days=1)).date()

    def month_periods(self) -> list[Period]:
        return [
            Period(*_add_months(self.year, self.month, i), cutoff=self.cutoff)
            for i in range(self.months)
        ]

    def previous(self) -> Period:
        year, month = _add_months(self.year, self.month, -self.months)
        return Period(year, month, months=self.months, cutoff=self.cutoff)

    def following(self) -> Period:
        year, month = _add_months(self.year, self.month, self.months)
        return Period(year, month, months=self.months, cutoff=self.cutoff)

    def is_closed(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.end

    def submission_deadline(self) -> dt.datetime:
        """Reports of the period are due before this local midnight: the first due day (the
        22nd) after the period's end — the 22nd of its last month when months close on the 14th,
        of the month after it for calendar months."""
        end = self.end
        deadline = dt.datetime(end.year, end.month, settings.MOTCUA_REPORT_DUE_DAY, tzinfo=_tz())
        if deadline <= end:
            year, month = _add_months(end.year, end.month, 1)
            deadline = deadline.replace(year=year, month=month)
        return deadline

    @property
    def due_before(self) -> dt.date:
        """The day before which the reports are due ("trước ngày 22/05/2020")."""
        return self.submission_deadline().date()


def period_parse(value: str) -> Period:
    """`2020-05` (a month), `2020-Q2` (a quarter), `2020-H1` (a half-year) or `2020` (a year)."""
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
    if match["half"]:
        return Period(year, 1 if match["half"] == "1" else 7, months=6)
    return Period(year, 1, months=12)


def period_of(value: Period | str) -> Period:
    """`value` as a period: a key ("2020-05", "2020-Q2", "2020") is parsed."""
    return period_parse(value) if isinstance(value, str) else value


def period_of_bounds(key: str, start: dt.datetime) -> Period:
    """The period `key` as it was made when it opened at `start` (stored with frozen figures and
    submitted reports): under the cut-off day of that start, whatever the setting is now."""
    period = period_parse(key)
    day = timezone.localtime(start, _tz()).day
    return Period(period.year, period.month, period.months, cutoff=day)


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
    return [
        Period(*_add_months(last.year, last.month, i - count + 1), cutoff=last.cutoff)
        for i in range(count)
    ]
