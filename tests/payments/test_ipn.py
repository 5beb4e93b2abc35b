"""The gateway's IPN: authenticated, idempotent, harmless when repeated or out of order."""

from __future__ import annotations

import pytest

from motcua.dossiers import services as s
from motcua.dossiers.audit import chain_verify
from motcua.dossiers.constants import EventAction
from motcua.dossiers.models import DossierEvent
from motcua.payments.constants import InvoiceStatus
from motcua.payments.models import PaymentCallback

from .conftest import invoice_of, submitted
from .gateway import ipn, sign

URL = "/api/v1/payments/callback/vnpay"


def call(client, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.json()


def payment_events(dossier):
    return list(DossierEvent.objects.filter(dossier=dossier, action=EventAction.PAYMENT))


def test_a_signed_ipn_pays_the_invoice_once_and_releases_the_dossier(client, world):
    d = submitted(world)
    invoice = invoice_of(d)
    assert invoice.amount == 130_000  # the online price of the first fee, the second's price
    assert call(client, ipn(invoice.reference, 130_000)) == {
        "RspCode": "00",
        "Message": "Confirm Success",
    }
    invoice.refresh_from_db()
    d.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert invoice.provider == "vnpay" and invoice.provider_txn == "14012345"
    assert invoice.receipt_no and invoice.paid_amount == 130_000
    assert d.awaiting_payment is False and d.paid_online and d.paid_online_at == invoice.paid_at
    events = payment_events(d)
    assert [e.payload["invoice_to"] for e in events] == ["paid"]
    assert events[0].payload["invoice"] == invoice.reference
    # The same notice again: answered 02, nothing changes, no second event.
    assert call(client, ipn(invoice.reference, 130_000))["RspCode"] == "02"
    assert len(payment_events(d)) == 1
    assert chain_verify(d) is None


def test_a_tampered_notice_is_refused_before_anything_is_looked_at(client, world):
    d = submitted(world)
    invoice = invoice_of(d)
    params = ipn(invoice.reference, 130_000)
    params["vnp_Amount"] = str(1 * 100)  # changed after signing
    assert call(client, params)["RspCode"] == "97"
    forged = ipn(invoice.reference, 130_000, secret="not-the-secret")
    assert call(client, forged)["RspCode"] == "97"
    other_merchant = ipn(invoice.reference, 130_000, tmn="OTHER001")
    assert call(client, other_merchant)["RspCode"] == "97"
    unsigned = {k: v for k, v in ipn(invoice.reference, 130_000).items() if "Hash" not in k}
    assert call(client, unsigned)["RspCode"] == "97"
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CREATED
    assert payment_events(d) == []
    assert PaymentCallback.objects.filter(code="97").count() == 4


def test_unknown_reference_wrong_amount_and_currency(client, world):
    d = submitted(world)
    invoice = invoice_of(d)
    assert call(client, ipn("TT0000000000", 130_000))["RspCode"] == "01"
    assert call(client, ipn(invoice.reference, 129_999))["RspCode"] == "04"
    assert call(client, ipn(invoice.reference, 130_000, vnp_CurrCode="USD"))["RspCode"] == "04"
    fractional = ipn(invoice.reference, 130_000)
    fractional = sign(
        {k: v for k, v in fractional.items() if "Hash" not in k} | {"vnp_Amount": "13000050"}
    )
    assert call(client, fractional)["RspCode"] == "04"
    assert call(client, {"vnp_TxnRef": invoice.reference})["RspCode"] == "99"
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CREATED and payment_events(d) == []


def test_a_late_failure_after_payment_is_ignored(client, world):
    d = submitted(world)
    invoice = invoice_of(d)
    assert call(client, ipn(invoice.reference, 130_000))["RspCode"] == "00"
    assert call(client, ipn(invoice.reference, 130_000, ok=False, txn="0"))["RspCode"] == "02"
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert [e.payload["invoice_to"] for e in payment_events(d)] == ["paid"]


def test_a_failed_attempt_then_a_successful_one(client, world):
    from motcua.payments import services as payments

    d = submitted(world)
    invoice = invoice_of(d)
    payments.payment_start(invoice=invoice, provider="vnpay", actor=world.citizen)
    assert call(client, ipn(invoice.reference, 130_000, ok=False, txn="1"))["RspCode"] == "00"
    invoice.refresh_from_db()
    d.refresh_from_db()
    assert invoice.status == InvoiceStatus.FAILED and d.awaiting_payment
    payments.payment_start(invoice=invoice, provider="vnpay", actor=world.citizen)
    invoice.refresh_from_db()
    assert invoice.attempts == 2 and invoice.status == InvoiceStatus.PENDING
    # The second attempt travels as TT…-2; its success pays the invoice.
    assert call(client, ipn(f"{invoice.reference}-2", 130_000, txn="2"))["RspCode"] == "00"
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and invoice.provider_txn == "2"
    assert [e.payload["invoice_to"] for e in payment_events(d)] == [
        "pending",
        "failed",
        "pending",
        "paid",
    ]


def test_money_for_a_withdrawn_dossier_is_kept_for_refund(client, world):
    d = submitted(world)
    invoice = invoice_of(d)
    s.dossier_withdraw(dossier=d, actor=world.citizen, reason="Không cần nữa")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CANCELLED
    # The citizen had paid at the gateway meanwhile: the money is recorded, to be returned.
    assert call(client, ipn(invoice.reference, 130_000))["RspCode"] == "00"
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.REFUND_REQUESTED
    assert invoice.paid_amount == 130_000 and invoice.receipt_no
    assert invoice.refund_reason.startswith("Tiền đến sau khi hồ sơ đã rút")
    assert invoice.refund_requested_at is not None


def test_the_same_gateway_transaction_cannot_pay_two_invoices(client, world):
    first, second = submitted(world), submitted(world)
    a, b = invoice_of(first), invoice_of(second)
    assert call(client, ipn(a.reference, 130_000, txn="777"))["RspCode"] == "00"
    assert call(client, ipn(b.reference, 130_000, txn="777"))["RspCode"] == "02"
    b.refresh_from_db()
    assert b.status == InvoiceStatus.CREATED


def test_other_providers_have_no_callback(client, world):
    response = client.get("/api/v1/payments/callback/momo")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_notices_pay_once(live_server):
    """Eight identical IPNs at once from threads: one payment, one event, one receipt number."""
    import threading
    import urllib.request
    from urllib.parse import urlencode

    from .conftest import fee_world

    world = fee_world()
    d = submitted(world)
    invoice = invoice_of(d)
    url = f"{live_server.url}{URL}?{urlencode(ipn(invoice.reference, 130_000))}"
    answers: list[str] = []
    barrier = threading.Barrier(8)

    def notify() -> None:
        barrier.wait()
        with urllib.request.urlopen(url, timeout=30) as response:
            import json

            answers.append(json.loads(response.read())["RspCode"])

    threads = [threading.Thread(target=notify) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == ["00"] + ["02"] * 7
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert len(payment_events(d)) == 1
    from motcua.payments.models import Invoice

    assert Invoice.objects.filter(receipt_no__isnull=False).count() == 1


def test_an_account_cannot_name_another_secret_as_its_key(client, world, monkeypatch):
    from django.core.exceptions import ValidationError

    from motcua.payments.models import PaymentAccount

    account = PaymentAccount.objects.get(unit=world.unit, provider="vnpay")
    account.secret_env = "SECRET_KEY"
    with pytest.raises(ValidationError):
        account.full_clean()
    monkeypatch.setenv("SECRET_KEY", "khoa-cua-django")
    account.save()
    assert account.secret == ""
    invoice = invoice_of(submitted(world))
    forged = ipn(invoice.reference, 130_000, secret="khoa-cua-django")
    assert call(client, forged)["RspCode"] == "97"


def test_an_agency_with_its_own_merchant_contract(client, world, monkeypatch):
    """The merchant code picks the secret the notice must be signed with, before any invoice is
    read; an invoice started with one merchant is not paid through another's notice."""
    from motcua.payments import services as payments
    from motcua.payments.models import PaymentAccount

    monkeypatch.setenv("MOTCUA_VNPAY_HASH_SECRET_STP", "bi-mat-rieng-cua-so")
    PaymentAccount.objects.filter(unit=world.unit, provider="vnpay").update(
        tmn_code="STP00001", secret_env="MOTCUA_VNPAY_HASH_SECRET_STP"
    )
    invoice = invoice_of(submitted(world))
    payments.payment_start(invoice=invoice, provider="vnpay", actor=world.citizen)
    # Signed by the province's default merchant: a good signature, but not this order's merchant.
    assert call(client, ipn(invoice.reference, 130_000))["RspCode"] == "01"
    # The agency's code with the default secret: a bad signature.
    wrong = ipn(invoice.reference, 130_000, tmn="STP00001")
    assert call(client, wrong)["RspCode"] == "97"
    own = ipn(invoice.reference, 130_000, tmn="STP00001", secret="bi-mat-rieng-cua-so")
    assert call(client, own)["RspCode"] == "00"
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and invoice.account.tmn_code == "STP00001"
