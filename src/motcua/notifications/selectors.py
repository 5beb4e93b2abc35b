"""Reads of notifications: templates in force, people's choices, notices and a dossier's log."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from .constants import MANDATORY_EVENTS, Channel, Event
from .defaults import DEFAULTS
from .models import Message, MessageTemplate, Preference
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
