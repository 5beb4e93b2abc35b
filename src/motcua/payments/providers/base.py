"""What a payment provider does: tell the citizen how to pay one invoice, and (for a gateway)
read what its server-to-server callback says."""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..models import Invoice, PaymentAccount


@dataclass(frozen=True)
class Checkout:
    """How the citizen pays: `redirect` to a gateway, scan a `qr`, or come to the `desk`."""

    kind: str
    redirect_url: str = ""
    qr_payload: str = ""
    details: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CallbackFacts:
    """A callback as the provider's protocol reads it, before anything is looked up or changed.

    `reference` is the invoice reference (the attempt suffix removed), `amount` in đồng.
    """

    reference: str
    amount: int | None
    provider_txn: str
    success: bool
    currency: str = "VND"
    merchant: str = ""
    paid_at: dt.datetime | None = None
    detail: str = ""


class PaymentProvider(ABC):
    """One way of paying, keyed by a short id in the registry (docs/PAYMENTS.md)."""

    id: str = ""
    name: str = ""
    # The citizen pays without coming to the desk (counts as "paid online" in the reports).
    online: bool = True

    @abstractmethod
    def checkout(
        self,
        *,
        invoice: Invoice,
        account: PaymentAccount,
        attempt: int,
        return_url: str,
        client_ip: str,
        moment: dt.datetime,
    ) -> Checkout:
        """What to show or where to send the citizen for this attempt."""

    def callback_read(self, *, params: Mapping[str, str]) -> CallbackFacts:
        """The facts of a callback; raises CallbackRejected for a malformed one."""
        raise NotImplementedError(f"{self.id} sends no callbacks")

    def callback_authentic(self, *, params: Mapping[str, str], account: PaymentAccount) -> bool:
        """Whether the callback was signed with this account's secret (constant time)."""
        raise NotImplementedError(f"{self.id} sends no callbacks")


class CallbackRejected(Exception):
    """A callback that cannot be read (missing or malformed fields)."""
