"""Vietnamese wording of amounts and times as the forms print them ("1.250.000 đồng", "… giờ … phút")."""

from __future__ import annotations

import datetime as dt
import unicodedata
from zoneinfo import ZoneInfo

from num2words import num2words

# The forms are Vietnamese legal documents: times are shown in Vietnam's time whatever the server's.
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def nfc(text: str) -> str:
    """The text in Unicode NFC (precomposed), as documents must carry it."""
    return unicodedata.normalize("NFC", text)


def format_vnd(*, amount: int) -> str:
    """An integer VND amount with dots between thousands: 1250000 → "1.250.000 đồng"."""
    if amount < 0:
        raise ValueError("amount must not be negative")
    return f"{amount:,}".replace(",", ".") + " đồng"


_SCALES = ("", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ")


def number_in_words(*, number: int) -> str:
    """A non-negative integer in Vietnamese words, in the accounting style of invoices.

    num2words spells each group of three digits; a group below 100 that follows a higher one
    is read with its hundreds ("hai tỷ không trăm hai mươi mốt triệu", "một nghìn không trăm
    lẻ năm"), as amounts on receipts and invoices are written.
    """
    if number < 0:
        raise ValueError("number must not be negative")
    if number == 0:
        return nfc(num2words(0, lang="vi"))
    groups: list[int] = []
    while number:
        number, group = divmod(number, 1000)
        groups.append(group)
    if len(groups) > len(_SCALES):
        raise ValueError("number too large to spell")
    parts: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        words = num2words(group, lang="vi")
        if parts and group < 100:
            words = f"không trăm {'lẻ ' if group < 10 else ''}{words}"
        parts.append(f"{words} {_SCALES[index]}".strip())
    return nfc(" ".join(parts))


def amount_in_words(*, amount: int) -> str:
    """The amount spelled out, capitalised: 1250000 → "Một triệu hai trăm năm mươi nghìn đồng"."""
    if amount < 0:
        raise ValueError("amount must not be negative")
    words = number_in_words(number=amount)
    return f"{words[:1].upper()}{words[1:]} đồng"


def local(value: dt.datetime) -> dt.datetime:
    """An aware datetime in Asia/Ho_Chi_Minh (naive values are refused: times are stored in UTC)."""
    if value.tzinfo is None:
        raise ValueError("a naive datetime cannot be placed in time")
    return value.astimezone(VN_TZ)


def format_date(*, value: dt.date | dt.datetime) -> str:
    """ "ngày 14 tháng 07 năm 2025" (a datetime is first moved to Vietnam's time)."""
    if isinstance(value, dt.datetime):
        value = local(value).date()
    return f"ngày {value.day:02d} tháng {value.month:02d} năm {value.year}"


def format_datetime(*, value: dt.datetime) -> str:
    """ "08 giờ 05 phút, ngày 14 tháng 07 năm 2025" in Asia/Ho_Chi_Minh."""
    moment = local(value)
    return f"{moment.hour:02d} giờ {moment.minute:02d} phút, {format_date(value=moment.date())}"


def format_short_datetime(*, value: dt.datetime) -> str:
    """ "08:05 14/07/2025" in Asia/Ho_Chi_Minh, for table cells."""
    return local(value).strftime("%H:%M %d/%m/%Y")


def format_short_date(*, value: dt.date | dt.datetime) -> str:
    """ "14/07/2025" (a datetime is first moved to Vietnam's time)."""
    if isinstance(value, dt.datetime):
        value = local(value).date()
    return value.strftime("%d/%m/%Y")
