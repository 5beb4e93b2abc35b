"""The vnpay 2.1.0 signature against a vector computed here, from the canonical string written
out by hand and the standard library's HMAC (not by the code under test)."""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import parse_qsl

from motcua.payments.providers import vnpay

SECRET = "SECRETKEY0123456789ABCDEF"
PARAMS = {
    "vnp_Version": "2.1.0",
    "vnp_Command": "pay",
    "vnp_TmnCode": "DEMO0001",
    "vnp_Amount": "8000000",
    "vnp_CurrCode": "VND",
    "vnp_TxnRef": "TT4K7Q2M9XHD",
    "vnp_OrderInfo": "Thanh toan phi ho so 000.00.21.H16-250714-0001",
    "vnp_OrderType": "other",
    "vnp_Locale": "vn",
    "vnp_ReturnUrl": "https://dichvucong.example.vn/thanh-toan/TT4K7Q2M9XHD/ket-qua/",
    "vnp_IpAddr": "113.161.1.2",
    "vnp_CreateDate": "20250714080000",
    "vnp_ExpireDate": "20250714081500",
}
# Sorted by key, form-encoded (space as +, ':' and '/' escaped), joined by '&'.
CANONICAL = (
    "vnp_Amount=8000000&vnp_Command=pay&vnp_CreateDate=20250714080000&vnp_CurrCode=VND"
    "&vnp_ExpireDate=20250714081500&vnp_IpAddr=113.161.1.2&vnp_Locale=vn"
    "&vnp_OrderInfo=Thanh+toan+phi+ho+so+000.00.21.H16-250714-0001&vnp_OrderType=other"
    "&vnp_ReturnUrl=https%3A%2F%2Fdichvucong.example.vn%2Fthanh-toan%2FTT4K7Q2M9XHD%2Fket-qua%2F"
    "&vnp_TmnCode=DEMO0001&vnp_TxnRef=TT4K7Q2M9XHD&vnp_Version=2.1.0"
)
EXPECTED = hmac.new(SECRET.encode(), CANONICAL.encode(), hashlib.sha512).hexdigest()


def test_the_signed_string_and_hash_match_the_vector():
    assert vnpay.hash_data(PARAMS) == CANONICAL
    assert vnpay.secure_hash(PARAMS, SECRET) == EXPECTED
    assert len(EXPECTED) == 128


def test_the_hash_fields_are_left_out_and_upper_case_hex_is_accepted():
    signed = dict(PARAMS, vnp_SecureHashType="HmacSHA512", vnp_SecureHash=EXPECTED.upper())
    assert vnpay.hash_data(signed) == CANONICAL
    assert vnpay.signature_valid(signed, SECRET)


def test_any_changed_parameter_or_secret_breaks_the_signature():
    signed = dict(PARAMS, vnp_SecureHash=EXPECTED)
    assert not vnpay.signature_valid(dict(signed, vnp_Amount="8000100"), SECRET)
    assert not vnpay.signature_valid(dict(signed, vnp_Extra="x"), SECRET)
    assert not vnpay.signature_valid(signed, SECRET + "x")
    assert not vnpay.signature_valid(dict(PARAMS), SECRET)  # no hash at all
    assert not vnpay.signature_valid(signed, "")  # no secret configured: nothing is authentic


def test_the_query_carries_the_parameters_and_their_hash():
    query = vnpay.signed_query(PARAMS, SECRET)
    decoded = dict(parse_qsl(query))
    assert decoded.pop("vnp_SecureHash") == EXPECTED
    assert decoded == PARAMS


def test_times_are_gmt7_and_text_loses_its_diacritics():
    import datetime as dt

    moment = dt.datetime(2025, 7, 14, 1, 0, tzinfo=dt.UTC)
    assert vnpay.gmt7(moment) == "20250714080000"
    assert vnpay.gmt7_parse("20250714080000") == moment
    assert vnpay.ascii_text("Lệ phí đăng ký Đắk Lắk") == "Le phi dang ky Dak Lak"
    assert vnpay.txn_ref("TT4K7Q2M9XHD", 1) == "TT4K7Q2M9XHD"
    assert vnpay.reference_of(vnpay.txn_ref("TT4K7Q2M9XHD", 3)) == "TT4K7Q2M9XHD"
