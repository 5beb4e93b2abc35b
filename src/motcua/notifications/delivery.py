"""Delivery of the outbox, in the worker: claim, send, mark; the sweep; providers' reports.

Each message is claimed (queued → sending, committed) before its provider is called. A
provider that keeps our reference (`keeps_reference`: the sandbox, the SMS gateway) takes the
batch and its outcomes are marked together; one that keeps none (SMTP, Zalo) is marked every
MOTCUA_NOTIFY_MARK_EVERY sends as it goes. A crash before a mark leaves messages "sending", and
`messages_recover()` sends them again with the same reference: refused as a copy by the first
kind, sent again by the second (at most the unmarked ones; providers/email.py says what remains
possible there). Marking each SMTP send on its own cost 4 round trips to the database per
message, 40 % of a worker's time (bench/profile_notify.py), and kept it under 300 e-mails/s.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
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
        # One UPDATE for the batch (the same values for all: bulk_update's CASE per row cost
        # two thirds of a worker's CPU in bench/profile_notify.py).
        Message.objects.filter(pk__in=[m.pk for m in claimed]).update(
            status=MessageStatus.SENDING, sending_at=now, attempts=F("attempts") + 1
        )
        for message in claimed:
            message.status = MessageStatus.SENDING
            message.sending_at = now
            message.attempts += 1
        MessageEvent.objects.bulk_create(
            MessageEvent(message=m, status=MessageStatus.SENDING, at=now) for m in claimed
        )
    return claimed


def _retry_delay(attempts: int) -> dt.timedelta:
    base = settings.MOTCUA_NOTIFY_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=base + random.uniform(0, base / 2))  # noqa: S311 (jitter)


def _decide(
    message: Message, outcome: Accepted | SendFailed, *, now: dt.datetime
) -> tuple[str, str, dict[str, Any]]:
    """(status, reason, fields to write) of one send's outcome."""
    if isinstance(outcome, Accepted):
        status = MessageStatus.DELIVERED if outcome.delivered else MessageStatus.SENT
        fields: dict[str, Any] = {"status": status, "sent_at": now}
        fields["provider_ref"] = outcome.provider_ref
        if outcome.delivered:
            fields["delivered_at"] = now
        return status, "", fields
    reason = outcome.reason[:500]
    if outcome.permanent or message.attempts >= selectors.max_attempts():
        return MessageStatus.FAILED, reason, {"status": MessageStatus.FAILED, "failed_at": now,
                                              "reason": reason}  # fmt: skip
    return (
        MessageStatus.QUEUED,
        reason,
        {
            "status": MessageStatus.QUEUED,
            "reason": reason,
            "next_attempt_at": now + _retry_delay(message.attempts),
        },
    )


def _mark_batch(
    pairs: list[tuple[Message, Accepted | SendFailed]],
    *,
    now: dt.datetime,
    retries: list[tuple[int, dt.datetime]],
) -> list[str]:
    """Record the outcomes of sends, in one transaction; the status of each, in order."""
    decided = [(message, *_decide(message, outcome, now=now)) for message, outcome in pairs]
    with transaction.atomic():
        # Only those still ours to mark (a delivery report may have come first).
        still = set(
            Message.objects.select_for_update()
            .filter(pk__in=[m.pk for m, *_ in decided], status=MessageStatus.SENDING)
            .values_list("pk", flat=True)
        )
        # The outcomes' fields are the same for every message of a kind (sent, delivered,
        # failed with a reason…) but the provider's id: one UPDATE per kind, then the ids.
        groups: dict[tuple[Any, ...], list[int]] = {}
        with_ref: list[Message] = []
        for message, _status, _reason, fields in decided:
            if message.pk not in still:
                continue
            common = {k: v for k, v in fields.items() if k != "provider_ref"}
            groups.setdefault(tuple(sorted(common.items())), []).append(message.pk)
            if fields.get("provider_ref"):
                message.provider_ref = fields["provider_ref"]
                with_ref.append(message)
        for common, ids in groups.items():
            Message.objects.filter(pk__in=ids).update(**dict(common))
        Message.objects.bulk_update(with_ref, ["provider_ref"])
        MessageEvent.objects.bulk_create(
            MessageEvent(message_id=m.pk, status=status, at=now, reason=reason)
            for m, status, reason, _ in decided
            if m.pk in still
        )
    for message, status, _reason, fields in decided:
        if message.pk in still and status == MessageStatus.QUEUED:
            retries.append((message.pk, fields["next_attempt_at"]))
    return [status for _, status, _, _ in decided]


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
        outcomes: Iterable[Accepted | SendFailed]
        try:
            provider = get_provider(channel, provider_id)
        except KeyError:
            failed = SendFailed(f"Không có nhà cung cấp {provider_id}", permanent=True)
            outcomes, every = [failed] * len(messages), len(messages)
        else:
            outcomes = provider.send_many([_outgoing(m) for m in messages])
            # A provider that keeps our reference: the batch is marked at once (its resend
            # after a crash is refused as a copy). One that keeps none (SMTP): marked every
            # MOTCUA_NOTIFY_MARK_EVERY sends as they go, so a crash resends at most those.
            every = len(messages) if provider.keeps_reference else settings.MOTCUA_NOTIFY_MARK_EVERY
        pairs: list[tuple[Message, Accepted | SendFailed]] = []
        for number, pair in enumerate(zip(messages, outcomes, strict=True), start=1):
            pairs.append(pair)
            if len(pairs) >= every or number == len(messages):
                marked_at = now if fixed_time else timezone.now()
                for status in _mark_batch(pairs, now=marked_at, retries=retries):
                    counts[status] = counts.get(status, 0) + 1
                pairs = []
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
