"""Integration API v1 at /api/v1/: one NinjaAPI, one router per area; endpoints stay thin.

Other apps add their routers here (`api.add_router("reports/", reports_router)`) so the whole
API shares one OpenAPI document, one authentication and one error shape.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import math
import re
import time
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction
from django.db.transaction import TransactionManagementError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, re_path
from ninja import File, Form, Header, NinjaAPI, Query, Router, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.files import UploadedFile
from ninja.renderers import JSONRenderer

from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_lookup_public
from motcua.dossiers.services import Applicant
from motcua.dossiers.services.base import use_case_atomic
from motcua.dossiers.workflow import available_actions
from motcua.errors import MotcuaError
from motcua.portal.selectors import (
    SearchFilters,
    procedure_get_published,
    procedure_search_queryset,
)
from motcua.reports.api import reports_router, stats_router

from . import schemas as s
from . import selectors, services
from .auth import api_key_auth, public_rate_limit
from .errors import ApiError, InvalidInput, MethodNotAllowed, NotFound, ScopeDenied
from .models import ApiClient, WebhookSubscription
from .schemas import AttachmentKindEnum, StatusEnum

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
`attachments:write`, `webhooks`) and to workflow actions. Out-of-scope dossiers read as 404.
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


class VietnameseJSONRenderer(JSONRenderer):
    """Vietnamese stays readable in the JSON (UTF-8, not \\u escapes)."""

    json_dumps_params = {"ensure_ascii": False}


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
    renderer=VietnameseJSONRenderer(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)

# Every operation may answer these (422: a parameter or body that does not validate).
ERRORS = {
    400: s.ErrorOut,
    401: s.ErrorOut,
    403: s.ErrorOut,
    404: s.ErrorOut,
    422: s.ErrorOut,
    429: s.ErrorOut,
}
WRITE_ERRORS = {**ERRORS, 409: s.ErrorOut}


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


# --- Presentation helpers -------------------------------------------------------------------


def _step(step: Any) -> dict[str, Any]:
    return {
        "order": step.order,
        "name": step.name,
        "unit": step.unit.code,
        "started_at": step.started_at,
        "due_at": step.due_at,
        "finished_at": step.finished_at,
        "timing": step.timing,
        "note": step.note,
    }


def dossier_out(dossier: Dossier) -> dict[str, Any]:
    return {
        "code": dossier.code,
        "external_code": dossier.external_code,
        "procedure": {"code": dossier.procedure.code, "name": dossier.procedure.name},
        "agency": {"code": dossier.receiving_unit.code, "name": dossier.receiving_unit.name},
        "channel": dossier.channel,
        "status": dossier.status,
        "status_label": str(dossier.get_status_display()),
        "version": dossier.version,
        "applicant_name": dossier.applicant_name,
        "submitted_at": dossier.submitted_at,
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "finished_at": dossier.finished_at,
        "returned_at": dossier.returned_at,
        "timing": dossier.timing,
        "fee_total": dossier.fee_total,
        "paid_online": dossier.paid_online,
        "is_digitised": dossier.is_digitised,
        "has_e_result": dossier.has_e_result,
        "created_at": dossier.created_at,
        "updated_at": dossier.updated_at,
    }


def _attachment(attachment: Any) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "kind": attachment.kind,
        "name": attachment.original_name,
        "size": attachment.size,
        "content_type": attachment.content_type,
        "sha256": attachment.sha256,
        "created_at": attachment.created_at,
    }


def dossier_detail_out(dossier: Dossier, client: ApiClient, *, new: bool = False) -> dict[str, Any]:
    """`new`: created in this request without documents, so no steps (they begin with `start`)
    and no attachments to read."""
    data = dossier_out(dossier)
    steps = [] if new else list(dossier.steps.select_related("unit").order_by("order", "id"))
    attachments = [] if new else list(dossier.attachments.order_by("id"))
    current = next((st for st in steps if st.pk == dossier.current_step_id), None)
    allowed = set(client.allowed_actions)
    data.update(
        {
            "current_step": _step(current) if current else None,
            "steps": [_step(st) for st in steps],
            "attachments": [_attachment(a) for a in attachments],
            "available_actions": [
                str(t.action)
                for t in available_actions(user=client.user, dossier=dossier)
                if t.action in allowed
            ],
        }
    )
    return data


def _documents(items: list[s.DocumentIn]) -> tuple[services.UploadedDocument, ...]:
    return tuple(
        services.UploadedDocument(
            name=item.name,
            content=services.decode_base64(item.content_base64, field_name=f"documents[{i}]"),
            required_document=item.required_document,
        )
        for i, item in enumerate(items)
    )


ISO_DATETIME = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$"


def _parse_datetime(value: str, name: str) -> dt.datetime:
    """ISO 8601 only (no Unix numbers); without an offset it is Vietnam time."""
    from django.utils import timezone

    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidInput(details={name: "Thời điểm ISO 8601 không hợp lệ."}) from exc
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _require(client: ApiClient, scope: str) -> None:
    if scope not in client.scopes:
        raise ScopeDenied(details={"scope": scope})


def _links(parameter: str, source: str, *operations: str) -> dict[str, Any]:
    """OpenAPI links: where a created resource's id goes next (schemathesis follows them)."""
    return {op: {"operationId": op, "parameters": {parameter: source}} for op in operations}


# --- Procedures (public) --------------------------------------------------------------------

procedures_router = Router(tags=["procedures / thủ tục"])
PROCEDURE_PAGE_SIZE = 20


def _procedure(procedure: Any) -> dict[str, Any]:
    return {
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field.name,
        "gov_level": procedure.gov_level,
        "online_level": procedure.online_level,
        "mode": procedure.mode,
        "processing_time": procedure.processing_time,
        "time_unit": procedure.time_unit,
    }


@procedures_router.get(
    "", response={200: s.ProcedurePageOut, **ERRORS}, auth=None, operation_id="procedure_list"
)
def procedure_list(
    request: HttpRequest,
    q: str = Query("", max_length=200, description="Từ khoá, không dấu cũng được / Search words"),
    field: str = Query("", max_length=32, description="Mã lĩnh vực / Field code"),
    agency: str = Query("", max_length=32, description="Mã cơ quan / Agency code"),
    gov_level: str = Query("", max_length=16, description="province / district / commune"),
    online_level: int | None = Query(None, ge=1, le=4, description="Mức độ 1–4 / Online level"),
    page: int = Query(1, ge=1, le=100000, description="Trang / Page"),
) -> dict[str, Any]:
    """Tìm thủ tục như trên cổng (không phân biệt dấu) / Search the catalogue as the portal does."""
    filters = SearchFilters(
        q=q, field=field, agency=agency, gov_level=gov_level, online_level=online_level
    )
    qs = procedure_search_queryset(filters=filters).select_related("field")
    if agency:
        qs = qs.distinct()
    paginator = Paginator(qs, PROCEDURE_PAGE_SIZE)
    current = paginator.get_page(page)
    return {
        "items": [_procedure(p) for p in current.object_list],
        "count": paginator.count,
        "page": current.number,
        "pages": max(1, math.ceil(paginator.count / PROCEDURE_PAGE_SIZE)),
    }


@procedures_router.get(
    "/{code}",
    response={200: s.ProcedureDetailOut, **ERRORS},
    auth=None,
    operation_id="procedure_detail",
)
def procedure_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    """Một thủ tục đã công khai / One published procedure."""
    procedure = procedure_get_published(code=code)
    if procedure is None:
        raise NotFound(details={"procedure": code})
    data = _procedure(procedure)
    data.update(
        {
            "steps": procedure.steps,
            "methods": procedure.methods,
            "applicants": procedure.applicants,
            "requirements": procedure.requirements,
            "result": procedure.result,
            "legal_basis": procedure.legal_basis,
            "accepts_postal_pickup": procedure.accepts_postal_pickup,
            "accepts_postal_return": procedure.accepts_postal_return,
            "agencies": [u.code for u in procedure.performing_units.all()],
            "fees": [
                {"name": f.name, "amount": f.amount, "online_amount": f.online_amount}
                for f in procedure.fees.all()
            ],
            "required_documents": [
                {
                    "id": d.pk,
                    "name": d.name,
                    "originals": d.originals,
                    "copies": d.copies,
                    "mandatory": d.mandatory,
                }
                for d in procedure.required_documents.all()
            ],
        }
    )
    return data


# --- Dossiers (API clients) -----------------------------------------------------------------

dossiers_router = Router(tags=["dossiers / hồ sơ"], auth=api_key_auth)


@dossiers_router.post(
    "",
    response={200: s.DossierDetailOut, 201: s.DossierDetailOut, **WRITE_ERRORS},
    operation_id="dossier_create",
    openapi_extra={
        "responses": {
            "201": {
                "links": _links(
                    "code",
                    "$response.body#/code",
                    "dossier_detail",
                    "dossier_action",
                    "attachment_upload",
                    "dossier_national_sync",
                    "lookup",
                )
            }
        }
    },
)
def dossier_create(
    request: HttpRequest,
    response: HttpResponse,
    payload: s.DossierCreateIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        max_length=255,
        description="Khoá chống tạo trùng / Makes retries safe",
    ),
) -> Status:
    """Tiếp nhận hồ sơ từ kênh khác / Create a dossier arriving from another channel."""
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    _require(client, "dossiers:create")

    def run() -> tuple[int, dict[str, Any]]:
        applicant = payload.applicant
        dossier = services.dossier_create_for_client(
            client=client,
            request=services.DossierCreateRequest(
                procedure_code=payload.procedure,
                agency_code=payload.agency,
                channel=payload.channel.value,
                applicant=Applicant(
                    name=applicant.name,
                    kind=applicant.kind.value,
                    citizen_id=applicant.citizen_id,
                    phone=applicant.phone,
                    email=applicant.email,
                    address=applicant.address,
                    tax_code=applicant.tax_code,
                    organisation=applicant.organisation,
                ),
                form_data=payload.form_data,
                result_delivery=payload.result_delivery.value,
                external_code=payload.external_code,
                documents=_documents(payload.documents),
            ),
        )
        new = not payload.documents and dossier.current_step_id is None
        return 201, _jsonable_dt(dossier_detail_out(dossier, client, new=new))

    result = services.idempotent_run(
        client=client,
        key=idempotency_key,
        fingerprint=services.request_fingerprint(payload.model_dump(mode="json")),
        run=run,
    )
    if result.replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(result.status, result.body)


def _jsonable_dt(data: dict[str, Any]) -> dict[str, Any]:
    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


@dossiers_router.get("", response={200: s.DossierPageOut, **ERRORS}, operation_id="dossier_list")
def dossier_list(
    request: HttpRequest,
    agency: str | None = Query(None, max_length=32, description="Mã cơ quan / Agency code"),
    procedure: str | None = Query(None, max_length=40, description="Mã thủ tục / Procedure"),
    status: StatusEnum | None = Query(None, description="Trạng thái / Status"),  # noqa: B008
    updated_since: str | None = Query(
        None,
        pattern=ISO_DATETIME,
        description="Chỉ hồ sơ thay đổi sau thời điểm này (ISO 8601) / Changed after (ISO 8601)",
        examples=["2025-07-14T08:00:00+07:00"],
    ),
    cursor: str | None = Query(None, max_length=500, description="next_cursor của trang trước"),
    limit: int = Query(50, ge=1, le=100, description="Số hồ sơ mỗi trang / Page size"),
) -> dict[str, Any]:
    """Hồ sơ trong phạm vi, để đồng bộ / Dossiers in scope, for synchronisation."""
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    _require(client, "dossiers:read")
    since = _parse_datetime(updated_since, "updated_since") if updated_since else None
    page = selectors.dossier_list_for_client(
        client=client,
        agency=agency,
        procedure=procedure,
        status=status.value if status else None,
        updated_since=since,
        cursor=cursor,
        limit=limit,
    )
    return {
        "items": [dossier_out(d) for d in page.items],
        "next_cursor": page.next_cursor,
        "has_more": page.has_more,
    }


@dossiers_router.get(
    "/{code}", response={200: s.DossierDetailOut, **ERRORS}, operation_id="dossier_detail"
)
def dossier_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    """Một hồ sơ trong phạm vi / One dossier in scope."""
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    _require(client, "dossiers:read")
    return dossier_detail_out(selectors.dossier_get_for_client(client=client, code=code), client)


@dossiers_router.post(
    "/{code}/actions/{action}",
    response={200: s.DossierDetailOut, **WRITE_ERRORS},
    operation_id="dossier_action",
)
def dossier_action(
    request: HttpRequest,
    code: str,
    action: s.ActionEnum,  # type: ignore[valid-type]
    payload: s.ActionIn,
) -> dict[str, Any]:
    """Chuyển trạng thái theo bảng quy trình / Run a workflow action, same rules as the UI."""
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    dossier = selectors.dossier_get_for_client(client=client, code=code)
    values = payload.model_dump(exclude={"expected_version", "documents"}, exclude_none=True)
    if "delivery" in values:
        values["delivery"] = payload.delivery.value
    dossier = services.dossier_act_for_client(
        client=client,
        dossier=dossier,
        action=action.value,
        values=values,
        documents=_documents(payload.documents),
        expected_version=payload.expected_version,
    )
    return dossier_detail_out(dossier, client)


@dossiers_router.post(
    "/{code}/attachments",
    response={201: s.AttachmentOut, **WRITE_ERRORS},
    operation_id="attachment_upload",
)
def attachment_upload(
    request: HttpRequest,
    code: str,
    file: File[UploadedFile],
    kind: AttachmentKindEnum = Form(  # noqa: B008
        "scan", description="Loại tệp / Kind"
    ),
    required_document: int | None = Form(
        None, ge=1, le=2**62, description="Thành phần hồ sơ (id) / Required document"
    ),
) -> Status:
    """Đính kèm tệp (kiểm tra nội dung, dung lượng, tên) / Attach a checked file."""
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    _require(client, "attachments:write")
    dossier = selectors.dossier_get_for_client(client=client, code=code)
    content = file.read(settings.MOTCUA_MAX_UPLOAD_BYTES + 1)
    attachment = services.attachment_add_for_client(
        client=client,
        dossier=dossier,
        kind=kind.value,
        document=services.UploadedDocument(
            name=file.name or "tep", content=content, required_document=required_document
        ),
    )
    return Status(201, _attachment(attachment))


@dossiers_router.get(
    "/{code}/attachments/{attachment_id}",
    response={200: None, **ERRORS},
    openapi_extra={
        "responses": {
            "200": {
                "description": "Nội dung tệp / The file",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
    operation_id="attachment_download",
)
def attachment_download(request: HttpRequest, code: str, attachment_id: int) -> HttpResponse:
    """Tải tệp đính kèm (truyền theo luồng) / Download an attachment (streamed)."""
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    _require(client, "attachments:read")
    attachment = selectors.attachment_get_for_client(
        client=client, code=code, attachment_id=attachment_id
    )
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise NotFound(details={"attachment": attachment_id}) from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-SHA256"] = attachment.sha256
    return response


@dossiers_router.get(
    "/{code}/national-sync",
    response={200: s.SyncStateOut, **ERRORS},
    operation_id="dossier_national_sync",
)
def dossier_national_sync(request: HttpRequest, code: str) -> dict[str, Any]:
    """Trạng thái đồng bộ Cổng DVC quốc gia / National portal sync state of the dossier."""
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    _require(client, "dossiers:read")
    dossier = selectors.dossier_get_for_client(client=client, code=code)
    state = getattr(dossier, "national_sync", None)
    return {
        "dossier": dossier.code,
        "status": state.status if state else "pending",
        "acked_version": state.acked_version if state else 0,
        "synced_at": state.synced_at if state else None,
        "attempts": state.attempts if state else 0,
    }


# --- Public lookup --------------------------------------------------------------------------

lookup_router = Router(tags=["lookup / tra cứu"])
STATUS_LABELS = dict(DossierStatus.choices)


@lookup_router.get(
    "/{code}", response={200: s.LookupOut, **ERRORS}, auth=None, operation_id="lookup"
)
def lookup(request: HttpRequest, code: str) -> HttpResponse:
    """Tra cứu công khai như trang tra cứu: trạng thái và ngày hẹn / Status and appointment."""
    public_rate_limit(request)
    dossier = dossier_lookup_public(code=code)
    if dossier is None:
        raise NotFound(details={"code": code})
    # Four fields of known types: rendered as LookupOut would render them, without validating
    # our own answer through the schema on the hottest public call (tests compare the two).
    body = {
        "code": dossier.code,
        "status": dossier.status,
        "status_label": str(STATUS_LABELS.get(dossier.status, dossier.status)),
        "appointment_at": dossier.due_at,
    }
    return api.create_response(request, body, status=200)


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
                "links": _links(
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
    _require(client, "webhooks")
    return [_webhook(w) for w in selectors.webhook_list_for_client(client=client)]


@webhooks_router.get(
    "/{webhook_id}", response={200: s.WebhookOut, **ERRORS}, operation_id="webhook_detail"
)
def webhook_detail(request: HttpRequest, webhook_id: str) -> dict[str, Any]:
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    _require(client, "webhooks")
    return _webhook(selectors.webhook_get_for_client(client=client, subscription_id=webhook_id))


@webhooks_router.delete(
    "/{webhook_id}", response={204: None, **ERRORS}, operation_id="webhook_delete"
)
def webhook_delete(request: HttpRequest, webhook_id: str) -> Status:
    """Huỷ đăng ký / Unsubscribe."""
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    _require(client, "webhooks")
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
    _require(client, "webhooks")
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


api.add_router("procedures", procedures_router)
api.add_router("dossiers", dossiers_router)
api.add_router("lookup", lookup_router)
api.add_router("webhooks", webhooks_router)
api.add_router("sandbox", sandbox_router)
api.add_router("reports", reports_router)
api.add_router("stats", stats_router)
