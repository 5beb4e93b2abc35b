"""Reads of notifications: templates in force, people's choices, notices and a dossier's log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from .constants import MANDATORY_EVENTS, Channel, Event, MessageStatus
from .defaults import DEFAULTS
from .models import Message, MessageEvent, MessageTemplate, Preference, SandboxDelivery
from .providers import provider_id_for


def template_texts(*, event: str, channel: str) -> tuple[str, str, str, str] | None:
    """(subject_vi, body_vi, subject_en, body_en) in force: the admin's row, else the default;
    None when an administrator turned this event off on this channel."""
    row = MessageTemplate.objects.filter(event=event, channel=channel).first()
    if row is not None:
        if not row.is_active:
            return None
        return row.subject_vi, row.body_vi, row.subject_en, row.body_en
    return DEFAULTS[event].for_channel(channel)


def channels_configured() -> list[str]:
    return [c for c in Channel if provider_id_for(c)]


def channel_default(*, channel: str) -> bool:
    """Whether a channel is on for a person who chose nothing: a phone gets Zalo, or SMS where
    the province has no Zalo account (not both: one message per phone is enough)."""
    if channel == Channel.SMS:
        return not provider_id_for(Channel.ZALO)
    return True


def preferences_of(*, user_id: int | None) -> dict[tuple[str, str], bool]:
    if user_id is None:
        return {}
    return {
        (p.event, p.channel): p.enabled
        for p in Preference.objects.filter(user_id=user_id).only("event", "channel", "enabled")
    }


def channel_wanted(*, event: str, channel: str, choices: dict[tuple[str, str], bool]) -> bool:
    """A person's choice, or the default; a mandatory warning reaches them by e-mail and in the
    application whatever they chose."""
    if event in MANDATORY_EVENTS and channel in (Channel.EMAIL, Channel.INAPP):
        return True
    return choices.get((event, channel), channel_default(channel=channel))


def notices_unread_count(*, user_id: int) -> int:
    return Message.objects.filter(
        user_id=user_id, channel=Channel.INAPP, read_at__isnull=True
    ).count()


def notices_of(*, user_id: int) -> QuerySet[Message]:
    """A person's in-app notices, newest first (paginate the result)."""
    return Message.objects.filter(user_id=user_id, channel=Channel.INAPP).select_related("dossier")


def messages_of_dossier(*, dossier_id: int) -> QuerySet[Message]:
    """The messages about a dossier, newest first, with their history (the dossier page's log)."""
    return (
        Message.objects.filter(dossier_id=dossier_id)
        .exclude(channel=Channel.INAPP)
        .prefetch_related("history")
        .order_by("-created_at", "-id")
    )


def events_for_choice(*, audience: str) -> list[str]:
    from .constants import EVENT_AUDIENCE

    return [e for e in Event if EVENT_AUDIENCE[e] == audience]


def max_attempts() -> int:
    return settings.MOTCUA_NOTIFY_MAX_ATTEMPTS


# --- The pages' reads: the dossier's message log, the sandbox inbox ---------------------------

LOG_LIMIT = 50  # a dossier's page shows its latest messages; the admin holds every one


def recipient_masked(*, channel: str, address: str) -> str:
    """An address shown to someone other than its owner: enough to recognise, not to copy
    ("ng•••@gmail.com", "091•••••78"), as GOV.UK Notify shows recipients to a service's team."""
    if channel == Channel.EMAIL and "@" in address:
        local, domain = address.rsplit("@", 1)
        return f"{local[:2]}•••@{domain}"  # never how long the hidden part is
    if channel in (Channel.SMS, Channel.ZALO):
        digits = address.strip()
        if len(digits) <= 5:
            return "•" * len(digits)
        return f"{digits[:3]}{'•' * (len(digits) - 5)}{digits[-2:]}"
    return address


@dataclass(frozen=True)
class LogRow:
    """One line of a dossier's message log: what was sent to whom, how, and how it went."""

    message: Message
    recipient: str
    status_at: dt.datetime
    history: list[MessageEvent]

    @property
    def failed(self) -> bool:
        return self.message.status == MessageStatus.FAILED


def _status_at(message: Message) -> dt.datetime:
    by_status = {
        MessageStatus.DELIVERED: message.delivered_at,
        MessageStatus.SENT: message.sent_at,
        MessageStatus.FAILED: message.failed_at,
        MessageStatus.SENDING: message.sending_at,
    }
    return by_status.get(message.status) or message.created_at


def message_log_of_dossier(
    *, dossier_id: int, viewer_id: int | None, audience: str | None = None
) -> list[LogRow]:
    """The dossier page's "messages sent" (two queries whatever the count): newest first, the
    addresses of anyone but the viewer masked; `audience` keeps only the messages meant for it
    (the applicant's page does not show the officers' warnings)."""
    rows = messages_of_dossier(dossier_id=dossier_id)
    if audience is not None:
        from .constants import EVENT_AUDIENCE

        rows = rows.filter(event__in=[e for e, a in EVENT_AUDIENCE.items() if a == audience])
    log = []
    for message in rows[:LOG_LIMIT]:
        mine = viewer_id is not None and message.user_id == viewer_id
        log.append(
            LogRow(
                message=message,
                recipient=message.recipient
                if mine
                else recipient_masked(channel=message.channel, address=message.recipient),
                status_at=_status_at(message),
                history=list(message.history.all()),
            )
        )
    return log


def sandbox_inbox(*, channel: str = "", query: str = "") -> QuerySet[SandboxDelivery]:
    """What the sandbox providers 'delivered', newest first (paginate the result)."""
    rows = SandboxDelivery.objects.all()
    if channel:
        rows = rows.filter(channel=channel)
    if query:
        rows = rows.filter(Q(recipient__icontains=query) | Q(subject__icontains=query))
    return rows.order_by("-received_at", "-id")


def messages_by_reference(*, references: Iterable[Any]) -> dict[str, Message]:
    """The outbox rows behind sandbox deliveries (their event and dossier), one query."""
    return {
        str(m.reference): m
        for m in Message.objects.filter(reference__in=list(references)).select_related("dossier")
    }
