"""XLSX like form 06, PDF, CSV, JSON and the `report` command, on the hand-worked province."""

from __future__ import annotations

import csv
import io
import json

from django.core.management import call_command
from openpyxl import load_workbook

from motcua.reports.constants import COLUMN_KEYS
from motcua.reports.exports import report_export

from .conftest import Province
from .test_selectors import A_MAY, P1


def test_xlsx_is_the_form_with_merged_headings_and_totals(province: Province) -> None:
    data = report_export(period="2020-05", agency=province.a, fmt="xlsx")
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Bieu 06"]
    assert ws["A2"].value == "SỞ TƯ PHÁP"
    assert "Biểu số 06/VPCP/KSTT" in [c.value for c in ws[1]]
    assert ws["A4"].value == "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI SỞ TƯ PHÁP"
    assert ws["A5"].value == "Tháng 5/2020 (từ ngày 01/05/2020 đến ngày 31/05/2020)"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A7:A9", "B7:B9", "C7:F7", "C8:C9", "D8:F8", "G7:J7", "K7:M7"} <= merged
    assert ws["C7"].value == "Số hồ sơ nhận giải quyết"
    assert ws["G7"].value == "Số hồ sơ đã giải quyết"
    assert ws["K7"].value == "Số hồ sơ đang giải quyết"
    rows = {ws.cell(row=r, column=2).value: r for r in range(11, ws.max_row + 1)}
    total = rows["Tổng cộng"]
    values = [ws.cell(row=total, column=c).value for c in range(3, 22)]
    assert values == [14, 3, 5, 6, 5, 2, 1, 2, 6, 4, 2, 1, 1, 1, 1, 1, 1, 1, 2]
    assert ws.cell(row=rows["Cấp tỉnh"], column=3).value == 14
    assert ws.cell(row=rows["Hộ tịch"], column=3).value == 9  # p1 6 + p3 3
    # Per procedure and the indicators on their own sheets.
    procedures = wb["Theo thu tuc"]
    p1_row = next(
        r for r in procedures.iter_rows(min_row=4, values_only=True) if r[2] == "1.000001"
    )
    assert list(p1_row[3 : 3 + len(COLUMN_KEYS)]) == [P1[k] for k in COLUMN_KEYS]
    kpi = wb["Chi so"]
    names = [r[0] for r in kpi.iter_rows(min_row=4, max_row=11, values_only=True)]
    assert "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn" in names


def test_csv_and_json(province: Province) -> None:
    text = report_export(period="2020-05", agency=province.a, fmt="csv").decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][:4] == ["period", "agency", "procedure", "procedure_name"]
    total = lines[-1]
    assert total[3] == "Tổng cộng"
    assert dict(zip(COLUMN_KEYS, map(int, total[4:]), strict=True)) == A_MAY
    data = json.loads(report_export(period="2020-05", agency=province.a, fmt="json"))
    assert {k: data["report"]["totals"][k] for k in COLUMN_KEYS} == A_MAY
    assert {i["id"] for i in data["kpi"]["indicators"]} >= {"on_time_rate", "dossiers_online_share"}


def test_pdf(province: Province) -> None:
    data = report_export(period="2020-05", agency=province.a, fmt="pdf")
    assert data.startswith(b"%PDF")


def test_report_command(province: Province, tmp_path) -> None:
    out = tmp_path / "may.json"
    call_command(
        "report",
        "--period",
        "2020-05",
        "--agency",
        "000.00.21.H16",
        "--format",
        "json",
        "--out",
        str(out),
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["report"]["agency"] == "000.00.21.H16"
    assert {k: data["report"]["totals"][k] for k in COLUMN_KEYS} == A_MAY
    xlsx = tmp_path / "may.xlsx"
    call_command("report", "--period", "2020-05", "--format", "xlsx", "--out", str(xlsx))
    assert load_workbook(xlsx)["Bieu 06"]["A4"].value.endswith("TỈNH ĐẮK LẮK")
