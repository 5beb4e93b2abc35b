"""A fixed-window request counter in the cache, per client address (for the public lookup)."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    # Behind a proxy, the deployment sets REMOTE_ADDR from the proxy's header (gunicorn's
    # --forwarded-allow-ips); trusting X-Forwarded-For here would let anyone reset their count.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limited(*, scope: str, request: HttpRequest, limit: int, window_seconds: int) -> bool:
    """Count this request; True once the address made more than `limit` within the window."""
    key = f"ratelimit:{scope}:{client_address(request)}"
    if cache.add(key, 1, window_seconds):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        # The window ended between add() and incr().
        cache.set(key, 1, window_seconds)
        return False
    return count > limit
