"""The sandbox gateway motcua serves itself (/thanh-toan/thu-nghiem/vnpay/), for development,
the demo and the tests: it speaks the vnpay protocol exactly as the real gateway does.

The browser arrives with the signed payment parameters; the page shows the order with three
buttons. On a choice the sandbox signs the result, calls the IPN at
/api/v1/payments/callback/vnpay over HTTP (server to server, as the gateway does), then sends the
browser back to vnp_ReturnUrl with the same signed parameters. It is refused (404) unless
MOTCUA_PAYMENT_SANDBOX is on (by default only with DEBUG or in tests).
"""

from __future__ import annotations

import logging
import secrets
import urllib.error
import urllib.request

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from motcua.public_url import public_base_url

from .constants import Provider
from .providers import vnpay
from .selectors import account_for_invoice, invoice_by_reference

logger = logging.getLogger(__name__)

# The sandbox's answers: pay, fail (insufficient funds), cancel (the customer cancelled).
OUTCOMES = {
    "pay": ("00", "00"),
    "fail": ("51", "02"),
    "cancel": ("24", "02"),
}
IPN_PATH = "/api/v1/payments/callback/vnpay"


def _secret_for(params) -> str:
    """The sandbox knows the merchants' secrets as a gateway does: the invoice's account's."""
    invoice = invoice_by_reference(reference=vnpay.reference_of(str(params.get("vnp_TxnRef", ""))))
    if invoice is None:
        return settings.MOTCUA_VNPAY_HASH_SECRET
    account = invoice.account or account_for_invoice(invoice=invoice, provider=Provider.VNPAY)
    return account.secret if account else settings.MOTCUA_VNPAY_HASH_SECRET


def ipn_deliver(url: str) -> str:
    """GET the IPN as the gateway does; the merchant's JSON answer, or the error."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our own URL)
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as exc:
        logger.warning("sandbox gateway: IPN to %s failed: %s", url, exc)
        return f"error: {exc}"


@csrf_exempt  # the gateway's page is another site's form in real life
@require_http_methods(["GET", "POST"])
def sandbox_vnpay(request: HttpRequest) -> HttpResponse:
    if not settings.MOTCUA_PAYMENT_SANDBOX:
        raise Http404("sandbox gateway disabled")
    params = (request.GET if request.method == "GET" else request.POST).dict()
    params.pop("outcome", None)
    secret = _secret_for(params)
    if not vnpay.signature_valid(params, secret):
        return render(
            request,
            "payments/sandbox_vnpay.html",
            {"error": "Sai chữ ký (vnp_SecureHash)."},
            status=400,
        )
    expires = vnpay.gmt7_parse(params.get("vnp_ExpireDate", ""))
    expired = expires is not None and expires < timezone.now()
    if request.method == "GET":
        context = {
            "params": params,
            "amount": int(params.get("vnp_Amount", "0") or 0) // 100,
            "expired": expired,
        }
        return render(request, "payments/sandbox_vnpay.html", context)
    outcome = request.POST.get("outcome", "")
    if outcome not in OUTCOMES or expired:
        outcome = "cancel" if expired else outcome
        if outcome not in OUTCOMES:
            return HttpResponse("Lựa chọn không hợp lệ.", status=400)
    response_code, status = OUTCOMES[outcome]
    result = {
        "vnp_Amount": params["vnp_Amount"],
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": f"VNP{secrets.randbelow(10**8):08d}",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": params.get("vnp_OrderInfo", ""),
        "vnp_PayDate": vnpay.gmt7(timezone.now()),
        "vnp_ResponseCode": response_code,
        "vnp_TmnCode": params["vnp_TmnCode"],
        "vnp_TransactionNo": f"{secrets.randbelow(10**8):08d}" if outcome != "cancel" else "0",
        "vnp_TransactionStatus": status,
        "vnp_TxnRef": params["vnp_TxnRef"],
    }
    query = vnpay.signed_query(result, secret)
    answer = ipn_deliver(f"{public_base_url()}{IPN_PATH}?{query}")
    logger.info("sandbox gateway: %s %s -> %s", outcome, params["vnp_TxnRef"], answer)
    return HttpResponseRedirect(f"{params['vnp_ReturnUrl']}?{query}")
