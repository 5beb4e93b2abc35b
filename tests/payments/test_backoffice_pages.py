"""The back office's payment pages: the unit's invoices, cash at the desk, refunds by role,
statements imported through the page; and the desk that waits for the fees."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.dossiers import services as s
from motcua.dossiers.exceptions import PaymentDue
from motcua.payments.constants import InvoiceStatus
from motcua.payments.models import StatementEntry

from .conftest import invoice_of, submitted

PAGE = "/can-bo/thanh-toan/"


def signed_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def action(invoice, name: str) -> str:
    return f"/can-bo/thanh-toan/hoa-don/{invoice.reference}/{name}/"


def test_the_desk_sees_a_dossier_once_its_fees_are_paid(world):
    d = submitted(world)
    invoice = invoice_of(d)
    desk = signed_in(world.reception)
    queue = desk.get("/can-bo/", {"tab": "new"}).content.decode()
    assert d.code not in queue
    with pytest.raises(PaymentDue):
        s.dossier_accept(dossier=d, actor=world.reception)
    listing = desk.get(PAGE).content.decode()
    assert invoice.reference in listing and "130.000" in listing
    response = desk.post(action(invoice, "cash"), {"receipt_number": "0000042"}, follow=True)
    assert "Đã ghi nhận thu tiền mặt" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and invoice.cash_receipt == "0000042"
    assert invoice.recorded_by == world.reception
    assert d.code in desk.get("/can-bo/", {"tab": "new"}).content.decode()
    s.dossier_accept(dossier=d, actor=world.reception)  # no longer refused
    cash = desk.get(PAGE, {"tab": "cash"}).content.decode()
    assert "0000042" in cash and "130.000" in cash


def test_a_receipt_number_is_required_and_nothing_changes_without_it(world):
    invoice = invoice_of(submitted(world))
    response = signed_in(world.reception).post(action(invoice, "cash"), {}, follow=True)
    assert "Cần nhập số biên lai thu tiền." in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CREATED


def test_another_agency_sees_no_invoice_and_a_specialist_takes_no_cash(world):
    invoice = invoice_of(submitted(world))
    other = signed_in(world.other_reception)
    assert invoice.reference not in other.get(PAGE).content.decode()
    assert other.post(action(invoice, "cash"), {"receipt_number": "1"}).status_code == 404
    leader = signed_in(world.leader)
    response = leader.post(action(invoice, "cash"), {"receipt_number": "1"}, follow=True)
    assert "Bạn không có quyền" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CREATED


def test_a_refund_is_asked_by_an_officer_and_approved_by_the_leader(world):
    invoice = invoice_of(submitted(world))
    desk = signed_in(world.reception)
    desk.post(action(invoice, "cash"), {"receipt_number": "7"})
    desk.post(action(invoice, "refund_request"), {"reason": "Nộp nhầm thủ tục"})
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.REFUND_REQUESTED
    assert invoice.refund_requested_by == world.reception
    # The reception officer cannot approve it; the unit leader can.
    desk.post(action(invoice, "refund_approve"))
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.REFUND_REQUESTED
    assert (
        "Nộp nhầm thủ tục" in signed_in(world.leader).get(PAGE, {"tab": "refund"}).content.decode()
    )
    signed_in(world.leader).post(action(invoice, "refund_approve"))
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.REFUNDED and invoice.refund_approved_by == world.leader


def test_a_statement_uploaded_through_the_page(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from motcua.payments.models import PaymentAccount

    invoice = invoice_of(submitted(world))
    account = PaymentAccount.objects.get(unit=world.unit, provider="vietqr")
    body = (
        "Ngày giao dịch;Số tham chiếu;Ghi có;Nội dung\n"
        f"14/07/2025;FT9;130.000;{invoice.reference}\n"
        "14/07/2025;FT10;5.000;khong ro\n"
    ).encode()
    desk = signed_in(world.reception)
    upload = SimpleUploadedFile("saoke.csv", body, content_type="text/csv")
    response = desk.post(
        "/can-bo/thanh-toan/sao-ke/", {"account": account.pk, "file": upload}, follow=True
    )
    html = response.content.decode()
    assert "Đã nhập 2 dòng: 1 khớp, 1 không tìm thấy hoá đơn" in html
    assert "FT10" in html  # left for a person
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    entry = StatementEntry.objects.get(bank_ref="FT10")
    desk.post(f"/can-bo/thanh-toan/sao-ke/dong/{entry.pk}/", {"note": "Trả lại người chuyển"})
    entry.refresh_from_db()
    assert entry.outcome == "resolved" and entry.decided_by == world.reception


def test_every_tab_renders_with_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    for _ in range(3):
        submitted(world)
    desk = signed_in(world.reception)
    for tab in ("unpaid", "paid", "refund", "statements", "cash", "reconcile"):
        with django_assert_max_num_queries(20):
            assert desk.get(PAGE, {"tab": tab}).status_code == 200
    assert desk.get(PAGE, {"tab": "nope"}).status_code == 404


def test_a_receipt_number_is_used_once_and_a_paid_invoice_takes_no_cash(world):
    first, second = invoice_of(submitted(world)), invoice_of(submitted(world))
    desk = signed_in(world.reception)
    desk.post(action(first, "cash"), {"receipt_number": "0000100"})
    again = desk.post(action(second, "cash"), {"receipt_number": "0000100"}, follow=True)
    assert "Số biên lai này đã dùng cho một khoản thu khác." in again.content.decode()
    second.refresh_from_db()
    assert second.status == InvoiceStatus.CREATED
    twice = desk.post(action(first, "cash"), {"receipt_number": "0000101"}, follow=True)
    assert "Đã ghi nhận thu tiền mặt" not in twice.content.decode()
    first.refresh_from_db()
    assert first.cash_receipt == "0000100"


def test_a_province_officer_filters_the_lists_by_unit(world):
    from motcua.orgs.models import Membership

    mine = invoice_of(submitted(world))
    Membership.objects.create(user=world.reception, unit=world.other_unit, role="reception")
    desk = signed_in(world.reception)
    everything = desk.get(PAGE).content.decode()
    assert mine.reference in everything and 'name="unit"' in everything
    other = desk.get(PAGE, {"unit": world.other_unit.pk}).content.decode()
    assert mine.reference not in other
    assert mine.reference in desk.get(PAGE, {"unit": world.unit.pk}).content.decode()
    # A unit the officer does not cover is no filter at all (not another unit's list).
    from tests.factories import UnitFactory

    stranger = UnitFactory(code="000.00.97.H16")
    assert mine.reference in desk.get(PAGE, {"unit": stranger.pk}).content.decode()
