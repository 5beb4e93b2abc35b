"""Payment providers by id (vnpay, vietqr, cash); each module here registers its class."""

from __future__ import annotations

from .base import PaymentProvider

registry: dict[str, type[PaymentProvider]] = {}


def register(cls: type[PaymentProvider]) -> type[PaymentProvider]:
    registry[cls.id] = cls
    return cls


def get_provider(provider_id: str) -> PaymentProvider:
    try:
        return registry[provider_id]()
    except KeyError as exc:
        raise LookupError(f"unknown payment provider {provider_id!r}") from exc
