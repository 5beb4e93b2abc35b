"""Writes of notifications: put messages in the outbox, deliver them, apply delivery reports,
people's choices and notices read, templates saved.

The outbox: `notify()` writes one Message per recipient and channel inside the caller's
transaction (the dossier's event and its messages commit together or not at all) and queues their
delivery with it; `messages_deliver()` runs in the worker. Each message is claimed (queued →
sending, committed) before its provider is called, and marked sent right after, one by one: a
crash between the two leaves it "sending", and `messages_recover()` sends it again with the same
reference, which providers that keep one (`keeps_reference`) refuse as a copy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from motcua.dossiers.services.base import enqueue_with_use_case

from . import selectors
from .constants import ADDRESS_OF_CHANNEL, Channel, Event, MessageStatus
from .models import Message, MessageEvent, MessageTemplate, Preference
from .providers import provider_id_for
from .templating import TemplateProblem, render_html, render_text, template_check

logger = logging.getLogger(__name__)


class PreferenceRefused(ValueError):
    """A choice the rules do not allow (an officer turning off an overdue warning)."""


@dataclass(frozen=True)
class Recipient:
    """Someone to tell, and where: an account (in-app notices and its choices) and/or addresses."""

    name: str
    user: Any = None
    email: str = ""
    phone: str = ""
    language: str = "vi"

    @property
    def key(self) -> str:
        """Who this is for the idempotency key: the account, else the addresses."""
        if self.user is not None:
            return f"user:{self.user.pk}"
        return f"addr:{self.email.lower()}:{self.phone}"

    def address(self, channel: str) -> str:
        kind = ADDRESS_OF_CHANNEL[channel]
        if kind == "user":
            return str(self.user.pk) if self.user is not None else ""
        return self.email.strip() if kind == "email" else self.phone.strip()


def _key(source: str, recipient: Recipient, channel: str) -> str:
    key = f"{source}|{recipient.key}|{channel}"
    if len(key) > 255:
        key = key[:190] + "#" + hashlib.sha256(key.encode()).hexdigest()
    return key


def _render(
    *, event: str, channel: str, language: str, values: Mapping[str, Any]
) -> tuple[str, str, str] | None:
    """(subject, body, html) in the recipient's language; None when the template is off."""
    texts = selectors.template_texts(event=event, channel=channel)
    if texts is None:
        return None
    subject_vi, body_vi, subject_en, body_en = texts
    subject, body = subject_vi, body_vi
    if language == "en" and body_en.strip():
        subject, body = subject_en, body_en
    html = render_html(body, values) if channel == Channel.EMAIL else ""
    return render_text(subject, values).strip(), render_text(body, values).strip(), html


def notify(
    *,
    event: str,
    source: str,
    recipients: Iterable[Recipient],
    values: Mapping[str, Any],
    dossier: Any = None,
    now: dt.datetime | None = None,
) -> list[Message]:
    """Put the messages of `event` in the outbox and queue their delivery with the caller's
    transaction. `source` names what happened (an event id, a scan's threshold): the same source
    never tells the same person twice on a channel. A template that cannot be filled gives a
    failed message with the reason, never an error to the caller (a dossier's transition must
    not fail on a text). Returns the messages written now (none already there)."""
    now = now or timezone.now()
    values = {"ten_he_thong": settings.MOTCUA_SYSTEM_NAME, **values}
    planned: list[Message] = []
    for recipient in recipients:
        choices = selectors.preferences_of(user_id=getattr(recipient.user, "pk", None))
        for channel in Channel:
            provider = provider_id_for(channel)
            address = recipient.address(channel)
            if not provider or not address:
                continue
            if not selectors.channel_wanted(event=event, channel=channel, choices=choices):
                continue
            message = Message(
                idempotency_key=_key(source, recipient, channel),
                source=source[:120],
                event=event,
                channel=channel,
                provider=provider,
                user=recipient.user,
                recipient=address,
                recipient_name=recipient.name[:200],
                dossier=dossier,
                language=recipient.language,
                values={k: str(v) for k, v in values.items()},
                created_at=now,
            )
            try:
                with translation.override(recipient.language):
                    rendered = _render(
                        event=event,
                        channel=channel,
                        language=recipient.language,
                        values={**values, "nguoi_nhan": recipient.name},
                    )
            except TemplateProblem as problem:
                message.status, message.reason, message.failed_at = (
                    MessageStatus.FAILED,
                    str(problem)[:500],
                    now,
                )
                logger.warning("template %s/%s: %s", event, channel, problem)
            else:
                if rendered is None:
                    continue
                message.subject, message.body, message.html = rendered
                message.subject = message.subject[:300]
                if channel == Channel.INAPP:  # the row is the notice: nothing to send
                    message.status, message.sent_at, message.delivered_at = (
                        MessageStatus.DELIVERED,
                        now,
                        now,
                    )
            planned.append(message)
    written = _write(planned)
    if written:
        MessageEvent.objects.bulk_create(
            MessageEvent(message=m, status=m.status, at=now, reason=m.reason) for m in written
        )
        to_send = [m.pk for m in written if m.status == MessageStatus.QUEUED]
        if to_send:
            from .tasks import messages_deliver_task

            enqueue_with_use_case(messages_deliver_task, to_send)
    return written


def _write(planned: list[Message]) -> list[Message]:
    """Insert the messages not written before (by idempotency key)."""
    if not planned:
        return []
    known = set(
        Message.objects.filter(
            idempotency_key__in=[m.idempotency_key for m in planned]
        ).values_list("idempotency_key", flat=True)
    )
    fresh = [m for m in planned if m.idempotency_key not in known]
    if not fresh:
        return []
    try:
        with transaction.atomic():
            return Message.objects.bulk_create(fresh)
    except IntegrityError:
        # A concurrent writer of the same source got there first: keep the rest, one by one.
        written = []
        for message in fresh:
            try:
                with transaction.atomic():
                    message.save(force_insert=True)
                written.append(message)
            except IntegrityError:
                continue
        return written


def notices_mark_read(
    *, user: Any, ids: Iterable[int] | None = None, now: dt.datetime | None = None
) -> int:
    """Mark a person's notices read (all of them without `ids`); the number changed."""
    rows = Message.objects.filter(user=user, channel=Channel.INAPP, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=now or timezone.now())


def preference_set(*, user: Any, event: str, channel: str, enabled: bool) -> Preference:
    from .constants import MANDATORY_EVENTS

    if not enabled and event in MANDATORY_EVENTS and channel in (Channel.EMAIL, Channel.INAPP):
        raise PreferenceRefused(
            translation.gettext("Không thể tắt cảnh báo bắt buộc này: %(event)s.")
            % {"event": Event(event).label}
        )
    preference, _ = Preference.objects.update_or_create(
        user=user, event=event, channel=channel, defaults={"enabled": enabled}
    )
    return preference


def template_save(
    *,
    event: str,
    channel: str,
    subject_vi: str,
    body_vi: str,
    subject_en: str = "",
    body_en: str = "",
    is_active: bool = True,
    actor: Any = None,
) -> MessageTemplate:
    """Save an event's text on a channel after checking every placeholder (TemplateProblem)."""
    for text in (subject_vi, body_vi, subject_en, body_en):
        template_check(event=event, text=text)
    template, _ = MessageTemplate.objects.update_or_create(
        event=event,
        channel=channel,
        defaults={
            "subject_vi": subject_vi,
            "body_vi": body_vi,
            "subject_en": subject_en,
            "body_en": body_en,
            "is_active": is_active,
            "updated_by": actor,
        },
    )
    return template


def templates_ensure() -> int:
    """Write the default texts of every event and channel that has no row yet (after migrate),
    so that the admin lists them all; the number written."""
    from .defaults import DEFAULTS

    have = set(MessageTemplate.objects.values_list("event", "channel"))
    missing = []
    for event, text in DEFAULTS.items():
        for channel in Channel:
            if (event, channel) in have:
                continue
            subject_vi, body_vi, subject_en, body_en = text.for_channel(channel)
            missing.append(
                MessageTemplate(
                    event=event,
                    channel=channel,
                    subject_vi=subject_vi,
                    body_vi=body_vi,
                    subject_en=subject_en,
                    body_en=body_en,
                )
            )
    MessageTemplate.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)
