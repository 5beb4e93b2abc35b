"""API v1 router `postal`: the operators' status callbacks (public, authenticated by their
signature, docs/POSTAL.md §4). Mounted by motcua.integration.api."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from ninja import Router

from motcua.integration import schemas as s

from . import services
from .providers.base import SIGNATURE_HEADER

postal_router = Router(tags=["postal / bưu chính"])


@postal_router.post(
    "/callback/{provider}",
    response={
        200: dict,
        202: dict,
        400: s.ErrorOut,
        401: s.ErrorOut,
        404: s.ErrorOut,
        409: s.ErrorOut,
        503: s.ErrorOut,
    },
    operation_id="postal_callback",
    auth=None,
)
def postal_callback(request: HttpRequest, provider: str) -> JsonResponse:
    """Thông báo trạng thái bưu gửi / An operator's status callback.

    Body: JSON with `tracking_number`, `status` (created, accepted, picked_up, in_transit,
    delivered, returned_to_sender, lost, cancelled), `at` (ISO 8601 with a zone), optional
    `note`. Header `X-Postal-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
    "<t>.<raw body>")>`, at most 5 minutes old. `202` kept and applied by the worker; `200`
    `duplicate`: a status the parcel already had; errors are JSON and change nothing.
    """
    answer = services.callback_receive(
        provider=provider,
        body=request.body,
        signature=request.headers.get(SIGNATURE_HEADER, ""),
    )
    return JsonResponse(answer.body, status=answer.http_status)
