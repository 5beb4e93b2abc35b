"""The e-receipt (biên lai điện tử) of a paid invoice: what the PDF says, its QR code, kept once."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from motcua.documents import pdf as pdf_module
from motcua.documents.qr import parse_qr_payload, qr_svg
from motcua.documents.words import amount_in_words, format_vnd
from motcua.payments import receipts
from motcua.payments import services as ps
from motcua.payments.constants import InvoiceStatus
from motcua.payments.receipts import receipt_keep, receipt_pdf
from tests.dossiers.helpers import VN

from .conftest import invoice_of, submitted

BASE = "https://dichvucong.example.vn"
PAID_AT = dt.datetime(2025, 7, 14, 9, 5, tzinfo=VN)


def text_of(data: bytes) -> str:
    """All the PDF's text, pages joined, whitespace runs folded to one space."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture(autouse=True)
def _public_base(settings) -> None:
    settings.MOTCUA_PUBLIC_BASE_URL = BASE


@pytest.fixture
def paid(world):
    """The world's dossier submitted and its invoice paid through the gateway, at a known time."""
    invoice = invoice_of(submitted(world))
    result = ps.payment_confirm(
        invoice=invoice, provider="vnpay", amount=130_000, provider_txn="14012345", paid_at=PAID_AT
    )
    assert result.outcome == "paid"
    invoice.refresh_from_db()
    return invoice


@pytest.fixture
def rendered(monkeypatch) -> list[tuple[dict, str]]:
    """The context and the HTML of each receipt rendered (the QR code is an inline SVG in it)."""
    seen: list[tuple[dict, str]] = []
    real = receipts.render_pdf

    def spy(*, spec, context):
        seen.append((context, pdf_module.render_html(spec=spec, context=context)))
        return real(spec=spec, context=context)

    monkeypatch.setattr(receipts, "render_pdf", spy)
    return seen


def test_the_words_and_figures_the_receipt_uses() -> None:
    # Checked by hand against Vietnamese accounting style: with diacritics, capitalised, "đồng".
    assert amount_in_words(amount=130_000) == "Một trăm ba mươi nghìn đồng"
    assert amount_in_words(amount=80_000) == "Tám mươi nghìn đồng"
    assert amount_in_words(amount=1_005_000) == "Một triệu không trăm lẻ năm nghìn đồng"
    assert amount_in_words(amount=21_000) == "Hai mươi mốt nghìn đồng"
    assert amount_in_words(amount=115_000) == "Một trăm mười lăm nghìn đồng"
    assert format_vnd(amount=130_000) == "130.000 đồng"


def test_the_receipt_of_a_gateway_payment_says_everything(paid, world, rendered) -> None:
    dossier = paid.dossier
    text = text_of(receipt_pdf(invoice=paid))
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ ĐIỆN TỬ" in text
    assert f"Số biên lai: {paid.receipt_no}" in text
    assert paid.receipt_no == f"BL2025-{paid.pk:08d}"
    assert f"Mã thanh toán: {paid.reference} · Mã hồ sơ: {dossier.code}" in text
    assert "Đơn vị thu: Sở Tư pháp" in text
    assert f"Họ tên người nộp tiền: {world.citizen.full_name}" in text
    assert f"Số định danh cá nhân: {world.citizen.citizen_id}" in text
    # Each fee line (the online price of the first fee), then the total in figures and words.
    assert "1 Lệ phí cấp giấy phép 80.000 đồng" in text
    assert "2 Phí thẩm định 50.000 đồng" in text
    assert "Tổng cộng 130.000 đồng" in text
    assert "Số tiền bằng chữ: Một trăm ba mươi nghìn đồng" in text
    assert "Hình thức thanh toán: Cổng thanh toán (giao thức VNPAY); mã giao dịch: 14012345" in text
    assert "Thời điểm thanh toán: 09 giờ 05 phút, ngày 14 tháng 07 năm 2025" in text
    tracking = f"{BASE}/tra-cuu/?code={dossier.code}"
    assert f"Tra cứu hồ sơ: quét mã QR hoặc mở {tracking}" in text

    # The QR code: its payload points at the tracking page, and the SVG in the PDF's HTML is
    # exactly the code of that payload (no QR decoder in the venv; segno is deterministic, so
    # the same payload gives the same modules and another payload different ones).
    [(context, html)] = rendered
    payload = parse_qr_payload(text=context["qr_payload"])
    assert payload.url == tracking
    assert payload.dossier_code == dossier.code
    assert payload.document_name == "Biên lai thu phí, lệ phí điện tử"
    assert payload.issued_at == PAID_AT
    assert qr_svg(data=context["qr_payload"]) in html
    other = context["qr_payload"].replace(tracking, f"{BASE}/")
    assert qr_svg(data=other) not in html


def test_a_cash_receipt_names_the_officer_and_the_paper_receipt_not_an_empty_txn(world) -> None:
    invoice = invoice_of(submitted(world))
    ps.cash_record(invoice=invoice, actor=world.reception, receipt_number="0001234")
    invoice.refresh_from_db()
    text = text_of(receipt_pdf(invoice=invoice))
    assert "Hình thức thanh toán: Nộp tiền mặt tại bộ phận một cửa; số biên lai giấy: 0001234" in (
        text
    )
    # The internal "account:number" transaction id of cash is not shown, nor an empty label.
    assert "mã giao dịch" not in text
    assert f"Người thu: {world.reception.full_name}" in text
    assert "Tổng cộng 130.000 đồng" in text


def test_no_receipt_for_an_unpaid_invoice(world) -> None:
    invoice = invoice_of(submitted(world))
    assert invoice.status == InvoiceStatus.CREATED
    with pytest.raises(ValueError, match="paid invoice"):
        receipt_pdf(invoice=invoice)
    assert receipt_keep(invoice_id=invoice.pk) is None
    invoice.refresh_from_db()
    assert not invoice.receipt_file


def test_receipt_keep_twice_keeps_one_file(paid, settings, rendered) -> None:
    first = receipt_keep(invoice_id=paid.pk)
    assert first is not None and first.receipt_file
    name = first.receipt_file.name
    stored = first.receipt_file.read()
    assert text_of(stored).count(paid.reference) >= 1
    second = receipt_keep(invoice_id=paid.pk)
    assert second is not None and second.receipt_file.name == name
    # Rendered once: the second call found the kept file and made no new PDF.
    assert len(rendered) == 1
    folder = settings.MEDIA_ROOT
    files = [p for p in folder.rglob("*.pdf") if paid.receipt_no in p.name]
    assert [p.name for p in files] == [f"{paid.receipt_no}.pdf"]
    paid.refresh_from_db()
    assert paid.receipt_file.name == name
