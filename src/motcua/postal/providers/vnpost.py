"""The national postal operator's style of API (docs/POSTAL.md §3): JSON over HTTPS with a
bearer token per agency contract; status callbacks signed with the province's shared secret."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import requests
from django.conf import settings

from ..errors import OrderFailed
from ..tracking import s10_valid
from .base import OrderPlaced, PostalProvider
from .registry import register

if TYPE_CHECKING:
    from ..models import PostalAccount, Shipment

SERVICE_CODE = "HCC"  # bưu chính công ích: dịch vụ hành chính công


def order_body(shipment: Shipment, account: PostalAccount) -> dict[str, Any]:
    """The order as the operator's API takes it: who sends, who receives, what, and COD."""
    person = {
        "name": shipment.person_name,
        "phone": shipment.person_phone,
        "address": shipment.person_street,
        "ward_code": shipment.person_ward_code,
        "province_code": shipment.person_province_code,
    }
    agency = {
        "name": shipment.agency_name,
        "phone": shipment.agency_phone,
        "address": shipment.agency_address,
    }
    pickup = shipment.kind == "pickup"
    return {
        "customer_code": account.customer_code,
        "reference": f"MC{shipment.pk}",
        "service": SERVICE_CODE,
        "sender": person if pickup else agency,
        "receiver": agency if pickup else person,
        "weight_class": shipment.weight_class,
        "cod_amount": shipment.cod_amount,
        "content": (
            f"Hồ sơ TTHC {shipment.dossier.code}"
            if pickup
            else f"Kết quả TTHC {shipment.dossier.code}"
        ),
    }


@register
class VnpostPostal(PostalProvider):
    id = "vnpost"
    name = "Tổng công ty Bưu điện Việt Nam"

    def _post(self, account: PostalAccount, path: str, body: dict[str, Any]) -> dict[str, Any]:
        base = (account.api_url or settings.MOTCUA_POSTAL_VNPOST_URL).rstrip("/")
        if not base.lower().startswith(("http://", "https://")) or not account.token:
            raise OrderFailed(details={"provider": self.id, "reason": "not configured"})
        try:
            response = requests.post(
                f"{base}{path}",
                data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
                headers={
                    "Authorization": f"Bearer {account.token}",
                    "Content-Type": "application/json; charset=utf-8",
                },
                timeout=settings.MOTCUA_POSTAL_TIMEOUT,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            raise OrderFailed(details={"provider": self.id, "reason": type(exc).__name__}) from exc
        if not 200 <= response.status_code < 300:
            raise OrderFailed(
                details={
                    "provider": self.id,
                    "status": response.status_code,
                    "reason": response.text[:300],
                }
            )
        try:
            answer = response.json()
        except ValueError as exc:
            raise OrderFailed(details={"provider": self.id, "reason": "not JSON"}) from exc
        return answer if isinstance(answer, dict) else {}

    def order_create(self, *, shipment: Shipment, account: PostalAccount) -> OrderPlaced:
        answer = self._post(account, "/orders", order_body(shipment, account))
        number = str(answer.get("tracking_number", "")).strip().upper()
        if not s10_valid(number):
            raise OrderFailed(details={"provider": self.id, "tracking_number": number})
        return OrderPlaced(tracking_number=number, order_id=str(answer.get("order_id", ""))[:40])

    def order_cancel(self, *, shipment: Shipment, account: PostalAccount) -> None:
        self._post(account, f"/orders/{shipment.order_id or shipment.tracking_number}/cancel", {})

    def callback_secret(self) -> str:
        return settings.MOTCUA_POSTAL_VNPOST_SECRET
