"""Scopes of API clients, webhook event types and the states of deliveries and syncs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.constants import Action, EventAction


class Scope(models.TextChoices):
    """What a client may do besides the dossier actions (those are listed one by one)."""

    DOSSIERS_READ = "dossiers:read", _("Đọc hồ sơ trong phạm vi")
    DOSSIERS_CREATE = "dossiers:create", _("Tạo (tiếp nhận) hồ sơ")
    ATTACHMENTS_READ = "attachments:read", _("Tải tệp đính kèm")
    ATTACHMENTS_WRITE = "attachments:write", _("Đính kèm tệp vào hồ sơ")
    WEBHOOKS = "webhooks", _("Quản lý đăng ký webhook")
    REPORTS_READ = "reports:read", _("Đọc báo cáo tổng hợp của các cơ quan trong phạm vi")
    PAYMENTS_READ = "payments:read", _("Đọc hoá đơn phí, lệ phí của hồ sơ trong phạm vi")


# Actions a client may be allowed on an existing dossier (the creating ones go through POST dossiers).
CLIENT_ACTIONS: tuple[str, ...] = tuple(
    a
    for a in Action.values
    if a not in {Action.CREATE_DRAFT, Action.RECEIVE_DIRECT, Action.RECEIVE_POSTAL}
)
# Creating a dossier through the API runs these actions as the client.
CREATE_ACTIONS: tuple[str, ...] = (
    Action.CREATE_DRAFT,
    Action.SUBMIT,
    Action.RECEIVE_DIRECT,
    Action.RECEIVE_POSTAL,
)

# Webhook event types: "dossier.<event action>" for every event a dossier can record.
EVENT_TYPES: tuple[str, ...] = tuple(f"dossier.{a}" for a in (*Action.values, *EventAction.values))
ALL_EVENTS = "dossier.*"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SUCCEEDED = "succeeded", _("Đã gửi thành công")
    FAILED = "failed", _("Gửi thất bại (đã hết lượt thử)")


class SyncStatus(models.TextChoices):
    PENDING = "pending", _("Chờ đồng bộ")
    SYNCED = "synced", _("Đã đồng bộ")
    RETRYING = "retrying", _("Đang thử lại")
