"""The default working day: 07:00–11:00 and 13:00–17:00, eight hours, so that an hour of a time
limit is a clock hour and half a working day is a session; a unit with its own timetable keeps
its limit time scaled to it. Answers computed by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from motcua.workcal import add_working_time
from motcua.workcal.models import OfficeHours
from motcua.workcal.selectors import limit_hour_label
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=VN)


def test_the_default_sessions_hold_eight_hours(settings) -> None:
    assert tuple(settings.MOTCUA_OFFICE_HOURS) == ("07:00-11:00", "13:00-17:00")


def test_four_working_hours_from_the_opening_end_four_clock_hours_later() -> None:
    monday = vn(2025, 3, 10, 7)
    assert add_working_time(monday, 4, "hours") == vn(2025, 3, 10, 11)
    assert add_working_time(monday, 1, "hours") == vn(2025, 3, 10, 8)
    # From 10:00, 2 hours: 1 hour to the close of the morning, 1 from the afternoon's opening.
    assert add_working_time(vn(2025, 3, 10, 10), 2, "hours") == vn(2025, 3, 10, 14)
    # Friday 15:00 + 4 hours: 2 on Friday, 2 on Monday morning (the weekend is off).
    assert add_working_time(vn(2025, 3, 14, 15), 4, "hours") == vn(2025, 3, 17, 9)


def test_half_a_working_day_from_the_opening_ends_at_the_close_of_the_morning() -> None:
    assert add_working_time(vn(2025, 3, 10, 7), Decimal("0.5"), "days") == vn(2025, 3, 10, 11)
    # From the afternoon's opening it ends at the close of the day.
    assert add_working_time(vn(2025, 3, 10, 13), Decimal("0.5"), "days") == vn(2025, 3, 10, 17)
    assert add_working_time(vn(2025, 3, 10, 7), 1, "days") == vn(2025, 3, 10, 17)


def test_a_unit_with_its_own_timetable_still_scales() -> None:
    unit = UnitFactory()
    OfficeHours.objects.create(unit=unit, sessions="07:30-11:30, 13:30-17:00")  # 7.5 hours
    # A limit hour is 7.5 / 8 h = 56 min 15 s there: 4 of them from 07:30 end at 11:15.
    start = vn(2025, 3, 10, 7, 30)
    assert add_working_time(start, 4, "hours", org_unit=unit) == vn(2025, 3, 10, 11, 15)
    assert add_working_time(start, 8, "hours", org_unit=unit) == vn(2025, 3, 10, 17)


def test_how_long_a_limit_hour_is() -> None:
    assert limit_hour_label(("07:00-11:00", "13:00-17:00")) == (
        "1 giờ theo thời hạn = 60 phút thời gian làm việc"
    )
    assert limit_hour_label(("07:30-11:30", "13:30-17:00")) == (
        "1 giờ theo thời hạn = 56 phút 15 giây thời gian làm việc"
    )
    assert limit_hour_label(("07:00-11:00", "13:00-16:00")) == (  # 7 hours
        "1 giờ theo thời hạn = 52 phút 30 giây thời gian làm việc"
    )


def test_the_units_calendar_page_says_how_long_a_limit_hour_is(admin_client: Client) -> None:
    unit = UnitFactory(name="UBND xã Ea Tam")
    hours = OfficeHours.objects.create(unit=unit, sessions="07:00-11:00, 13:00-16:00")
    listing = admin_client.get("/admin/workcal/officehours/").content.decode()
    assert "52 phút 30 giây" in listing  # the unit's own 7 hours
    assert "07:00-11:00, 13:00-17:00; 1 giờ theo thời hạn = 60 phút" in listing  # the others
    page = admin_client.get(f"/admin/workcal/officehours/{hours.pk}/change/").content.decode()
    assert "1 giờ theo thời hạn = 52 phút 30 giây thời gian làm việc" in page
