"""Vietnamese identifier checks: mobile numbers, citizen ID numbers, tax codes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from motcua.accounts.validators import (
    normalise_phone,
    validate_citizen_id,
    validate_tax_code,
    validate_vn_mobile,
)


@pytest.mark.parametrize(
    "number",
    [
        "0912345678",
        "0381234567",
        "0561234567",
        "0771234567",
        "0861234567",
        "+84 912 345 678",
        "84912345678",
        "0912.345.678",
    ],
)
def test_valid_mobile_numbers(number):
    validate_vn_mobile(number)


@pytest.mark.parametrize(
    "number",
    ["091234567", "09123456789", "0212345678", "0112345678", "abcdefghij", "", "0612345678"],
)
def test_invalid_mobile_numbers(number):
    with pytest.raises(ValidationError) as error:
        validate_vn_mobile(number)
    assert error.value.code == "phone"


def test_normalise_phone():
    assert normalise_phone("+84 912-345-678") == "0912345678"
    assert normalise_phone("84912345678") == "0912345678"


@pytest.mark.parametrize("number", ["066090001234", "001203004567", "079188000001"])
def test_valid_citizen_ids(number):
    validate_citizen_id(number)


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("06609000123", "citizen_id"),
        ("0660900012345", "citizen_id"),
        ("06609000123a", "citizen_id"),
        ("003090001234", "citizen_id_province"),  # 003 is no province code
        ("099090001234", "citizen_id_province"),
    ],
)
def test_invalid_citizen_ids(number, code):
    with pytest.raises(ValidationError) as error:
        validate_citizen_id(number)
    assert error.value.code == code


@pytest.mark.parametrize("code", ["0101234567", "0101234567-001"])
def test_valid_tax_codes(code):
    validate_tax_code(code)


@pytest.mark.parametrize("code", ["010123456", "0101234567-01", "0101234567001", "01012345ab"])
def test_invalid_tax_codes(code):
    with pytest.raises(ValidationError):
        validate_tax_code(code)
