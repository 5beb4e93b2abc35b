"""Paying a dossier's fees (/thanh-toan/<reference>/): choose the gateway, a VietQR transfer or
the desk; the page the gateway sends the browser back to (it only shows the state: the money is
confirmed by the gateway's server-to-server notice); the e-receipt.

Who may open an invoice: the dossier's owner (signed in), staff of the collecting unit, and,
for a dossier received at the desk without an account, whoever holds its reference (printed for
the applicant; 50 random bits).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.documents.qr import qr_svg, tracking_url
from motcua.documents.words import amount_in_words
from motcua.orgs.constants import OFFICER_ROLES, Role
from motcua.payments import services as payments
from motcua.payments.constants import OPEN_INVOICE_STATES, InvoiceStatus, Provider
from motcua.payments.errors import PaymentError
from motcua.payments.models import Invoice
from motcua.payments.selectors import invoice_by_reference, providers_for_invoice, staff_may

# Staff who may open an invoice: the officers and the agency administrators.
STAFF = OFFICER_ROLES | {Role.AGENCY_ADMIN}


def _invoice(request: HttpRequest, reference: str) -> Invoice | HttpResponse:
    invoice = invoice_by_reference(reference=reference)
    if invoice is None:
        raise Http404(reference)
    owner_id = invoice.dossier.owner_id
    user = request.user
    if owner_id is None:
        return invoice
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if user.pk == owner_id or staff_may(user=user, invoice=invoice, roles=STAFF):
        return invoice
    raise Http404(reference)


def _context(invoice: Invoice, **extra: Any) -> dict[str, Any]:
    dossier = invoice.dossier
    return {
        "invoice": invoice,
        "dossier": dossier,
        "amount_words": amount_in_words(amount=invoice.amount),
        "open": invoice.status in OPEN_INVOICE_STATES,
        "providers": [Provider(p) for p in providers_for_invoice(invoice=invoice)],
        "tracking_url": tracking_url(code=dossier.code) if dossier.code else "",
        **extra,
    }


def _client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "127.0.0.1"


@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest, reference: str) -> HttpResponse:
    found = _invoice(request, reference)
    if isinstance(found, HttpResponse):
        return found
    invoice = found
    extra: dict[str, Any] = {}
    if request.method == "POST":
        provider = request.POST.get("provider", "")
        if invoice.status not in OPEN_INVOICE_STATES:
            messages.info(request, _("Hoá đơn này không còn chờ thanh toán."))
            return HttpResponseRedirect(request.path)
        if provider not in providers_for_invoice(invoice=invoice):
            extra["provider_error"] = _("Vui lòng chọn một hình thức thanh toán.")
        else:
            try:
                checkout = payments.payment_start(
                    invoice=invoice,
                    provider=provider,
                    actor=request.user if request.user.is_authenticated else None,
                    return_url=request.build_absolute_uri(
                        reverse("portal:payment_return", args=[invoice.reference])
                    ),
                    client_ip=_client_ip(request),
                )
            except (PaymentError, ValueError) as error:
                messages.error(
                    request,
                    _("Chưa bắt đầu thanh toán được: %(reason)s Vui lòng thử lại.")
                    % {"reason": getattr(error, "message", error)},
                )
                return HttpResponseRedirect(request.path)
            if checkout.kind == "redirect":
                return HttpResponseRedirect(checkout.redirect_url)
            invoice.refresh_from_db()
            extra["checkout"] = checkout
            if checkout.qr_payload:
                extra["qr"] = qr_svg(data=checkout.qr_payload, size_mm=45)
    response = render(request, "portal/payments/pay.html", _context(invoice, **extra))
    response["Cache-Control"] = "private, no-store"
    return response


def pay_return(request: HttpRequest, reference: str) -> HttpResponse:
    """Where the gateway sends the browser back: the invoice's state as we know it."""
    found = _invoice(request, reference)
    if isinstance(found, HttpResponse):
        return found
    invoice = found
    gateway_code = request.GET.get("vnp_ResponseCode", "")
    if invoice.status == InvoiceStatus.PAID:
        messages.success(request, _("Thanh toán thành công. Biên lai điện tử đã được lập."))
    elif invoice.status in OPEN_INVOICE_STATES and gateway_code and gateway_code != "00":
        messages.error(
            request,
            _(
                "Thanh toán chưa thành công (cổng thanh toán báo mã %(code)s). Hồ sơ của bạn "
                "vẫn được giữ nguyên; bạn có thể thanh toán lại."
            )
            % {"code": gateway_code},
        )
    elif invoice.status in OPEN_INVOICE_STATES:
        messages.info(
            request,
            _("Đang chờ cổng thanh toán xác nhận. Trang này sẽ cập nhật khi có kết quả."),
        )
    return HttpResponseRedirect(reverse("portal:payment", args=[invoice.reference]))


def receipt(request: HttpRequest, reference: str) -> HttpResponse:
    found = _invoice(request, reference)
    if isinstance(found, HttpResponse):
        return found
    invoice = found
    if not invoice.receipt_no:
        raise Http404(reference)
    kept = payments.receipt_keep(invoice_id=invoice.pk)  # rendered now if the worker has not
    if kept is None or not kept.receipt_file:
        raise Http404(reference)
    try:
        with kept.receipt_file.open("rb") as stream:
            content = stream.read()
    except OSError:
        raise Http404(reference) from None
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{invoice.receipt_no}.pdf"'
    return response
