"""What every app's API router shares: the error responses an operation may answer, the scope
check of an API key, OpenAPI links and JSON of datetimes.

The routers live in the apps whose nouns they serve (`catalog/api.py`, `dossiers/api.py`,
`reports/api.py`); `integration/api.py` mounts them on the one NinjaAPI, which owns the
authentication, the error shape and the URL wrapping. A router imports this module, never
`integration.api`.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from ninja.renderers import JSONRenderer

from .errors import ScopeDenied
from .models import ApiClient
from .schemas import ErrorOut


class VietnameseJSONRenderer(JSONRenderer):
    """Vietnamese stays readable in the JSON (UTF-8, not \\u escapes)."""

    json_dumps_params = {"ensure_ascii": False}


RENDERER = VietnameseJSONRenderer()


def json_response(request: HttpRequest, data: Any, *, status: int = 200) -> HttpResponse:
    """`data` answered as the API answers (what NinjaAPI.create_response does), for a hot
    endpoint that builds its body itself instead of validating it through its schema."""
    content = RENDERER.render(request, data, response_status=status)
    return HttpResponse(
        content, status=status, content_type=f"{RENDERER.media_type}; charset={RENDERER.charset}"
    )


# Every operation may answer these (422: a parameter or body that does not validate).
ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}
WRITE_ERRORS = {**ERRORS, 409: ErrorOut}


def require_scope(client: ApiClient, scope: str) -> None:
    """403 `scope_denied` unless the key holds `scope`."""
    if scope not in client.scopes:
        raise ScopeDenied(details={"scope": scope})


def openapi_links(parameter: str, source: str, *operations: str) -> dict[str, Any]:
    """OpenAPI links: where a created resource's id goes next (schemathesis follows them)."""
    return {op: {"operationId": op, "parameters": {parameter: source}} for op in operations}


def jsonable(data: dict[str, Any]) -> dict[str, Any]:
    """`data` with its datetimes as the JSON of the API writes them (kept for idempotent replays)."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))
