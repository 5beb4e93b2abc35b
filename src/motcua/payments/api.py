"""API v1 router `payments`: the gateways' callbacks (public, authenticated by their signature)
and the invoices an integration key may read (scope `payments:read`, agency-scoped). Mounted by
motcua.integration.api."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router

from motcua.integration import schemas as s
from motcua.integration.apikit import ERRORS, require_scope
from motcua.integration.auth import api_key_auth
from motcua.integration.errors import NotFound
from motcua.integration.models import ApiClient
from motcua.integration.selectors import client_unit_ids

from . import services
from .constants import Provider
from .models import Invoice
from .selectors import invoice_by_reference, qr_payload_of

payments_router = Router(tags=["payments / thanh toán"])


def invoice_out(invoice: Invoice) -> dict[str, Any]:
    return {
        "reference": invoice.reference,
        "amount": invoice.amount,
        "status": invoice.status,
        "provider": invoice.provider,
        "stage": invoice.stage,
        "paid_at": invoice.paid_at,
        "receipt_no": invoice.receipt_no,
        "qr_payload": qr_payload_of(invoice) if invoice.provider == Provider.VIETQR else None,
        "dossier": invoice.dossier.code or "",
    }


@payments_router.get(
    "/callback/{provider}",
    response={200: dict, 404: s.ErrorOut},
    operation_id="payment_callback",
    auth=None,
)
def payment_callback(request: HttpRequest, provider: str) -> HttpResponse:
    """Thông báo kết quả thanh toán từ cổng (IPN) / The gateway's server-to-server notice.

    vnpay: the protocol's query parameters, signed (docs/PAYMENTS.md); the answer is the
    protocol's `{"RspCode", "Message"}` (`00` confirmed, `01` order not found, `02` already
    confirmed, `04` invalid amount, `97` invalid signature, `99` other error), always HTTP 200.
    """
    if provider != Provider.VNPAY:
        raise NotFound(details={"provider": provider})
    code, message = services.vnpay_ipn(params=request.GET.dict())
    return JsonResponse({"RspCode": code, "Message": message})


@payments_router.get(
    "/invoices/{reference}",
    response={200: s.InvoiceOut, **ERRORS},
    operation_id="invoice_detail",
    auth=api_key_auth,
)
def invoice_detail(request: HttpRequest, reference: str) -> dict[str, Any]:
    """Một hoá đơn phí, lệ phí trong phạm vi / One invoice of an agency in scope."""
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    require_scope(client, "payments:read")
    invoice = invoice_by_reference(reference=reference)
    units = client_unit_ids(client=client)
    if invoice is None or not (
        invoice.unit_id in units or invoice.dossier.receiving_unit_id in units
    ):
        raise NotFound(details={"reference": reference})
    return invoice_out(invoice)
