"""Operational endpoints: /healthz (database and worker heartbeat)."""

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from .selectors import live_workers_count


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
