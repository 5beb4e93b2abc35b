"""API v1 routers of the e-results: the public `POST /verify` (a PDF, multipart, rate limited
per address) and `GET /dossiers/{code}/result` (the signed result, to a key in scope).
Mounted by motcua.integration.api."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile

from motcua.dossiers.uploads import download_response
from motcua.integration import selectors as integration_selectors
from motcua.integration.apikit import ERRORS, json_response, require_scope
from motcua.integration.auth import api_key_auth, public_rate_limit
from motcua.integration.errors import InvalidInput, NotFound
from motcua.integration.models import ApiClient

from .constants import DownloadChannel
from .schemas import VerifyOut
from .selectors import result_current_of_dossier
from .services import result_download_record
from .verification import result_verify_file

verify_router = Router(tags=["results / kết quả điện tử"])
result_router = Router(auth=api_key_auth, tags=["results / kết quả điện tử"])

NOT_PDF = "Chỉ kiểm tra được tệp PDF (tệp kết quả điện tử đã ký số)."


@verify_router.post(
    "", response={200: VerifyOut, **ERRORS}, auth=None, operation_id="result_verify"
)
def verify(
    request: HttpRequest,
    file: File[UploadedFile],
    code: str | None = Form(
        None, max_length=64, description="Mã kết quả điện tử (không bắt buộc) / E-result code"
    ),
) -> HttpResponse:
    """Kiểm tra một tệp kết quả / Verify a result file: signature, issued hash, version, audit."""
    public_rate_limit(request)
    limit = settings.MOTCUA_MAX_UPLOAD_BYTES
    content = file.read(limit + 1)
    if len(content) > limit:
        raise InvalidInput(
            f"Tệp vượt quá dung lượng cho phép ({limit // (1024 * 1024)} MB).",
            details={"max_bytes": limit},
        )
    if not content.startswith(b"%PDF-"):
        raise InvalidInput(NOT_PDF, details={"file": file.name or ""})
    verdict = result_verify_file(content=content, code=code)
    return json_response(request, verdict.as_json())


@result_router.get(
    "/{code}/result",
    response={200: None, **ERRORS},
    openapi_extra={
        "responses": {
            "200": {
                "description": "Kết quả đã ký số (PDF) / The signed result (PDF)",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
    operation_id="dossier_result",
)
def dossier_result(
    request: HttpRequest,
    code: str,
    result: str | None = Query(
        None, max_length=64, description="Mã kết quả (mặc định: kết quả hiện hành đầu tiên)"
    ),
) -> HttpResponse:
    """Tải kết quả điện tử đã ký số / Download the dossier's signed result (each download recorded)."""
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    require_scope(client, "dossiers:read")
    dossier = integration_selectors.dossier_get_for_client(client=client, code=code)
    document = result_current_of_dossier(dossier=dossier, code=result)
    if document is None:
        raise NotFound(details={"code": code, "result": result})
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise NotFound(details={"result": document.code}) from exc
    result_download_record(
        result=document,
        channel=DownloadChannel.API,
        api_client=client,
        address=request.META.get("REMOTE_ADDR", ""),
    )
    response = download_response(
        handle, filename=document.file_name, content_type="application/pdf"
    )
    response["X-Content-SHA256"] = document.sha256
    response["X-Result-Code"] = document.code
    return response
