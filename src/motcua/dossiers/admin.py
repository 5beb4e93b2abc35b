"""Django admin for dossiers (Vietnamese): read-mostly; states change only through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Apology, Attachment, Dossier, DossierEvent, DossierStep, SupplementRequest


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(_ReadOnlyInline):
    model = DossierEvent
    fields = ("seq", "created_at", "action", "from_status", "to_status", "actor_label", "payload")
    readonly_fields = fields
    ordering = ("seq",)


class StepInline(_ReadOnlyInline):
    model = DossierStep
    fields = ("order", "name", "unit", "assignee", "started_at", "due_at", "finished_at", "timing")
    readonly_fields = fields


class AttachmentInline(_ReadOnlyInline):
    model = Attachment
    fields = ("kind", "original_name", "file", "size", "content_type", "sha256", "created_at")
    readonly_fields = fields


class SupplementInline(_ReadOnlyInline):
    model = SupplementRequest
    fields = ("requested_at", "items", "reason", "before_reception", "fulfilled_at")
    readonly_fields = fields


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "applicant_name",
        "procedure",
        "receiving_unit",
        "channel",
        "status",
        "received_at",
        "due_at",
        "timing",
    )
    list_filter = ("status", "channel", "timing", "apologised", "receiving_unit")
    search_fields = ("code", "external_code", "applicant_name", "applicant_citizen_id")
    date_hierarchy = "created_at"
    list_select_related = ("procedure", "receiving_unit")
    list_per_page = 50
    show_full_result_count = False
    inlines = (StepInline, AttachmentInline, SupplementInline, EventInline)
    fieldsets = (
        (
            None,
            {"fields": ("code", "external_code", "procedure", "receiving_unit", "channel")},
        ),
        (_("Trạng thái"), {"fields": ("status", "version", "current_step", "assignee")}),
        (
            _("Người nộp"),
            {
                "fields": (
                    "owner",
                    "applicant_kind",
                    "applicant_name",
                    "applicant_citizen_id",
                    "applicant_phone",
                    "applicant_email",
                    "applicant_address",
                    "applicant_tax_code",
                    "applicant_organisation",
                    "form_data",
                )
            },
        ),
        (
            _("Thời hạn"),
            {
                "fields": (
                    "submitted_at",
                    "received_at",
                    "original_due_at",
                    "apology_due_at",
                    "due_at",
                    "finished_at",
                    "returned_at",
                    "timing",
                    "supplement_count",
                    "paused_hours",
                )
            },
        ),
        (
            _("Khác"),
            {
                "fields": (
                    "result_delivery",
                    "fee_total",
                    "paid_online",
                    "is_digitised",
                    "has_e_result",
                    "received_by",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Everything is read-only: a dossier changes through the workflow services only, so the
        # audit chain sees every change.
        return [f.name for f in Dossier._meta.fields if f.name != "id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DossierEvent)
class DossierEventAdmin(admin.ModelAdmin):
    list_display = (
        "dossier",
        "seq",
        "action",
        "from_status",
        "to_status",
        "actor_label",
        "created_at",
    )
    list_filter = ("action", "to_status")
    search_fields = ("dossier__code",)
    list_select_related = ("dossier",)
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in DossierEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Apology)
class ApologyAdmin(admin.ModelAdmin):
    list_display = ("dossier", "original_due_at", "new_due_at", "signed_by", "created_at")
    search_fields = ("dossier__code",)
    list_select_related = ("dossier", "signed_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
