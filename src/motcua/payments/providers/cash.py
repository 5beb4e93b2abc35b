"""Cash at the desk: the reception officer records it with the paper receipt's number."""

from __future__ import annotations

from .base import Checkout, PaymentProvider
from .registry import register


@register
class CashProvider(PaymentProvider):
    id = "cash"
    name = "Nộp tiền mặt tại bộ phận một cửa"
    online = False

    def checkout(self, *, invoice, account, attempt, return_url, client_ip, moment) -> Checkout:
        unit = account.unit
        return Checkout(
            "desk",
            details={"unit": unit.name, "address": unit.address, "phone": unit.phone},
        )
