"""Form 06 (Sổ theo dõi hồ sơ) as PDF (A4 landscape) and as XLSX."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from motcua.documents.renderers import render_form, render_tracking_book
from motcua.documents.selectors import tracking_book
from motcua.documents.xlsx import FIRST_DATA_ROW, tracking_book_xlsx
from motcua.dossiers import services as s

from .conftest import Flow, local_time, pdf_reader, pdf_text

JULY = {"start": dt.date(2025, 7, 1), "end": dt.date(2025, 7, 31)}


@pytest.fixture
def book_unit(flow: Flow, centre, procedure, officer):  # type: ignore[no-untyped-def]
    # A second dossier still pending, and one received after the period.
    for day, name in ((15, "Lý Thị Ngọc Diễm"), (31, "Đinh Văn Ất")):
        s.dossier_receive_direct(
            actor=officer,
            procedure=procedure,
            receiving_unit=centre,
            applicant=s.Applicant(name=name, phone="0987654321", address="Buôn Đôn"),
            at=local_time(day, 10, 0),
        )
    s.dossier_receive_direct(
        actor=officer,
        procedure=procedure,
        receiving_unit=centre,
        applicant=s.Applicant(name="Ngoài kỳ"),
        at=dt.datetime(2025, 8, 1, 7, 30, tzinfo=local_time(1, 0).tzinfo),
    )
    return centre


def test_rows_cover_the_period_in_local_days(
    book_unit, flow: Flow, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(2):
        book = tracking_book(unit=book_unit, **JULY)
    assert [row.applicant for row in book.rows] == [
        "Hoàng Thị Ngọc Ửng",
        "Lý Thị Ngọc Diễm",
        "Đinh Văn Ất",
    ]
    first = book.rows[0]
    assert first.code == flow.dossier.code
    assert first.lead_agency == "Sở Tư pháp"
    assert first.transferred_at == local_time(14, 9, 0)
    assert first.returned_at == flow.dossier.returned_at
    assert "Đã xin lỗi" in first.note
    assert book.rows[1].note == "Đã tiếp nhận"
    assert book.rows[1].address_phone == "Buôn Đôn, 0987654321"
    assert book.totals["total"] == 3
    assert book.totals["returned"] == 1
    assert book.totals["pending"] == 2


def test_tracking_book_pdf_is_a4_landscape(book_unit, flow: Flow, keep) -> None:  # type: ignore[no-untyped-def]
    data = render_tracking_book(unit=book_unit, issued_at=local_time(31, 17), **JULY)
    keep("06-tracking-book.pdf", data)
    box = pdf_reader(data).pages[0].mediabox
    assert float(box.width) == pytest.approx(841.9, abs=0.6)
    assert float(box.height) == pytest.approx(595.3, abs=0.6)
    text = pdf_text(data)
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert "Mẫu số 06" in text
    assert "Từ ngày 01/07/2025 đến ngày 31/07/2025" in text
    assert flow.dossier.code in text
    assert "Lý Thị Ngọc Diễm" in text
    assert "Ngoài kỳ" not in text
    assert "Tổng số hồ sơ: 3" in text
    assert render_form("06", unit=book_unit, **JULY)[:5] == b"%PDF-"


def test_tracking_book_xlsx_cells_and_merges(book_unit, flow: Flow, keep) -> None:  # type: ignore[no-untyped-def]
    data = tracking_book_xlsx(unit=book_unit, issued_at=local_time(31, 17), **JULY)
    keep("06-tracking-book.xlsx", data)
    ws = load_workbook(io.BytesIO(data)).active
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A4:N4", "A5:N5", "H7:L7", "A7:A8", "B7:B8", "N7:N8"} <= merged
    assert ws["A4"].value == "SỔ THEO DÕI HỒ SƠ"
    assert ws["H1"].value == "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert ws["A2"].value == "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH"
    assert ws["H7"].value == "Ngày, tháng, năm"
    assert ws["H8"].value == "Nhận hồ sơ"
    assert ws["C7"].value == "Tên thủ tục hành chính"
    assert ws.freeze_panes == f"C{FIRST_DATA_ROW}"
    assert ws.column_dimensions["C"].width == 36
    first = FIRST_DATA_ROW
    assert ws[f"B{first}"].value == flow.dossier.code
    assert ws[f"E{first}"].value == "Hoàng Thị Ngọc Ửng"
    assert ws[f"H{first}"].value == dt.datetime(2025, 7, 14, 8, 5)
    assert ws[f"H{first}"].number_format == "hh:mm dd/mm/yyyy"
    assert ws[f"E{first + 2}"].value == "Đinh Văn Ất"
    total_row = first + 3
    assert ws[f"A{total_row}"].value == "Tổng cộng"
    assert ws[f"D{total_row}"].value == 3
    assert f"A{total_row}:C{total_row}" in merged
    assert ws[f"A{total_row + 1}"].value.startswith("Tổng số hồ sơ: 3; đã trả kết quả: 1")


def test_tracking_book_refuses_a_reversed_period(book_unit) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="ends before"):
        tracking_book(unit=book_unit, start=dt.date(2025, 7, 31), end=dt.date(2025, 7, 1))
