"""The list of a year's special days, with the reason of each."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.orgs.models import Unit
from motcua.workcal.constants import OverrideKind, OverrideScope
from motcua.workcal.selectors import calendar_list_special_days
from motcua.workcal.services import calendar_override_set

pytestmark = pytest.mark.django_db


def test_special_days_of_2025() -> None:
    days = {day.date: day for day in calendar_list_special_days(year=2025)}
    assert days[dt.date(2025, 4, 26)].is_working_day is True
    assert days[dt.date(2025, 4, 26)].reason == "Ngày làm việc bù"
    assert days[dt.date(2025, 1, 29)].is_working_day is False
    assert days[dt.date(2025, 1, 29)].reason == "Tết Nguyên Đán"
    assert days[dt.date(2025, 9, 2)].reason == "Quốc khánh"
    assert dt.date(2025, 1, 4) not in days  # an ordinary Saturday is not special
    # 1/1, Tết 27–31/1 (its fifth day is a Saturday), 7/4, 30/4, 1/5, the swapped 2/5, 1–2/9.
    assert len([d for d in days.values() if not d.is_working_day]) == 12
    assert [d.date for d in days.values() if d.is_working_day] == [dt.date(2025, 4, 26)]


def test_special_days_follow_the_overrides_of_the_unit(tree: dict[str, Unit]) -> None:
    calendar_override_set(
        date=dt.date(2025, 3, 10),
        kind=OverrideKind.DAY_OFF,
        scope=OverrideScope.PROVINCE,
        title="Nghỉ theo quyết định của tỉnh",
    )
    calendar_override_set(
        date=dt.date(2025, 3, 10),
        kind=OverrideKind.WORKING_DAY,
        scope=OverrideScope.UNIT,
        unit=tree["department"],
        title="Sở vẫn làm việc",
    )
    province_days = {d.date: d for d in calendar_list_special_days(year=2025)}
    assert province_days[dt.date(2025, 3, 10)].reason == "Nghỉ theo quyết định của tỉnh"
    office_days = {
        d.date: d for d in calendar_list_special_days(year=2025, org_unit=tree["office"])
    }
    assert dt.date(2025, 3, 10) not in office_days  # worked there, as any Monday
