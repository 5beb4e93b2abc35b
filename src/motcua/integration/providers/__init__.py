"""National public-service portal providers: a base class, a registry and two implementations.

The built-in providers register themselves when their module is imported, which this package
does; a new provider is a module here, imported below (docs/ARCHITECTURE.md, "Adding a
provider"). The registry imports no provider, so there is no import loop.
"""

from . import http, sandbox  # noqa: F401  (register the built-in providers)
from .base import NationalPortalProvider, PushResult
from .registry import get_provider, register, registry

__all__ = ["NationalPortalProvider", "PushResult", "get_provider", "register", "registry"]
