"""Bearer-key authentication of API clients, with the per-client rate limit."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from .errors import RateLimited, Unauthenticated
from .models import ApiClient
from .selectors import api_client_get_by_key
from .services import api_client_touch, rate_limit_consume


class ApiKeyAuth(HttpBearer):
    """`Authorization: Bearer mc_<prefix>_<secret>` (made by create_api_client or the admin)."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiClient:
        client = api_client_get_by_key(key=token)
        if client is None:
            raise Unauthenticated()
        request.api_client = client  # type: ignore[attr-defined]  (read by the call log)
        if not rate_limit_consume(bucket=f"client:{client.pk}", limit=client.rate_limit_per_minute):
            raise RateLimited(details={"limit_per_minute": client.rate_limit_per_minute})
        api_client_touch(client=client)
        return client


def public_rate_limit(request: HttpRequest) -> None:
    """Unauthenticated endpoints (the public lookup): a limit per remote address."""
    from django.conf import settings

    address = request.META.get("REMOTE_ADDR", "unknown")
    limit = settings.MOTCUA_API_PUBLIC_RATE_LIMIT_PER_MINUTE
    if not rate_limit_consume(bucket=f"public:{address}", limit=limit):
        raise RateLimited(details={"limit_per_minute": limit})


api_key_auth = ApiKeyAuth()
