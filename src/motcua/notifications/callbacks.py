"""Delivery callbacks of the SMS and Zalo providers: authenticated as each provider does it, kept
once each, applied forward only (docs/NOTIFICATIONS.md §6).

A callback whose signature does not hold changes nothing and is not kept. One that holds is kept
as a NotificationCallback under its dedupe key (the provider's message id and the status it
reports): a repeat finds the row and answers 200 `duplicate`, changing nothing. A new one is
applied through `delivery.message_status_report`, which only moves a message forward (a late
"sent" after "delivered", a "failed" after "delivered", change nothing). A report about no
message of ours is kept unmatched and answered 200 too, so the provider stops sending it; a
report that came faster than our own "sent" mark (the provider's id was not written yet) is
matched again by `callbacks_retry_unmatched()`, run by the sweep.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from .delivery import message_status_report
from .models import Message, NotificationCallback
from .providers import CallbackRejected, StatusReport, by_id

if TYPE_CHECKING:
    from django.http import HttpRequest

# The providers that call back (the URL's {provider}).
CALLBACK_PROVIDERS = ("brandname", "zalo_zns", "sandbox")

# How long an unmatched report is tried again (a provider's id is written within seconds).
UNMATCHED_RETRY = dt.timedelta(hours=1)

APPLIED, IGNORED, UNMATCHED, DUPLICATE = "applied", "ignored", "unmatched", "duplicate"


@dataclass(frozen=True)
class CallbackAnswer:
    http_status: int
    body: dict[str, Any] = field(default_factory=dict)


def _error(http_status: int, code: str, message: str, **details: Any) -> CallbackAnswer:
    return CallbackAnswer(
        http_status, {"error": {"code": code, "message": message, "details": details}}
    )


def _keep(
    *, provider: str, key: str, report: StatusReport | None, payload: str, now: dt.datetime
) -> NotificationCallback | None:
    """Insert the callback; None when its dedupe key is already there (a repeat)."""
    try:
        with transaction.atomic():
            return NotificationCallback.objects.create(
                provider=provider,
                dedupe_key=key[:200],
                provider_ref=report.provider_ref if report else "",
                status=report.status if report else "",
                at=report.at if report else None,
                reason=report.reason[:500] if report else "",
                payload=payload,
                received_at=now,
            )
    except IntegrityError:
        return None


def _apply(callback: NotificationCallback, report: StatusReport) -> str:
    message_id = (
        Message.objects.filter(provider=callback.provider, provider_ref=report.provider_ref)
        .values_list("pk", flat=True)
        .first()
    )
    if message_id is None:
        return UNMATCHED
    changed = message_status_report(provider=callback.provider, report=report)
    callback.message_id, callback.applied = message_id, changed
    callback.save(update_fields=["message", "applied"])
    return APPLIED if changed else IGNORED


def callback_receive(
    *, provider: str, request: HttpRequest, now: dt.datetime | None = None
) -> CallbackAnswer:
    """Authenticate a provider's callback, keep it once, apply what it reports."""
    providers = by_id(provider) if provider in CALLBACK_PROVIDERS else []
    if not providers:
        return _error(404, "unknown_provider", "Không có nhà cung cấp này.", provider=provider)
    try:
        reports = providers[0].callback_read(request)
    except CallbackRejected as exc:
        return _error(exc.http_status, exc.code, exc.message)
    now = now or timezone.now()
    payload = request.body.decode("utf-8", "replace")
    if not reports:
        key = "body:" + hashlib.sha256(request.body).hexdigest()
        kept = _keep(provider=provider, key=key, report=None, payload=payload, now=now)
        return CallbackAnswer(200, {"result": IGNORED if kept else DUPLICATE})
    results = []
    for report in reports:
        key = f"{report.provider_ref}|{report.status}"
        kept = _keep(provider=provider, key=key, report=report, payload=payload, now=now)
        result = DUPLICATE if kept is None else _apply(kept, report)
        results.append(
            {"provider_ref": report.provider_ref, "status": report.status, "result": result}
        )
    return CallbackAnswer(200, {**results[0], "reports": results})


def callbacks_retry_unmatched(*, now: dt.datetime | None = None) -> int:
    """Match again the reports of the last hour that named no message (one that came before our
    "sent" mark wrote the provider's id); the number applied now."""
    now = now or timezone.now()
    pending = NotificationCallback.objects.filter(
        message__isnull=True, received_at__gte=now - UNMATCHED_RETRY
    ).exclude(status="")
    applied = 0
    for callback in pending.order_by("received_at", "id")[:500]:
        report = StatusReport(
            provider_ref=callback.provider_ref,
            status=callback.status,
            at=callback.at or callback.received_at,
            reason=callback.reason,
        )
        with transaction.atomic():
            if _apply(callback, report) == APPLIED:
                applied += 1
    return applied
