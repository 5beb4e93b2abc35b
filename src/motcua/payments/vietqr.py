"""The VietQR (NAPAS 247) transfer QR: an EMVCo merchant-presented payload a banking app scans.

Every field is ID (2 digits) + length (2 decimal digits) + value; the last field, 63, is the
CRC-16/CCITT-FALSE of everything before its value, "6304" included.
"""

from __future__ import annotations

import re
import unicodedata

from .references import REFERENCE_RE

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"  # transfer to a bank account (QRIBFTTC would be to a card)
CURRENCY_VND = "704"  # ISO 4217
COUNTRY = "VN"
NOTE_MAX = 25
AMOUNT_MAX_DIGITS = 13

_BIN_RE = re.compile(r"[0-9]{6}")
_ACCOUNT_RE = re.compile(r"[0-9A-Za-z]{1,19}")
_NOT_NOTE_RE = re.compile(r"[^0-9A-Za-z ]+")


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
        table.append(crc & 0xFFFF)
    return tuple(table)


_CRC_TABLE = _crc_table()


def crc16_ccitt(data: bytes) -> int:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor)."""
    crc = 0xFFFF
    for byte in data:
        crc = ((crc << 8) & 0xFFFF) ^ _CRC_TABLE[(crc >> 8) ^ byte]
    return crc


def ascii_fold(text: str) -> str:
    """The text without Vietnamese diacritics ("Đơn phí" → "Don phi"); other characters are kept."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _field(tag: str, value: str) -> str:
    if len(value) > 99:
        raise ValueError(f"Trường {tag} của mã VietQR quá dài.")
    return f"{tag}{len(value):02d}{value}"


def _note(note: str) -> str:
    """The note as VietQR carries it: ASCII letters, digits and single spaces, at most 25 chars."""
    text = " ".join(_NOT_NOTE_RE.sub(" ", ascii_fold(note)).split())
    if not text:
        raise ValueError("Nội dung chuyển khoản không được để trống.")
    if len(text) <= NOTE_MAX:
        return text
    for match in REFERENCE_RE.finditer(text.upper()):
        if match.end() > NOTE_MAX:
            raise ValueError(
                f"Nội dung chuyển khoản quá dài (tối đa {NOTE_MAX} ký tự): "
                "cắt bớt sẽ làm mất mã thanh toán."
            )
    return text[:NOTE_MAX].rstrip()


def vietqr_payload(*, bank_bin: str, account: str, amount: int, note: str) -> str:
    """The payload of a dynamic VietQR for a transfer of `amount` VND to `account` at `bank_bin`."""
    if not isinstance(bank_bin, str) or not _BIN_RE.fullmatch(bank_bin):
        raise ValueError("Mã BIN ngân hàng phải gồm đúng 6 chữ số.")
    if not isinstance(account, str) or not _ACCOUNT_RE.fullmatch(account):
        raise ValueError("Số tài khoản không hợp lệ (1–19 chữ số hoặc chữ cái không dấu).")
    if type(amount) is not int or amount <= 0 or amount >= 10**AMOUNT_MAX_DIGITS:
        raise ValueError("Số tiền không hợp lệ.")
    if not isinstance(note, str):
        raise ValueError("Nội dung chuyển khoản không hợp lệ.")
    beneficiary = _field("00", bank_bin) + _field("01", account)
    merchant = (
        _field("00", NAPAS_GUID) + _field("01", beneficiary) + _field("02", SERVICE_TO_ACCOUNT)
    )
    body = (
        _field("00", "01")
        + _field("01", "12")
        + _field("38", merchant)
        + _field("53", CURRENCY_VND)
        + _field("54", str(amount))
        + _field("58", COUNTRY)
        + _field("62", _field("08", _note(note)))
        + "6304"
    )
    return body + f"{crc16_ccitt(body.encode('ascii')):04X}"


def emv_fields(payload: str) -> dict[str, str]:
    """The top-level fields of an EMVCo payload, ID → value; ValueError if it is malformed."""
    fields: dict[str, str] = {}
    pos = 0
    while pos < len(payload):
        head = payload[pos : pos + 4]
        if len(head) < 4 or not head.isdigit():
            raise ValueError(f"Mã QR hỏng ở vị trí {pos}.")
        size = int(head[2:])
        value = payload[pos + 4 : pos + 4 + size]
        if len(value) != size:
            raise ValueError(f"Mã QR hỏng: trường {head[:2]} bị cắt cụt.")
        fields[head[:2]] = value
        pos += 4 + size
    return fields
