"""Amounts in words, Vietnamese times, the QR payload, the form registry and the font's glyphs."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from motcua.documents import registry
from motcua.documents.pdf import html_to_pdf
from motcua.documents.qr import build_qr_payload, parse_qr_payload, qr_svg, tracking_url
from motcua.documents.words import (
    VN_TZ,
    amount_in_words,
    format_datetime,
    format_vnd,
)

from .conftest import pdf_reader, pdf_text

VIETNAMESE = "ĐđẮắẰằẲẳẴẵẶặƠơƯưỨứỪừỬửỮữỰự"


@pytest.mark.parametrize(
    ("amount", "figures", "words"),
    [
        (1_250_000, "1.250.000 đồng", "Một triệu hai trăm năm mươi nghìn đồng"),
        (0, "0 đồng", "Không đồng"),
        (15_000, "15.000 đồng", "Mười lăm nghìn đồng"),
        (2_021_000_000, "2.021.000.000 đồng", "Hai tỷ không trăm hai mươi mốt triệu đồng"),
        (1_005, "1.005 đồng", "Một nghìn không trăm lẻ năm đồng"),
        (105_000, "105.000 đồng", "Một trăm lẻ năm nghìn đồng"),
        (3_000_050_000, "3.000.050.000 đồng", "Ba tỷ không trăm năm mươi nghìn đồng"),
    ],
)
def test_amounts(amount: int, figures: str, words: str) -> None:
    assert format_vnd(amount=amount) == figures
    assert amount_in_words(amount=amount) == words
    assert unicodedata.is_normalized("NFC", amount_in_words(amount=amount))


def test_amounts_refuse_negative_values() -> None:
    with pytest.raises(ValueError):
        format_vnd(amount=-1)


def test_times_are_shown_in_vietnam() -> None:
    moment = dt.datetime(2025, 7, 14, 1, 5, tzinfo=dt.UTC)  # 08:05 in Hồ Chí Minh City
    assert format_datetime(value=moment) == "08 giờ 05 phút, ngày 14 tháng 07 năm 2025"
    with pytest.raises(ValueError):
        format_datetime(value=dt.datetime(2025, 7, 14, 8, 5))


def test_qr_payload_is_compact_and_round_trips(settings) -> None:  # type: ignore[no-untyped-def]
    settings.MOTCUA_PUBLIC_BASE_URL = "https://dichvucong.daklak.gov.vn/"
    settings.MOTCUA_SYSTEM_NAME = "Hệ thống thông tin giải quyết TTHC tỉnh Đắk Lắk"
    issued = dt.datetime(2025, 7, 14, 1, 5, 42, tzinfo=dt.UTC)
    due = dt.datetime(2025, 7, 28, 16, 30, tzinfo=VN_TZ)
    text = build_qr_payload(
        dossier_code="000.00.21.H16-250714-0001",
        procedure_code="1.004194",
        applicant_id="066185000123",
        document_name="Giấy tiếp nhận hồ sơ\nvà hẹn trả kết quả",
        issued_at=issued,
        appointment_at=due,
    )
    assert text == (
        "MOTCUA:1\n"
        "MHS:000.00.21.H16-250714-0001\n"
        "TTHC:1.004194\n"
        "DD:066185000123\n"
        "VB:Giấy tiếp nhận hồ sơ và hẹn trả kết quả\n"
        "HT:Hệ thống thông tin giải quyết TTHC tỉnh Đắk Lắk\n"
        "TG:2025-07-14T08:05+07:00\n"
        "HEN:2025-07-28T16:30+07:00\n"
        "URL:https://dichvucong.daklak.gov.vn/tra-cuu/?code=000.00.21.H16-250714-0001"
    )
    parsed = parse_qr_payload(text=text)
    assert parsed.dossier_code == "000.00.21.H16-250714-0001"
    assert parsed.appointment_at == due
    assert parsed.issued_at == issued.replace(second=0)
    assert parsed.url == tracking_url(code="000.00.21.H16-250714-0001")
    svg = qr_svg(data=text)
    assert svg.startswith('<svg style="width:19mm;height:19mm"')
    assert "<path" in svg


def test_qr_payload_without_a_dossier_has_no_link() -> None:
    text = build_qr_payload(
        dossier_code="",
        procedure_code="",
        applicant_id="000.00.21.H16",
        document_name="Sổ theo dõi hồ sơ",
        issued_at=dt.datetime(2025, 7, 31, 10, tzinfo=VN_TZ),
    )
    assert "URL:" not in text
    assert "HEN:" not in text
    with pytest.raises(ValueError):
        parse_qr_payload(text="hello")


def test_registry_numbers_and_titles_come_from_settings(settings) -> None:  # type: ignore[no-untyped-def]
    assert registry.form_by_number(number=1).key == registry.RECEIPT
    assert registry.get_form(key=registry.TRACKING_BOOK).paper == registry.A4_LANDSCAPE
    assert registry.get_form(key=registry.APOLOGY).paper == registry.A5_PORTRAIT
    settings.MOTCUA_FORM_TITLES = settings.MOTCUA_FORM_TITLES | {
        "control_sheet": {"number": "06", "title": "Phiếu kiểm soát quá trình giải quyết hồ sơ"},
        "tracking_book": {"number": "07", "title": "Sổ theo dõi hồ sơ"},
    }
    assert registry.form_by_number(number="07").key == registry.TRACKING_BOOK
    assert registry.get_form(key=registry.CONTROL_SHEET).label == "Mẫu số 06"
    with pytest.raises(LookupError):
        registry.get_form(key="nope")


def test_the_serif_font_has_every_vietnamese_glyph() -> None:
    decomposed = unicodedata.normalize("NFD", VIETNAMESE)
    html = (
        '<html lang="vi"><body style="font-family: \'Liberation Serif\', serif">'
        f"<p>{decomposed}</p></body></html>"
    )
    data = html_to_pdf(html=html)
    # Combining input comes out precomposed (NFC) and whole: no glyph was missing.
    assert pdf_text(data) == VIETNAMESE
    fonts = set()
    for page in pdf_reader(data).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("LiberationSerif" in name.replace("-", "") for name in fonts), fonts
