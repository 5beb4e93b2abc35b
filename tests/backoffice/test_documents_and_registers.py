"""Form 06 (the tracking book) as PDF and XLSX, the apology register, the deadline badge."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from motcua.backoffice.deadlines import time_left
from motcua.dossiers import services as s
from motcua.dossiers.constants import DossierStatus
from motcua.workcal import add_working_time
from tests.dossiers.helpers import drive
from tests.factories import DossierFactory

from .conftest import World, pdf_text


def test_tracking_book_pdf_and_xlsx(as_user, world: World) -> None:
    d = drive(world, DossierStatus.RETURNED)
    officer = as_user(world.reception)
    url = reverse("backoffice:tracking_book")
    assert officer.get(url).status_code == 200
    params = {"unit": world.unit.pk, "start": "01/07/2025", "end": "31/07/2025"}
    pdf = officer.get(url, {**params, "output": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert d.code in text and "SỔ THEO DÕI HỒ SƠ" in text.upper()
    xlsx = officer.get(url, {**params, "output": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert d.code in cells
    # Another unit's book is not offered to this officer.
    bad = officer.get(url, {**params, "unit": world.other_unit.pk, "output": "pdf"})
    assert bad.status_code == 200 and bad["Content-Type"].startswith("text/html")


def test_apology_register_and_late_without_apology(as_user, world: World) -> None:
    late = drive(world, DossierStatus.PROCESSING)
    apologised = drive(world, DossierStatus.PROCESSING)
    new_due = add_working_time(timezone.now(), 2, "days")
    s.dossier_apologise(
        dossier=apologised, actor=world.leader, reason="Chờ kết quả xác minh", new_due_at=new_due
    )
    officer = as_user(world.leader)
    month = timezone.localtime().strftime("%m/%Y")
    response = officer.get(reverse("backoffice:apologies"), {"unit": world.unit.pk, "month": month})
    assert response.status_code == 200
    assert [a.dossier.code for a in response.context["apologies"]] == [apologised.code]
    assert [d.code for d in response.context["late"]] == [late.code]
    assert "Chờ kết quả xác minh" in response.content.decode()


def test_time_left_badge_levels(world: World) -> None:
    now = timezone.make_aware(dt.datetime(2025, 7, 14, 8, 0))  # Monday 08:00
    d = DossierFactory(
        receiving_unit=world.unit,
        status=DossierStatus.PROCESSING,
        due_at=add_working_time(now, 19, "hours"),
        code="000.00.21.H16-260101-9001",
    )
    left = time_left(d, now=now)
    assert (left.level, left.text, left.hours) == ("ok", "Còn 2 ngày 3 giờ", Decimal("19.00"))
    d.due_at = add_working_time(now, Decimal("5.5"), "hours")
    assert (time_left(d, now=now).level, time_left(d, now=now).text) == (
        "soon",
        "Còn 5 giờ 30 phút",
    )
    d.due_at = add_working_time(now, -10, "hours")
    assert (time_left(d, now=now).level, time_left(d, now=now).text) == (
        "late",
        "Quá hạn 1 ngày 2 giờ",
    )
    d.status, d.timing = DossierStatus.RETURNED, "on_time"
    assert (time_left(d, now=now).level, time_left(d, now=now).text) == ("ok", "Đúng hạn")
