"""GET /api/v1/payments/invoices/{reference}, the invoices on the dossier read, and webhooks."""

from __future__ import annotations

from motcua.integration.models import WebhookDelivery, WebhookSubscription
from motcua.payments import services as payments
from tests.integration.conftest import assert_error, make_caller

from .conftest import invoice_of, submitted


def test_an_invoice_in_scope_with_its_vietqr_payload(world):
    invoice = invoice_of(submitted(world))
    caller = make_caller(world, scopes=["payments:read", "dossiers:read"])
    body = caller.get(f"payments/invoices/{invoice.reference}").json()
    assert body == {
        "reference": invoice.reference,
        "amount": 130_000,
        "status": "created",
        "provider": "",
        "stage": "submission",
        "paid_at": None,
        "receipt_no": None,
        "qr_payload": None,
        "dossier": invoice.dossier.code,
    }
    payments.payment_start(invoice=invoice, provider="vietqr", actor=world.citizen)
    body = caller.get(f"payments/invoices/{invoice.reference.lower()}").json()
    assert body["status"] == "pending" and body["provider"] == "vietqr"
    assert body["qr_payload"].startswith("000201010212") and "5406130000" in body["qr_payload"]
    detail = caller.get(f"dossiers/{invoice.dossier.code}").json()
    assert [i["reference"] for i in detail["invoices"]] == [invoice.reference]


def test_scope_and_agency_are_enforced(world):
    invoice = invoice_of(submitted(world))
    no_scope = make_caller(world, scopes=["dossiers:read"])
    assert_error(no_scope.get(f"payments/invoices/{invoice.reference}"), 403, "scope_denied")
    assert no_scope.get(f"dossiers/{invoice.dossier.code}").json()["invoices"] == []
    elsewhere = make_caller(world, agencies=[world.other_unit], scopes=["payments:read"])
    assert_error(elsewhere.get(f"payments/invoices/{invoice.reference}"), 404, "not_found")
    anonymous = make_caller(world, scopes=["payments:read"])
    anonymous.key = ""
    assert_error(anonymous.get(f"payments/invoices/{invoice.reference}"), 401, "unauthenticated")


def test_a_payment_is_a_webhook_event(world, django_capture_on_commit_callbacks):
    caller = make_caller(world, scopes=["webhooks", "payments:read", "dossiers:read"])
    WebhookSubscription.objects.create(
        client=caller.client, url="http://127.0.0.1:9/in", event_types=["dossier.payment"]
    )
    invoice = invoice_of(submitted(world))
    with django_capture_on_commit_callbacks(execute=True):
        payments.cash_record(invoice=invoice, actor=world.reception, receipt_number="12")
    deliveries = list(WebhookDelivery.objects.filter(event_type="dossier.payment"))
    assert len(deliveries) == 1
    assert deliveries[0].payload["invoice"] == {
        "reference": invoice.reference,
        "status": "paid",
        "previous_status": "created",
        "amount": 130_000,
        "provider": "cash",
    }
