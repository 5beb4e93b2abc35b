"""The demo shows the national reporting month: the reports, the open-data page and the
submissions page read 15th-to-14th periods with their deadline, the 22nd of the month itself."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from motcua.accounts.models import User

pytestmark = pytest.mark.django_db


def _last_closed_month(today: dt.date) -> tuple[dt.date, dt.date]:
    """By hand: the latest period that has ended ends on the most recent 15th (excluded)."""
    if today.day >= 15:
        end = today.replace(day=15)
    else:
        end = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=15)
    start = (end.replace(day=1) - dt.timedelta(days=1)).replace(day=15)
    return start, end


def test_the_demo_reports_by_15th_to_14th_periods() -> None:
    call_command("demo", dossiers=20, stdout=StringIO())
    today = dt.datetime.now(zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")).date()
    start, end = _last_closed_month(today)
    words = f"Từ ngày {start:%d/%m/%Y} đến ngày {end - dt.timedelta(days=1):%d/%m/%Y}"
    due = f"trước ngày 22/{end:%m/%Y}"

    assert words in Client().get("/bao-cao/cong-khai/").content.decode()
    client = Client()
    client.force_login(User.objects.get(username="quantri"))
    assert words in client.get("/bao-cao/").content.decode()
    assert due in client.get("/bao-cao/nop-bao-cao/").content.decode()
