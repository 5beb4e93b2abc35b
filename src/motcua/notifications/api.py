"""API v1 router `notifications`: the SMS and Zalo providers' delivery callbacks (public,
authenticated by each provider's signature, docs/NOTIFICATIONS.md §6). Mounted by
motcua.integration.api."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from ninja import Router

from motcua.integration import schemas as s

from .callbacks import callback_receive

notifications_router = Router(tags=["notifications / thông báo"])


@notifications_router.post(
    "/callback/{provider}",
    response={
        200: dict,
        400: s.ErrorOut,
        401: s.ErrorOut,
        403: s.ErrorOut,
        404: s.ErrorOut,
        503: s.ErrorOut,
    },
    operation_id="notifications_callback",
    auth=None,
)
def notifications_callback(request: HttpRequest, provider: str) -> JsonResponse:
    """Báo cáo trạng thái gửi tin / A provider's delivery report.

    `provider` is `brandname` (SMS), `zalo_zns` or `sandbox`. Brandname and sandbox: JSON
    {`message_id`, `request_id`, `status` (sent, delivered, failed), `at` (ISO 8601 with a zone),
    `error`?} signed `X-Signature: <hex HMAC-SHA256(secret, raw body)>`. Zalo: its webhook,
    `X-ZEvent-Signature: mac=<hex SHA-256(app_id + raw body + timestamp + OA secret)>`. A missing
    signature is 401, a wrong one 403, and neither keeps anything. `200` with `result`:
    `applied` (the message's status moved), `ignored` (an older or repeated status: nothing
    changes), `unmatched` (no message of ours: kept, so the provider may stop), `duplicate` (this
    callback was received before).
    """
    answer = callback_receive(provider=provider, request=request)
    return JsonResponse(answer.body, status=answer.http_status)
