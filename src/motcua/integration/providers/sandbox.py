"""The demo's national portal: records what it receives in this database and acknowledges it.

The same recording backs the HTTP sandbox receiver (POST /api/v1/sandbox/national-portal/dossiers),
so the "http" provider can be pointed at this very site to show the whole round trip.
"""

from __future__ import annotations

from typing import Any

from .base import NationalPortalProvider, PushResult
from .registry import register


def sandbox_record(payload: dict[str, Any]) -> int:
    from ..models import NationalPortalReceipt

    receipt = NationalPortalReceipt.objects.create(
        dossier_code=str(payload.get("MaHoSo", ""))[:48], payload=payload
    )
    return receipt.pk


@register
class SandboxNationalPortal(NationalPortalProvider):
    id = "sandbox"
    name = "Cổng DVC quốc gia thử nghiệm (ghi vào cơ sở dữ liệu)"

    def push(self, payload: dict[str, Any]) -> PushResult:
        receipt_id = sandbox_record(payload)
        return PushResult(True, status_code=200, response=f'{{"ack": true, "id": {receipt_id}}}')
