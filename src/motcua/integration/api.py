"""Integration API v1 at /api/v1/: one NinjaAPI, with the routers of the apps mounted on it.

Each app owns its endpoints (`catalog/api.py`: procedures; `dossiers/api.py`: dossiers, actions,
attachments and the public lookup; `reports/api.py`: reports and stats) and this module mounts
them (`api.add_router(...)` at the end), so that the whole API shares one OpenAPI document, one
authentication and one error shape. What is integration's own lives here: the NinjaAPI and its
URL wrapping (error shape for every URL, NUL refusal, one transaction per write, call log), the
error mapping, the webhooks and the sandbox of the national portal. Shared router helpers:
apikit.py.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import time
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.transaction import TransactionManagementError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI, Router, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError

from motcua.catalog.api import procedures_router
from motcua.dossiers.api import dossiers_router, lookup_router
from motcua.dossiers.services.base import use_case_atomic
from motcua.errors import MotcuaError
from motcua.notifications.api import notifications_router
from motcua.payments.api import payments_router
from motcua.postal.api import postal_router
from motcua.reports.api import reports_router, stats_router
from motcua.results.api import result_router, verify_router

from . import schemas as s
from . import selectors, services
from .apikit import ERRORS, RENDERER, WRITE_ERRORS, openapi_links, require_scope
from .auth import api_key_auth
from .errors import ApiError, InvalidInput, MethodNotAllowed, NotFound
from .models import ApiClient, WebhookSubscription

logger = logging.getLogger(__name__)

DESCRIPTION = """
**Tiếng Việt.** API tích hợp của hệ thống một cửa điện tử motcua: tra cứu thủ tục, tiếp nhận hồ sơ
từ kênh khác (Cổng DVC quốc gia, ki-ốt, phần mềm chuyên ngành), đọc và cập nhật trạng thái xử lý,
đăng ký webhook.

**English.** The integration API of motcua: the procedure catalogue, dossiers arriving from other
channels, reading dossiers and moving them through the workflow, webhooks.

### Authentication / Xác thực
`Authorization: Bearer mc_<prefix>_<secret>` — a key made by `python -m motcua create_api_client`
or in the admin, shown once. A key is scoped to agencies (and their subunits), optionally to
procedures, to scopes (`dossiers:read`, `dossiers:create`, `attachments:read`,
`attachments:write`, `webhooks`, `reports:read`, `payments:read`) and to workflow actions.
Out-of-scope dossiers read as 404.
Each key has a rate limit per minute (429 beyond it); `lookup/{code}` is limited per address.

### Errors / Lỗi
Always `{"error": {"code", "message", "details"}}` with 400 (malformed), 401 (no or bad key),
403 (scope), 404, 405, 409 (illegal transition, stale version, idempotency conflict), 422
(invalid input or a rule of the procedure), 429 (rate limit).

### Idempotency / Chống tạo trùng
`POST /dossiers` accepts `Idempotency-Key`: the same key with the same body returns the first
response again (header `Idempotent-Replayed: true`); the same key with another body is 409
`idempotency_conflict`. Only successful responses are kept (a failed request may be retried).

### Sync / Đồng bộ
`GET /dossiers?updated_since=…` pages in (updated_at, id) order with an opaque `next_cursor`;
keep the last cursor and call again to receive later changes, nothing skipped or repeated.

### Webhooks
Each delivery is a signed `POST`:
`X-Motcua-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, plus
`X-Motcua-Event` and `X-Motcua-Delivery` (stable across retries). Verify in constant time and
refuse a timestamp more than **5 minutes** from now (replay window). Answer 2xx within 10 s; any
other answer is retried with exponential backoff and jitter (≈30 s doubling to 1 h, 12 attempts).
Events of one dossier arrive in order: event n+1 is not sent before event n was acknowledged.
"""


class MotcuaApi(NinjaAPI):
    """NinjaAPI whose every URL answers in the error shape, even for 404/405, and is logged."""

    def _get_urls(self) -> list[URLPattern | URLResolver]:
        urls = [_wrap(pattern) for pattern in super()._get_urls()]
        urls.append(re_path(r"^.*$", _not_found_view, name="api-not-found"))
        return urls


def _error_response(exc: MotcuaError, status: int | None = None) -> JsonResponse:
    body = {
        "error": {
            "code": exc.code,
            "message": str(exc.message),
            "details": _jsonable(exc.details),
        }
    }
    return JsonResponse(
        body, status=status or exc.http_status, json_dumps_params={"ensure_ascii": False}
    )


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def _log_call(request: HttpRequest, status: int, started: float) -> None:
    client = getattr(request, "api_client", None)
    if client is None:
        return
    services.api_call_log(
        client=client,
        method=request.method or "",
        path=request.get_full_path(),
        status=status,
        duration_ms=int((time.monotonic() - started) * 1000),
    )


_JSON_NUL = re.compile(rb"\\u0000", re.IGNORECASE)


def _nul_field(request: HttpRequest) -> str:
    """Where a NUL character hides in the request, if anywhere: no text column can store one
    (PostgreSQL refuses it mid-transaction), so it is refused before any work."""
    if "\x00" in request.path:
        return "path"
    if "\x00" in request.META.get("HTTP_IDEMPOTENCY_KEY", ""):
        return "Idempotency-Key"
    query = request.META.get("QUERY_STRING", "")
    # A NUL in a parameter comes from "%00" or a NUL in the query string: parse only then.
    if "\x00" in query or "%00" in query:
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in v for v in values):
                return f"query.{name.replace(chr(0), '')}"
    if request.content_type == "application/json" and request.method in {"POST", "PUT", "PATCH"}:
        body = request.body
        if b"\x00" in body or _JSON_NUL.search(body):
            return "body"
    return ""


WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _allow_in_error_shape(response: HttpResponse) -> HttpResponse:
    if response.status_code == 405 and not isinstance(response, JsonResponse):
        allow = response.get("Allow", "")
        response = _error_response(MethodNotAllowed(details={"allow": allow}))
        response["Allow"] = allow
    return response


def _wrap(pattern: URLPattern | URLResolver) -> URLPattern | URLResolver:
    if not isinstance(pattern, URLPattern):
        return pattern
    view = pattern.callback

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        started = time.monotonic()
        refused = _nul_field(request)
        if refused:
            return _error_response(InvalidInput(details={refused: "Không được chứa ký tự NUL."}))
        if request.method not in WRITE_METHODS:
            response = _allow_in_error_shape(view(request, *args, **kwargs))
            _log_call(request, response.status_code, started)
            return response
        # A write is one transaction: the services it calls join it without savepoints, and a
        # successful call's log row commits with its work (one commit per request). An error
        # answer undoes everything, then its log row is written on its own.
        with use_case_atomic():
            response = _allow_in_error_shape(view(request, *args, **kwargs))
            if response.status_code < 400:
                if transaction.get_rollback():
                    # A database error was caught inside and the answer claims success: nothing
                    # of it would be saved, so it must not be answered as a success.
                    raise TransactionManagementError("success answered after a failed statement")
                _log_call(request, response.status_code, started)
                return response
            transaction.set_rollback(True)
        _log_call(request, response.status_code, started)
        return response

    wrapped.csrf_exempt = True  # type: ignore[attr-defined]
    pattern.callback = wrapped
    return pattern


def _not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return _error_response(NotFound(details={"path": request.path}))


_not_found_view.csrf_exempt = True  # type: ignore[attr-defined]


api = MotcuaApi(
    title="motcua API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    renderer=RENDERER,
    docs_url="/docs",
    openapi_url="/openapi.json",
)

# --- Error mapping (once) -------------------------------------------------------------------


@api.exception_handler(MotcuaError)
def _domain_error(request: HttpRequest, exc: MotcuaError) -> HttpResponse:
    """Every domain error (dossiers, API, reports) in the one JSON shape."""
    response = _error_response(exc)
    if exc.http_status == 429:
        response["Retry-After"] = "60"
    if exc.http_status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="motcua"'
    return response


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "loc": [str(part) for part in error.get("loc", ())],
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "")),
        }
        for error in exc.errors
    ]
    err = ApiError(details={"errors": errors})
    err.code, err.http_status = "invalid_input", 422
    err.message = "Dữ liệu gửi lên không hợp lệ."
    return _error_response(err)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    from .errors import Unauthenticated

    return _domain_error(request, Unauthenticated())


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    err = ApiError(str(exc))
    err.http_status = exc.status_code
    err.code = {400: "bad_request", 404: "not_found", 429: "rate_limited"}.get(
        exc.status_code, "http_error"
    )
    if exc.status_code == 400:
        err.message = "Yêu cầu không đọc được (JSON hoặc biểu mẫu sai định dạng)."
    return _error_response(err)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error_response(NotFound())


# --- Webhooks -------------------------------------------------------------------------------

webhooks_router = Router(tags=["webhooks"], auth=api_key_auth)


def _webhook(subscription: WebhookSubscription) -> dict[str, Any]:
    return {
        "id": str(subscription.uuid),
        "url": subscription.url,
        "event_types": subscription.event_types,
        "procedures": sorted(p.code for p in subscription.procedures.all()),
        "created_at": subscription.created_at,
    }


@webhooks_router.post(
    "",
    response={201: s.WebhookCreatedOut, **WRITE_ERRORS},
    operation_id="webhook_create",
    openapi_extra={
        "responses": {
            "201": {
                "links": openapi_links(
                    "webhook_id",
                    "$response.body#/id",
                    "webhook_detail",
                    "webhook_deliveries",
                    "webhook_delete",
                )
            }
        }
    },
)
def webhook_create(request: HttpRequest, payload: s.WebhookIn) -> Status:
    """Đăng ký nhận sự kiện; khoá ký chỉ trả về một lần / Subscribe; the secret is shown once."""
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    subscription = services.webhook_subscribe(
        client=client,
        url=payload.url,
        event_types=[t.value for t in payload.event_types],
        procedure_codes=payload.procedures,
    )
    return Status(201, {**_webhook(subscription), "secret": subscription.secret})


@webhooks_router.get("", response={200: list[s.WebhookOut], **ERRORS}, operation_id="webhook_list")
def webhook_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Các đăng ký của khoá này / This key's subscriptions."""
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    require_scope(client, "webhooks")
    return [_webhook(w) for w in selectors.webhook_list_for_client(client=client)]


@webhooks_router.get(
    "/{webhook_id}", response={200: s.WebhookOut, **ERRORS}, operation_id="webhook_detail"
)
def webhook_detail(request: HttpRequest, webhook_id: str) -> dict[str, Any]:
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    require_scope(client, "webhooks")
    return _webhook(selectors.webhook_get_for_client(client=client, subscription_id=webhook_id))


@webhooks_router.delete(
    "/{webhook_id}", response={204: None, **ERRORS}, operation_id="webhook_delete"
)
def webhook_delete(request: HttpRequest, webhook_id: str) -> Status:
    """Huỷ đăng ký / Unsubscribe."""
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    require_scope(client, "webhooks")
    subscription = selectors.webhook_get_for_client(client=client, subscription_id=webhook_id)
    services.webhook_unsubscribe(subscription=subscription)
    return Status(204, None)


@webhooks_router.get(
    "/{webhook_id}/deliveries",
    response={200: list[s.WebhookDeliveryOut], **ERRORS},
    operation_id="webhook_deliveries",
)
def webhook_deliveries(request: HttpRequest, webhook_id: str) -> list[dict[str, Any]]:
    """Nhật ký gửi gần đây / Recent deliveries."""
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    require_scope(client, "webhooks")
    subscription = selectors.webhook_get_for_client(client=client, subscription_id=webhook_id)
    return [
        {
            "id": d.pk,
            "event_type": d.event_type,
            "dossier": d.payload.get("dossier", {}).get("code", ""),
            "seq": d.seq,
            "status": d.status,
            "attempts": d.attempts,
            "next_attempt_at": d.next_attempt_at,
            "last_status_code": d.last_status_code,
            "delivered_at": d.delivered_at,
        }
        for d in selectors.webhook_delivery_list(subscription=subscription)
    ]


# --- Sandbox national portal (demo) ---------------------------------------------------------

sandbox_router = Router(tags=["sandbox / thử nghiệm"])


@sandbox_router.post(
    "/national-portal/dossiers",
    response={200: s.SandboxAckOut, **WRITE_ERRORS},
    auth=None,
    operation_id="sandbox_national_portal",
)
def sandbox_national_portal(request: HttpRequest, payload: s.SandboxRecordIn) -> dict[str, Any]:
    """Cổng DVC quốc gia thử nghiệm: ghi nhận và xác nhận / The demo national portal: records, acks."""
    from .providers.sandbox import sandbox_record

    if not settings.MOTCUA_NATIONAL_PORTAL_SANDBOX:
        raise NotFound()
    token = settings.MOTCUA_NATIONAL_PORTAL_TOKEN
    if token and request.headers.get("Authorization", "") != f"Bearer {token}":
        from .errors import Unauthenticated

        raise Unauthenticated()
    return {"ack": True, "id": sandbox_record(payload.model_dump(mode="json"))}


# Each app's routers, in the order of the OpenAPI document.
api.add_router("procedures", procedures_router)
api.add_router("dossiers", dossiers_router)
api.add_router("dossiers", result_router)
api.add_router("verify", verify_router)
api.add_router("lookup", lookup_router)
api.add_router("webhooks", webhooks_router)
api.add_router("sandbox", sandbox_router)
api.add_router("reports", reports_router)
api.add_router("stats", stats_router)
api.add_router("payments", payments_router)
api.add_router("postal", postal_router)
api.add_router("notifications", notifications_router)
