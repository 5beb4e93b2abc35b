"""Postal operators behind one interface (docs/POSTAL.md §3); importing registers them."""

from . import sandbox, vnpost  # noqa: F401  (each module registers its provider)
from .base import CallbackFacts, CallbackRejected, OrderPlaced, PostalProvider
from .registry import get_provider, registry

__all__ = [
    "CallbackFacts",
    "CallbackRejected",
    "OrderPlaced",
    "PostalProvider",
    "get_provider",
    "registry",
]
