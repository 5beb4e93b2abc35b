"""A signed-in citizen pays a dossier's fees through the sandbox vnpay gateway, in Chromium.

The dossier is submitted through the services (as tests/payments does); everything after that is
the browser: the payment page, the choice of the gateway, the sandbox gateway's page, its buttons.
The sandbox calls the IPN over real HTTP at the public base URL, which points at the live server,
then sends the browser back; the page shows the state, the e-receipt PDF is downloaded and read.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from motcua.dossiers.constants import EventAction
from motcua.dossiers.models import DossierEvent
from motcua.payments import views as gateway_views
from motcua.payments.constants import InvoiceStatus, Provider
from motcua.payments.models import Invoice, PaymentCallback
from tests.payments.conftest import SECRET, TMN, fee_world, invoice_of, submitted

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-thu-nghiem"  # tests.factories.UserFactory's
# The radio button's label (the brief's "Cổng thanh toán (VNPAY)" is the provider's short name).
GATEWAY = str(Provider.VNPAY.label)


@pytest.fixture
def journey(settings: Any, monkeypatch: Any, live_server: Any, tmp_path: Path) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    # Links, the gateway's address and the IPN the sandbox calls all start here.
    settings.MOTCUA_PUBLIC_BASE_URL = live_server.url
    settings.MOTCUA_VNPAY_URL = ""
    settings.MOTCUA_PAYMENT_SANDBOX = True
    settings.MOTCUA_VNPAY_TMN_CODE = TMN
    settings.MOTCUA_VNPAY_HASH_SECRET = SECRET
    monkeypatch.setenv("MOTCUA_VNPAY_HASH_SECRET", SECRET)
    world = fee_world()  # level-4 procedure, fees due at submission, the unit's vnpay account
    dossier = submitted(world)
    return world, dossier, invoice_of(dossier)


@pytest.fixture
def ipn_calls(monkeypatch: Any) -> list[tuple[str, str]]:
    """Each IPN the sandbox delivered: the URL it fetched over HTTP and the merchant's answer."""
    calls: list[tuple[str, str]] = []
    real = gateway_views.ipn_deliver

    def spy(url: str) -> str:
        answer = real(url)
        calls.append((url, answer))
        return answer

    monkeypatch.setattr(gateway_views, "ipn_deliver", spy)
    return calls


def _open_and_sign_in(page: Any, base: str, world: Any, invoice: Invoice) -> None:
    page.goto(f"{base}/thanh-toan/{invoice.reference}/")
    page.wait_for_url(re.compile(r"/tai-khoan/"))
    page.locator("#id_username").fill(world.citizen.phone)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(rf"/thanh-toan/{invoice.reference}/$"))
    expect(page.locator("#invoice-reference")).to_have_text(invoice.reference)


def _to_gateway(page: Any) -> None:
    page.get_by_label(GATEWAY).check()
    page.locator("#pay-button").click()
    page.wait_for_url(re.compile(r"/thanh-toan/thu-nghiem/vnpay/\?"))
    expect(page.locator("#sandbox-amount")).to_have_text("130.000 đ")


def _payment_events(dossier: Any) -> list[dict[str, Any]]:
    return [
        e.payload
        for e in DossierEvent.objects.filter(dossier=dossier, action=EventAction.PAYMENT).order_by(
            "pk"
        )
    ]


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def test_pay_through_the_sandbox_gateway_and_download_the_receipt(
    browser: Any, live_server: Any, journey: Any, ipn_calls: list, screenshots: Path
) -> None:
    world, dossier, invoice = journey
    assert invoice.status == InvoiceStatus.CREATED and invoice.amount == 130_000
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(45_000)
    try:
        _open_and_sign_in(page, live_server.url, world, invoice)
        expect(page.locator("#invoice-status")).to_have_text("Chờ thanh toán")
        expect(page.locator(".payment")).to_contain_text("Một trăm ba mươi nghìn đồng")
        page.screenshot(path=str(screenshots / "pay-01-invoice.png"), full_page=True)
        _to_gateway(page)
        page.screenshot(path=str(screenshots / "pay-02-sandbox.png"), full_page=True)
        page.locator("#sandbox-pay").click()

        # Back on the payment page: paid, by the IPN (the return page only shows the state).
        page.wait_for_url(re.compile(rf"/thanh-toan/{invoice.reference}/$"))
        expect(page.locator("#invoice-status")).to_have_text("Đã thanh toán")
        expect(page.locator("main")).to_contain_text("Thanh toán thành công")
        assert page.locator("form.pay-form").count() == 0
        page.screenshot(path=str(screenshots / "pay-03-paid.png"), full_page=True)

        # The IPN went over HTTP to the live server and was confirmed there.
        [(url, answer)] = ipn_calls
        assert url.startswith(f"{live_server.url}/api/v1/payments/callback/vnpay?")
        assert json.loads(answer) == {"RspCode": "00", "Message": "Confirm Success"}
        assert list(PaymentCallback.objects.values_list("code", flat=True)) == ["00"]

        invoice.refresh_from_db()
        assert invoice.status == InvoiceStatus.PAID
        assert invoice.paid_amount == 130_000 and invoice.provider == "vnpay"
        assert invoice.receipt_no
        paid = [p for p in _payment_events(dossier) if p.get("invoice_to") == "paid"]
        assert len(paid) == 1 and paid[0]["invoice"] == invoice.reference

        # The e-receipt: the link works and returns the PDF with the amount in words.
        link = page.locator("#receipt-link")
        expect(link).to_have_text("Tải biên lai điện tử (PDF)")
        response = context.request.get(live_server.url + link.get_attribute("href"))
        assert response.status == 200
        assert response.headers["content-type"] == "application/pdf"
        body = response.body()
        assert body.startswith(b"%PDF")
        text = _pdf_text(body)
        assert "Một trăm ba mươi nghìn đồng" in text
        assert f"Mã thanh toán: {invoice.reference}" in text
        assert f"Số biên lai: {invoice.receipt_no}" in text
        assert f"mã giao dịch: {invoice.provider_txn}" in text
    finally:
        context.close()


def test_a_failed_payment_keeps_the_invoice_payable(
    browser: Any, live_server: Any, journey: Any, ipn_calls: list, screenshots: Path
) -> None:
    world, dossier, invoice = journey
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(45_000)
    try:
        _open_and_sign_in(page, live_server.url, world, invoice)
        _to_gateway(page)
        page.locator("#sandbox-fail").click()

        page.wait_for_url(re.compile(rf"/thanh-toan/{invoice.reference}/$"))
        expect(page.locator("main")).to_contain_text(
            "Thanh toán chưa thành công (cổng thanh toán báo mã 51). Hồ sơ của bạn vẫn được "
            "giữ nguyên; bạn có thể thanh toán lại."
        )
        expect(page.locator("#invoice-status")).to_have_text("Thanh toán không thành công")
        expect(page.locator("form.pay-form")).to_be_visible()
        expect(page.get_by_label(GATEWAY)).to_be_visible()
        assert page.locator("#receipt-link").count() == 0
        page.screenshot(path=str(screenshots / "pay-04-failed.png"), full_page=True)

        [(url, answer)] = ipn_calls
        assert url.startswith(f"{live_server.url}/api/v1/payments/callback/vnpay?")
        assert json.loads(answer)["RspCode"] == "00"  # the notice was received and recorded
        invoice.refresh_from_db()
        assert invoice.status == InvoiceStatus.FAILED
        assert invoice.paid_at is None and not invoice.receipt_no
        assert [p for p in _payment_events(dossier) if p.get("invoice_to") == "paid"] == []
        dossier.refresh_from_db()
        assert dossier.awaiting_payment is True  # nothing lost: the dossier still waits for it

        # Still payable: a second attempt through the gateway pays it, once.
        _to_gateway(page)
        page.locator("#sandbox-pay").click()
        page.wait_for_url(re.compile(rf"/thanh-toan/{invoice.reference}/$"))
        expect(page.locator("#invoice-status")).to_have_text("Đã thanh toán")
        expect(page.locator("#receipt-link")).to_be_visible()
        assert len(ipn_calls) == 2
        invoice.refresh_from_db()
        assert invoice.status == InvoiceStatus.PAID and invoice.attempts == 2
        paid = [p for p in _payment_events(dossier) if p.get("invoice_to") == "paid"]
        assert len(paid) == 1
    finally:
        context.close()
