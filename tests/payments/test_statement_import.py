"""Importing a bank statement: matched, unmatched, duplicate, partial, over-paid and repeated."""

from __future__ import annotations

import pytest

from motcua.dossiers.constants import EventAction
from motcua.dossiers.models import DossierEvent
from motcua.payments import services as payments
from motcua.payments.constants import InvoiceStatus, Provider
from motcua.payments.errors import PaymentInvalid, PaymentNotAllowed
from motcua.payments.models import Invoice, PaymentAccount, StatementEntry

from .conftest import invoice_of, submitted

HEADER = "SAO KÊ TÀI KHOẢN\nSố tài khoản: 0011001234567\n\nNgày giao dịch,Số tham chiếu,Ghi nợ,Ghi có,Nội dung\n"


def csv(*lines: str) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def account(world) -> PaymentAccount:
    return PaymentAccount.objects.get(unit=world.unit, provider=Provider.VIETQR)


@pytest.fixture
def invoices(world) -> list[Invoice]:
    return [invoice_of(submitted(world)) for _ in range(5)]


def test_each_kind_of_line(world, account, invoices):
    a, b, c, d, _e = invoices
    data = csv(
        f"14/07/2025 09:01:00,FT001,,130.000,MBVCB.1.{a.reference}.CT tu NGUYEN VAN A",
        f"14/07/2025 09:02:00,FT002,,130000,{b.reference}",
        "14/07/2025 09:03:00,FT003,,50.000,chuyen tien nha",  # no reference
        f"14/07/2025 09:04:00,FT004,,100.000,{c.reference}",  # partial
        f"14/07/2025 09:05:00,FT005,,150.000,{d.reference}",  # over-paid
        f"14/07/2025 09:06:00,FT006,,130.000,{a.reference} lan 2",  # the same invoice again
        f"14/07/2025 09:02:00,FT002,,130000,{b.reference}",  # the same bank line twice
        "14/07/2025 09:07:00,FT007,20.000,,phi ngan hang",  # a debit
    )
    statement = payments.statement_import(
        account=account, data=data, filename="saoke.csv", actor=world.reception
    )
    assert statement.counts == {
        "lines": 7,
        "skipped": 1,
        "matched": 2,
        "unmatched": 1,
        "partial": 1,
        "overpaid": 1,
        "already_paid": 1,
        "duplicate": 1,
    }
    for invoice in invoices:
        invoice.refresh_from_db()
    assert [i.status for i in invoices] == ["paid", "paid", "created", "created", "created"]
    assert a.provider == Provider.VIETQR and a.provider_txn == f"{account.pk}:FT001"
    a.dossier.refresh_from_db()
    assert a.dossier.paid_online_at == a.paid_at  # the time of the bank's line
    outcomes = dict(StatementEntry.objects.values_list("bank_ref", "outcome"))
    assert outcomes == {
        "FT001": "matched",
        "FT002": "matched",
        "FT003": "unmatched",
        "FT004": "partial",
        "FT005": "overpaid",
        "FT006": "already_paid",
    }


def test_the_same_file_again_applies_nothing(world, account, invoices):
    a = invoices[0]
    data = csv(f"14/07/2025 09:01:00,FT001,,130.000,{a.reference}")
    payments.statement_import(account=account, data=data, filename="1.csv", actor=world.reception)
    again = payments.statement_import(
        account=account, data=data, filename="1.csv", actor=world.reception
    )
    assert again.counts["duplicate"] == 1 and again.counts.get("matched", 0) == 0
    assert StatementEntry.objects.count() == 1
    events = DossierEvent.objects.filter(dossier=a.dossier, action=EventAction.PAYMENT)
    assert events.count() == 1


def test_a_reference_of_another_agency_does_not_match(world, account, invoices):
    from tests.factories import UnitFactory

    elsewhere = UnitFactory(code="000.00.99.H16", name="Sở khác")
    other = PaymentAccount.objects.create(
        unit=elsewhere, provider=Provider.VIETQR, bank_bin="970415", account_number="1"
    )
    from motcua.orgs.models import Membership

    Membership.objects.create(user=world.reception, unit=elsewhere, role="reception")
    data = csv(f"14/07/2025 09:01:00,FT001,,130.000,{invoices[0].reference}")
    statement = payments.statement_import(
        account=other, data=data, filename="x.csv", actor=world.reception
    )
    assert statement.counts["unmatched"] == 1
    invoices[0].refresh_from_db()
    assert invoices[0].status == InvoiceStatus.CREATED


def test_lines_left_for_a_person_are_decided_once(world, account, invoices):
    c, d = invoices[2], invoices[3]
    data = csv(
        f"14/07/2025 09:04:00,FT004,,100.000,{c.reference}",
        f"14/07/2025 09:05:00,FT005,,150.000,{d.reference}",
    )
    payments.statement_import(account=account, data=data, filename="s.csv", actor=world.reception)
    partial = StatementEntry.objects.get(bank_ref="FT004")
    over = StatementEntry.objects.get(bank_ref="FT005")
    with pytest.raises(PaymentInvalid):  # less money than the invoice: cannot pay it
        payments.statement_entry_decide(
            entry=partial, actor=world.reception, apply_to=c, note="áp dụng"
        )
    payments.statement_entry_decide(
        entry=partial, actor=world.reception, apply_to=None, note="Đã hoàn trả 100.000 đồng"
    )
    payments.statement_entry_decide(
        entry=over, actor=world.reception, apply_to=d, note="Hoàn lại 20.000 đồng thừa"
    )
    d.refresh_from_db()
    assert d.status == InvoiceStatus.PAID
    with pytest.raises(PaymentInvalid):
        payments.statement_entry_decide(entry=over, actor=world.reception, apply_to=d, note="x")


def test_only_staff_of_the_unit_import_and_a_bad_file_says_why(world, account):
    with pytest.raises(PaymentNotAllowed):
        payments.statement_import(
            account=account, data=csv(), filename="s.csv", actor=world.other_reception
        )
    with pytest.raises(PaymentInvalid) as error:
        payments.statement_import(
            account=account, data=b"\x00\x01", filename="s.pdf", actor=world.reception
        )
    assert str(error.value.message) == "Chỉ nhận sao kê dạng .csv hoặc .xlsx."


def test_the_statements_payments_get_their_receipts(
    world, account, invoices, django_capture_on_commit_callbacks
):
    a, b = invoices[0], invoices[1]
    data = csv(
        f"14/07/2025 09:01:00,FT001,,130.000,{a.reference}",
        f"14/07/2025 09:02:00,FT002,,130.000,{b.reference}",
    )
    with django_capture_on_commit_callbacks(execute=True):
        payments.statement_import(
            account=account, data=data, filename="s.csv", actor=world.reception
        )
    for invoice in (a, b):
        invoice.refresh_from_db()
        assert invoice.receipt_file.name.endswith(f"{invoice.receipt_no}.pdf")


def test_a_line_cannot_pay_another_agencys_invoice(world, account, invoices):
    from tests.factories import UnitFactory

    elsewhere = UnitFactory(code="000.00.98.H16", name="Sở khác")
    theirs = PaymentAccount.objects.create(unit=elsewhere, provider=Provider.VIETQR)
    from motcua.orgs.models import Membership

    Membership.objects.create(user=world.reception, unit=elsewhere, role="reception")
    data = csv("14/07/2025 09:01:00,FT001,,130.000,khong ro")
    payments.statement_import(account=theirs, data=data, filename="x.csv", actor=world.reception)
    entry = StatementEntry.objects.get(bank_ref="FT001")
    with pytest.raises(PaymentInvalid):
        payments.statement_entry_decide(
            entry=entry, actor=world.reception, apply_to=invoices[0], note="nhầm"
        )
    invoices[0].refresh_from_db()
    assert invoices[0].status == InvoiceStatus.CREATED


def test_a_paid_invoice_is_not_started_again(world, invoices):
    from motcua.payments.errors import InvoiceStateError

    invoice = invoices[0]
    payments.cash_record(invoice=invoice, actor=world.reception, receipt_number="3")
    with pytest.raises(InvoiceStateError):
        payments.payment_start(invoice=invoice, provider="vnpay", actor=world.citizen)
    invoice.refresh_from_db()
    assert invoice.provider == Provider.CASH


def test_an_xlsx_statement_as_a_bank_exports_it(world, account, invoices):
    import datetime as dt
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM"])
    sheet.append(["Sao kê tài khoản 0011001234567"])
    sheet.append([])
    sheet.append(["Ngày GD", "Số bút toán", "Ghi nợ", "Ghi có", "Diễn giải"])
    sheet.append([dt.datetime(2025, 7, 14, 9, 30), "5213.1", None, 130000, invoices[0].reference])
    sheet.append([dt.datetime(2025, 7, 14, 9, 31), "5213.2", 20000, None, "phi"])
    data = io.BytesIO()
    book.save(data)
    statement = payments.statement_import(
        account=account, data=data.getvalue(), filename="sao-ke.xlsx", actor=world.reception
    )
    assert statement.counts["matched"] == 1 and statement.counts["skipped"] == 1
    invoices[0].refresh_from_db()
    assert invoices[0].status == InvoiceStatus.PAID
    assert invoices[0].provider_txn == f"{account.pk}:5213.1"
