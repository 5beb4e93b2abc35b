"""The message log (read only, as GOV.UK Notify shows it) and the editable templates, each with a
preview filled from a sample dossier (samples.py) before it is saved."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils import translation
from django.views.decorators.http import require_POST

from .constants import Channel, Event
from .forms import MessageTemplateForm, TemplatePreviewForm
from .models import (
    Message,
    MessageEvent,
    MessageTemplate,
    NotificationCallback,
    SandboxDelivery,
)
from .samples import sample_values
from .templating import VARIABLES, render_html, render_text


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


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    form = MessageTemplateForm
    list_display = ("event", "channel", "subject_vi", "is_active", "updated_at")
    list_filter = ("channel", "is_active", "event")
    change_form_template = "admin/notifications/messagetemplate/change_form.html"

    def get_urls(self) -> list[URLPattern]:
        preview = self.admin_site.admin_view(require_POST(self.preview_view))
        return [
            path("xem-truoc/", preview, name="notifications_messagetemplate_preview"),
            *super().get_urls(),
        ]

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        template = self.get_object(request, object_id) if object_id else None
        event = template.event if template is not None else None
        extra = {"variables": _variables(event) if event else [], **(extra_context or {})}
        return super().changeform_view(request, object_id, form_url, extra)

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        """The posted (unsaved) texts filled with the sample dossier's values; a text naming an
        unknown variable is refused with the same message as on save."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        form = TemplatePreviewForm(request.POST)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": translation.gettext("Xem trước mẫu thông báo"),
            "form": form,
        }
        if not form.is_valid():
            return TemplateResponse(
                request, "admin/notifications/messagetemplate/preview.html", context, status=400
            )
        data = form.cleaned_data
        values = sample_values(event=data["event"])
        versions = []
        for language, subject, body in (
            ("vi", data["subject_vi"], data["body_vi"]),
            ("en", data["subject_en"], data["body_en"]),
        ):
            if not body.strip():
                continue
            versions.append(
                {
                    "language": language,
                    "subject": render_text(subject, values).strip(),
                    "body": render_text(body, values).strip(),
                    "html": render_html(body, values) if data["channel"] == Channel.EMAIL else "",
                    "length": len(render_text(body, values).strip()),
                }
            )
        context.update(
            event_label=Event(data["event"]).label,
            channel_label=Channel(data["channel"]).label,
            versions=versions,
            variables=_variables(data["event"]),
            is_sms=data["channel"] == Channel.SMS,
        )
        return TemplateResponse(
            request, "admin/notifications/messagetemplate/preview.html", context
        )

    def save_model(
        self, request: HttpRequest, obj: MessageTemplate, form: Any, change: bool
    ) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


def _variables(event: str) -> list[tuple[str, str, str]]:
    """(name, what it holds, the sample value) of an event's variables, for the editor."""
    samples = sample_values(event=event)
    return [(name, label, samples[name]) for name, label in VARIABLES[event].items()]


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
