"""API clients and their keys, call log, idempotency, webhooks and the national-portal sync state."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import DeliveryStatus, SyncStatus


class ApiClient(models.Model):
    """An outside system (a ministry's software, a kiosk, the national portal) using the API.

    It authenticates with `Authorization: Bearer mc_<prefix>_<secret>`; only the prefix and a
    SHA-256 of the whole key are stored, so the key is shown once when it is made.

    The workflow checks its authority through `user`, a technical account that exists only for
    this client: its memberships mirror the client's agencies with the roles the transition table
    asks for the client's allowed actions (services.api_client_sync_memberships).
    """

    name = models.CharField(_("tên phần mềm"), max_length=200)
    key_prefix = models.CharField(_("tiền tố khoá"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(_("băm khoá (SHA-256)"), max_length=64, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản kỹ thuật"),
        on_delete=models.PROTECT,
        related_name="api_client",
        editable=False,
    )
    agencies = models.ManyToManyField(
        "orgs.Unit",
        verbose_name=_("cơ quan trong phạm vi"),
        related_name="api_clients",
        help_text=_("Mỗi cơ quan gồm cả các đơn vị trực thuộc."),
    )
    procedures = models.ManyToManyField(
        "catalog.Procedure",
        verbose_name=_("thủ tục trong phạm vi"),
        related_name="api_clients",
        blank=True,
        help_text=_("Để trống: mọi thủ tục của các cơ quan trên."),
    )
    scopes = models.JSONField(_("quyền"), default=list, blank=True)
    allowed_actions = models.JSONField(_("thao tác được phép"), default=list, blank=True)
    rate_limit_per_minute = models.PositiveIntegerField(
        _("giới hạn số lời gọi mỗi phút"), default=600
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)

    class Meta:
        verbose_name = _("phần mềm kết nối API")
        verbose_name_plural = _("phần mềm kết nối API")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def usable(self) -> bool:
        return self.is_active and self.revoked_at is None


class ApiCallLog(models.Model):
    client = models.ForeignKey(
        ApiClient, verbose_name=_("phần mềm"), on_delete=models.CASCADE, related_name="calls"
    )
    method = models.CharField(_("phương thức"), max_length=8)
    path = models.CharField(_("đường dẫn"), max_length=500)
    status = models.PositiveSmallIntegerField(_("mã trạng thái"))
    duration_ms = models.PositiveIntegerField(_("thời gian (ms)"), default=0)
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("nhật ký gọi API")
        verbose_name_plural = _("nhật ký gọi API")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["client", "created_at"], name="api_call_client_time")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"


class IdempotencyRecord(models.Model):
    """The first successful response to a create call with an `Idempotency-Key`, replayed."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(default=0)
    response_body = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("khoá chống lặp")
        verbose_name_plural = _("khoá chống lặp")
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="idempotency_client_key"),
        ]

    def __str__(self) -> str:
        return f"{self.client_id}:{self.key}"


class WebhookSubscription(models.Model):
    """A URL that receives signed dossier events of the client's scope (webhooks.py)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(
        ApiClient, verbose_name=_("phần mềm"), on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(_("địa chỉ nhận"), max_length=500)
    event_types = models.JSONField(_("loại sự kiện"), default=list)
    procedures = models.ManyToManyField(
        "catalog.Procedure", verbose_name=_("chỉ các thủ tục"), blank=True, related_name="+"
    )
    secret = models.CharField(_("khoá ký"), max_length=100, editable=False)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("đăng ký webhook")
        verbose_name_plural = _("đăng ký webhook")
        ordering = ["client", "id"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event for one subscription; sent in event order per dossier, retried with backoff."""

    subscription = models.ForeignKey(
        WebhookSubscription,
        verbose_name=_("đăng ký"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.ForeignKey(
        "dossiers.DossierEvent",
        verbose_name=_("sự kiện"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="+"
    )
    seq = models.PositiveIntegerField(_("số thứ tự sự kiện"))
    event_type = models.CharField(_("loại sự kiện"), max_length=40)
    payload = models.JSONField(_("nội dung"), default=dict)
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("lần gửi tiếp theo"), default=timezone.now)
    delivered_at = models.DateTimeField(_("gửi thành công lúc"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(
        _("mã phản hồi cuối"), null=True, blank=True
    )
    last_response = models.TextField(_("phản hồi cuối"), blank=True)
    last_error = models.TextField(_("lỗi cuối"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("lần gửi webhook")
        verbose_name_plural = _("nhật ký gửi webhook")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event"], name="webhook_delivery_once"),
        ]
        indexes = [
            models.Index(fields=["subscription", "dossier", "seq"], name="webhook_delivery_order"),
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} #{self.seq} → {self.subscription_id}"


class WebhookAttempt(models.Model):
    """The log of every HTTP attempt of a delivery, with the receiver's answer."""

    delivery = models.ForeignKey(
        WebhookDelivery, verbose_name=_("lần gửi"), on_delete=models.CASCADE, related_name="log"
    )
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("mã phản hồi"), null=True, blank=True)
    response = models.TextField(_("phản hồi"), blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    duration_ms = models.PositiveIntegerField(_("thời gian (ms)"), default=0)
    succeeded = models.BooleanField(_("thành công"), default=False)

    class Meta:
        verbose_name = _("lượt gửi webhook")
        verbose_name_plural = _("các lượt gửi webhook")
        ordering = ["delivery", "at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.status_code or self.error[:40]}"


class NationalSyncState(models.Model):
    """How far a dossier is synchronised with the national portal (DVCQG).

    Synced when `acked_version` has caught up with the dossier's `version` (each event bumps it).
    """

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.CASCADE,
        related_name="national_sync",
    )
    status = models.CharField(
        _("trạng thái đồng bộ"),
        max_length=10,
        choices=SyncStatus.choices,
        default=SyncStatus.PENDING,
    )
    acked_version = models.PositiveIntegerField(_("phiên bản đã được xác nhận"), default=0)
    attempts = models.PositiveIntegerField(_("số lần thử liên tiếp"), default=0)
    next_attempt_at = models.DateTimeField(_("lần thử tiếp theo"), default=timezone.now)
    synced_at = models.DateTimeField(_("đồng bộ lúc"), null=True, blank=True)
    last_payload = models.JSONField(_("dữ liệu gửi cuối"), default=dict, blank=True)
    last_response = models.TextField(_("phản hồi cuối"), blank=True)
    last_error = models.TextField(_("lỗi cuối"), blank=True)

    class Meta:
        verbose_name = _("đồng bộ Cổng DVC quốc gia")
        verbose_name_plural = _("đồng bộ Cổng DVC quốc gia")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="national_sync_due")]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.get_status_display()}"


class NationalPortalReceipt(models.Model):
    """What the sandbox national portal received (the demo's stand-in for DVCQG)."""

    dossier_code = models.CharField(_("mã hồ sơ"), max_length=48, db_index=True)
    payload = models.JSONField(_("dữ liệu"), default=dict)
    received_at = models.DateTimeField(_("nhận lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("dữ liệu Cổng DVC quốc gia (thử nghiệm) đã nhận")
        verbose_name_plural = _("dữ liệu Cổng DVC quốc gia (thử nghiệm) đã nhận")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return self.dossier_code
