"""SMS through a "brandname" HTTP gateway (the kind Vietnamese operators and aggregators sell), and
how a text is encoded and counted in segments (docs/NOTIFICATIONS.md §3–§4).

Encoding: a text written only in the GSM 03.38 alphabet goes as 7-bit GSM, 160 characters in one
segment and 153 in each part of a longer one (the rest of each part is the concatenation header);
characters of the extension table (`[ ] { } \\ ^ ~ | €`) take two. Vietnamese letters with their
diacritics are not in that alphabet (only à è é ì ò ù are), so a Vietnamese text goes as UCS-2:
70 UTF-16 units in one segment, 67 in each part of a longer one. We keep every message within two
segments (306 GSM septets, 134 UCS-2 units) and refuse a longer one rather than let the gateway
split it into three or more.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import requests
from django.conf import settings

from motcua.accounts.validators import MOBILE_PREFIXES, normalise_phone

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

if TYPE_CHECKING:
    from django.http import HttpRequest

MAX_SEGMENTS = 2

GSM7 = "gsm7"
UCS2 = "ucs2"
# (one segment, each part of a concatenated message), in units of the encoding.
_CAPACITY = {GSM7: (160, 153), UCS2: (70, 67)}

# GSM 03.38 default alphabet (without the escape itself) and its extension table.
_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENSION = frozenset("\f^{}\\[~]|€")

SIGNATURE_HEADER = "X-Signature"
API_KEY_HEADER = "X-Api-Key"

# The gateway's delivery states and ours (a state we do not know changes nothing).
CALLBACK_STATUS = {
    "sent": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "failed": MessageStatus.FAILED,
}


@dataclass(frozen=True)
class SmsSize:
    """How a text goes over the air: its encoding, its length in that encoding's units
    (GSM septets or UTF-16 code units) and the number of segments it takes."""

    encoding: str
    units: int
    segments: int


def sms_text(text: str) -> str:
    """The text as sent: composed (NFC), so that "ệ" typed as e + two combining marks counts
    and shows as the one letter it is."""
    return unicodedata.normalize("NFC", text or "")


def _unit_sizes(text: str) -> tuple[str, list[int]]:
    if all(c in _GSM_BASIC or c in _GSM_EXTENSION for c in text):
        return GSM7, [2 if c in _GSM_EXTENSION else 1 for c in text]
    # UTF-16: a character beyond the BMP (an emoji) is a surrogate pair, two units.
    return UCS2, [2 if ord(c) > 0xFFFF else 1 for c in text]


def sms_size(text: str) -> SmsSize:
    """Count the segments of `text` (after sms_text()). A character taking two units (a GSM
    extension, a surrogate pair) is never split between two parts, as gateways do it."""
    encoding, sizes = _unit_sizes(sms_text(text))
    single, part = _CAPACITY[encoding]
    units = sum(sizes)
    if units <= single:
        return SmsSize(encoding, units, 1 if units else 0)
    segments, room = 1, part
    for size in sizes:
        if size > room:
            segments, room = segments + 1, part
        room -= size
    return SmsSize(encoding, units, segments)


def max_units(encoding: str) -> int:
    """The longest text (in units) that still fits in MAX_SEGMENTS: 306 GSM, 134 UCS-2."""
    return _CAPACITY[encoding][1] * MAX_SEGMENTS


def msisdn(phone: str) -> str:
    """A Vietnamese mobile number in the international form gateways take: '0912 345 678',
    '+84912345678' → '84912345678'. Raises ValueError for anything else (a landline, a foreign
    or malformed number)."""
    local = normalise_phone(phone)
    if not (len(local) == 10 and local.isdigit() and local.startswith(MOBILE_PREFIXES)):
        raise ValueError(phone)
    return "84" + local[1:]


def mobile_of(recipient: str) -> str:
    """`msisdn`, or a permanent SendFailed: a number that is no Vietnamese mobile never will be."""
    try:
        return msisdn(recipient)
    except ValueError:
        raise SendFailed(
            f"Số điện thoại không phải số di động Việt Nam hợp lệ: {recipient}", permanent=True
        ) from None


def sign(secret: str, body: bytes) -> str:
    """Hex HMAC-SHA256 of the raw body with the shared secret (the callbacks' scheme)."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def callback_url(provider_id: str) -> str:
    from motcua.public_url import public_base_url

    return f"{public_base_url()}/api/v1/notifications/callback/{provider_id}"


def sms_refusal(text: str) -> str:
    """Why this text cannot go as an SMS ("" when it can)."""
    if not sms_text(text).strip():
        return "Tin nhắn SMS không có nội dung."
    size = sms_size(text)
    if size.segments > MAX_SEGMENTS:
        kind = "có dấu (UCS-2)" if size.encoding == UCS2 else "không dấu (GSM 7-bit)"
        return (
            f"Tin nhắn SMS quá dài: {size.units} ký tự {kind}, cần {size.segments} tin "
            f"(tối đa {MAX_SEGMENTS} tin, {max_units(size.encoding)} ký tự)."
        )
    return ""


def _reason(response: requests.Response) -> str:
    try:
        answer = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(answer, dict):
        error = answer.get("error")
        message = answer.get("message", "")
        if isinstance(error, dict):
            error, message = error.get("code", ""), error.get("message", message)
        return f"{error} {message}".strip()[:200]
    return str(answer)[:200]


def read_signed_reports(
    *, request: HttpRequest, secret: str, statuses: dict[str, str]
) -> list[StatusReport]:
    """The brandname callback scheme (also the sandboxes'): `X-Signature` is the hex
    HMAC-SHA256 of the raw body with the shared secret, compared in constant time; the body is
    {"message_id", "request_id", "status", "at", "error"?}."""
    from django.utils.dateparse import parse_datetime

    if not secret:
        raise CallbackRejected("not_configured", "Chưa cấu hình khoá bí mật của nhà cung cấp.", 503)
    given = request.headers.get(SIGNATURE_HEADER, "").strip()
    if not given:
        raise CallbackRejected("signature_missing", "Thiếu chữ ký (X-Signature).", 401)
    if not hmac.compare_digest(given.lower().encode(), sign(secret, request.body).encode()):
        raise CallbackRejected("bad_signature", "Chữ ký không đúng.", 403)
    try:
        data = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CallbackRejected("invalid", "Nội dung không phải JSON.") from exc
    if not isinstance(data, dict):
        raise CallbackRejected("invalid", "Nội dung phải là một đối tượng JSON.")
    message_id = data.get("message_id")
    if not isinstance(message_id, str) or not message_id.strip():
        raise CallbackRejected("invalid", "Thiếu mã tin nhắn của nhà cung cấp (message_id).")
    status = statuses.get(str(data.get("status", "")))
    if status is None:
        raise CallbackRejected(
            "invalid", "Trạng thái (status) phải là một trong: " + ", ".join(statuses) + "."
        )
    try:
        at = parse_datetime(data["at"]) if isinstance(data.get("at"), str) else None
    except ValueError:  # well formed but no such date (month 13)
        at = None
    if at is None or at.tzinfo is None:
        raise CallbackRejected("invalid", "Thời điểm (at) phải theo ISO 8601, có múi giờ.")
    error = data.get("error")
    reason = str(error)[:500] if error else ""
    return [
        StatusReport(provider_ref=message_id.strip()[:128], status=status, at=at, reason=reason)
    ]


class BrandnameSmsProvider(NotificationProvider):
    """POST JSON {brandname, phone, message, request_id, callback_url} with the key in X-Api-Key.

    `request_id` is our Message.reference, the gateway's idempotency field: a second request
    with an id it has seen is answered 409 with the first message's id and not sent again, so a
    worker killed after the gateway took the message and before it was marked sent sends no
    second copy on the retry (`keeps_reference`). What stays possible: a gateway that forgets
    request ids after a while (ours must keep them at least as long as MOTCUA_NOTIFY_STALE_SECONDS
    plus the retries' backoff) would send a retry made later than that again.
    """

    id = "brandname"
    channel = Channel.SMS
    name = "SMS brandname"
    keeps_reference = True

    def request_body(self, outgoing: Outgoing, phone: str) -> dict[str, Any]:
        text = sms_text(outgoing.body)
        return {
            "brandname": settings.MOTCUA_SMS_BRANDNAME,
            "phone": phone,
            "message": text,
            "unicode": sms_size(text).encoding == UCS2,
            "request_id": outgoing.reference,
            "callback_url": callback_url(self.id),
        }

    def send(self, outgoing: Outgoing) -> Accepted:
        url = settings.MOTCUA_SMS_URL
        if not url.lower().startswith(("http://", "https://")) or not (
            settings.MOTCUA_SMS_API_KEY and settings.MOTCUA_SMS_BRANDNAME
        ):
            raise SendFailed(
                "Chưa cấu hình cổng SMS (MOTCUA_SMS_URL, MOTCUA_SMS_API_KEY, "
                "MOTCUA_SMS_BRANDNAME).",
                permanent=True,
            )
        phone = mobile_of(outgoing.recipient)
        refusal = sms_refusal(outgoing.body)
        if refusal:
            raise SendFailed(refusal, permanent=True)
        response = json_post(
            url=url,
            payload=self.request_body(outgoing, phone),
            headers={
                API_KEY_HEADER: settings.MOTCUA_SMS_API_KEY,
                "Content-Type": "application/json; charset=utf-8",
            },
            timeout=settings.MOTCUA_SMS_TIMEOUT,
            who="cổng SMS",
        )
        return self._outcome(response)

    @staticmethod
    def _outcome(response: requests.Response) -> Accepted:
        code = response.status_code
        if 200 <= code < 300 or code == 409:
            # 409: a request_id already taken; the first message's id is answered again.
            try:
                answer = response.json()
            except ValueError:
                answer = {}
            message_id = answer.get("message_id") if isinstance(answer, dict) else None
            if not isinstance(message_id, str | int) or not str(message_id).strip():
                if code == 409:
                    return Accepted(provider_ref="")
                # Taken or not, we cannot tell: the retry under the same request_id is safe.
                raise SendFailed("Cổng SMS trả lời không có message_id.")
            return Accepted(provider_ref=str(message_id).strip()[:128])
        if code in (408, 429) or code >= 500:
            raise SendFailed(f"Cổng SMS tạm thời không nhận tin ({code} {_reason(response)}).")
        raise SendFailed(f"Cổng SMS từ chối tin ({code} {_reason(response)}).", permanent=True)

    def callback_read(self, request: HttpRequest) -> list[StatusReport]:
        return read_signed_reports(
            request=request, secret=settings.MOTCUA_SMS_SECRET, statuses=CALLBACK_STATUS
        )


register(BrandnameSmsProvider())
