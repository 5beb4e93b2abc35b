"""Checks of Vietnamese identifiers: mobile numbers, citizen ID (CCCD) numbers and tax codes."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Mobile networks since the 2018 renumbering: 03x (Viettel), 05x (Vietnamobile), 07x (MobiFone),
# 08x (VinaPhone, iTel…), 09x (all).
MOBILE_PREFIXES = ("03", "05", "07", "08", "09")
# The first three digits of a 12-digit personal identification number: the province of birth
# registration, by the 63 province codes in force when the numbers were issued (Circular
# 07/2016/TT-BCA, amended by 59/2021/TT-BCA). The 2025 merger does not re-issue numbers.
_PROVINCE_CODES = """001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034
    035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070
    072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096"""
CITIZEN_ID_PROVINCES = frozenset(_PROVINCE_CODES.split())

PHONE_MESSAGE = _(
    "Số điện thoại di động phải có 10 chữ số và bắt đầu bằng 03, 05, 07, 08 hoặc 09, "
    "ví dụ 0912345678."
)
CITIZEN_ID_MESSAGE = _("Số định danh cá nhân (CCCD) phải gồm đúng 12 chữ số.")
CITIZEN_ID_PROVINCE_MESSAGE = _(
    "Ba chữ số đầu của số định danh cá nhân không phải mã tỉnh, thành phố hợp lệ."
)
TAX_CODE_MESSAGE = _(
    "Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số với đơn vị phụ thuộc "
    "(ví dụ 0101234567 hoặc 0101234567-001)."
)

_SEPARATORS = re.compile(r"[\s.\-()]")


def normalise_phone(value: str) -> str:
    """'+84 912 345 678', '84912345678', '0912.345.678' → '0912345678' (invalid input unchanged)."""
    digits = _SEPARATORS.sub("", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def validate_vn_mobile(value: str) -> None:
    number = normalise_phone(value)
    if not (len(number) == 10 and number.isdigit() and number.startswith(MOBILE_PREFIXES)):
        raise ValidationError(PHONE_MESSAGE, code="phone")


def looks_like_phone(value: str) -> bool:
    return bool(re.fullmatch(r"\+?[\d\s.\-()]{9,16}", (value or "").strip()))


def validate_citizen_id(value: str) -> None:
    number = (value or "").strip()
    if not (len(number) == 12 and number.isdigit()):
        raise ValidationError(CITIZEN_ID_MESSAGE, code="citizen_id")
    if number[:3] not in CITIZEN_ID_PROVINCES:
        raise ValidationError(CITIZEN_ID_PROVINCE_MESSAGE, code="citizen_id_province")


def validate_tax_code(value: str) -> None:
    if not re.fullmatch(r"\d{10}(-\d{3})?", (value or "").strip()):
        raise ValidationError(TAX_CODE_MESSAGE, code="tax_code")
