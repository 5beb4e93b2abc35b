"""Addresses: the ward must belong to the province (the national list after 1 July 2025), the
phone must be a Vietnamese number; S10 tracking numbers carry the UPU check digit."""

from __future__ import annotations

import pytest

from motcua.postal import services as postal
from motcua.postal.addresses import address_text, phone_normalise, phone_valid, wards_of
from motcua.postal.errors import AddressInvalid
from motcua.postal.tracking import s10_check_digit, s10_new, s10_valid


def details(address: postal.Address) -> dict:
    with pytest.raises(AddressInvalid) as caught:
        address.cleaned()
    return caught.value.details


def test_a_ward_of_another_province_is_refused():
    # Phường Hoàn Kiếm (70) is in Hà Nội (1), not in Đắk Lắk (66).
    errors = details(postal.Address("Nguyễn Văn A", "0912345678", "66", "70", "12 Lê Duẩn"))
    assert errors == {
        "ward_code": "Xã, phường, đặc khu đã chọn không thuộc tỉnh, thành phố đã chọn."
    }


def test_unknown_codes_bad_phone_and_missing_fields_are_each_named():
    errors = details(postal.Address("", "0112345678", "99", "999999", " "))
    assert set(errors) == {"name", "phone", "province_code", "ward_code", "street"}
    assert "Số điện thoại không hợp lệ" in errors["phone"]


def test_a_good_address_is_normalised():
    a = postal.Address(
        "  Trần  Thị Đào ", "+84 912.345.678", "66", "24133", " 12  Lê Duẩn "
    ).cleaned()
    assert (a.name, a.phone, a.street) == ("Trần Thị Đào", "0912345678", "12 Lê Duẩn")
    assert address_text(a.street, a.ward_code, a.province_code) == (
        "12 Lê Duẩn, Phường Buôn Ma Thuột, Đắk Lắk"
    )


@pytest.mark.parametrize(
    "number, ok",
    [("0912345678", True), ("0386 123 456", True), ("02623812345", True), ("84912345678", True),
     ("0112345678", False), ("091234567", False), ("09123456789", False), ("abc", False)],
)  # fmt: skip
def test_phone_numbers(number, ok):
    assert phone_valid(number) is ok


def test_phone_normalise_keeps_a_landline():
    assert phone_normalise("(0262) 381-2345") == "02623812345"


def test_the_wards_of_dak_lak_are_listed_by_name_without_diacritics_first():
    names = [name for _code, name in wards_of("66")]
    assert "Phường Buôn Ma Thuột" in names and len(names) == 102
    assert wards_of("not a code") == ()


def test_s10_check_digit_known_vectors():
    # Computed by hand with the S10 weights 8 6 4 2 3 5 9 7, check = 11 − (sum mod 11), 10 → 0,
    # 11 → 5: 12345678 sums to 204 (≡ 6) → 5; 47312482 to 200 (≡ 2) → 9; 00000008 to 56 (≡ 1)
    # → 10 → 0; 00000000 to 0 → 11 → 5.
    assert s10_check_digit("12345678") == 5
    assert s10_check_digit("47312482") == 9
    assert s10_check_digit("00000008") == 0
    assert s10_check_digit("00000000") == 5
    assert s10_valid("RR123456785VN")
    assert not s10_valid("RR123456784VN")
    assert s10_valid(s10_new())
