"""Payment errors, each with a stable code and a Vietnamese message (the API maps them to 4xx)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from motcua.errors import MotcuaError


class PaymentError(MotcuaError):
    code: str = "payment_error"
    message: Any = _("Không thực hiện được thao tác thanh toán.")
    http_status: int = 422


class InvoiceStateError(PaymentError):
    code = "invoice_state"
    message = _("Thao tác này không được phép ở trạng thái hiện tại của hoá đơn.")
    http_status = 409


class NoPaymentAccount(PaymentError):
    code = "no_payment_account"
    message = _("Cơ quan chưa cấu hình hình thức thanh toán này.")
    http_status = 409


class PaymentNotAllowed(PaymentError):
    code = "payment_forbidden"
    message = _("Bạn không có quyền thực hiện thao tác thanh toán này.")
    http_status = 403


class PaymentInvalid(PaymentError):
    code = "payment_invalid"
    message = _("Dữ liệu thanh toán không hợp lệ.")
