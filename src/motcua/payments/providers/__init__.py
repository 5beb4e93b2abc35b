"""Payment providers: a base class, a registry and the built-in vnpay, vietqr and cash.

A new provider is a module here that registers its class, imported below (docs/PAYMENTS.md,
"Adding a provider"). The registry imports no provider, so there is no import loop.
"""

from . import cash, vietqr, vnpay  # noqa: F401  (register the built-in providers)
from .base import CallbackFacts, CallbackRejected, Checkout, PaymentProvider
from .registry import get_provider, register, registry

__all__ = [
    "CallbackFacts",
    "CallbackRejected",
    "Checkout",
    "PaymentProvider",
    "get_provider",
    "register",
    "registry",
]
