"""Invoice states, when a fee falls due, and the provider names (docs/PAYMENTS.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.constants import FeeStage  # noqa: F401  (re-exported: when a fee falls due)


class InvoiceStatus(models.TextChoices):
    CREATED = "created", _("Chờ thanh toán")
    PENDING = "pending", _("Đang thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Thanh toán không thành công")
    EXPIRED = "expired", _("Hết hạn thanh toán")
    CANCELLED = "cancelled", _("Đã huỷ")
    REFUND_REQUESTED = "refund_requested", _("Chờ hoàn tiền")
    REFUNDED = "refunded", _("Đã hoàn tiền")


# The invoice still waits for money (the dossier is held for it).
OPEN_INVOICE_STATES = frozenset(
    {InvoiceStatus.CREATED, InvoiceStatus.PENDING, InvoiceStatus.FAILED, InvoiceStatus.EXPIRED}
)
# The money arrived (whatever happened to it afterwards).
MONEY_IN_STATES = frozenset(
    {InvoiceStatus.PAID, InvoiceStatus.REFUND_REQUESTED, InvoiceStatus.REFUNDED}
)


class Provider(models.TextChoices):
    VNPAY = "vnpay", _("Cổng thanh toán (giao thức VNPAY)")
    VIETQR = "vietqr", _("Chuyển khoản VietQR")
    CASH = "cash", _("Nộp tiền mặt tại bộ phận một cửa")


# Providers through which the citizen pays without coming to the desk (the KPI's "online").
ONLINE_PROVIDERS = frozenset({Provider.VNPAY, Provider.VIETQR})


class StatementOutcome(models.TextChoices):
    MATCHED = "matched", _("Khớp, đã ghi nhận thanh toán")
    UNMATCHED = "unmatched", _("Không tìm thấy hoá đơn")
    DUPLICATE = "duplicate", _("Trùng dòng đã nhập")
    PARTIAL = "partial", _("Chuyển thiếu tiền")
    OVERPAID = "overpaid", _("Chuyển thừa tiền")
    ALREADY_PAID = "already_paid", _("Hoá đơn đã được thanh toán trước đó")
    RESOLVED = "resolved", _("Đã xử lý")


# Statement lines a person must decide on.
TO_DECIDE = frozenset(
    {
        StatementOutcome.UNMATCHED,
        StatementOutcome.PARTIAL,
        StatementOutcome.OVERPAID,
        StatementOutcome.ALREADY_PAID,
    }
)
