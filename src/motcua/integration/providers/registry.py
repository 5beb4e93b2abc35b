"""Providers by id; settings.MOTCUA_NATIONAL_PORTAL_PROVIDER picks one."""

from __future__ import annotations

from django.conf import settings

from .base import NationalPortalProvider

registry: dict[str, type[NationalPortalProvider]] = {}


def register(cls: type[NationalPortalProvider]) -> type[NationalPortalProvider]:
    registry[cls.id] = cls
    return cls


def get_provider(provider_id: str | None = None) -> NationalPortalProvider | None:
    """The configured provider, or None when the sync is switched off (the built-in ones are
    registered when the package is imported: providers/__init__.py)."""
    chosen = settings.MOTCUA_NATIONAL_PORTAL_PROVIDER if provider_id is None else provider_id
    if not chosen:
        return None
    try:
        return registry[chosen]()
    except KeyError as exc:
        raise LookupError(f"unknown national portal provider {chosen!r}") from exc
