"""The citizen's payment pages, and the sandbox gateway speaking the protocol over real HTTP."""

from __future__ import annotations

import urllib.parse
import urllib.request

import pytest
from django.test import Client

from motcua.payments.constants import InvoiceStatus
from motcua.payments.providers import vnpay

from .conftest import SECRET, fee_world, invoice_of, submitted


def signed_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_owner_sees_the_invoice_others_do_not(world):
    invoice = invoice_of(submitted(world))
    url = f"/thanh-toan/{invoice.reference}/"
    html = signed_in(world.citizen).get(url).content.decode()
    assert "130.000" in html and "Một trăm ba mươi nghìn đồng" in html
    assert "Cổng thanh toán (giao thức VNPAY)" in html and "Chuyển khoản VietQR" in html
    assert "Nộp tiền mặt tại bộ phận một cửa" in html
    assert signed_in(world.other_citizen).get(url).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/tai-khoan/" in anonymous["Location"]
    assert signed_in(world.citizen).get("/thanh-toan/TT0000000000/").status_code == 404


def test_choosing_nothing_says_so_and_vietqr_shows_the_transfer(world):
    invoice = invoice_of(submitted(world))
    citizen = signed_in(world.citizen)
    url = f"/thanh-toan/{invoice.reference}/"
    assert "Vui lòng chọn một hình thức thanh toán." in citizen.post(url, {}).content.decode()
    html = citizen.post(url, {"provider": "vietqr"}).content.decode()
    assert "0011001234567" in html and invoice.reference in html
    assert "Tài khoản minh hoạ" in html  # the demo account says so
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PENDING and invoice.provider == "vietqr"


def test_the_gateway_choice_sends_the_browser_with_signed_parameters(world):
    invoice = invoice_of(submitted(world))
    response = signed_in(world.citizen).post(
        f"/thanh-toan/{invoice.reference}/", {"provider": "vnpay"}
    )
    assert response.status_code == 302
    target = urllib.parse.urlsplit(response["Location"])
    assert target.path == "/thanh-toan/thu-nghiem/vnpay/"
    params = dict(urllib.parse.parse_qsl(target.query))
    assert vnpay.signature_valid(params, SECRET)
    assert params["vnp_Amount"] == "13000000" and params["vnp_TxnRef"] == invoice.reference
    assert params["vnp_ReturnUrl"].endswith(f"/thanh-toan/{invoice.reference}/ket-qua/")
    # The sandbox shows the order; a tampered link is refused.
    page = Client().get(target.path, params)
    assert page.status_code == 200 and "130.000" in page.content.decode()
    assert Client().get(target.path, params | {"vnp_Amount": "100"}).status_code == 400


def test_a_failed_return_keeps_everything_and_the_invoice_payable(world):
    invoice = invoice_of(submitted(world))
    citizen = signed_in(world.citizen)
    page = citizen.get(
        f"/thanh-toan/{invoice.reference}/ket-qua/", {"vnp_ResponseCode": "24"}, follow=True
    )
    html = page.content.decode()
    assert "Thanh toán chưa thành công" in html and "vẫn được giữ nguyên" in html
    assert 'name="provider"' in html  # the choice again
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CREATED


def test_the_dossier_page_and_the_tracking_page_show_the_fee(world):
    d = submitted(world)
    invoice = invoice_of(d)
    detail = signed_in(world.citizen).get(f"/ho-so-cua-toi/{d.code}/").content.decode()
    assert invoice.reference in detail and f"/thanh-toan/{invoice.reference}/" in detail
    assert "Chờ nộp phí, lệ phí" in signed_in(world.citizen).get("/ho-so-cua-toi/").content.decode()
    factor = world.citizen.phone[-4:]
    tracked = Client().get("/tra-cuu/", {"code": d.code, "factor": factor}).content.decode()
    assert invoice.reference in tracked and "Chờ thanh toán" in tracked
    bare = Client().get("/tra-cuu/", {"code": d.code}).content.decode()
    assert invoice.reference not in bare  # without the second factor: no invoice


def test_the_sandbox_is_refused_unless_enabled(world, settings):
    settings.MOTCUA_PAYMENT_SANDBOX = False
    assert Client().get("/thanh-toan/thu-nghiem/vnpay/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_sandbox_calls_the_ipn_over_http_then_returns_the_browser(live_server, settings):
    settings.MOTCUA_PUBLIC_BASE_URL = live_server.url
    world = fee_world()
    invoice = invoice_of(submitted(world))
    citizen = signed_in(world.citizen)
    start = citizen.post(f"/thanh-toan/{invoice.reference}/", {"provider": "vnpay"})
    target = urllib.parse.urlsplit(start["Location"])
    assert target.netloc == urllib.parse.urlsplit(live_server.url).netloc
    form = dict(urllib.parse.parse_qsl(target.query)) | {"outcome": "pay"}
    request = urllib.request.Request(
        f"{live_server.url}{target.path}", data=urllib.parse.urlencode(form).encode()
    )

    class Keep(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(Keep)
    try:
        opener.open(request, timeout=30)
    except urllib.error.HTTPError as answer:
        assert answer.code == 302
        back = answer.headers["Location"]
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID  # by the IPN, before the browser is back
    # (the return URL is built on the host the citizen's browser used: the test client's)
    assert f"/thanh-toan/{invoice.reference}/ket-qua/?" in back
    assert vnpay.signature_valid(dict(urllib.parse.parse_qsl(back.split("?", 1)[1])), SECRET)


def test_submitting_a_dossier_whose_fees_fall_due_then_goes_to_the_payment_page(world):
    from motcua.dossiers import services as s
    from tests.dossiers.helpers import new_online, pdf_file

    d = new_online(world)
    for doc in world.procedure.required_documents.filter(mandatory=True):
        s.attachment_add(
            dossier=d,
            actor=world.citizen,
            kind="application",
            file=pdf_file(),
            required_document=doc,
        )
    d.refresh_from_db()
    citizen = signed_in(world.citizen)
    response = citizen.post(f"/nop-ho-so/nhap/{d.uuid}/xem-lai/", {"version": d.version})
    invoice = invoice_of(d)
    assert response.status_code == 302
    assert response["Location"] == f"/thanh-toan/{invoice.reference}/"


def test_a_receipt_lost_from_the_storage_is_rendered_again(world):
    from motcua.payments import services as payments

    invoice = invoice_of(submitted(world))
    payments.cash_record(invoice=invoice, actor=world.reception, receipt_number="77")
    citizen = signed_in(world.citizen)
    url = f"/thanh-toan/{invoice.reference}/bien-lai.pdf"
    assert citizen.get(url).content.startswith(b"%PDF")
    invoice.refresh_from_db()
    invoice.receipt_file.storage.delete(invoice.receipt_file.name)
    again = citizen.get(url)
    assert again.status_code == 200 and again.content.startswith(b"%PDF")
