"""Calendar overrides: they win over the package, the most specific scope wins, caches follow."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings

from motcua.orgs.models import Unit
from motcua.workcal import add_working_time, is_working_day, receipt_time, working_calendar
from motcua.workcal.calendar import clear_cache
from motcua.workcal.constants import OverrideKind, OverrideScope
from motcua.workcal.models import CalendarOverride, OfficeHours
from motcua.workcal.services import (
    calendar_override_delete,
    calendar_override_set,
    office_hours_delete,
    office_hours_set,
)

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = dt.date(2025, 1, 6)
TUESDAY = dt.date(2025, 1, 7)
WEDNESDAY = dt.date(2025, 1, 8)
SATURDAY = dt.date(2025, 1, 11)


def test_a_province_day_off_moves_deadlines() -> None:
    start = dt.datetime(2025, 1, 3, 9, tzinfo=VN)  # Friday
    assert add_working_time(start, 1, "days") == dt.datetime(2025, 1, 6, 9, tzinfo=VN)
    calendar_override_set(
        date=MONDAY,
        kind=OverrideKind.DAY_OFF,
        scope=OverrideScope.PROVINCE,
        title="Nghỉ kỷ niệm ngày thành lập tỉnh",
        source_document="Quyết định 12/QĐ-UBND",
    )
    assert is_working_day(MONDAY) is False
    assert add_working_time(start, 1, "days") == dt.datetime(2025, 1, 7, 9, tzinfo=VN)


def test_an_extra_working_day_and_a_package_holiday_worked() -> None:
    calendar_override_set(date=SATURDAY, kind=OverrideKind.WORKING_DAY)
    assert is_working_day(SATURDAY) is True
    # A day off of the package (Fri 02/05/2025) made a working day by the province.
    calendar_override_set(
        date=dt.date(2025, 5, 2), kind=OverrideKind.WORKING_DAY, scope=OverrideScope.PROVINCE
    )
    assert is_working_day(dt.date(2025, 5, 2)) is True


def test_setting_again_replaces_and_deleting_restores() -> None:
    first = calendar_override_set(date=MONDAY, kind=OverrideKind.DAY_OFF, title="a")
    second = calendar_override_set(date=MONDAY, kind=OverrideKind.WORKING_DAY, title="b")
    assert first.pk == second.pk
    assert CalendarOverride.objects.get().title == "b"
    assert is_working_day(MONDAY) is True
    calendar_override_set(date=MONDAY, kind=OverrideKind.DAY_OFF)
    assert is_working_day(MONDAY) is False
    assert calendar_override_delete(date=MONDAY) is True
    assert calendar_override_delete(date=MONDAY) is False
    assert is_working_day(MONDAY) is True


def test_unit_overrides_cover_the_units_below_and_the_deepest_wins(tree: dict[str, Unit]) -> None:
    province, department, office, sibling = (
        tree["province"],
        tree["department"],
        tree["office"],
        tree["sibling"],
    )
    calendar_override_set(
        date=TUESDAY, kind=OverrideKind.DAY_OFF, scope=OverrideScope.UNIT, unit=department
    )
    assert is_working_day(TUESDAY, org_unit=office) is False
    assert is_working_day(TUESDAY, org_unit=department) is False
    assert is_working_day(TUESDAY, org_unit=province) is True
    assert is_working_day(TUESDAY, org_unit=sibling) is True
    assert is_working_day(TUESDAY) is True

    calendar_override_set(
        date=TUESDAY, kind=OverrideKind.WORKING_DAY, scope=OverrideScope.UNIT, unit=office
    )
    assert is_working_day(TUESDAY, org_unit=office) is True
    assert is_working_day(TUESDAY, org_unit=department) is False


def test_a_unit_override_beats_the_province_and_the_nation(tree: dict[str, Unit]) -> None:
    department = tree["department"]
    calendar_override_set(date=WEDNESDAY, kind=OverrideKind.DAY_OFF, scope=OverrideScope.PROVINCE)
    calendar_override_set(
        date=WEDNESDAY, kind=OverrideKind.WORKING_DAY, scope=OverrideScope.UNIT, unit=department
    )
    assert is_working_day(WEDNESDAY) is False
    assert is_working_day(WEDNESDAY, org_unit=department) is True
    # The province beats the nation.
    calendar_override_set(date=SATURDAY, kind=OverrideKind.WORKING_DAY)
    calendar_override_set(date=SATURDAY, kind=OverrideKind.DAY_OFF, scope=OverrideScope.PROVINCE)
    assert is_working_day(SATURDAY) is False


def test_scope_and_unit_must_agree(tree: dict[str, Unit]) -> None:
    with pytest.raises(ValidationError):
        calendar_override_set(date=MONDAY, kind=OverrideKind.DAY_OFF, scope=OverrideScope.UNIT)
    with pytest.raises(ValidationError):
        calendar_override_set(date=MONDAY, kind="holiday")
    # The database refuses it too, whoever writes.
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarOverride.objects.create(
            date=MONDAY,
            kind=OverrideKind.DAY_OFF,
            scope=OverrideScope.NATIONAL,
            unit=tree["office"],
        )
    CalendarOverride.objects.create(date=MONDAY, kind=OverrideKind.DAY_OFF)
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarOverride.objects.create(date=MONDAY, kind=OverrideKind.WORKING_DAY)
    assert CalendarOverride.objects.count() == 1


def test_the_calendar_costs_one_query_and_is_reused(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    first = working_calendar()
    with django_assert_num_queries(1):
        second = working_calendar()
    assert second is first
    with django_assert_num_queries(0):
        for offset in range(400):
            first.is_working_day(MONDAY + dt.timedelta(days=offset))


@override_settings(MOTCUA_WORKCAL_CACHE_SECONDS=3600)
def test_a_cached_calendar_follows_saves_through_the_orm(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    clear_cache()
    assert is_working_day(MONDAY) is True
    with django_assert_num_queries(0):
        assert is_working_day(MONDAY) is True
    calendar_override_set(date=MONDAY, kind=OverrideKind.DAY_OFF)
    assert is_working_day(MONDAY) is False
    # A bulk update sends no signal: another process's write is seen when the cache expires.
    CalendarOverride.objects.filter(date=MONDAY).update(kind=OverrideKind.WORKING_DAY)
    assert is_working_day(MONDAY) is False
    clear_cache()
    assert is_working_day(MONDAY) is True


def test_str_names_the_day_and_the_scope(tree: dict[str, Unit]) -> None:
    override = calendar_override_set(
        date=MONDAY, kind=OverrideKind.DAY_OFF, scope=OverrideScope.UNIT, unit=tree["office"]
    )
    assert str(override) == "06/01/2025 · Ngày nghỉ · Phòng Hành chính tư pháp"


@override_settings(MOTCUA_OFFICE_HOURS=("07:30-11:30", "13:30-17:00"))  # other than the unit's
def test_office_hours_of_a_unit_cover_the_units_below(tree: dict[str, Unit]) -> None:
    office, department, sibling = tree["office"], tree["department"], tree["sibling"]
    office_hours_set(unit=department, sessions="07:00-11:00, 13:00-17:00", source_document="QĐ 5")
    monday_noon = dt.datetime(2025, 3, 10, 12, tzinfo=VN)
    assert receipt_time(monday_noon, org_unit=office) == dt.datetime(2025, 3, 10, 13, tzinfo=VN)
    assert receipt_time(monday_noon, org_unit=sibling) == dt.datetime(
        2025, 3, 10, 13, 30, tzinfo=VN
    )
    assert receipt_time(monday_noon) == dt.datetime(2025, 3, 10, 13, 30, tzinfo=VN)
    # Eight office hours: limit hours are clock hours there.
    start = dt.datetime(2025, 3, 10, 7, tzinfo=VN)
    assert add_working_time(start, 4, "hours", org_unit=office) == start.replace(hour=11)
    # The nearest unit's own hours win.
    office_hours_set(unit=office, sessions="08:00-12:00")
    assert receipt_time(start, org_unit=office) == start.replace(hour=8)
    assert receipt_time(start, org_unit=department) == start
    assert office_hours_delete(unit=office) is True
    assert office_hours_delete(unit=office) is False
    assert receipt_time(start, org_unit=office) == start


def test_bad_office_hours_are_refused(tree: dict[str, Unit]) -> None:
    for bad in ("", "7h30-11h30", "13:30-17:00, 07:30-11:30", "07:30-11:30, 11:00-12:00"):
        with pytest.raises(ValidationError):
            office_hours_set(unit=tree["office"], sessions=bad)
    assert not OfficeHours.objects.exists()


def test_a_unit_calendar_costs_two_queries(
    tree: dict[str, Unit], django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    first = working_calendar(org_unit=tree["office"])
    with django_assert_num_queries(2):
        assert working_calendar(org_unit=tree["office"]) is first
    office_hours_set(unit=tree["province"], sessions="07:00-11:00, 13:00-17:00")
    assert working_calendar(org_unit=tree["office"]) is not first


def test_units_with_the_same_rules_share_one_calendar(tree: dict[str, Unit]) -> None:
    office, sibling = tree["office"], tree["sibling"]
    assert working_calendar(org_unit=office) is working_calendar(org_unit=sibling)
    assert working_calendar(org_unit=office) is working_calendar()
    calendar_override_set(
        date=MONDAY, kind=OverrideKind.DAY_OFF, scope=OverrideScope.UNIT, unit=tree["department"]
    )
    assert working_calendar(org_unit=office) is not working_calendar(org_unit=sibling)
    assert working_calendar(org_unit=sibling) is working_calendar()
