"""Postal providers by id (sandbox, vnpost); each module here registers its class."""

from __future__ import annotations

from .base import PostalProvider

registry: dict[str, type[PostalProvider]] = {}


def register(cls: type[PostalProvider]) -> type[PostalProvider]:
    registry[cls.id] = cls
    return cls


def get_provider(provider_id: str) -> PostalProvider:
    try:
        return registry[provider_id]()
    except KeyError as exc:
        raise LookupError(f"unknown postal provider {provider_id!r}") from exc
