"""Operational endpoints: /healthz (database and worker heartbeat), /metrics (Prometheus) and
/favicon.ico (what browsers and crawlers ask for at the root whatever the page links to)."""

import hmac
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST

from .selectors import live_workers_count, metrics_exposition


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {exc.__class__.__name__}"
    workers = 0
    if checks["database"] == "ok":
        workers = live_workers_count()
        checks["worker"] = "ok" if workers else "error: no live task worker"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks, "workers": workers},
        status=200 if healthy else 503,
    )


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus exposition of the system's state, for loopback or a bearer token."""
    token = settings.MOTCUA_METRICS_TOKEN
    if token:
        supplied = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        allowed = hmac.compare_digest(supplied.encode(), token.encode())
    else:
        allowed = request.META.get("REMOTE_ADDR", "") in {"127.0.0.1", "::1"}
    if not allowed:
        return HttpResponse("Không có quyền truy cập.\n", status=403, content_type="text/plain")
    return HttpResponse(metrics_exposition(), content_type=CONTENT_TYPE_LATEST)


FAVICON = "favicon.svg"


@cache
def _favicon_bytes() -> bytes:
    path = finders.find(FAVICON)
    if path is None:  # the package ships it; a broken install should say so, not 404 quietly
        raise FileNotFoundError(FAVICON)
    with open(path, "rb") as icon:
        return icon.read()


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request: HttpRequest) -> HttpResponse:
    """The site's emblem (static/favicon.svg) at the root address browsers try first."""
    return HttpResponse(_favicon_bytes(), content_type="image/svg+xml")
