"""Invoices, the agencies' payment accounts, the gateway callbacks received and bank statements.

Every amount is an integer number of đồng (PositiveBigIntegerField); nothing here is a float.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import FeeStage, InvoiceStatus, Provider, StatementOutcome


class PaymentAccount(models.Model):
    """How one agency takes money through one provider (chosen in the admin).

    Secrets never live in the database: a vnpay account names the environment variable that
    holds its hash secret (the admin shows whether it is set, never its value).
    """

    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("cơ quan thu"),
        on_delete=models.PROTECT,
        related_name="payment_accounts",
    )
    provider = models.CharField(_("hình thức thanh toán"), max_length=8, choices=Provider.choices)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    # vnpay
    tmn_code = models.CharField(_("mã website (vnp_TmnCode)"), max_length=16, blank=True)
    secret_env = models.CharField(
        _("biến môi trường chứa khoá bí mật"),
        max_length=64,
        blank=True,
        default="MOTCUA_VNPAY_HASH_SECRET",
        help_text=_("Tên biến môi trường (không phải khoá): khoá bí mật không lưu trong CSDL."),
        # Only variables meant for it: an account cannot make another secret its key.
        validators=[
            RegexValidator(
                r"^MOTCUA_VNPAY_HASH_SECRET[A-Z0-9_]*$",
                _(
                    "Tên biến phải bắt đầu bằng MOTCUA_VNPAY_HASH_SECRET, ví dụ MOTCUA_VNPAY_HASH_SECRET_STP."
                ),
            )
        ],
    )
    gateway_url = models.URLField(
        _("địa chỉ cổng thanh toán"),
        blank=True,
        help_text=_("Để trống: theo MOTCUA_VNPAY_URL (mặc định: cổng thử nghiệm của hệ thống)."),
    )
    # vietqr
    bank_bin = models.CharField(_("mã ngân hàng (BIN, 6 số)"), max_length=6, blank=True)
    bank_name = models.CharField(_("tên ngân hàng"), max_length=100, blank=True)
    account_number = models.CharField(_("số tài khoản"), max_length=19, blank=True)
    account_name = models.CharField(_("tên tài khoản"), max_length=100, blank=True)
    is_demo = models.BooleanField(_("dữ liệu minh hoạ (không nhận tiền thật)"), default=False)

    class Meta:
        verbose_name = _("tài khoản thu phí")
        verbose_name_plural = _("tài khoản thu phí")
        constraints = [
            models.UniqueConstraint(fields=["unit", "provider"], name="payment_account_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_provider_display()}"

    @property
    def secret(self) -> str:
        """The vnpay hash secret, read from the environment at the moment of use."""
        name = self.secret_env or "MOTCUA_VNPAY_HASH_SECRET"
        if not name.startswith("MOTCUA_VNPAY_HASH_SECRET"):
            return ""
        return os.environ.get(name, "") or (
            settings.MOTCUA_VNPAY_HASH_SECRET if name == "MOTCUA_VNPAY_HASH_SECRET" else ""
        )


class Invoice(models.Model):
    """The fees of one dossier that fall due at one stage, and how they were paid."""

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("cơ quan thu"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    reference = models.CharField(_("mã thanh toán"), max_length=16, unique=True)
    stage = models.CharField(_("thời điểm nộp"), max_length=12, choices=FeeStage.choices)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    lines = models.JSONField(_("các khoản phí, lệ phí"), default=list)
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=InvoiceStatus.choices,
        default=InvoiceStatus.CREATED,
        db_index=True,
    )
    provider = models.CharField(
        _("hình thức thanh toán"), max_length=8, choices=Provider.choices, blank=True
    )
    account = models.ForeignKey(
        PaymentAccount,
        verbose_name=_("tài khoản thu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
    )
    payer_name = models.CharField(_("người nộp tiền"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("thời điểm lập"), default=timezone.now)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    attempts = models.PositiveSmallIntegerField(_("số lần thanh toán qua cổng"), default=0)
    expires_at = models.DateTimeField(_("hạn thanh toán"), null=True, blank=True)
    paid_at = models.DateTimeField(_("thời điểm thanh toán"), null=True, blank=True)
    paid_amount = models.PositiveBigIntegerField(_("số tiền đã nhận (đồng)"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ thu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Long enough for "<account id>:<bank reference of 64>" (a statement line's transaction).
    provider_txn = models.CharField(_("mã giao dịch"), max_length=96, blank=True)
    cash_receipt = models.CharField(_("số biên lai thu tiền mặt"), max_length=32, blank=True)
    receipt_no = models.CharField(
        _("số biên lai điện tử"), max_length=24, unique=True, null=True, blank=True
    )
    receipt_file = models.FileField(_("biên lai điện tử"), upload_to="receipts/%Y/", blank=True)
    refund_reason = models.CharField(_("lý do hoàn tiền"), max_length=500, blank=True)
    refund_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đề nghị hoàn tiền"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    refund_requested_at = models.DateTimeField(_("thời điểm đề nghị hoàn"), null=True, blank=True)
    refund_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người duyệt hoàn tiền"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    refunded_at = models.DateTimeField(_("thời điểm hoàn tiền"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("hoá đơn phí, lệ phí")
        verbose_name_plural = _("hoá đơn phí, lệ phí")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "stage"], name="invoice_per_stage"),
            # One bank or gateway transaction pays at most one invoice.
            models.UniqueConstraint(
                fields=["provider", "provider_txn"],
                condition=~models.Q(provider_txn=""),
                name="invoice_provider_txn_once",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "created_at"], name="invoice_unit_status"),
            models.Index(fields=["provider", "paid_at"], name="invoice_provider_paid"),
        ]

    def __str__(self) -> str:
        return self.reference


class PaymentCallback(models.Model):
    """Every callback a provider sent, with what we answered (kept for reconciliation)."""

    provider = models.CharField(_("hình thức"), max_length=8, choices=Provider.choices)
    reference = models.CharField(_("mã thanh toán"), max_length=64, blank=True, db_index=True)
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, null=True, blank=True, related_name="callbacks"
    )
    provider_txn = models.CharField(_("mã giao dịch"), max_length=64, blank=True)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"), null=True, blank=True)
    success = models.BooleanField(_("cổng báo thành công"), default=False)
    code = models.CharField(_("mã trả lời"), max_length=8)
    message = models.CharField(_("diễn giải"), max_length=255, blank=True)
    params = models.JSONField(_("tham số nhận được"), default=dict)
    received_at = models.DateTimeField(_("thời điểm nhận"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("thông báo từ cổng thanh toán")
        verbose_name_plural = _("thông báo từ cổng thanh toán")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.provider} {self.reference} → {self.code}"


class StatementImport(models.Model):
    """One bank statement file imported in the back office."""

    account = models.ForeignKey(
        PaymentAccount, verbose_name=_("tài khoản"), on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(_("tên tệp"), max_length=255)
    sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhập"), on_delete=models.PROTECT
    )
    imported_at = models.DateTimeField(_("thời điểm nhập"), default=timezone.now)
    counts = models.JSONField(_("kết quả"), default=dict)

    class Meta:
        verbose_name = _("sao kê ngân hàng đã nhập")
        verbose_name_plural = _("sao kê ngân hàng đã nhập")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.file_name


class StatementEntry(models.Model):
    """A credit line of a bank statement: stored once per account and bank reference."""

    statement = models.ForeignKey(StatementImport, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(PaymentAccount, on_delete=models.PROTECT, related_name="+")
    row = models.PositiveIntegerField(_("dòng"))
    bank_ref = models.CharField(_("số tham chiếu"), max_length=64)
    posted_at = models.DateTimeField(_("ngày giao dịch"), null=True, blank=True)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    description = models.CharField(_("nội dung"), max_length=500, blank=True)
    reference = models.CharField(_("mã thanh toán tìm thấy"), max_length=16, blank=True)
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, null=True, blank=True, related_name="statement_entries"
    )
    outcome = models.CharField(
        _("kết quả đối soát"), max_length=16, choices=StatementOutcome.choices, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision = models.CharField(_("cách xử lý"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("dòng sao kê")
        verbose_name_plural = _("dòng sao kê")
        ordering = ["statement", "row"]
        constraints = [
            models.UniqueConstraint(fields=["account", "bank_ref"], name="statement_entry_once")
        ]

    def __str__(self) -> str:
        return f"{self.bank_ref} ({self.amount})"
