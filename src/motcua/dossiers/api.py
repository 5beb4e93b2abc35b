"""API v1 routers of the dossiers: `dossiers` (create, list for synchronisation, read, workflow
actions, attachments, national-portal sync state; a key scoped to agencies, scopes and actions)
and the public `lookup/{code}`. Endpoints stay thin: the integration services check the key's
scope and call the same dossier services as the pages. Mounted by motcua.integration.api."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Header, Query, Router, Status
from ninja.files import UploadedFile

from motcua.integration import schemas as s
from motcua.integration import selectors, services
from motcua.integration.apikit import (
    ERRORS,
    WRITE_ERRORS,
    json_response,
    jsonable,
    openapi_links,
    require_scope,
)
from motcua.integration.auth import api_key_auth, public_rate_limit
from motcua.integration.errors import InvalidInput, NotFound
from motcua.integration.models import ApiClient
from motcua.integration.schemas import AttachmentKindEnum, StatusEnum

from .constants import DossierStatus
from .models import Dossier
from .selectors import dossier_lookup_public
from .services import Applicant
from .uploads import download_response
from .workflow import available_actions


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


def _invoices(dossier: Dossier, client: ApiClient, *, new: bool) -> list[dict[str, Any]]:
    from motcua.payments.api import invoice_out
    from motcua.payments.selectors import invoices_of_dossier

    if new or "payments:read" not in client.scopes:
        return []
    return [invoice_out(invoice) for invoice in invoices_of_dossier(dossier_id=dossier.pk)]


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
            "invoices": _invoices(dossier, client, new=new),
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


dossiers_router = Router(tags=["dossiers / hồ sơ"], auth=api_key_auth)


@dossiers_router.post(
    "",
    response={200: s.DossierDetailOut, 201: s.DossierDetailOut, **WRITE_ERRORS},
    operation_id="dossier_create",
    openapi_extra={
        "responses": {
            "201": {
                "links": openapi_links(
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
    require_scope(client, "dossiers:create")

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
        return 201, jsonable(dossier_detail_out(dossier, client, new=new))

    result = services.idempotent_run(
        client=client,
        key=idempotency_key,
        fingerprint=services.request_fingerprint(payload.model_dump(mode="json")),
        run=run,
    )
    if result.replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(result.status, result.body)


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
    require_scope(client, "dossiers:read")
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
    require_scope(client, "dossiers:read")
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
    require_scope(client, "attachments:write")
    dossier = selectors.dossier_get_for_client(client=client, code=code)
    content = file.read(settings.MOTCUA_MAX_UPLOAD_BYTES + 1)
    attachment = services.attachment_add_for_client(
        client=client,
        dossier=dossier,
        kind=AttachmentKindEnum(kind).value,  # the default comes as its text
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
    require_scope(client, "attachments:read")
    attachment = selectors.attachment_get_for_client(
        client=client, code=code, attachment_id=attachment_id
    )
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise NotFound(details={"attachment": attachment_id}) from exc
    response = download_response(
        handle, filename=attachment.original_name, content_type=attachment.content_type
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
    require_scope(client, "dossiers:read")
    dossier = selectors.dossier_get_for_client(client=client, code=code)
    state = getattr(dossier, "national_sync", None)
    return {
        "dossier": dossier.code,
        "status": state.status if state else "pending",
        "acked_version": state.acked_version if state else 0,
        "synced_at": state.synced_at if state else None,
        "attempts": state.attempts if state else 0,
    }


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
    return json_response(request, body)
