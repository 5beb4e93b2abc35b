"""The VietQR payload, checked by a decoder written independently of the module's."""

from __future__ import annotations

import binascii

import pytest

from motcua.payments.vietqr import crc16_ccitt, emv_fields, vietqr_payload


def _tlv(text: str) -> list[tuple[str, str]]:
    """An independent TLV reader: a list, so repeated or out-of-order tags would show."""
    out = []
    rest = text
    while rest:
        tag, size = rest[:2], int(rest[2:4])
        value, rest = rest[4 : 4 + size], rest[4 + size :]
        assert len(value) == size, "truncated field"
        out.append((tag, value))
    return out


def _crc_bitwise(data: bytes) -> int:
    crc = 0xFFFF
    for byte in data:
        for bit in range(7, -1, -1):
            top = ((crc >> 15) & 1) ^ ((byte >> bit) & 1)
            crc = (crc << 1) & 0xFFFF
            if top:
                crc ^= 0x1021
    return crc


def test_crc_known_vector() -> None:
    assert crc16_ccitt(b"123456789") == 0x29B1
    assert _crc_bitwise(b"123456789") == 0x29B1
    assert binascii.crc_hqx(b"123456789", 0xFFFF) == 0x29B1


@pytest.mark.parametrize("data", [b"", b"A", b"\x00\xff" * 37, bytes(range(256))])
def test_crc_matches_independent_implementations(data: bytes) -> None:
    assert crc16_ccitt(data) == binascii.crc_hqx(data, 0xFFFF) == _crc_bitwise(data)


def test_payload_fields_and_crc() -> None:
    payload = vietqr_payload(
        bank_bin="970436", account="0011001234567", amount=1_250_000, note="TT4K7Q2M9XHD Lệ phí"
    )
    fields = _tlv(payload)
    assert [tag for tag, _ in fields] == ["00", "01", "38", "53", "54", "58", "62", "63"]
    top = dict(fields)
    assert top["00"] == "01"
    assert top["01"] == "12"
    merchant = _tlv(top["38"])
    assert [t for t, _ in merchant] == ["00", "01", "02"]
    assert dict(merchant)["00"] == "A000000727"
    assert dict(merchant)["02"] == "QRIBFTTA"
    assert _tlv(dict(merchant)["01"]) == [("00", "970436"), ("01", "0011001234567")]
    assert top["53"] == "704"
    assert top["54"] == "1250000"
    assert top["58"] == "VN"
    assert _tlv(top["62"]) == [("08", "TT4K7Q2M9XHD Le phi")]
    assert payload[-8:-4] == "6304"
    assert top["63"] == f"{binascii.crc_hqx(payload[:-4].encode('ascii'), 0xFFFF):04X}"
    assert top["63"] == top["63"].upper()
    assert emv_fields(payload) == top


def test_note_folds_vietnamese_and_drops_punctuation() -> None:
    payload = vietqr_payload(bank_bin="970436", account="123", amount=1, note="Đóng  phí, hồ sơ!")
    assert _tlv(dict(_tlv(payload))["62"]) == [("08", "Dong phi ho so")]


def test_long_note_truncated_only_if_reference_survives() -> None:
    payload = vietqr_payload(
        bank_bin="970436", account="123", amount=1, note="TT4K7Q2M9XHD phí cấp bản sao trích lục"
    )
    note = dict(_tlv(dict(_tlv(payload))["62"]))["08"]
    assert len(note) <= 25
    assert note.startswith("TT4K7Q2M9XHD")
    with pytest.raises(ValueError, match="mã thanh toán"):
        vietqr_payload(
            bank_bin="970436", account="123", amount=1, note="Phí cấp bản sao TT4K7Q2M9XHD"
        )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"bank_bin": "97043"}, "BIN"),
        ({"bank_bin": "97043a"}, "BIN"),
        ({"account": ""}, "Số tài khoản"),
        ({"account": "0" * 20}, "Số tài khoản"),
        ({"account": "001-100"}, "Số tài khoản"),
        ({"amount": 0}, "Số tiền không hợp lệ."),
        ({"amount": -5}, "Số tiền không hợp lệ."),
        ({"amount": True}, "Số tiền không hợp lệ."),
        ({"amount": 10.0}, "Số tiền không hợp lệ."),
        ({"amount": "1000"}, "Số tiền không hợp lệ."),
        ({"amount": 10**13}, "Số tiền không hợp lệ."),
        ({"note": " !? "}, "trống"),
    ],
)
def test_validation(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {
        "bank_bin": "970436",
        "account": "0011001234567",
        "amount": 50_000,
        "note": "TT4K7Q2M9XHD",
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        vietqr_payload(**args)  # type: ignore[arg-type]


def test_largest_amount_accepted() -> None:
    payload = vietqr_payload(bank_bin="970436", account="1", amount=10**13 - 1, note="x")
    assert emv_fields(payload)["54"] == "9" * 13


def test_emv_fields_rejects_truncated() -> None:
    with pytest.raises(ValueError):
        emv_fields("000201010")
    with pytest.raises(ValueError):
        emv_fields("0005012")
