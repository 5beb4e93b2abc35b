"""The report as files: XLSX laid out like form "Biểu số 06/VPCP/KSTT", PDF, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from motcua.documents.pdf import html_to_pdf
from motcua.documents.words import nfc
from motcua.documents.xlsx import print_a4_landscape
from motcua.orgs.constants import GovLevel

from . import keeping
from .constants import COLUMNS, DERIVED_LABELS
from .indicators import quality_groups
from .kpis import KpiResult, kpi_indicators
from .monthly import MonthlyReport, ReportRow
from .scope import province_root

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FORMATS = ("xlsx", "pdf", "csv", "json")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
FORM_LABEL = "Biểu số 06/VPCP/KSTT"
ROMAN = ("I", "II", "III", "IV")


def _form_columns() -> list[tuple[str, str, Callable[[dict[str, int]], int]]]:
    """(group heading, column heading, value) for the columns of the form, in order."""
    received = _("Số hồ sơ nhận giải quyết")
    resolved = _("Số hồ sơ đã giải quyết")
    pending = _("Số hồ sơ đang giải quyết")
    other = _("Các chỉ tiêu khác")
    return [
        (received, _("Tổng số"), lambda f: f["received_total"]),
        (received, _("Từ kỳ trước chuyển qua"), lambda f: f["carried_over"]),
        (received, _("Mới tiếp nhận trực tuyến"), lambda f: f["received_online"]),
        (
            received,
            _("Mới tiếp nhận trực tiếp và qua dịch vụ bưu chính"),
            lambda f: f["received_direct"] + f["received_postal"],
        ),
        (resolved, _("Tổng số"), lambda f: f["resolved"]),
        (resolved, _("Trả trước hạn"), lambda f: f["resolved_early"]),
        (resolved, _("Trả đúng thời hạn"), lambda f: f["resolved_on_time"]),
        (resolved, _("Trả quá hạn"), lambda f: f["resolved_late"]),
        (pending, _("Tổng số"), lambda f: f["pending"]),
        (pending, _("Trong thời hạn"), lambda f: f["pending_within_deadline"]),
        (pending, _("Quá hạn"), lambda f: f["pending_overdue"]),
        (other, _("Rút hồ sơ"), lambda f: f["withdrawn"]),
        (other, _("Từ chối tiếp nhận"), lambda f: f["refused"]),
        (other, _("Dừng xử lý"), lambda f: f["stopped"]),
        (other, _("Văn bản xin lỗi"), lambda f: f["apologies"]),
        (other, _("Quá hạn không xin lỗi"), lambda f: f["late_without_apology"]),
        (other, _("Thanh toán trực tuyến"), lambda f: f["paid_online"]),
        (other, _("Nhận hồ sơ qua bưu chính"), lambda f: f["postal_pickups"]),
        (other, _("Trả kết quả qua bưu chính"), lambda f: f["postal_deliveries"]),
    ]


def _title(report: MonthlyReport) -> str:
    root = None if report.agency else province_root()
    name = report.agency.name if report.agency else (root.name if root else _("toàn tỉnh"))
    return _("Tình hình, kết quả giải quyết thủ tục hành chính tại %(agency)s") % {"agency": name}


def _issuer(report: MonthlyReport) -> tuple[str, str]:
    agency = report.agency
    if agency is None:
        return "", settings.MOTCUA_SYSTEM_NAME
    parent = agency.parent.name if agency.parent_id else ""
    return parent, agency.name


def _field_sections(report: MonthlyReport) -> list[tuple[str, list[ReportRow]]]:
    """The field rows under their government level ("I. Cấp tỉnh" …), as the form groups them."""
    sections = []
    for level in GovLevel:
        rows = [r for r in report.by_field if r.extra.get("gov_level") == level]
        if rows:
            sections.append((str(level.label), rows))
    return sections


# --- XLSX ------------------------------------------------------------------------------------

_thin = Side(style="thin", color="000000")
_box = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
_left = Alignment(horizontal="left", vertical="center", wrap_text=True)
_shade = PatternFill("solid", fgColor="F2F2F2")


def _font(*, bold: bool = False, italic: bool = False, size: float = 11) -> Font:
    return Font(name="Times New Roman", bold=bold, italic=italic, size=size)


def _merge(
    ws: Worksheet, cells: str, value: Any, *, font: Font, align: Alignment = _centre
) -> None:
    ws.merge_cells(cells)
    first = ws[cells.split(":")[0]]
    first.value = nfc(value) if isinstance(value, str) else value
    first.font = font
    first.alignment = align


def _write_row(
    ws: Worksheet, row: int, values: Sequence[Any], *, bold: bool = False, shade: bool = False
) -> None:
    for column, value in enumerate(values, start=1):
        cell = ws.cell(
            row=row, column=column, value=nfc(value) if isinstance(value, str) else value
        )
        cell.font = _font(bold=bold, size=10)
        cell.alignment = _left if column == 2 else _centre
        cell.border = _box
        if shade:
            cell.fill = _shade


def _form_sheet(ws: Worksheet, report: MonthlyReport) -> None:
    columns = _form_columns()
    width = 2 + len(columns)
    last = get_column_letter(width)
    parent, agency = _issuer(report)
    _merge(ws, "A1:E1", parent.upper(), font=_font(size=11))
    _merge(ws, "A2:E2", agency.upper(), font=_font(bold=True))
    _merge(
        ws, f"F1:{last}1", FORM_LABEL, font=_font(italic=True), align=Alignment(horizontal="right")
    )
    _merge(ws, f"A4:{last}4", _title(report).upper(), font=_font(bold=True, size=13))
    _merge(
        ws,
        f"A5:{last}5",
        f"{report.period.label} ({report.period.range_label.lower()})",
        font=_font(italic=True),
    )
    _merge(
        ws,
        f"A6:{last}6",
        _("Đơn vị tính: số hồ sơ thủ tục hành chính"),
        font=_font(italic=True, size=10),
        align=Alignment(horizontal="right"),
    )
    top, middle, bottom, numbers = 7, 8, 9, 10
    _merge(ws, f"A{top}:A{bottom}", _("STT"), font=_font(bold=True, size=10))
    _merge(
        ws,
        f"B{top}:B{bottom}",
        _("Lĩnh vực giải quyết (theo cấp)"),
        font=_font(bold=True, size=10),
    )
    # Group headings over their columns; "Tổng số" spans two rows, the others sit under
    # "Trong đó".
    groups: list[tuple[str, int, int]] = []
    for index, (group, _heading, _value) in enumerate(columns, start=3):
        if groups and groups[-1][0] == group:
            groups[-1] = (group, groups[-1][1], index)
        else:
            groups.append((group, index, index))
    for group, first, last_col in groups:
        a, b = get_column_letter(first), get_column_letter(last_col)
        _merge(ws, f"{a}{top}:{b}{top}", group, font=_font(bold=True, size=10))
        has_total = columns[first - 3][1] == _("Tổng số")
        if has_total:
            _merge(ws, f"{a}{middle}:{a}{bottom}", _("Tổng số"), font=_font(bold=True, size=10))
            if last_col > first:
                c = get_column_letter(first + 1)
                _merge(
                    ws, f"{c}{middle}:{b}{middle}", _("Trong đó"), font=_font(bold=True, size=10)
                )
            start = first + 1
        else:
            _merge(ws, f"{a}{middle}:{b}{middle}", _("Số hồ sơ"), font=_font(bold=True, size=10))
            start = first
        for index in range(start, last_col + 1):
            cell = ws.cell(row=bottom, column=index, value=nfc(columns[index - 3][1]))
            cell.font = _font(bold=True, size=10)
            cell.alignment = _centre
    for index in range(1, width + 1):
        cell = ws.cell(row=numbers, column=index, value=f"({index})")
        cell.font = _font(italic=True, size=9)
        cell.alignment = _centre
        for r in range(top, numbers + 1):
            ws.cell(row=r, column=index).border = _box
    ws.row_dimensions[bottom].height = 66
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 40
    for index in range(3, width + 1):
        ws.column_dimensions[get_column_letter(index)].width = 11

    row = numbers + 1
    for number, (level_label, rows) in enumerate(_field_sections(report)):
        level_counts = _sum_rows(rows)
        _write_row(
            ws,
            row,
            [ROMAN[number], level_label, *(v(level_counts) for _g, _h, v in columns)],
            bold=True,
            shade=True,
        )
        row += 1
        for index, field_row in enumerate(rows, start=1):
            figures = field_row.figures()
            _write_row(ws, row, [index, field_row.label, *(v(figures) for _g, _h, v in columns)])
            row += 1
    figures = report.figures
    _write_row(ws, row, ["", _("Tổng cộng"), *(v(figures) for _g, _h, v in columns)], bold=True)
    row += 2
    issued = timezone.localtime(report.computed_at)
    _merge(
        ws,
        f"{get_column_letter(width - 5)}{row}:{last}{row}",
        _("Lập lúc %(time)s ngày %(day)s")
        % {"time": issued.strftime("%H:%M"), "day": issued.strftime("%d/%m/%Y")},
        font=_font(italic=True, size=10),
    )
    row += 1
    _merge(ws, f"A{row}:E{row}", _("NGƯỜI LẬP BIỂU"), font=_font(bold=True, size=10))
    _merge(
        ws,
        f"{get_column_letter(width - 5)}{row}:{last}{row}",
        _("THỦ TRƯỞNG ĐƠN VỊ"),
        font=_font(bold=True, size=10),
    )
    ws.freeze_panes = f"C{numbers + 1}"
    print_a4_landscape(ws, title_rows=f"{top}:{numbers}")


def _sum_rows(rows: Sequence[ReportRow]) -> dict[str, int]:
    figures = [r.figures() for r in rows]
    return {key: sum(f[key] for f in figures) for key in figures[0]} if figures else {}


def _table_sheet(ws: Worksheet, title: str, key_label: str, rows: Sequence[ReportRow]) -> None:
    keys = [key for key, _label in COLUMNS]
    headings = [_("STT"), key_label, _("Mã"), *(str(label) for _key, label in COLUMNS)]
    headings += [str(DERIVED_LABELS[k]) for k in ("received_total", "resolved", "pending")]
    _merge(ws, f"A1:{get_column_letter(len(headings))}1", title, font=_font(bold=True, size=12))
    for column, heading in enumerate(headings, start=1):
        cell = ws.cell(row=3, column=column, value=nfc(heading))
        cell.font = _font(bold=True, size=10)
        cell.alignment = _centre
        cell.border = _box
        ws.column_dimensions[get_column_letter(column)].width = 11
    ws.column_dimensions["B"].width = 44
    ws.column_dimensions["C"].width = 18
    ws.row_dimensions[3].height = 66
    for index, item in enumerate(rows, start=1):
        f = item.figures()
        values = [index, item.label, item.key, *(f[k] for k in keys)]
        values += [f["received_total"], f["resolved"], f["pending"]]
        _write_row(ws, 3 + index, values)
    ws.freeze_panes = "D4"


def _kpi_sheet(ws: Worksheet, result: KpiResult) -> None:
    ws.column_dimensions["A"].width = 58
    for letter in "BCDEFG":
        ws.column_dimensions[letter].width = 13
    _merge(ws, "A1:G1", _("Chỉ số theo Chỉ thị 08/CT-UBND"), font=_font(bold=True, size=12))
    headings = [_("Chỉ số"), _("Tử số"), _("Mẫu số"), _("Giá trị"), _("Chỉ tiêu"), _("Đạt")]
    _write_row(ws, 3, headings, bold=True)
    row = 4
    for indicator in result.directive:
        _write_row(ws, row, _indicator_cells(indicator))
        ws.cell(row=row, column=1).alignment = _left
        row += 1
    row += 1
    _merge(
        ws,
        f"A{row}:G{row}",
        _("Chỉ số chất lượng phục vụ theo Quyết định 766/QĐ-TTg"),
        font=_font(bold=True, size=12),
    )
    row += 2
    headings = [_("Chỉ số"), _("Tử số"), _("Mẫu số"), _("Tỷ lệ"), _("Ngưỡng"), _("Điểm tối đa")]
    _write_row(ws, row, [*headings, _("Điểm")], bold=True)
    row += 1
    for indicator in result.quality:
        value = None if indicator.value is None else round(indicator.value, 4)
        cells = [
            f"{indicator.id}. {indicator.name}",
            indicator.numerator,
            indicator.denominator,
            value if value is not None else _("không có"),
            indicator.threshold,
            indicator.max_points,
            indicator.score if indicator.score is not None else _("không có"),
        ]
        _write_row(ws, row, cells)
        ws.cell(row=row, column=1).alignment = _left
        for column in (4, 5):
            ws.cell(row=row, column=column).number_format = "0.00%"
        row += 1
    for group in quality_groups(result.quality):
        label = _("Nhóm %(n)s. %(name)s (trọng số %(w)s điểm)") % {
            "n": group["group"],
            "name": group["name"],
            "w": group["weight"],
        }
        score = group["score"] if group["score"] is not None else _("không có")
        _write_row(ws, row, [label, "", "", "", "", group["max_points"], score], bold=True)
        ws.cell(row=row, column=1).alignment = _left
        row += 1


def _indicator_cells(indicator: Any) -> list[Any]:
    value = None if indicator.value is None else round(indicator.value, 4)
    met = {True: _("Đạt"), False: _("Chưa đạt"), None: _("không có")}[indicator.met]
    cells = [
        indicator.name,
        indicator.numerator,
        indicator.denominator,
        value if value is not None else _("không có"),
        indicator.target,
        met,
    ]
    return cells


def report_xlsx(*, result: KpiResult) -> bytes:
    """Sheet 1 the form (by government level and field), then by procedure, by agency, KPIs."""
    report = result.report
    wb = Workbook()
    ws = wb.active
    ws.title = "Bieu 06"
    _form_sheet(ws, report)
    _table_sheet(
        wb.create_sheet("Theo thu tuc"),
        _("Chi tiết theo thủ tục hành chính"),
        _("Thủ tục hành chính"),
        report.by_procedure,
    )
    _table_sheet(
        wb.create_sheet("Theo co quan"),
        _("Chi tiết theo cơ quan, đơn vị"),
        _("Cơ quan, đơn vị"),
        report.by_agency,
    )
    kpi = wb.create_sheet("Chi so")
    _kpi_sheet(kpi, result)
    for row in kpi.iter_rows(min_row=4, max_row=3 + len(result.directive)):
        row[3].number_format = "0.00%"
        row[4].number_format = "0%"
    stream = io.BytesIO()
    wb.save(stream)
    return stream.getvalue()


# --- PDF, CSV, JSON --------------------------------------------------------------------------


def report_html(*, result: KpiResult) -> str:
    report = result.report
    columns = _form_columns()
    groups: list[dict[str, Any]] = []
    for group, heading, _value in columns:
        if groups and groups[-1]["name"] == group:
            groups[-1]["headings"].append(heading)
        else:
            groups.append({"name": group, "headings": [heading]})
    sections = []
    for number, (label, rows) in enumerate(_field_sections(report)):
        level = _sum_rows(rows)
        sections.append(
            {
                "number": ROMAN[number],
                "label": label,
                "values": [v(level) for _g, _h, v in columns],
                "rows": [
                    {"label": r.label, "values": [v(r.figures()) for _g, _h, v in columns]}
                    for r in rows
                ],
            }
        )
    parent, agency = _issuer(report)
    return render_to_string(
        "reports/pdf.html",
        {
            "form_label": FORM_LABEL,
            "parent_name": parent,
            "agency_name": agency,
            "title": _title(report),
            "period": report.period,
            "groups": groups,
            "column_count": len(columns) + 2,
            "numbers": range(1, len(columns) + 3),
            "sections": sections,
            "total": [v(report.figures) for _g, _h, v in columns],
            "directive": result.directive,
            "quality": result.quality,
            "quality_groups": quality_groups(result.quality),
            "issued": timezone.localtime(report.computed_at),
        },
    )


def report_pdf(*, result: KpiResult) -> bytes:
    return html_to_pdf(html=report_html(result=result))


def report_csv(*, result: KpiResult) -> bytes:
    """One line per procedure and a total line; UTF-8 with a BOM so Excel reads the accents."""
    report = result.report
    keys = [key for key, _label in COLUMNS]
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(["period", "agency", "procedure", "procedure_name", *keys])
    agency = report.agency.code if report.agency else ""
    for row in report.by_procedure:
        writer.writerow(
            [report.period.key, agency, row.key, row.label, *(row.counts[k] for k in keys)]
        )
    writer.writerow(
        [report.period.key, agency, "", _("Tổng cộng"), *(report.totals[k] for k in keys)]
    )
    return ("\ufeff" + stream.getvalue()).encode("utf-8")


def report_json(*, result: KpiResult) -> bytes:
    data = {"report": result.report.as_dict(), "kpi": result.as_dict()}
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


RENDERERS: dict[str, Callable[..., bytes]] = {
    "xlsx": report_xlsx,
    "pdf": report_pdf,
    "csv": report_csv,
    "json": report_json,
}


def report_export(*, period: Any, agency: Any = None, fmt: str) -> bytes:
    """The report of `agency` (None = the province) for `period` in format `fmt`."""
    if fmt not in RENDERERS:
        raise ValueError(fmt)
    keeping.report_figures_keep(period=period)
    return RENDERERS[fmt](result=kpi_indicators(period=period, agency=agency))


def export_filename(*, result: KpiResult, fmt: str) -> str:
    agency = result.agency.code if result.agency else "toan-tinh"
    return f"bao-cao-{result.period.key}-{agency}.{fmt}"
