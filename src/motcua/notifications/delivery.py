"""Delivery of the outbox, in the worker: claim, send, mark; the sweep; providers' reports.

Each message is claimed (queued → sending, committed) before its provider is called and marked
right after, one by one: a crash between the two leaves it "sending", and `messages_recover()`
sends it again with the same reference, which providers that keep one (`keeps_reference`) refuse
as a copy (SMTP cannot: providers/email.py says what remains possible there).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import selectors
from .constants import FINAL_STATUSES, STATUS_RANK, MessageStatus
from .models import Message, MessageEvent
from .providers import Accepted, Outgoing, SendFailed, StatusReport, get_provider


def _outgoing(message: Message) -> Outgoing:
    return Outgoing(
        reference=str(message.reference),
        channel=message.channel,
        event=message.event,
        recipient=message.recipient,
        recipient_name=message.recipient_name,
        subject=message.subject,
        body=message.body,
        html=message.html,
        values=message.values,
        language=message.language,
    )


def _claim(*, ids: Iterable[int] | None, now: dt.datetime, limit: int) -> list[Message]:
    """Mark up to `limit` queued messages due now as sending (committed), skipping those another
    worker holds."""
    with transaction.atomic():
        rows = Message.objects.select_for_update(skip_locked=True).filter(
            status=MessageStatus.QUEUED
        )
        if ids is not None:
            rows = rows.filter(pk__in=list(ids))
        rows = rows.exclude(next_attempt_at__gt=now).order_by("id")[:limit]
        claimed = list(rows)
        for message in claimed:
            message.status = MessageStatus.SENDING
            message.sending_at = now
            message.attempts += 1
        Message.objects.bulk_update(claimed, ["status", "sending_at", "attempts"])
        MessageEvent.objects.bulk_create(
            MessageEvent(message=m, status=MessageStatus.SENDING, at=now) for m in claimed
        )
    return claimed


def _retry_delay(attempts: int) -> dt.timedelta:
    base = settings.MOTCUA_NOTIFY_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=base + random.uniform(0, base / 2))  # noqa: S311 (jitter)


def _mark(
    message: Message,
    outcome: Accepted | SendFailed,
    *,
    now: dt.datetime,
    retries: list[tuple[int, dt.datetime]],
) -> str:
    """Record one send's outcome at once (its own short transaction)."""
    fields: dict[str, Any]
    if isinstance(outcome, Accepted):
        status = MessageStatus.DELIVERED if outcome.delivered else MessageStatus.SENT
        fields = {"status": status, "sent_at": now, "provider_ref": outcome.provider_ref}
        if outcome.delivered:
            fields["delivered_at"] = now
        reason = ""
    elif outcome.permanent or message.attempts >= selectors.max_attempts():
        status, reason = MessageStatus.FAILED, outcome.reason[:500]
        fields = {"status": status, "failed_at": now, "reason": reason}
    else:
        status, reason = MessageStatus.QUEUED, outcome.reason[:500]
        fields = {
            "status": status,
            "reason": reason,
            "next_attempt_at": now + _retry_delay(message.attempts),
        }
    with transaction.atomic():
        changed = Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
            **fields
        )
        if changed:
            MessageEvent.objects.create(message_id=message.pk, status=status, at=now, reason=reason)
    if changed and status == MessageStatus.QUEUED:
        retries.append((message.pk, fields["next_attempt_at"]))
    return status


def messages_deliver(
    *,
    ids: Iterable[int] | None = None,
    now: dt.datetime | None = None,
    limit: int = 500,
    retries: list[tuple[int, dt.datetime]] | None = None,
) -> dict[str, int]:
    """Send the queued messages (those of `ids`, or any due): claim, hand each to its provider,
    mark it. Returns the count per resulting status; the messages to try again, with when, are
    added to `retries` (the task queues them)."""
    retries = [] if retries is None else retries
    fixed_time = now is not None  # a caller's clock (the tests', the sweep's) marks too
    now = now or timezone.now()
    counts: dict[str, int] = {}
    claimed = _claim(ids=ids, now=now, limit=limit)
    by_provider: dict[tuple[str, str], list[Message]] = {}
    for message in claimed:
        by_provider.setdefault((message.channel, message.provider), []).append(message)
    for (channel, provider_id), messages in by_provider.items():
        try:
            provider = get_provider(channel, provider_id)
        except KeyError:
            outcomes: list[Accepted | SendFailed] = [
                SendFailed(f"Không có nhà cung cấp {provider_id}", permanent=True)
            ] * len(messages)
        else:
            outcomes = provider.send_many([_outgoing(m) for m in messages])
        for message, outcome in zip(messages, outcomes, strict=True):
            status = _mark(
                message, outcome, now=now if fixed_time else timezone.now(), retries=retries
            )
            counts[status] = counts.get(status, 0) + 1
    return counts


def messages_recover(
    *, now: dt.datetime | None = None, retries: list[tuple[int, dt.datetime]] | None = None
) -> dict[str, int]:
    """The sweep (every few minutes): messages left "sending" by a worker that died are queued
    again, then every due message is delivered."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.MOTCUA_NOTIFY_STALE_SECONDS)
    with transaction.atomic():
        stuck = list(
            Message.objects.select_for_update(skip_locked=True).filter(
                status=MessageStatus.SENDING, sending_at__lt=stale
            )
        )
        for message in stuck:
            message.status = MessageStatus.QUEUED
            message.next_attempt_at = None
        Message.objects.bulk_update(stuck, ["status", "next_attempt_at"])
        MessageEvent.objects.bulk_create(
            MessageEvent(
                message=m,
                status=MessageStatus.QUEUED,
                at=now,
                reason="Gửi lại: lần gửi trước bị gián đoạn",
            )
            for m in stuck
        )
    counts = messages_deliver(now=now, retries=retries)
    counts["recovered"] = len(stuck)
    return counts


def message_status_report(*, provider: str, report: StatusReport) -> bool:
    """Apply a provider's delivery report; False when it changes nothing (a repeat, an older
    status after a newer one, an unknown message). Idempotent and order-proof."""
    with transaction.atomic():
        message = (
            Message.objects.select_for_update()
            .filter(provider=provider, provider_ref=report.provider_ref)
            .first()
        )
        if message is None or message.status in FINAL_STATUSES:
            return False
        if STATUS_RANK[report.status] <= STATUS_RANK[message.status]:
            return False
        message.status = report.status
        fields = ["status"]
        if report.status == MessageStatus.DELIVERED:
            message.delivered_at = report.at
            fields.append("delivered_at")
        elif report.status == MessageStatus.FAILED:
            message.failed_at, message.reason = report.at, report.reason[:500]
            fields += ["failed_at", "reason"]
        message.save(update_fields=fields)
        MessageEvent.objects.create(
            message=message,
            status=report.status,
            at=report.at,
            reason=report.reason[:500],
            by_callback=True,
        )
    return True
