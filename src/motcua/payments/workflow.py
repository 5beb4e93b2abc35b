"""The invoice's state table as data (docs/PAYMENTS.md §2): the services read it, never `if` chains."""

from __future__ import annotations

from dataclasses import dataclass

from .constants import InvoiceStatus as S
from .errors import InvoiceStateError


@dataclass(frozen=True)
class InvoiceTransition:
    sources: frozenset[str]
    action: str
    target: str
    notes: str = ""


# Not paid yet and still owed (an expired attempt may be started again or paid late).
_UNPAID = frozenset({S.CREATED, S.PENDING, S.FAILED, S.EXPIRED})

TRANSITIONS: tuple[InvoiceTransition, ...] = (
    InvoiceTransition(_UNPAID, "start", S.PENDING, "the citizen chose a gateway or VietQR"),
    # Money that arrives is never refused: late (after expiry) it still pays the invoice.
    InvoiceTransition(_UNPAID, "pay", S.PAID, "callback, statement line or cash"),
    InvoiceTransition(frozenset({S.PENDING}), "fail", S.FAILED, "the gateway says it failed"),
    InvoiceTransition(frozenset({S.PENDING}), "expire", S.EXPIRED, "the attempt timed out"),
    InvoiceTransition(_UNPAID, "cancel", S.CANCELLED, "withdrawn, refused, waived"),
    # Money for an invoice cancelled meanwhile (the dossier was withdrawn): to be returned.
    InvoiceTransition(frozenset({S.CANCELLED}), "pay", S.REFUND_REQUESTED, "paid after cancel"),
    InvoiceTransition(frozenset({S.PAID}), "request_refund", S.REFUND_REQUESTED, "officer"),
    InvoiceTransition(frozenset({S.REFUND_REQUESTED}), "refund", S.REFUNDED, "unit leader"),
    InvoiceTransition(frozenset({S.REFUND_REQUESTED}), "decline_refund", S.PAID, "unit leader"),
)

_INDEX: dict[tuple[str, str], InvoiceTransition] = {
    (source, t.action): t for t in TRANSITIONS for source in t.sources
}
assert len(_INDEX) == sum(len(t.sources) for t in TRANSITIONS), "duplicate (status, action)"


def invoice_target(status: str, action: str) -> str:
    """The state `action` leads to from `status`, or InvoiceStateError when the table has none."""
    transition = _INDEX.get((status, action))
    if transition is None:
        raise InvoiceStateError(details={"status": status, "action": action})
    return transition.target


def invoice_allows(status: str, action: str) -> bool:
    return (status, action) in _INDEX
