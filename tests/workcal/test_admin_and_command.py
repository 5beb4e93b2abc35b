"""The override admin pages render in Vietnamese; the command lists a year's special days."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from motcua.orgs.models import Unit
from motcua.workcal.constants import OverrideKind, OverrideScope
from motcua.workcal.models import CalendarOverride
from motcua.workcal.services import calendar_override_set

pytestmark = pytest.mark.django_db


def test_admin_lists_and_adds_overrides(admin_client: Client) -> None:
    calendar_override_set(
        date=dt.date(2025, 3, 10),
        kind=OverrideKind.DAY_OFF,
        scope=OverrideScope.PROVINCE,
        title="Nghỉ theo quyết định của tỉnh",
    )
    page = admin_client.get(reverse("admin:workcal_calendaroverride_changelist"))
    assert page.status_code == 200
    assert "Nghỉ theo quyết định của tỉnh" in page.content.decode()
    assert "Thứ Hai" in page.content.decode()
    added = admin_client.post(
        reverse("admin:workcal_calendaroverride_add"),
        {
            "date": "2025-03-15",
            "kind": OverrideKind.WORKING_DAY,
            "scope": OverrideScope.NATIONAL,
            "title": "Làm bù",
            "source_document": "Công văn 1/VPCP",
            "note": "",
        },
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    assert CalendarOverride.objects.filter(date=dt.date(2025, 3, 15)).exists()


def test_admin_refuses_a_unit_scope_without_a_unit(admin_client: Client) -> None:
    page = admin_client.post(
        reverse("admin:workcal_calendaroverride_add"),
        {"date": "2025-03-15", "kind": OverrideKind.DAY_OFF, "scope": OverrideScope.UNIT},
    )
    assert page.status_code == 200
    assert "Phạm vi đơn vị cần chọn đơn vị." in page.content.decode()
    assert not CalendarOverride.objects.exists()


def test_command_lists_the_special_days(tree: dict[str, Unit]) -> None:
    out = StringIO()
    call_command("workcal_days", "--year", "2025", stdout=out)
    lines = out.getvalue().splitlines()
    assert "26/04/2025 T7  làm việc   Ngày làm việc bù" in lines
    assert any(line.startswith("29/01/2025 T4  nghỉ") for line in lines)
    calendar_override_set(
        date=dt.date(2025, 3, 10),
        kind=OverrideKind.DAY_OFF,
        scope=OverrideScope.UNIT,
        unit=tree["office"],
        title="Nghỉ kiểm kê",
    )
    out = StringIO()
    call_command("workcal_days", "--year", "2025", "--unit", "000.01.21.H16", stdout=out)
    assert "10/03/2025 T2  nghỉ       Nghỉ kiểm kê" in out.getvalue().splitlines()
    with pytest.raises(CommandError):
        call_command("workcal_days", "--year", "2025", "--unit", "999.99.99.H16")
