"""Form 06 (Sổ theo dõi hồ sơ) as an Excel workbook: merged headings, frozen header, totals."""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from . import registry
from .selectors import tracking_book
from .words import local, nfc

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from motcua.orgs.models import Unit

FONT_NAME = "Times New Roman"
# (heading, width in characters); columns 8–12 sit under the merged "Ngày, tháng, năm".
COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 5),
    ("Mã hồ sơ", 26),
    ("Tên thủ tục hành chính", 36),
    ("Số lượng hồ sơ (bộ)", 9),
    ("Tên cá nhân, tổ chức", 24),
    ("Địa chỉ, số điện thoại", 30),
    ("Cơ quan chủ trì giải quyết", 24),
    ("Nhận hồ sơ", 16),
    ("Hẹn trả kết quả", 16),
    ("Chuyển hồ sơ đến cơ quan giải quyết", 16),
    ("Nhận kết quả từ cơ quan giải quyết", 16),
    ("Trả kết quả cho cá nhân, tổ chức", 16),
    ("Ký nhận", 10),
    ("Ghi chú", 24),
)
DATE_GROUP = (8, 12)
HEADER_ROW = 7  # first of the two heading rows; then a row of column numbers
FIRST_DATA_ROW = HEADER_ROW + 3
DATETIME_FORMAT = "hh:mm dd/mm/yyyy"

_thin = Side(style="thin", color="000000")
_box = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
_wrap = Alignment(vertical="top", wrap_text=True)


def print_a4_landscape(ws: Worksheet, *, title_rows: str) -> None:
    """Print setup of the official registers and reports: A4 landscape, one page wide, the
    heading rows repeated on every page."""
    ws.print_title_rows = title_rows
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _font(*, bold: bool = False, italic: bool = False, size: float = 11) -> Font:
    return Font(name=FONT_NAME, bold=bold, italic=italic, size=size)


def _merge_text(
    ws: Worksheet, cells: str, value: str, *, font: Font, align: Alignment = _centre
) -> None:
    ws.merge_cells(cells)
    first = ws[cells.split(":")[0]]
    first.value = nfc(value)
    first.font = font
    first.alignment = align


def _naive_local(value: dt.datetime | None) -> dt.datetime | None:
    # Excel has no time zones: cells carry Vietnam's wall-clock time.
    return local(value).replace(tzinfo=None, microsecond=0) if value is not None else None


def tracking_book_xlsx(
    *, unit: Unit, start: dt.date, end: dt.date, issued_at: dt.datetime | None = None
) -> bytes:
    """The tracking book of ``unit`` from ``start`` to ``end`` (inclusive) as .xlsx bytes."""
    from django.utils import timezone

    book = tracking_book(unit=unit, start=start, end=end)
    spec = registry.get_form(key=registry.TRACKING_BOOK)
    issued = local(issued_at or timezone.now())
    last = get_column_letter(len(COLUMNS))

    wb = Workbook()
    ws = wb.active
    ws.title = "So theo doi ho so"
    _merge_text(
        ws,
        "A1:F1",
        (unit.parent.name.upper() if unit.parent_id else ""),
        font=_font(size=11),
    )
    _merge_text(ws, "A2:F2", unit.name.upper(), font=_font(bold=True))
    _merge_text(ws, f"H1:{last}1", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=_font(bold=True))
    _merge_text(ws, f"H2:{last}2", "Độc lập - Tự do - Hạnh phúc", font=_font(bold=True))
    _merge_text(
        ws, f"A3:{last}3", spec.label, font=_font(italic=True), align=Alignment(horizontal="right")
    )
    _merge_text(ws, f"A4:{last}4", spec.title.upper(), font=_font(bold=True, size=14))
    _merge_text(ws, f"A5:{last}5", book.period_text, font=_font(italic=True))

    top, sub, numbers = HEADER_ROW, HEADER_ROW + 1, HEADER_ROW + 2
    for index, (heading, width) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = width
        if DATE_GROUP[0] <= index <= DATE_GROUP[1]:
            cell = ws.cell(row=sub, column=index, value=nfc(heading))
        else:
            ws.merge_cells(f"{letter}{top}:{letter}{sub}")
            cell = ws.cell(row=top, column=index, value=nfc(heading))
        cell.font = _font(bold=True, size=10)
        cell.alignment = _centre
        number = ws.cell(row=numbers, column=index, value=f"({index})")
        number.font = _font(italic=True, size=9)
        number.alignment = _centre
    group = f"{get_column_letter(DATE_GROUP[0])}{top}:{get_column_letter(DATE_GROUP[1])}{top}"
    _merge_text(ws, group, "Ngày, tháng, năm", font=_font(bold=True, size=10))
    ws.row_dimensions[sub].height = 54

    row_index = FIRST_DATA_ROW
    for row in book.rows:
        values = (
            row.number,
            row.code,
            row.procedure,
            row.quantity,
            row.applicant,
            row.address_phone,
            row.lead_agency,
            _naive_local(row.received_at),
            _naive_local(row.due_at),
            _naive_local(row.transferred_at),
            _naive_local(row.result_at),
            _naive_local(row.returned_at),
            None,
            row.note,
        )
        for column, value in enumerate(values, start=1):
            cell = ws.cell(
                row=row_index, column=column, value=nfc(value) if isinstance(value, str) else value
            )
            cell.font = _font(size=10)
            cell.alignment = _wrap
            if isinstance(value, dt.datetime):
                cell.number_format = DATETIME_FORMAT
                cell.alignment = _centre
            elif column in (1, 4):
                cell.alignment = _centre
        row_index += 1

    total_row = row_index
    ws.merge_cells(f"A{total_row}:C{total_row}")
    ws.cell(row=total_row, column=1, value="Tổng cộng").font = _font(bold=True, size=10)
    ws.cell(row=total_row, column=1).alignment = _centre
    total = ws.cell(row=total_row, column=4, value=book.totals["total"])
    total.font = _font(bold=True, size=10)
    total.alignment = _centre
    for r in range(top, total_row + 1):
        for c in range(1, len(COLUMNS) + 1):
            ws.cell(row=r, column=c).border = _box
    _merge_text(
        ws,
        f"A{total_row + 1}:{last}{total_row + 1}",
        book.summary_text,
        font=_font(italic=True, size=10),
        align=Alignment(horizontal="left", wrap_text=True),
    )
    _merge_text(
        ws,
        f"J{total_row + 3}:{last}{total_row + 3}",
        f"Lập ngày {issued:%d/%m/%Y}",
        font=_font(italic=True, size=10),
    )

    ws.freeze_panes = f"C{FIRST_DATA_ROW}"
    print_a4_landscape(ws, title_rows=f"{top}:{numbers}")

    stream = io.BytesIO()
    wb.save(stream)
    return stream.getvalue()
