"""Configuration of the payment accounts per agency, and read-only views of what happened.

Invoices, callbacks and statements are changed only by the payments services (each change locked
and on the dossier's audit chain): the admin shows them and changes nothing.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Invoice, PaymentAccount, PaymentCallback, StatementEntry, StatementImport


@admin.register(PaymentAccount)
class PaymentAccountAdmin(admin.ModelAdmin):
    list_display = ("unit", "provider", "is_active", "is_demo", "secret_state")
    list_filter = ("provider", "is_active", "is_demo")
    search_fields = ("unit__name", "unit__code", "account_number", "tmn_code")
    autocomplete_fields = ("unit",)
    readonly_fields = ("secret_state",)
    fieldsets = (
        (None, {"fields": ("unit", "provider", "is_active", "is_demo")}),
        (
            _("Cổng thanh toán (vnpay)"),
            {"fields": ("tmn_code", "secret_env", "secret_state", "gateway_url")},
        ),
        (
            _("Chuyển khoản VietQR"),
            {"fields": ("bank_bin", "bank_name", "account_number", "account_name")},
        ),
    )

    @admin.display(description=_("khoá bí mật"))
    def secret_state(self, obj: PaymentAccount) -> str:
        """Whether the hash secret is set in the environment; its value is never shown."""
        if obj.provider != "vnpay":
            return "—"
        name = obj.secret_env or "MOTCUA_VNPAY_HASH_SECRET"
        found = bool(obj.secret)
        if found:
            return str(_("Đã đặt (biến %(name)s)") % {"name": name})
        return str(_("Chưa đặt: cần biến môi trường %(name)s") % {"name": name})


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ("reference", "dossier", "unit", "amount", "status", "provider", "paid_at")
    list_filter = ("status", "provider", "stage")
    search_fields = ("reference", "dossier__code", "provider_txn", "receipt_no")
    list_select_related = ("dossier", "unit")


@admin.register(PaymentCallback)
class PaymentCallbackAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "provider", "reference", "amount", "success", "code")
    list_filter = ("provider", "code", "success")
    search_fields = ("reference", "provider_txn")


@admin.register(StatementImport)
class StatementImportAdmin(ReadOnlyAdmin):
    list_display = ("imported_at", "file_name", "account", "imported_by")


@admin.register(StatementEntry)
class StatementEntryAdmin(ReadOnlyAdmin):
    list_display = ("bank_ref", "posted_at", "amount", "reference", "outcome")
    list_filter = ("outcome",)
    search_fields = ("bank_ref", "reference", "description")
