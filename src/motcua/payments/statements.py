"""Reading the statement exports banks give (CSV or XLSX) into the credit lines to reconcile.

Banks put title rows above the header row and name their columns in Vietnamese or English; the
header row is the first of the first 30 rows in which a credit (or signed amount) column and a
description column are recognised. Lines that are not credits are listed in `skipped` with the
reason, so a person can see nothing was lost silently.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from .references import reference_find
from .vietqr import ascii_fold

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
HEADER_SEARCH_ROWS = 30

# Column names, compared after _header_key (no diacritics, lower case, punctuation as spaces,
# anything in parentheses dropped: "Số tiền ghi có (VND)" → "so tien ghi co").
_HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "date": ("ngay giao dich", "ngay gd", "ngay hieu luc", "transaction date", "posting date"),
    "ref": (
        "so tham chieu",
        "so but toan",
        "ma giao dich",
        "reference",
        "ref no",
        "transaction id",
    ),
    "credit": ("so tien ghi co", "ghi co", "credit", "credit amount"),
    "amount": ("so tien",),  # signed amount, used when there is no credit column
    "debit": ("so tien ghi no", "ghi no", "debit", "debit amount"),
    "description": (
        "noi dung",
        "dien giai",
        "noi dung giao dich",
        "description",
        "details",
        "remark",
    ),
}
_HEADER_KEYS = {name: kind for kind, names in _HEADER_NAMES.items() for name in names}
# "Có" and "Nợ" alone are recognised only with their diacritics: "No." is a row number column.
_SHORT_HEADERS = {"có": "credit", "nợ": "debit"}

_PARENS_RE = re.compile(r"\([^)]*\)")
_NON_ALNUM_RE = re.compile(r"[^0-9a-z]+")
_CURRENCY_RE = re.compile(r"(?:VND|VNĐ|đ|Đ)$", re.IGNORECASE)
_SPACES_RE = re.compile(r"[\s\u00a0\u202f]+")
_PLAIN_RE = re.compile(r"[0-9]+")
# thousands with "." or ",", optional decimals with the other one (or none): "1.000.000,00"
_GROUPED_RE = re.compile(r"([0-9]{1,3}([.,])[0-9]{3}(?:\2[0-9]{3})*)(?:([.,])([0-9]{1,2}))?")
_DECIMAL_RE = re.compile(r"([0-9]+)[.,]([0-9]{1,2}|[0-9]{4,})")
_DMY_RE = re.compile(
    r"([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{4})(?:[ T]+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?)?"
)
_YMD_RE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[ T]+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?)?"
)


class StatementError(Exception):
    """The file cannot be read at all; `message` is in Vietnamese, for the person who uploaded it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Skip(Exception):
    """Internal: this row is not a credit line; the message is the reason shown to the user."""


@dataclass(frozen=True)
class StatementLine:
    row: int  # row number in the file, 1-based, as a spreadsheet shows it
    bank_ref: str  # the bank's reference, or a stable synthesised one ("SYN-…")
    posted_at: dt.datetime | None  # aware; Vietnam time when the file gives no zone
    amount: int  # credited VND, > 0
    description: str
    reference: str | None  # the invoice reference found in the description


@dataclass(frozen=True)
class StatementRead:
    lines: list[StatementLine] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, reason in Vietnamese)


def _header_key(text: str) -> str:
    text = _PARENS_RE.sub(" ", ascii_fold(text).lower())
    return " ".join(_NON_ALNUM_RE.sub(" ", text).split())


def _header_kind(cell: object) -> str | None:
    if not isinstance(cell, str):
        return None
    short = _SHORT_HEADERS.get(unicodedata.normalize("NFC", cell).strip().lower())
    if short:
        return short
    # bilingual headers: "Ngày GD / Transaction date"
    for part in re.split(r"[/\n]", cell):
        kind = _HEADER_KEYS.get(_header_key(part))
        if kind:
            return kind
    return None


def _header_columns(row: Iterable[object]) -> dict[str, int] | None:
    """Column index by kind if this row is the header row, else None."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(row):
        kind = _header_kind(cell)
        if kind and kind not in columns:
            columns[kind] = index
    has_amount = "credit" in columns or "amount" in columns
    return columns if has_amount and "description" in columns else None


def _parse_amount(value: object) -> int | None:
    """A cell's amount in whole VND (signed), None when empty; _Skip when not a whole VND amount."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise _Skip("Số tiền không hợp lệ.")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        # The only float in money code: openpyxl gives numeric XLSX cells as float when Excel
        # stored them so. VND has no fraction, so only an integral value is a valid amount.
        if not math.isfinite(value):
            raise _Skip("Số tiền không hợp lệ.")
        if not value.is_integer():
            raise _Skip("Số tiền lẻ (phần thập phân) không hợp lệ với VND.")
        return int(value)
    text = _SPACES_RE.sub("", str(value))
    text = _CURRENCY_RE.sub("", text)
    if not text:
        return None
    sign = 1
    if text.startswith("(") and text.endswith(")"):
        sign, text = -1, text[1:-1]
    if text and text[0] in "+-":
        sign, text = (-1 if text[0] == "-" else 1) * sign, text[1:]
    if _PLAIN_RE.fullmatch(text):
        return sign * int(text)
    grouped = _GROUPED_RE.fullmatch(text)
    if grouped:
        whole, thousands, decimal_sep, decimals = grouped.groups()
        if decimal_sep == thousands:  # "1.000.000.5" mixes the two roles
            raise _Skip(f"Số tiền không hợp lệ: {value}.")
        if decimals and decimals.strip("0"):
            raise _Skip(f"Số tiền lẻ (phần thập phân) không hợp lệ với VND: {value}.")
        return sign * int(whole.replace(thousands, ""))
    decimal = _DECIMAL_RE.fullmatch(text)
    if decimal:
        if decimal.group(2).strip("0"):
            raise _Skip(f"Số tiền lẻ (phần thập phân) không hợp lệ với VND: {value}.")
        return sign * int(decimal.group(1))
    raise _Skip(f"Số tiền không hợp lệ: {value}.")


def _parse_posted_at(value: object) -> dt.datetime | None:
    """A cell's date and time, aware (Vietnam time when unzoned); None when empty; _Skip if unreadable."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=VN_TZ)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=VN_TZ)
    text = str(value).strip()
    if not text:
        return None
    try:
        match = _DMY_RE.fullmatch(text)
        if match:
            day, month, year, hour, minute, second = match.groups()
        else:
            match = _YMD_RE.fullmatch(text)
            if not match:
                moment = dt.datetime.fromisoformat(text)
                return moment if moment.tzinfo else moment.replace(tzinfo=VN_TZ)
            year, month, day, hour, minute, second = match.groups()
        return dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=VN_TZ,
        )
    except ValueError:
        raise _Skip(f"Ngày giao dịch không hợp lệ: {text}.") from None


def _text(value: object) -> str:
    if value is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def _csv_rows(data: bytes) -> Generator[tuple[int, list[str]], None, None]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StatementError("Tệp CSV phải được lưu với bảng mã UTF-8.") from None
    head = text[:65536].splitlines()[:HEADER_SEARCH_ROWS]
    delimiter = ","
    for candidate in (",", ";", "\t"):
        if any(_header_columns(row) for row in csv.reader(head, delimiter=candidate)):
            delimiter = candidate
            break
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        raise StatementError(f"Tệp CSV hỏng: {error}.") from None


def _xlsx_rows(data: bytes) -> Generator[tuple[int, tuple[object, ...]], None, None]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise StatementError(
            "Không đọc được tệp Excel (.xlsx): tệp hỏng hoặc sai định dạng."
        ) from None
    try:
        sheet = workbook.worksheets[0]
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    finally:
        workbook.close()


def _synthetic_ref(posted_at: dt.datetime | None, amount: int, description: str, seen: int) -> str:
    """A bank_ref for a line without one: the same file imported again gives the same refs.

    `seen` counts earlier identical (date, amount, description) lines of the file, so two equal
    transfers on one day stay two lines instead of one looking like a duplicate of the other.
    """
    moment = posted_at.isoformat() if posted_at else ""
    key = f"{moment}|{amount}|{description}|{seen}".encode()
    return "SYN-" + hashlib.sha256(key).hexdigest()[:24].upper()


def _rows(data: bytes, filename: str) -> Generator[tuple[int, Iterable[object]], None, None]:
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")):
        return _xlsx_rows(data)
    if name.endswith(".csv"):
        return _csv_rows(data)
    if name.endswith(".xls"):
        raise StatementError(
            "Định dạng .xls cũ không được hỗ trợ: hãy lưu lại thành .xlsx hoặc .csv."
        )
    raise StatementError("Chỉ nhận sao kê dạng .csv hoặc .xlsx.")


def statement_read(data: bytes, filename: str) -> StatementRead:
    """The credit lines of a bank statement export; StatementError when the file cannot be read."""
    if not data:
        raise StatementError("Tệp sao kê rỗng.")
    rows = _rows(data, filename)
    try:
        return _read_rows(rows)
    finally:
        rows.close()  # an XLSX workbook is closed even when reading stops early


def _read_rows(rows: Iterator[tuple[int, Iterable[object]]]) -> StatementRead:
    """The header row, then every line after it, sorted into lines and skipped rows."""
    columns: dict[str, int] | None = None
    for number, row in rows:
        columns = _header_columns(row)
        if columns:
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if not columns:
        raise StatementError(
            "Không tìm thấy dòng tiêu đề (cần cột số tiền ghi có và cột nội dung) "
            f"trong {HEADER_SEARCH_ROWS} dòng đầu của tệp."
        )
    result = StatementRead()
    seen: dict[tuple[dt.datetime | None, int, str], int] = {}
    i_date, i_ref = columns.get("date"), columns.get("ref")
    i_credit, i_debit = columns.get("credit"), columns.get("debit")
    i_amount, i_desc = columns.get("amount"), columns["description"]

    for number, raw in rows:
        row = list(raw)
        if not any(cell is not None and str(cell).strip() for cell in row):
            continue  # blank row

        def cell(index: int | None, row: list[object] = row) -> object:
            if index is None or index >= len(row):
                return None
            value = row[index]
            return None if isinstance(value, str) and not value.strip() else value

        try:
            if i_credit is not None:
                amount = _parse_amount(cell(i_credit))
                if not amount:
                    debit = _parse_amount(cell(i_debit)) if i_debit is not None else None
                    raise _Skip("Dòng ghi nợ." if debit else "Không có số tiền ghi có.")
                if amount < 0:
                    raise _Skip("Số tiền ghi có âm.")
            else:
                amount = _parse_amount(cell(i_amount))
                if not amount:
                    debit = _parse_amount(cell(i_debit)) if i_debit is not None else None
                    raise _Skip("Dòng ghi nợ." if debit else "Không có số tiền.")
                if amount < 0:
                    raise _Skip("Dòng ghi nợ.")
            posted_at = _parse_posted_at(cell(i_date)) if i_date is not None else None
            if i_date is not None and posted_at is None:
                raise _Skip("Không có ngày giao dịch (dòng tổng cộng?).")
        except _Skip as skip:
            result.skipped.append((number, str(skip)))
            continue
        description = _text(cell(i_desc))
        bank_ref = _text(cell(i_ref)) if i_ref is not None else ""
        if not bank_ref:
            key = (posted_at, amount, description)
            seen[key] = seen.get(key, 0) + 1
            bank_ref = _synthetic_ref(posted_at, amount, description, seen[key] - 1)
        result.lines.append(
            StatementLine(
                row=number,
                bank_ref=bank_ref,
                posted_at=posted_at,
                amount=amount,
                description=description,
                reference=reference_find(description),
            )
        )
    return result
