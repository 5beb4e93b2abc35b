"""What a postal operator does for us: take an order, cancel it, and tell us by signed callbacks
how the parcel moves (`X-Postal-Signature`, the webhook scheme of docs/API.md)."""

from __future__ import annotations

import datetime as dt
import json
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.dateparse import parse_datetime

from motcua.integration.webhooks import (
    REPLAY_WINDOW_SECONDS,
    SignatureError,
    parse_signature,
    verify_signature,
)

from ..constants import ShipmentStatus

if TYPE_CHECKING:
    from ..models import PostalAccount, Shipment

SIGNATURE_HEADER = "X-Postal-Signature"


@dataclass(frozen=True)
class OrderPlaced:
    tracking_number: str
    order_id: str = ""


@dataclass(frozen=True)
class CallbackFacts:
    """A verified callback as its body says it: the parcel, its new status and when."""

    tracking_number: str
    status: str
    at: dt.datetime
    note: str = ""


class CallbackRejected(Exception):
    """A callback that changes nothing; `code` is the JSON error's code."""

    def __init__(self, code: str, message: str, http_status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.http_status = http_status


class PostalProvider(ABC):
    """One postal operator, keyed by a short id in the registry (docs/POSTAL.md)."""

    id: str = ""
    name: str = ""

    @abstractmethod
    def order_create(self, *, shipment: Shipment, account: PostalAccount) -> OrderPlaced:
        """Place the order for a parcel; raises OrderFailed when the operator refuses it."""

    @abstractmethod
    def order_cancel(self, *, shipment: Shipment, account: PostalAccount) -> None:
        """Withdraw an order the postman has not collected yet."""

    @abstractmethod
    def callback_secret(self) -> str:
        """The shared secret the operator signs its callbacks with ("" when not configured)."""

    def callback_read(
        self, *, body: bytes, signature: str, now: float | None = None
    ) -> CallbackFacts:
        """Check the signature (first, in constant time), its age, then read the body."""
        secret = self.callback_secret()
        if not secret:
            raise CallbackRejected("not_configured", "Chưa cấu hình khoá bí mật.", 503)
        current = time.time() if now is None else now
        try:
            timestamp, _signatures = parse_signature(signature)
        except SignatureError as exc:
            raise CallbackRejected("bad_signature", "Thiếu hoặc sai chữ ký.", 401) from exc
        if abs(current - timestamp) > REPLAY_WINDOW_SECONDS:
            raise CallbackRejected("stale", "Chữ ký đã quá hạn (quá 5 phút).", 401)
        try:
            verify_signature(secret=secret, body=body, header=signature, now=current)
        except SignatureError as exc:
            raise CallbackRejected("bad_signature", "Chữ ký không đúng.", 401) from exc
        return self.facts_of(body)

    def facts_of(self, body: bytes) -> CallbackFacts:
        """The body's fields (docs/POSTAL.md §4): tracking_number, status, at, note."""
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CallbackRejected("invalid", "Nội dung không phải JSON.") from exc
        if not isinstance(data, dict):
            raise CallbackRejected("invalid", "Nội dung phải là một đối tượng JSON.")
        number = data.get("tracking_number")
        status = data.get("status")
        at = parse_datetime(data["at"]) if isinstance(data.get("at"), str) else None
        if not isinstance(number, str) or not number.strip():
            raise CallbackRejected("invalid", "Thiếu số hiệu bưu gửi (tracking_number).")
        if status not in ShipmentStatus.values:
            raise CallbackRejected("invalid", "Trạng thái (status) không hợp lệ.")
        if at is None or at.tzinfo is None:
            raise CallbackRejected("invalid", "Thời điểm (at) phải theo ISO 8601, có múi giờ.")
        note = data.get("note") if isinstance(data.get("note"), str) else ""
        return CallbackFacts(number.strip().upper(), status, at, note[:500])
