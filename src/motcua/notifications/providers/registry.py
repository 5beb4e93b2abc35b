"""The providers by (channel, id), and which one each channel uses (settings)."""

from __future__ import annotations

from django.conf import settings

from .base import NotificationProvider

registry: dict[tuple[str, str], NotificationProvider] = {}


def register(provider: NotificationProvider) -> NotificationProvider:
    registry[(provider.channel, provider.id)] = provider
    return provider


def provider_id_for(channel: str) -> str:
    """The configured provider's id for `channel`, "" when the channel is off."""
    return settings.MOTCUA_NOTIFY_PROVIDERS.get(channel, "")


def provider_for(channel: str) -> NotificationProvider | None:
    chosen = provider_id_for(channel)
    return registry.get((channel, chosen)) if chosen else None


def get_provider(channel: str, provider_id: str) -> NotificationProvider:
    return registry[(channel, provider_id)]


def by_id(provider_id: str) -> list[NotificationProvider]:
    """Every registered provider with this id (a callback URL names the id only)."""
    return [p for (_, pid), p in registry.items() if pid == provider_id]
