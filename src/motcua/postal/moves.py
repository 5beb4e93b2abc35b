"""The postal changes the worker makes as well as the pages: a shipment moved as the state table
allows (the dossier following), an order placed with the operator, a kept callback applied.
Each runs in one transaction that locks the dossier's row, then the shipment's (docs/POSTAL.md)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.utils import timezone

from motcua.accounts.models import User
from motcua.dossiers.constants import DossierStatus, ResultDelivery
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import (
    dossier_lock,
    dossier_postal_record,
    dossier_return_result,
    use_case_atomic,
)

from .constants import CallbackOutcome, EventSource, ShipmentKind, ShipmentStatus
from .errors import NoPostalAccount, OrderFailed, ShipmentStateError
from .models import PostalCallback, Shipment, ShipmentEvent
from .providers import get_provider
from .workflow import shipment_transition

logger = logging.getLogger(__name__)


def event_payload(shipment: Shipment, from_status: str, **extra: Any) -> dict[str, Any]:
    return {
        "shipment": shipment.pk,
        "kind": shipment.kind,
        "tracking_number": shipment.tracking_number,
        "shipment_from": from_status,
        "shipment_to": shipment.status,
        **extra,
    }


def shipment_lock(shipment_id: int) -> tuple[Dossier, Shipment]:
    """The dossier's row, then the shipment's, locked until the caller's transaction ends."""
    dossier_id = Shipment.objects.values_list("dossier_id", flat=True).get(pk=shipment_id)
    dossier = dossier_lock(dossier_id=dossier_id)
    shipment = Shipment.objects.select_for_update().get(pk=shipment_id)
    return dossier, shipment


def move_locked(
    *,
    dossier: Dossier,
    shipment: Shipment,
    target: str,
    at: dt.datetime,
    source: str,
    actor: User | None,
    note: str = "",
    actor_label: str = "",
    transition_payload: dict[str, Any] | None = None,
) -> bool:
    """Move the locked shipment to `target` as the table allows; False for a status it already
    had (a repeat changes nothing). The dossier follows: a delivered result is returned.

    The change is an audit event of its own, or, inside a dossier transition (a receiver of
    dossiers.hooks), a line of that transition's `transition_payload`.
    """
    if shipment.status == target or shipment.events.filter(status=target).exists():
        return False
    transition = shipment_transition(shipment.status, target)
    if source == EventSource.OFFICER and not transition.officer:
        raise ShipmentStateError(details={"status": shipment.status, "target": target})
    moment = timezone.now()
    # Never before the status it follows, never after now (an operator's clock a little ahead).
    at = min(max(at, shipment.status_at), moment)
    from_status = shipment.status
    shipment.status = target
    shipment.status_at = at
    fields = ["status", "status_at"]
    if target == ShipmentStatus.DELIVERED:
        shipment.delivered_at = at
        fields.append("delivered_at")
    shipment.save(update_fields=fields)
    ShipmentEvent.objects.create(
        shipment=shipment,
        status=target,
        at=at,
        recorded_at=moment,
        source=source,
        actor=actor,
        note=note[:500],
    )
    payload = event_payload(shipment, from_status, at=at.isoformat(), source=source, note=note)
    if transition_payload is not None:
        transition_payload.setdefault("shipments", []).append(payload)
        return True
    dossier_postal_record(
        dossier=dossier, actor=actor, moment=moment, payload=payload, actor_label=actor_label
    )
    delivered_result = (
        shipment.kind == ShipmentKind.DELIVERY
        and target == ShipmentStatus.DELIVERED
        and dossier.status == DossierStatus.RESULT_READY
    )
    if delivered_result:
        dossier_return_result(
            dossier=dossier,
            delivery=ResultDelivery.POSTAL,
            note=f"Bưu gửi {shipment.tracking_number} đã phát thành công.",
            at=at,
            actor_label=actor_label or "Bưu chính công ích",
        )
    return True


def order_place(*, shipment_id: int) -> Shipment | None:
    """Place a parcel's order with its operator (outside any lock: the operator may be slow),
    then record the tracking number it gave. A second run after success does nothing."""
    shipment = Shipment.objects.select_related("account", "dossier").get(pk=shipment_id)
    if shipment.tracking_number or shipment.status != ShipmentStatus.CREATED:
        return None
    if shipment.account is None:
        raise NoPostalAccount(details={"shipment": shipment_id})
    placed = get_provider(shipment.provider).order_create(
        shipment=shipment, account=shipment.account
    )
    with use_case_atomic():
        dossier, locked = shipment_lock(shipment_id)
        if locked.tracking_number:
            return locked
        locked.tracking_number = placed.tracking_number
        locked.order_id = placed.order_id
        locked.save(update_fields=["tracking_number", "order_id"])
        dossier_postal_record(
            dossier=dossier,
            actor=None,
            moment=timezone.now(),
            payload=event_payload(locked, locked.status, order=placed.order_id),
            actor_label=str(get_provider(locked.provider).name),
        )
    return locked


def order_cancel_send(*, shipment_id: int) -> None:
    shipment = Shipment.objects.select_related("account", "dossier").get(pk=shipment_id)
    if shipment.account is not None:
        get_provider(shipment.provider).order_cancel(shipment=shipment, account=shipment.account)


def callback_apply(*, callback_id: int) -> str:
    """Apply a kept callback in the shipment's locked transaction; its outcome is recorded (a
    status that became out of order meanwhile, or a repeat, changes nothing)."""
    with use_case_atomic():
        callback = PostalCallback.objects.select_for_update().get(pk=callback_id)
        if callback.outcome != CallbackOutcome.QUEUED:
            return callback.outcome
        dossier, shipment = shipment_lock(callback.shipment_id)
        try:
            changed = move_locked(
                dossier=dossier,
                shipment=shipment,
                target=callback.status,
                at=callback.at,
                source=EventSource.OPERATOR,
                actor=None,
                note=callback.note,
                actor_label=str(get_provider(callback.provider).name),
            )
        except ShipmentStateError:
            logger.info(
                "postal callback %s out of order: %s after %s",
                callback_id,
                callback.status,
                shipment.status,
            )
            changed = None
        if changed is None:
            callback.outcome = CallbackOutcome.OUT_OF_ORDER
        else:
            callback.outcome = CallbackOutcome.APPLIED if changed else CallbackOutcome.DUPLICATE
        callback.applied_at = timezone.now()
        callback.save(update_fields=["outcome", "applied_at"])
    return callback.outcome


def callbacks_apply_pending(*, older_than: dt.timedelta = dt.timedelta(minutes=1)) -> int:
    """Apply callbacks still queued (the worker was down when they came): oldest first."""
    ids = (
        PostalCallback.objects.filter(
            outcome=CallbackOutcome.QUEUED, received_at__lt=timezone.now() - older_than
        )
        .order_by("received_at", "pk")
        .values_list("pk", flat=True)
    )
    done = 0
    for callback_id in list(ids):
        callback_apply(callback_id=callback_id)
        done += 1
    return done


def orders_place_pending(*, older_than: dt.timedelta = dt.timedelta(minutes=1)) -> tuple[int, int]:
    """Place again the orders the operator refused or did not answer: (placed, still failing)."""
    ids = Shipment.objects.filter(
        status=ShipmentStatus.CREATED,
        tracking_number="",
        account__isnull=False,
        created_at__lt=timezone.now() - older_than,
    ).values_list("pk", flat=True)
    placed = failed = 0
    for shipment_id in list(ids):
        try:
            order_place(shipment_id=shipment_id)
        except OrderFailed as exc:
            logger.warning("postal order %s not placed: %s", shipment_id, exc.details)
            failed += 1
        else:
            placed += 1
    return placed, failed
