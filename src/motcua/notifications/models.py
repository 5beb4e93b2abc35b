"""The outbox of messages, their status history, the editable templates and people's choices."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .constants import Channel, Event, MessageStatus


class Message(models.Model):
    """One message to one recipient on one channel: the outbox row and its delivery log.

    Written in the transaction of what it reports, sent by the worker after that commits.
    `idempotency_key` (source × recipient × channel) makes a second write of the same message a
    no-op, so a retried use case or a scan run twice tells nobody twice; `reference` is the id we
    give the provider (its client reference), so a send retried after a crash is recognised by
    providers that keep one.
    """

    reference = models.UUIDField(
        _("mã tham chiếu"), default=uuid.uuid4, unique=True, editable=False
    )
    idempotency_key = models.CharField(_("khoá chống trùng"), max_length=255, unique=True)
    # Read by the scans, which look up the sources a run would write (an index: at every run).
    source = models.CharField(_("nguồn"), max_length=120, db_index=True)
    event = models.CharField(_("sự kiện"), max_length=32, choices=Event.choices)
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    provider = models.CharField(_("nhà cung cấp"), max_length=32)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản người nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recipient = models.CharField(_("người nhận"), max_length=254)
    recipient_name = models.CharField(_("tên người nhận"), max_length=200, blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    language = models.CharField(_("ngôn ngữ"), max_length=8, default="vi")
    subject = models.CharField(_("tiêu đề"), max_length=300, blank=True)
    body = models.TextField(_("nội dung"), blank=True)
    html = models.TextField(_("nội dung HTML"), blank=True)
    # The variables the text was made from: a ZNS template is sent as its id and these.
    values = models.JSONField(_("giá trị các biến"), default=dict, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    reason = models.CharField(_("lý do"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True)
    provider_ref = models.CharField(_("mã của nhà cung cấp"), max_length=128, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"))
    sending_at = models.DateTimeField(_("bắt đầu gửi lúc"), null=True, blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("đến người nhận lúc"), null=True, blank=True)
    failed_at = models.DateTimeField(_("thất bại lúc"), null=True, blank=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_ref"],
                condition=~Q(provider_ref=""),
                name="message_provider_ref_unique",
            )
        ]
        indexes = [
            models.Index(fields=["dossier", "created_at"], name="message_dossier"),
            models.Index(fields=["status", "next_attempt_at"], name="message_due"),
            # The worker's claim walks the queued messages in id order: only those, not the
            # history of every message ever sent (24 ms a claim at 10 000 sent without it).
            models.Index(fields=["id"], condition=Q(status="queued"), name="message_queued"),
            # The header's unread count and the list of a person's notices.
            models.Index(
                fields=["user", "created_at"],
                condition=Q(channel="inapp"),
                name="message_inapp_user",
            ),
            models.Index(
                fields=["user"],
                condition=Q(channel="inapp", read_at__isnull=True),
                name="message_inapp_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient} · {self.get_event_display()}"


class MessageEvent(models.Model):
    """A step of a message's life: queued, each attempt, sent, delivered or failed (with why)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(_("trạng thái"), max_length=12, choices=MessageStatus.choices)
    at = models.DateTimeField(_("lúc"))
    reason = models.CharField(_("lý do"), max_length=500, blank=True)
    by_callback = models.BooleanField(_("do nhà cung cấp báo"), default=False)

    class Meta:
        verbose_name = _("diễn biến thông báo")
        verbose_name_plural = _("diễn biến thông báo")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.message_id} {self.status} {self.at:%d/%m/%Y %H:%M}"


class MessageTemplate(models.Model):
    """An event's text on a channel, Vietnamese first and English second, editable in the admin."""

    event = models.CharField(_("sự kiện"), max_length=32, choices=Event.choices)
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    subject_vi = models.CharField(_("tiêu đề (tiếng Việt)"), max_length=300, blank=True)
    body_vi = models.TextField(_("nội dung (tiếng Việt)"))
    subject_en = models.CharField(_("tiêu đề (tiếng Anh)"), max_length=300, blank=True)
    body_en = models.TextField(_("nội dung (tiếng Anh)"), blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người sửa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("mẫu thông báo")
        verbose_name_plural = _("mẫu thông báo")
        ordering = ["event", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["event", "channel"], name="template_event_channel")
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} · {self.get_channel_display()}"


class Preference(models.Model):
    """A person's choice for one event on one channel (no row: the default, which is on)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event = models.CharField(_("sự kiện"), max_length=32, choices=Event.choices)
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    enabled = models.BooleanField(_("nhận"), default=True)

    class Meta:
        verbose_name = _("lựa chọn nhận thông báo")
        verbose_name_plural = _("lựa chọn nhận thông báo")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event", "channel"], name="preference_user_event_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.event} · {self.channel}: {self.enabled}"


class SandboxDelivery(models.Model):
    """What the sandbox provider of a channel 'delivered': the demo's inbox, one per reference
    (the sandbox honours the client reference as a real SMS or Zalo gateway does)."""

    reference = models.UUIDField(_("mã tham chiếu"), unique=True)
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("người nhận"), max_length=254)
    subject = models.CharField(_("tiêu đề"), max_length=300, blank=True)
    body = models.TextField(_("nội dung"), blank=True)
    received_at = models.DateTimeField(_("nhận lúc"))
    copies_refused = models.PositiveIntegerField(_("số lần gửi trùng bị bỏ qua"), default=0)

    class Meta:
        verbose_name = _("thư trong hộp thử nghiệm")
        verbose_name_plural = _("hộp thư thử nghiệm")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient}"


class NotificationCallback(models.Model):
    """A provider's authenticated delivery callback, kept as received (docs/NOTIFICATIONS.md §6).

    `dedupe_key` is what makes a repeat a no-op: the provider's message id and the status it
    reports (or, for a callback that reports no status, a digest of its body), unique per
    provider. `message` is the message it names (empty: none of ours, kept all the same);
    `applied` whether it changed that message's status (a late or repeated report does not).
    """

    provider = models.CharField(_("nhà cung cấp"), max_length=32)
    dedupe_key = models.CharField(_("khoá chống trùng"), max_length=200)
    provider_ref = models.CharField(_("mã của nhà cung cấp"), max_length=128, blank=True)
    status = models.CharField(
        _("trạng thái báo"), max_length=12, choices=MessageStatus.choices, blank=True
    )
    at = models.DateTimeField(_("thời điểm báo"), null=True, blank=True)
    reason = models.CharField(_("lý do"), max_length=500, blank=True)
    message = models.ForeignKey(
        Message,
        verbose_name=_("thông báo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="callbacks",
    )
    payload = models.TextField(_("nội dung nhận được"))
    received_at = models.DateTimeField(_("nhận lúc"))
    applied = models.BooleanField(_("đã áp dụng"), default=False)

    class Meta:
        verbose_name = _("báo cáo của nhà cung cấp")
        verbose_name_plural = _("báo cáo của nhà cung cấp")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "dedupe_key"], name="notification_callback_unique"
            )
        ]
        indexes = [
            # The callbacks that named no message yet (a report faster than our "sent" mark).
            models.Index(
                fields=["received_at"],
                condition=Q(message__isnull=True),
                name="callback_unmatched",
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} · {self.provider_ref} · {self.status or '—'}"
