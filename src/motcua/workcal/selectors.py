"""Reads of the working calendar: the days off and extra working days of a year, with reasons."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.workcal.calendar import ancestor_ids, overrides_filter, working_calendar
from motcua.workcal.constants import OverrideScope
from motcua.workcal.engine import limit_hour, package_days, parse_sessions

if TYPE_CHECKING:
    from motcua.orgs.models import Unit


@dataclass(frozen=True)
class SpecialDay:
    """A weekday that is not worked, or a weekend day that is, and why."""

    date: dt.date
    is_working_day: bool
    reason: str


def calendar_list_special_days(*, year: int, org_unit: Unit | None = None) -> list[SpecialDay]:
    """Every day of `year` whose status differs from the plain Monday–Friday week."""
    from motcua.workcal.models import CalendarOverride

    calendar = working_calendar(org_unit=org_unit)
    overrides = CalendarOverride.objects.filter(
        overrides_filter(ancestor_ids(org_unit)), date__year=year
    ).select_related("unit")
    rank = {OverrideScope.NATIONAL: 0, OverrideScope.PROVINCE: 1}
    # The most specific override's title wins, as its kind does.
    titles = {
        o.date: o.title or o.source_document
        for o in sorted(
            overrides, key=lambda o: rank.get(o.scope, 2 + (o.unit.depth if o.unit else 0))
        )
    }
    days_off, workdays = package_days(year)
    result: list[SpecialDay] = []
    day = dt.date(year, 1, 1)
    while day.year == year:
        working = calendar.is_working_day(day)
        if working != (day.weekday() < 5):
            if day in titles:
                reason = titles[day]
            elif day in days_off:
                reason = days_off[day]
            elif day in workdays:
                reason = _("Ngày làm việc bù")
            else:
                reason = ""
            result.append(SpecialDay(date=day, is_working_day=working, reason=reason))
        day += dt.timedelta(days=1)
    return result


def limit_hour_label(sessions: tuple[str, ...] | list[str]) -> str:
    """ "1 giờ làm việc = 52 phút 30 giây" for sessions ("07:30-11:30", "13:30-17:00")…: how long one
    hour of a time limit lasts at a unit with these sessions (8 limit hours a working day)."""
    length = limit_hour(parse_sessions(sessions), int(settings.MOTCUA_HOURS_PER_WORKING_DAY))
    minutes, seconds = divmod(round(length.total_seconds()), 60)
    text = _("%(minutes)d phút") % {"minutes": minutes}
    if seconds:
        text += " " + _("%(seconds)d giây") % {"seconds": seconds}
    return _("1 giờ theo thời hạn = %(length)s thời gian làm việc") % {"length": text}
