"""The message log (read only, as GOV.UK Notify shows it) and the editable templates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Message,
    MessageEvent,
    MessageTemplate,
    NotificationCallback,
    SandboxDelivery,
)
from .templating import TemplateProblem, template_check


class MessageEventInline(admin.TabularInline):
    model = MessageEvent
    extra = 0
    can_delete = False
    fields = ("at", "status", "reason", "by_callback")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "event", "channel", "recipient", "status", "attempts", "dossier")
    list_filter = ("status", "channel", "event", "provider")
    search_fields = ("recipient", "recipient_name", "=reference", "=provider_ref")
    date_hierarchy = "created_at"
    raw_id_fields = ("dossier", "user")
    inlines = [MessageEventInline]
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MessageTemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ("event", "channel", "subject_vi", "body_vi", "subject_en", "body_en", "is_active")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        event = data.get("event")
        if event:
            for name in ("subject_vi", "body_vi", "subject_en", "body_en"):
                try:
                    template_check(event=event, text=data.get(name) or "")
                except TemplateProblem as problem:
                    self.add_error(name, str(problem))
        return data


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    form = MessageTemplateForm
    list_display = ("event", "channel", "subject_vi", "is_active", "updated_at")
    list_filter = ("channel", "is_active", "event")

    def save_model(
        self, request: HttpRequest, obj: MessageTemplate, form: Any, change: bool
    ) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(SandboxDelivery)
class SandboxDeliveryAdmin(admin.ModelAdmin):
    list_display = ("received_at", "channel", "recipient", "subject", "copies_refused")
    list_filter = ("channel",)
    readonly_fields = [f.name for f in SandboxDelivery._meta.fields]


@admin.register(NotificationCallback)
class NotificationCallbackAdmin(admin.ModelAdmin):
    """The providers' delivery reports as received (read only): which applied, which named no
    message of ours."""

    list_display = ("received_at", "provider", "provider_ref", "status", "message", "applied")
    list_filter = ("provider", "status", "applied")
    search_fields = ("=provider_ref", "=dedupe_key")
    date_hierarchy = "received_at"
    raw_id_fields = ("message",)
    readonly_fields = [f.name for f in NotificationCallback._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
