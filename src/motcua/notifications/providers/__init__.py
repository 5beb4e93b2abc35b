"""Notification channels behind one interface (docs/NOTIFICATIONS.md); importing registers them."""

from . import email, sandbox, sms, zalo  # noqa: F401  (each module registers its providers)
from .base import (
    Accepted,
    CallbackRejected,
    NotificationProvider,
    Outgoing,
    SendFailed,
    StatusReport,
)
from .registry import by_id, get_provider, provider_for, provider_id_for, registry

__all__ = [
    "Accepted",
    "CallbackRejected",
    "NotificationProvider",
    "Outgoing",
    "SendFailed",
    "StatusReport",
    "by_id",
    "get_provider",
    "provider_for",
    "provider_id_for",
    "registry",
]
