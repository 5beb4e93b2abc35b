"""Reading banks' statement exports: header row found under title rows, credits kept, the rest skipped."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from motcua.payments.statements import StatementError, StatementLine, statement_read

VN = ZoneInfo("Asia/Ho_Chi_Minh")
REF = "TT4K7Q2M9XHD"


def _csv(lines: list[str], *, bom: bool = False) -> bytes:
    return ("\ufeff" if bom else "").encode() + "\r\n".join(lines).encode("utf-8")


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


VCB_CSV = [
    "NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM,,,,",
    "SAO KÊ TÀI KHOẢN,,,,",
    "Số tài khoản: 0011001234567,,,,",
    ",,,,",
    "Ngày giao dịch,Số tham chiếu,Ghi nợ,Ghi có,Nội dung giao dịch",
    f'05/12/2026 09:15:30,FT2634001,,"1,000,000",MBVCB.123.{REF}.CT tu NGUYEN VAN A',
    '05/12/2026 10:00:00,FT2634002,"200,000",,Phi dich vu SMS',
    "06/12/2026,FT2634003,,50000,chuyen tien khong ma",
    ",,,,",
    ',Tổng cộng,"200,000","1,050,000",',
]


def test_csv_with_title_rows_credits_and_debits() -> None:
    read = statement_read(_csv(VCB_CSV), "sao-ke.csv")
    assert read.lines == [
        StatementLine(
            row=6,
            bank_ref="FT2634001",
            posted_at=dt.datetime(2026, 12, 5, 9, 15, 30, tzinfo=VN),
            amount=1_000_000,
            description=f"MBVCB.123.{REF}.CT tu NGUYEN VAN A",
            reference=REF,
        ),
        StatementLine(
            row=8,
            bank_ref="FT2634003",
            posted_at=dt.datetime(2026, 12, 6, tzinfo=VN),
            amount=50_000,
            description="chuyen tien khong ma",
            reference=None,
        ),
    ]
    assert read.lines[0].posted_at.utcoffset() == dt.timedelta(hours=7)
    rows = dict(read.skipped)
    assert rows[7] == "Dòng ghi nợ."
    assert 10 in rows  # the total row has no date: never imported as a payment
    assert set(rows) == {7, 10}


def test_semicolon_bom_signed_amount_and_synthesised_refs() -> None:
    lines = [
        "Sao kê tài khoản;;",
        "ngay gd;so tien;dien giai",  # no diacritics, lower case
        f"2026-12-05;1.000.000 VND;{REF[:6]} {REF[6:]} nop le phi",
        "2026-12-05;-30.000 VND;rut tien",
        "2026-12-05;+50.000;ung ho",
        "2026-12-05;+50.000;ung ho",  # an identical transfer the same day
    ]
    data = _csv(lines, bom=True)
    read = statement_read(data, "export.CSV")
    assert [(x.row, x.amount, x.reference) for x in read.lines] == [
        (3, 1_000_000, REF),
        (5, 50_000, None),
        (6, 50_000, None),
    ]
    assert read.skipped == [(4, "Dòng ghi nợ.")]
    refs = [x.bank_ref for x in read.lines]
    assert len(set(refs)) == 3, "identical lines must not collapse into one bank_ref"
    assert all(r.startswith("SYN-") for r in refs)
    again = statement_read(data, "export.csv")
    assert [x.bank_ref for x in again.lines] == refs, "a re-import must give the same bank_refs"
    changed = statement_read(data.replace(b"nop le phi", b"nop le phi 2"), "export.csv")
    assert changed.lines[0].bank_ref != refs[0]
    assert [x.bank_ref for x in changed.lines[1:]] == refs[1:]


def test_xlsx_english_headers_numeric_cells_and_datetimes() -> None:
    rows: list[list[object]] = [
        ["ACB - Account statement"],
        [],
        ["From 01/12/2026 to 07/12/2026"],
        ["No.", "Transaction date", "Ref. No.", "Debit", "Credit", "Description"],
        [1, dt.datetime(2026, 12, 5, 8, 30), "ACB001", None, 150000, f"IBFT {REF} le phi"],
        [2, dt.datetime(2026, 12, 5, 9, 0), "ACB002", None, 250000.0, "float but integral"],
        [3, dt.datetime(2026, 12, 5, 9, 30), "ACB003", None, 100.5, "fractional"],
        [4, "06/12/2026 14:05", "ACB004", 70000, None, "debit"],
        [5, dt.date(2026, 12, 7), "ACB005", None, "2.000.000", "text amount"],
        [6, "2026-12-07T03:00:00+00:00", "ACB006", None, 1, "zoned text"],
        [7, dt.datetime(2026, 12, 7, 10), "ACB007", None, None, "no amount at all"],
    ]
    read = statement_read(_xlsx(rows), "statement.xlsx")
    got = [(x.row, x.bank_ref, x.amount, x.posted_at) for x in read.lines]
    assert got == [
        (5, "ACB001", 150_000, dt.datetime(2026, 12, 5, 8, 30, tzinfo=VN)),
        (6, "ACB002", 250_000, dt.datetime(2026, 12, 5, 9, tzinfo=VN)),
        (9, "ACB005", 2_000_000, dt.datetime(2026, 12, 7, tzinfo=VN)),
        (10, "ACB006", 1, dt.datetime(2026, 12, 7, 3, tzinfo=dt.UTC)),
    ]
    assert all(type(x.amount) is int for x in read.lines)
    assert read.lines[0].reference == REF
    skipped = dict(read.skipped)
    assert set(skipped) == {7, 8, 11}
    assert "thập phân" in skipped[7]
    assert skipped[8] == "Dòng ghi nợ."
    # the "No." column (row numbers) is not taken for a debit ("Nợ") column
    assert skipped[11] == "Không có số tiền ghi có."


def test_short_vietnamese_headers_co_no() -> None:
    rows: list[list[object]] = [
        ["STT", "Ngày hiệu lực", "Số bút toán", "Nợ", "Có", "Diễn giải"],
        [1, "05/12/2026", "BT1", None, "1 000 000", "a"],
        [2, "05/12/2026", "BT2", "5 000", None, "b"],
    ]
    read = statement_read(_xlsx(rows), "x.xlsx")
    assert [(x.bank_ref, x.amount) for x in read.lines] == [("BT1", 1_000_000)]
    assert read.skipped == [(3, "Dòng ghi nợ.")]


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("1.000.000", 1_000_000),
        ("1,000,000", 1_000_000),
        ("1 000 000", 1_000_000),
        ("1000000", 1_000_000),
        ("1.000.000 VND", 1_000_000),
        ("+50,000", 50_000),
        ("50000.00", 50_000),
        ("1,000,000.00", 1_000_000),
        ("1.000.000,00", 1_000_000),
        ("50.000đ", 50_000),
    ],
)
def test_amount_styles(amount: str, expected: int) -> None:
    data = _csv(["Ngày GD;Số tiền ghi có;Nội dung", f"05/12/2026;{amount};x"])
    read = statement_read(data, "a.csv")
    assert [x.amount for x in read.lines] == [expected]
    assert type(read.lines[0].amount) is int


@pytest.mark.parametrize(
    "amount", ["50000.50", "1.5", "1.000.000,50", "1,000.000", "1.00.000", "abc", "12,5"]
)
def test_fractional_or_malformed_amounts_are_skipped(amount: str) -> None:
    data = _csv(["Ngày GD;Số tiền ghi có;Nội dung", f"05/12/2026;{amount};x"])
    read = statement_read(data, "a.csv")
    assert read.lines == []
    assert [row for row, _ in read.skipped] == [2]
    assert "Số tiền" in read.skipped[0][1]


def test_bad_date_is_skipped_not_guessed() -> None:
    data = _csv(["Ngày GD,Ghi có,Nội dung", "31/02/2026,1000,x", "hôm qua,1000,y"])
    read = statement_read(data, "a.csv")
    assert read.lines == []
    assert [row for row, _ in read.skipped] == [2, 3]
    assert all("Ngày giao dịch không hợp lệ" in reason for _, reason in read.skipped)


def test_no_date_column_gives_none() -> None:
    read = statement_read(_csv(["Credit,Details", "1000,x"]), "a.csv")
    assert read.lines[0].posted_at is None
    assert read.lines[0].bank_ref.startswith("SYN-")


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "a.csv", "rỗng"),
        (b"PK\x03\x04 not really a zip", "a.xlsx", "Excel"),
        (b"\x00\x01garbage", "a.xlsx", "Excel"),
        ("Ngày GD,Ghi có,Nội dung\n".encode("utf-16"), "a.csv", "UTF-8"),
        (b"a,b,c\n1,2,3\n", "a.csv", "tiêu đề"),
        (b"x", "a.xls", ".xls"),
        (b"x", "a.pdf", ".csv"),
    ],
)
def test_unreadable_files_raise(data: bytes, filename: str, message: str) -> None:
    with pytest.raises(StatementError, match=message) as caught:
        statement_read(data, filename)
    assert message in caught.value.message


def test_header_must_be_within_the_first_30_rows() -> None:
    header = "Ngày GD,Ghi có,Nội dung"
    assert statement_read(_csv(["title"] * 29 + [header, "05/12/2026,1000,x"]), "a.csv").lines
    with pytest.raises(StatementError):
        statement_read(_csv(["title"] * 30 + [header, "05/12/2026,1000,x"]), "a.csv")
