"""The public address that absolute links (QR codes, tracking links, sync records) start with.

`settings.MOTCUA_PUBLIC_BASE_URL` wins when it is set (production: the portal's public name
behind its proxy). Left empty, a page answers with the address it was asked on — so a receipt
printed from http://10.0.0.5:8102/ points back there — which `PublicBaseUrlMiddleware` keeps for
the request. Outside a request (the task worker, a command) the `run` command fills the setting
in from its own host and port; with neither, links point at the default `run` address.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Where `python -m motcua run` serves with its default --host and --port.
DEFAULT_BASE_URL = "http://127.0.0.1:8000"

_current_request: ContextVar[HttpRequest | None] = ContextVar("motcua_public_request", default=None)


def public_base_url() -> str:
    """The scheme, host and port of the site, without a trailing slash."""
    explicit = settings.MOTCUA_PUBLIC_BASE_URL.strip()
    if explicit:
        return explicit.rstrip("/")
    request = _current_request.get()
    if request is not None:
        # get_host() checks ALLOWED_HOSTS, so a forged Host header cannot reach a document.
        return request.build_absolute_uri("/").rstrip("/")
    return DEFAULT_BASE_URL


class PublicBaseUrlMiddleware:
    """Keeps the request being served so `public_base_url()` can answer with its address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
