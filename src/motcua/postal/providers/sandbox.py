"""The sandbox operator motcua serves itself (development, the demo and the tests): orders are
taken at once with an S10 tracking number; a person moves the parcel on /buu-chinh/thu-nghiem/
and the sandbox calls back exactly as an operator does, signed with MOTCUA_POSTAL_SANDBOX_SECRET."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

from ..errors import OrderFailed
from ..tracking import s10_new
from .base import OrderPlaced, PostalProvider
from .registry import register

if TYPE_CHECKING:
    from ..models import PostalAccount, Shipment


@register
class SandboxPostal(PostalProvider):
    id = "sandbox"
    name = "Bưu điện thử nghiệm"

    def order_create(self, *, shipment: Shipment, account: PostalAccount) -> OrderPlaced:
        if not settings.MOTCUA_POSTAL_SANDBOX:
            raise OrderFailed(details={"provider": self.id, "reason": "sandbox disabled"})
        from ..models import Shipment

        # An operator never gives a number twice: draw again the rare one already given (eight
        # random digits meet again after some thousands of parcels).
        number = s10_new()
        while Shipment.objects.filter(provider=self.id, tracking_number=number).exists():
            number = s10_new()
        return OrderPlaced(tracking_number=number, order_id=f"SB-{number}")

    def order_cancel(self, *, shipment: Shipment, account: PostalAccount) -> None:
        return None

    def callback_secret(self) -> str:
        return settings.MOTCUA_POSTAL_SANDBOX_SECRET if settings.MOTCUA_POSTAL_SANDBOX else ""
