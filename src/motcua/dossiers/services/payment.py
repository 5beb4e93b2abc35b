"""What the payments app may change on a dossier: its payment fields, with an audit event.

The payments app locks the dossier first (`dossier_lock`), then its invoice, inside one
`use_case_atomic` block, the same order as a transition takes them (the dossier, then the
hooks' invoices), so two use cases never wait for each other in a cycle.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from motcua.accounts.models import User

from ..constants import EventAction
from ..hooks import dossier_payment_recorded
from ..models import Dossier
from .base import record_event

# What a payment reads and writes of the dossier it locks (the rest is not loaded).
PAYMENT_FIELDS = ("uuid", "code", "status", "version", "awaiting_payment", "paid_online",
                  "paid_online_at")  # fmt: skip


def dossier_lock(*, dossier_id: int) -> Dossier:
    """The dossier's payment fields, its row locked until the caller's transaction ends."""
    return Dossier.objects.select_for_update().only(*PAYMENT_FIELDS).get(pk=dossier_id)


def dossiers_lock(*, dossier_ids: list[int]) -> dict[int, Dossier]:
    """Several dossiers' payment fields, their rows locked in id order (a batch of payments)."""
    locked = Dossier.objects.select_for_update().only(*PAYMENT_FIELDS).filter(pk__in=dossier_ids)
    return {dossier.pk: dossier for dossier in locked.order_by("pk")}


def dossier_payment_record(
    *,
    dossier: Dossier,
    actor: User | None,
    moment: dt.datetime,
    payload: dict[str, Any],
    awaiting_payment: bool,
    paid_online_at: dt.datetime | None = None,
    actor_label: str = "",
) -> Dossier:
    """Write an invoice's change to the locked dossier and its audit chain (action `payment`).

    `paid_online_at`: the time of an online payment; the first one stays (the reports count
    the dossier in the period of its first online payment).
    """
    was_awaiting = dossier.awaiting_payment
    dossier.awaiting_payment = awaiting_payment
    if paid_online_at is not None and dossier.paid_online_at is None:
        dossier.paid_online_at = paid_online_at
        dossier.paid_online = True
    dossier.version += 1
    dossier.save(update_fields=["awaiting_payment", "paid_online", "paid_online_at", "version"])
    record_event(
        dossier=dossier,
        action=EventAction.PAYMENT,
        from_status=dossier.status,
        actor=actor,
        actor_label=actor_label,
        moment=moment,
        payload=payload,
    )
    dossier_payment_recorded.send(
        sender=Dossier, dossier=dossier, was_awaiting=was_awaiting, moment=moment
    )
    return dossier
