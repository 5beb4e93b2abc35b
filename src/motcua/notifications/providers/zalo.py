"""Zalo ZNS template messages to a phone number, and Zalo's signed delivery webhook
(docs/NOTIFICATIONS.md §5).

A ZNS message is not free text: the Official Account registers a template with Zalo (its
parameters named as ours, `ma_ho_so`, `hen_tra`…) and we send its id and the values. The id of
each event's template is a setting (MOTCUA_ZALO_TEMPLATES); an event without one is not sent on
Zalo: the message fails at once with that reason, shown in its log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import TYPE_CHECKING, Any

import requests
from django.conf import settings

from ..constants import Channel, MessageStatus
from .base import (
    Accepted,
    CallbackRejected,
    NotificationProvider,
    Outgoing,
    SendFailed,
    StatusReport,
    json_post,
)
from .registry import register
from .sms import mobile_of

if TYPE_CHECKING:
    from django.http import HttpRequest

SIGNATURE_HEADER = "X-ZEvent-Signature"

# Zalo's `error` codes (HTTP 200) after which the same request can succeed later: rate limit,
# its own unexplained failure, a template sent outside the hours it allows, the OA's daily quota
# or balance, an expired access token (replaced in the settings, the queued retries go through).
# Every other non-zero code (an invalid number, no Zalo account, a template not approved, data
# not matching the template…) fails the message with Zalo's reason.
TEMPORARY_ERRORS = frozenset({-32, -100, -115, -124, -133, -144})

# The webhook's events that report a message's delivery.
DELIVERY_EVENTS = {"user_received_message": MessageStatus.DELIVERED}


def template_of(event: str) -> tuple[str, list[str] | None]:
    """(template id, the parameter names to send or None for every value) of an event; ("",
    None) when the province registered none."""
    entry = settings.MOTCUA_ZALO_TEMPLATES.get(event)
    if isinstance(entry, dict):
        params = entry.get("params")
        names = [str(p) for p in params] if isinstance(params, list) else None
        return str(entry.get("id", "") or "").strip(), names
    return str(entry or "").strip(), None


def zalo_signature(*, app_id: str, body: bytes, timestamp: str, secret: str) -> str:
    """Zalo's mac: hex SHA-256 of app id + raw body + timestamp + OA secret key."""
    joined = app_id.encode() + body + timestamp.encode() + secret.encode()
    return hashlib.sha256(joined).hexdigest()


def _from_millis(value: Any) -> dt.datetime | None:
    try:
        millis = int(str(value))
    except (TypeError, ValueError):
        return None
    return dt.datetime.fromtimestamp(millis / 1000, tz=dt.UTC)


class ZaloZnsProvider(NotificationProvider):
    """POST {phone, template_id, template_data, tracking_id} with the OA's `access_token` header.

    `tracking_id` is our Message.reference, echoed in Zalo's webhook, but Zalo does not refuse a
    second request with the same one: a worker killed after Zalo took a message and before it was
    marked sent sends it again on the retry, and the citizen receives (and the OA pays for) two
    ZNS. Nothing in the ZNS API prevents it; the window is one HTTP exchange, and the log shows
    the retry ("Gửi lại: lần gửi trước bị gián đoạn").
    """

    id = "zalo_zns"
    channel = Channel.ZALO
    name = "Zalo ZNS"
    keeps_reference = False

    def request_body(self, outgoing: Outgoing, phone: str) -> dict[str, Any]:
        template_id, names = template_of(outgoing.event)
        values = {**outgoing.values, "nguoi_nhan": outgoing.recipient_name}
        if names is not None:
            missing = [n for n in names if not str(values.get(n, "")).strip()]
            if missing:
                raise SendFailed(
                    "Mẫu ZNS cần giá trị chưa có: " + ", ".join(missing) + ".", permanent=True
                )
            values = {n: values[n] for n in names}
        return {
            "phone": phone,
            "template_id": template_id,
            "template_data": {k: str(v) for k, v in values.items()},
            "tracking_id": outgoing.reference,
        }

    def send(self, outgoing: Outgoing) -> Accepted:
        url, token = settings.MOTCUA_ZALO_URL, settings.MOTCUA_ZALO_ACCESS_TOKEN
        if not url.lower().startswith(("http://", "https://")) or not token:
            raise SendFailed(
                "Chưa cấu hình Zalo ZNS (MOTCUA_ZALO_URL, MOTCUA_ZALO_ACCESS_TOKEN).",
                permanent=True,
            )
        if not template_of(outgoing.event)[0]:
            raise SendFailed(
                f"Chưa đăng ký mẫu ZNS cho sự kiện «{outgoing.event}» (MOTCUA_ZALO_TEMPLATES): "
                "không gửi qua Zalo.",
                permanent=True,
            )
        phone = mobile_of(outgoing.recipient)
        response = json_post(
            url=url,
            payload=self.request_body(outgoing, phone),
            headers={"access_token": token},
            timeout=settings.MOTCUA_ZALO_TIMEOUT,
            who="Zalo",
        )
        return self._outcome(response)

    @staticmethod
    def _outcome(response: requests.Response) -> Accepted:
        code = response.status_code
        if code in (408, 429) or code >= 500:
            raise SendFailed(f"Zalo tạm thời không nhận tin (HTTP {code}).")
        if not 200 <= code < 300:
            raise SendFailed(f"Zalo từ chối tin (HTTP {code}).", permanent=True)
        try:
            answer = response.json()
        except ValueError:
            raise SendFailed("Zalo trả lời không phải JSON.") from None
        if not isinstance(answer, dict):
            raise SendFailed("Zalo trả lời không đúng dạng.")
        try:
            error = int(answer.get("error", -1))
        except (TypeError, ValueError):
            error = -1
        message = str(answer.get("message", ""))[:200]
        if error != 0:
            reason = f"Zalo: lỗi {error} {message}".strip()
            raise SendFailed(reason, permanent=error not in TEMPORARY_ERRORS)
        data = answer.get("data") if isinstance(answer.get("data"), dict) else {}
        msg_id = str(data.get("msg_id", "") or "").strip()
        return Accepted(provider_ref=msg_id[:128])

    def callback_read(self, request: HttpRequest) -> list[StatusReport]:
        """Zalo's webhook: `X-ZEvent-Signature: mac=<hex sha256(app_id + body + timestamp +
        OA secret)>`, app_id and timestamp read from the body; compared in constant time."""
        secret = settings.MOTCUA_ZALO_OA_SECRET
        if not secret:
            raise CallbackRejected("not_configured", "Chưa cấu hình khoá bí mật của OA.", 503)
        given = request.headers.get(SIGNATURE_HEADER, "").strip()
        if not given:
            raise CallbackRejected("signature_missing", "Thiếu chữ ký (X-ZEvent-Signature).", 401)
        try:
            data = json.loads(request.body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            data = None
        if not isinstance(data, dict):
            # Nothing to sign with: the app id and the timestamp are in the body.
            raise CallbackRejected("bad_signature", "Chữ ký không đúng.", 403)
        app_id, timestamp = str(data.get("app_id", "")), str(data.get("timestamp", ""))
        expected = zalo_signature(
            app_id=app_id, body=request.body, timestamp=timestamp, secret=secret
        )
        mac = given[4:] if given.lower().startswith("mac=") else given
        if not hmac.compare_digest(mac.lower().encode(), expected.encode()):
            raise CallbackRejected("bad_signature", "Chữ ký không đúng.", 403)
        if settings.MOTCUA_ZALO_APP_ID and app_id != settings.MOTCUA_ZALO_APP_ID:
            raise CallbackRejected("bad_signature", "Ứng dụng (app_id) không phải của tỉnh.", 403)
        status = DELIVERY_EVENTS.get(str(data.get("event_name", "")))
        if status is None:
            return []  # another event of the OA (a follower, a reply…): kept, nothing to apply
        message = data.get("message") if isinstance(data.get("message"), dict) else {}
        msg_id = str(message.get("msg_id", "") or "").strip()
        if not msg_id:
            raise CallbackRejected("invalid", "Thiếu mã tin nhắn (message.msg_id).")
        at = _from_millis(message.get("delivery_time")) or _from_millis(timestamp)
        if at is None:
            raise CallbackRejected("invalid", "Thiếu thời điểm (timestamp).")
        return [StatusReport(provider_ref=msg_id[:128], status=status, at=at)]


register(ZaloZnsProvider())
