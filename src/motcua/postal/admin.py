"""Configuration of the agencies' postal accounts and postage, and read-only views of the parcels.

Shipments and callbacks are changed only by the postal services (each change locked and on the
dossier's audit chain): the admin shows them and changes nothing.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.payments.admin import ReadOnlyAdmin

from .models import PostageRate, PostalAccount, PostalCallback, Shipment, ShipmentEvent


@admin.register(PostalAccount)
class PostalAccountAdmin(admin.ModelAdmin):
    list_display = ("unit", "provider", "customer_code", "is_active", "is_demo", "token_state")
    list_filter = ("provider", "is_active", "is_demo")
    search_fields = ("unit__name", "unit__code", "customer_code")
    autocomplete_fields = ("unit",)
    readonly_fields = ("token_state",)
    fields = (
        "unit",
        "provider",
        "is_active",
        "is_demo",
        "customer_code",
        "token_env",
        "token_state",
        "api_url",
        "contact_name",
        "phone",
        "address",
    )

    @admin.display(description=_("mã truy cập API"))
    def token_state(self, obj: PostalAccount) -> str:
        """Whether the operator's token is set in the environment; its value is never shown."""
        if obj.provider == "sandbox":
            return str(_("Không cần (bưu điện thử nghiệm)"))
        if obj.token:
            return str(_("Đã đặt (biến %(name)s)") % {"name": obj.token_env})
        return str(_("Chưa đặt: cần biến môi trường %(name)s") % {"name": obj.token_env or "—"})


@admin.register(PostageRate)
class PostageRateAdmin(admin.ModelAdmin):
    list_display = ("unit", "zone", "amount")
    list_filter = ("zone",)
    search_fields = ("unit__name", "unit__code")
    autocomplete_fields = ("unit",)


class ShipmentEventInline(admin.TabularInline):
    model = ShipmentEvent
    extra = 0
    can_delete = False
    fields = ("status", "at", "recorded_at", "source", "actor", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Shipment)
class ShipmentAdmin(ReadOnlyAdmin):
    list_display = ("tracking_number", "kind", "dossier", "unit", "status", "status_at", "postage")
    list_filter = ("kind", "status", "provider")
    search_fields = ("tracking_number", "dossier__code", "person_name", "person_phone")
    list_select_related = ("dossier", "unit")
    inlines = [ShipmentEventInline]


@admin.register(PostalCallback)
class PostalCallbackAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "provider", "shipment", "status", "at", "outcome")
    list_filter = ("provider", "outcome", "status")
    search_fields = ("shipment__tracking_number",)
