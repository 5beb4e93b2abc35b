"""Admin for API clients (created with their key shown once, revoked), call log, webhooks
(deliveries re-sent by hand) and the national-portal sync."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .constants import CLIENT_ACTIONS, Scope
from .delivery import national_sync_push, webhook_delivery_resend
from .egress import destination_problem
from .models import (
    ApiCallLog,
    ApiClient,
    NationalPortalReceipt,
    NationalSyncState,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from .services import (
    api_client_create,
    api_client_revoke,
    api_client_rotate_key,
    api_client_sync_memberships,
)


class ApiClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("Quyền"),
        choices=Scope.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    allowed_actions = forms.MultipleChoiceField(
        label=_("Thao tác được phép"),
        choices=[(a, a) for a in CLIENT_ACTIONS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ApiClient
        fields = [
            "name",
            "agencies",
            "procedures",
            "scopes",
            "allowed_actions",
            "rate_limit_per_minute",
            "is_active",
        ]


def _show_key(request: HttpRequest, client: ApiClient, key: str) -> None:
    messages.warning(
        request,
        _("Khoá API của %(name)s (chỉ hiện một lần, hãy lưu lại ngay): %(key)s")
        % {"name": client.name, "key": key},
    )


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    form = ApiClientForm
    list_display = ("name", "key_prefix", "is_active", "revoked_at", "last_used_at", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "key_prefix")
    filter_horizontal = ("agencies", "procedures")
    readonly_fields = ("key_prefix", "user", "revoked_at", "last_used_at", "created_at")
    actions = ["revoke", "rotate_key"]

    def save_model(self, request: HttpRequest, obj: ApiClient, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new client goes through the service (technical account, hashed key).
        client, key = api_client_create(
            name=form.cleaned_data["name"],
            agencies=list(form.cleaned_data["agencies"]),
            procedures=list(form.cleaned_data["procedures"]),
            scopes=form.cleaned_data["scopes"],
            allowed_actions=form.cleaned_data["allowed_actions"],
            rate_limit_per_minute=form.cleaned_data["rate_limit_per_minute"],
        )
        obj.pk = client.pk
        obj.__dict__.update(ApiClient.objects.get(pk=client.pk).__dict__)
        _show_key(request, client, key)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        api_client_sync_memberships(client=form.instance)

    @admin.action(description=_("Thu hồi khoá của các phần mềm đã chọn"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiClient]) -> None:
        for client in queryset:
            api_client_revoke(client=client)
        self.message_user(request, _("Đã thu hồi %(n)d khoá.") % {"n": queryset.count()})

    @admin.action(description=_("Cấp khoá mới (khoá cũ hết hiệu lực)"))
    def rotate_key(self, request: HttpRequest, queryset: QuerySet[ApiClient]) -> None:
        for client in queryset.filter(is_active=True, revoked_at__isnull=True):
            _show_key(request, client, api_client_rotate_key(client=client))


@admin.register(ApiCallLog)
class ApiCallLogAdmin(admin.ModelAdmin):
    list_display = ("created_at", "client", "method", "path", "status", "duration_ms")
    list_filter = ("status", "method", "client")
    search_fields = ("path",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class WebhookSubscriptionForm(forms.ModelForm):
    url = forms.URLField(label=_("Địa chỉ nhận"), max_length=500, assume_scheme="https")

    class Meta:
        model = WebhookSubscription
        fields = ["url", "event_types", "procedures", "is_active"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        problem = destination_problem(url)
        if problem:
            raise forms.ValidationError(problem)
        return url


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    """Made by the API client (its secret is shown to it once); here changed or switched off."""

    form = WebhookSubscriptionForm
    list_display = ("url", "client", "is_active", "created_at")
    list_filter = ("is_active", "client")
    fields = ("uuid", "client", "url", "event_types", "procedures", "is_active", "created_at")
    readonly_fields = ("uuid", "client", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ("at", "status_code", "succeeded", "duration_ms", "response", "error")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "event_type",
        "dossier",
        "seq",
        "subscription",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
    )
    list_filter = ("status", "event_type")
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    inlines = [AttemptInline]
    actions = ["resend"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Gửi lại ngay"))
    def resend(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        from .tasks import webhook_delivery_send_task

        for delivery in queryset:
            webhook_delivery_resend(delivery=delivery)
            webhook_delivery_send_task.enqueue(delivery.pk)
        self.message_user(
            request, _("Đã xếp lịch gửi lại %(n)d lần gửi.") % {"n": queryset.count()}
        )


@admin.register(NationalSyncState)
class NationalSyncStateAdmin(admin.ModelAdmin):
    list_display = (
        "dossier",
        "status",
        "acked_version",
        "attempts",
        "synced_at",
        "next_attempt_at",
    )
    list_filter = ("status",)
    readonly_fields = [f.name for f in NationalSyncState._meta.fields]
    actions = ["push_now"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Đồng bộ lại ngay"))
    def push_now(self, request: HttpRequest, queryset: QuerySet[NationalSyncState]) -> None:
        for state in queryset:
            national_sync_push(dossier_id=state.dossier_id, force=True)
        self.message_user(request, _("Đã đồng bộ lại %(n)d hồ sơ.") % {"n": queryset.count()})


@admin.register(NationalPortalReceipt)
class NationalPortalReceiptAdmin(admin.ModelAdmin):
    list_display = ("received_at", "dossier_code")
    search_fields = ("dossier_code",)
    readonly_fields = ("dossier_code", "payload", "received_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
