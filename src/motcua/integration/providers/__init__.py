"""National public-service portal providers: a base class, a registry and two implementations."""

from .base import NationalPortalProvider, PushResult
from .registry import get_provider, register, registry

__all__ = ["NationalPortalProvider", "PushResult", "get_provider", "register", "registry"]
