"""Vietnamese postal addresses: the province and ward from the national list of administrative
units after 1 July 2025 (the `vietnam-provinces` package), and phone numbers."""

from __future__ import annotations

import re
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from vietnam_provinces import Province, ProvinceCode, Ward, WardCode

from motcua.catalog.search import normalise

# Mobile numbers have 10 digits (03x, 05x, 07x, 08x, 09x); landlines 11 (02 + area + number).
_MOBILE = re.compile(r"^0[35789][0-9]{8}$")
_LANDLINE = re.compile(r"^02[0-9]{9}$")

PHONE_INVALID = _(
    "Số điện thoại không hợp lệ: số di động 10 chữ số (ví dụ 0912345678) "
    "hoặc số cố định 11 chữ số (ví dụ 02623812345)."
)
PROVINCE_UNKNOWN = _("Chọn tỉnh, thành phố trong danh mục.")
WARD_UNKNOWN = _("Chọn xã, phường, đặc khu trong danh mục.")
WARD_ELSEWHERE = _("Xã, phường, đặc khu đã chọn không thuộc tỉnh, thành phố đã chọn.")
STREET_REQUIRED = _("Nhập số nhà, tên đường hoặc thôn, tổ dân phố.")


def phone_normalise(value: str) -> str:
    """Digits only, +84 / 84 written as the leading 0."""
    digits = re.sub(r"[\s.\-()]", "", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits


def phone_valid(value: str) -> bool:
    number = phone_normalise(value)
    return bool(_MOBILE.match(number) or _LANDLINE.match(number))


def validate_phone(value: str) -> None:
    if not phone_valid(value):
        raise ValidationError(PHONE_INVALID, code="phone")


def _by_name(row: tuple[str, str]) -> str:
    # "Đắk Lắk" between "Đà Nẵng" and "Điện Biên", not after "Vĩnh Long".
    return normalise(row[1])


@cache
def provinces() -> tuple[tuple[str, str], ...]:
    """(code, name) of the 34 provinces and cities, by name as people look for them."""
    return tuple(sorted(((str(int(p.code)), p.name) for p in Province.iter_all()), key=_by_name))


@cache
def wards_of(province_code: str) -> tuple[tuple[str, str], ...]:
    """(code, name) of a province's communes, wards and special zones, by name."""
    try:
        code = ProvinceCode(int(province_code))
    except (TypeError, ValueError):
        return ()
    return tuple(
        sorted(
            ((str(int(w.code)), " ".join(w.name.split())) for w in Ward.iter_by_province(code)),
            key=_by_name,
        )
    )


def province_name(code: str) -> str:
    try:
        return Province.from_code(ProvinceCode(int(code))).name
    except (TypeError, ValueError):
        return ""


def ward_name(code: str) -> str:
    try:
        return " ".join(Ward.from_code(WardCode(int(code))).name.split())
    except (TypeError, ValueError):
        return ""


def ward_province(code: str) -> str:
    """The code of the province a ward belongs to ("" for an unknown ward)."""
    try:
        return str(int(Ward.from_code(WardCode(int(code))).province_code))
    except (TypeError, ValueError):
        return ""


def address_errors(*, province_code: str, ward_code: str, street: str) -> dict[str, str]:
    """Field → message for what is wrong with an address (empty when it is right)."""
    errors: dict[str, str] = {}
    if not province_name(province_code):
        errors["province_code"] = str(PROVINCE_UNKNOWN)
    if not ward_name(ward_code):
        errors["ward_code"] = str(WARD_UNKNOWN)
    elif "province_code" not in errors and ward_province(ward_code) != str(int(province_code)):
        errors["ward_code"] = str(WARD_ELSEWHERE)
    if not (street or "").strip():
        errors["street"] = str(STREET_REQUIRED)
    return errors


def address_text(street: str, ward_code: str, province_code: str) -> str:
    """ "12 Lê Duẩn, Phường Buôn Ma Thuột, Đắk Lắk": what goes on a label."""
    parts = [(street or "").strip(), ward_name(ward_code), province_name(province_code)]
    return ", ".join(part for part in parts if part)
