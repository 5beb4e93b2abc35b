"""Reads of the working calendar: the days off and extra working days of a year, with reasons."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from motcua.workcal.calendar import ancestor_ids, overrides_filter, working_calendar
from motcua.workcal.constants import OverrideScope
from motcua.workcal.engine import package_days

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
