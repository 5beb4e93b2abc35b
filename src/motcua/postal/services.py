"""Every write of the postal app (docs/POSTAL.md): one function per use case, each in one
transaction that locks the dossier's row and then the shipment's, and appends the change to the
dossier's audit chain.

The operator's callbacks are verified at once and kept (`callback_receive`); the worker applies
each in the shipment's own locked transaction (`callback_apply`), so the operator gets its answer
without waiting for the dossier's work (a delivered result is a `return_result` transition).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.dossiers.constants import Action, Channel, DossierStatus, ResultDelivery
from motcua.dossiers.exceptions import PaymentDue, PermissionDenied
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import (
    dossier_accept,
    dossier_lock,
    dossier_postal_record,
    dossier_update_draft,
    use_case_atomic,
)
from motcua.dossiers.services.base import enqueue_with_use_case
from motcua.orgs.constants import Role
from motcua.orgs.selectors import user_has_role

from .addresses import (
    PHONE_INVALID,
    address_errors,
    address_text,
    phone_normalise,
    phone_valid,
)
from .constants import (
    AddressPurpose,
    CallbackOutcome,
    EventSource,
    Provider,
    ShipmentKind,
    ShipmentStatus,
    WeightClass,
    Zone,
)
from .errors import (
    AddressInvalid,
    DeliveryUnderway,
    NoPostalAccount,
    PickupPending,
    PostalNotOffered,
    ShipmentStateError,
    TrackingNumberInvalid,
    TrackingNumberUsed,
)
from .models import DossierAddress, PostalCallback, Shipment, ShipmentEvent
from .moves import event_payload, move_locked, shipment_lock
from .providers import CallbackRejected, get_provider
from .selectors import account_for, active_shipment, pickups_waiting, postage_for
from .workflow import shipment_allows

logger = logging.getLogger(__name__)

# Parcels an officer may still withdraw (the postman does not have them yet).
_CANCELLABLE = frozenset({ShipmentStatus.CREATED, ShipmentStatus.ACCEPTED})
# Dossier actions that end the dossier before its parcels move: orders not collected are withdrawn.
_ENDING = frozenset({Action.WITHDRAW, Action.REFUSE, Action.STOP})


# --- Addresses -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Address:
    name: str
    phone: str
    province_code: str
    ward_code: str
    street: str

    def cleaned(self) -> Address:
        """The address checked (the ward in the province, a Vietnamese phone), or AddressInvalid."""
        errors = address_errors(
            province_code=self.province_code, ward_code=self.ward_code, street=self.street
        )
        if not (self.name or "").strip():
            errors["name"] = "Nhập họ và tên người gửi, người nhận."
        if not phone_valid(self.phone):
            errors["phone"] = str(PHONE_INVALID)
        if errors:
            raise AddressInvalid(details=errors)
        return Address(
            name=" ".join(self.name.split()),
            phone=phone_normalise(self.phone),
            province_code=str(int(self.province_code)),
            ward_code=str(int(self.ward_code)),
            street=" ".join(self.street.split()),
        )


def address_save(*, dossier: Dossier, purpose: str, address: Address) -> DossierAddress:
    """Keep where the dossier is picked up or the result delivered (one of each, replaced)."""
    if purpose not in AddressPurpose.values:
        raise AddressInvalid(details={"purpose": purpose})
    procedure = dossier.procedure
    offered = (
        procedure.accepts_postal_pickup
        if purpose == AddressPurpose.PICKUP
        else procedure.accepts_postal_return
    )
    if not offered:
        raise PostalNotOffered(details={"procedure": procedure.code, "purpose": purpose})
    a = address.cleaned()
    row, _created = DossierAddress.objects.update_or_create(
        dossier=dossier,
        purpose=purpose,
        defaults={
            "name": a.name,
            "phone": a.phone,
            "province_code": a.province_code,
            "ward_code": a.ward_code,
            "street": a.street,
        },
    )
    return row


def _addresses_now(dossier: Dossier) -> dict[str, tuple[str, ...]]:
    rows = DossierAddress.objects.filter(dossier=dossier).values_list(
        "purpose", "name", "phone", "province_code", "ward_code", "street"
    )
    return {row[0]: tuple(row[1:]) for row in rows}


def draft_postal_save(
    *,
    dossier: Dossier,
    actor: User,
    result_delivery: str,
    pickup: Address | None,
    delivery: Address | None,
) -> Dossier:
    """The citizen's postal choices on a draft, in one transaction: the pickup address (None: the
    papers do not come by post, a kept address goes), how the result is received and, for a result
    by post, its address; the dossier's text `delivery_address` is kept in step with it. A change
    of the addresses is a `postal` event naming the purposes changed (not the addresses)."""
    text = ""
    if result_delivery == ResultDelivery.POSTAL:
        if delivery is None:
            raise AddressInvalid(details={"delivery": "Chưa có địa chỉ nhận kết quả."})
        delivery = delivery.cleaned()
        text = address_text(delivery.street, delivery.ward_code, delivery.province_code)
    with transaction.atomic():
        # First: the owner's draft, locked (anyone else, or a submitted dossier, is refused).
        updated = dossier_update_draft(
            dossier=dossier, actor=actor, result_delivery=result_delivery, delivery_address=text
        )
        before = _addresses_now(updated)
        if pickup is not None:
            address_save(dossier=updated, purpose=AddressPurpose.PICKUP, address=pickup)
        else:
            DossierAddress.objects.filter(dossier=updated, purpose=AddressPurpose.PICKUP).delete()
        if delivery is not None and result_delivery == ResultDelivery.POSTAL:
            address_save(dossier=updated, purpose=AddressPurpose.DELIVERY, address=delivery)
        else:
            DossierAddress.objects.filter(dossier=updated, purpose=AddressPurpose.DELIVERY).delete()
        after = _addresses_now(updated)
        changed = sorted(p for p in AddressPurpose.values if before.get(p) != after.get(p))
        if changed:
            dossier_postal_record(
                dossier=updated,
                actor=actor,
                moment=timezone.now(),
                payload={"addresses": {p: "saved" if p in after else "removed" for p in changed}},
            )
    return updated


# --- Shipments -----------------------------------------------------------------------------------


def _order_later(shipment: Shipment) -> None:
    from .tasks import order_place

    if shipment.account_id is None:
        return
    enqueue_with_use_case(order_place, shipment.pk)


def _shipment_new(
    *,
    dossier: Dossier,
    kind: str,
    person: Address | DossierAddress | None,
    actor: User | None,
    moment: dt.datetime,
    status: str = ShipmentStatus.CREATED,
    tracking_number: str = "",
    require_account: bool = True,
    postage_due: bool = True,
) -> Shipment:
    """A parcel of the dossier's receiving desk, through the account that serves it."""
    unit = dossier.receiving_unit
    account = account_for(unit=unit)
    if account is None and require_account:
        raise NoPostalAccount(details={"unit": unit.code})
    if person is None:  # a parcel that came in without an address given here: the applicant's
        person = Address(
            dossier.applicant_name,
            dossier.applicant_phone,
            "",
            "",
            dossier.delivery_address or dossier.applicant_address,
        )
    # A parcel that came to the desk was paid for by its sender at the post office.
    postage = postage_for(unit=unit, province_code=person.province_code) if postage_due else None
    shipment = Shipment.objects.create(
        kind=kind,
        dossier=dossier,
        unit=unit,
        account=account,
        provider=account.provider if account else Provider.VNPOST,
        status=status,
        status_at=moment,
        tracking_number=tracking_number,
        person_name=person.name,
        person_phone=person.phone,
        person_province_code=person.province_code,
        person_ward_code=person.ward_code,
        person_street=person.street,
        agency_name=(account.contact_name if account and account.contact_name else unit.name),
        agency_phone=account.phone if account else unit.phone[:15],
        agency_address=account.address if account else unit.address,
        weight_class=WeightClass.UP_TO_500G,
        zone=postage.zone if postage else Zone.INTRA,
        postage=(postage.amount or 0) if postage else 0,
        created_at=moment,
        created_by=actor,
        delivered_at=moment if status == ShipmentStatus.DELIVERED else None,
    )
    ShipmentEvent.objects.create(
        shipment=shipment,
        status=status,
        at=moment,
        recorded_at=moment,
        source=EventSource.OFFICER if actor else EventSource.SYSTEM,
        actor=actor,
    )
    return shipment


def shipment_move(
    *,
    shipment: Shipment,
    target: str,
    actor: User | None,
    at: dt.datetime | None = None,
    note: str = "",
) -> Shipment:
    """An officer records what happened to a parcel (the operator's callbacks do the same)."""
    with use_case_atomic():
        dossier, locked = shipment_lock(shipment.pk)
        if actor is not None:
            _require_desk(actor, locked)
        move_locked(
            dossier=dossier,
            shipment=locked,
            target=target,
            at=at or timezone.now(),
            source=EventSource.OFFICER if actor else EventSource.SYSTEM,
            actor=actor,
            note=note,
        )
    return locked


def _require_desk(actor: User, shipment: Shipment) -> None:
    if not user_has_role(user=actor, unit=shipment.unit, roles={Role.RECEPTION}):
        raise PermissionDenied(details={"shipment": shipment.pk})


def shipment_cancel(*, shipment: Shipment, actor: User | None, reason: str) -> Shipment:
    """Withdraw an order the postman has not collected yet (the operator is told after commit)."""
    with use_case_atomic():
        dossier, locked = shipment_lock(shipment.pk)
        if actor is not None and not (
            dossier.owner_id == actor.pk
            or user_has_role(user=actor, unit=locked.unit, roles={Role.RECEPTION})
        ):
            raise PermissionDenied(details={"shipment": shipment.pk})
        _cancel_locked(dossier, locked, actor, reason)
    return locked


def _cancel_locked(
    dossier: Dossier,
    shipment: Shipment,
    actor: User | None,
    reason: str,
    transition_payload: dict[str, Any] | None = None,
) -> None:
    if shipment.status not in _CANCELLABLE:
        raise ShipmentStateError(details={"status": shipment.status, "target": "cancelled"})
    had_order = bool(shipment.tracking_number)
    move_locked(
        dossier=dossier,
        shipment=shipment,
        target=ShipmentStatus.CANCELLED,
        at=timezone.now(),
        source=EventSource.OFFICER if actor else EventSource.SYSTEM,
        actor=actor,
        note=reason,
        transition_payload=transition_payload,
    )
    if had_order:
        from .tasks import order_cancel

        enqueue_with_use_case(order_cancel, shipment.pk)


# --- Pickup: the dossier comes by post -----------------------------------------------------------


def pickup_on_submit(
    *, dossier: Dossier, actor: User | None, moment: dt.datetime, payload: dict[str, Any]
) -> None:
    """The citizen submitted by post: the pickup is ordered from the address they gave."""
    address = DossierAddress.objects.filter(dossier=dossier, purpose=AddressPurpose.PICKUP).first()
    if address is None:
        raise AddressInvalid(details={"pickup": "Chưa có địa chỉ để bưu điện đến nhận hồ sơ."})
    shipment = _shipment_new(
        dossier=dossier, kind=ShipmentKind.PICKUP, person=address, actor=None, moment=moment
    )
    payload["pickup"] = shipment.pk
    _order_later(shipment)


def pickup_on_desk_receipt(
    *, dossier: Dossier, actor: User | None, moment: dt.datetime, payload: dict[str, Any]
) -> None:
    """A parcel received at the desk without an order placed here: recorded as delivered and
    handed over at t0, so it counts as a postal pickup."""
    shipment = _shipment_new(
        dossier=dossier,
        kind=ShipmentKind.PICKUP,
        person=None,
        actor=actor,
        moment=moment,
        status=ShipmentStatus.DELIVERED,
        tracking_number=payload.get("tracking_number", ""),
        require_account=False,
        postage_due=False,
    )
    shipment.handed_over_at = moment
    shipment.handed_over_by = actor
    shipment.save(update_fields=["handed_over_at", "handed_over_by"])
    payload["pickup"] = shipment.pk


def pickup_handover(
    *,
    shipment: Shipment,
    actor: User,
    courier_name: str = "",
    note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """The postman hands the dossier to the desk and both sign the hand-over record (Decision
    45/2016): that moment is the dossier's t0; it is received as a direct one (form 01).
    `at`: a past hand-over being recorded (the demo's histories); by default now."""
    with use_case_atomic():
        dossier, locked = shipment_lock(shipment.pk)
        _require_desk(actor, locked)
        if locked.kind != ShipmentKind.PICKUP or locked.handed_over_at is not None:
            raise ShipmentStateError(details={"shipment": locked.pk, "handed_over": True})
        if dossier.status != DossierStatus.SUBMITTED:
            raise ShipmentStateError(details={"dossier": dossier.status})
        if dossier.awaiting_payment:
            raise PaymentDue()
        moment = at or timezone.now()
        locked.handed_over_at = moment
        locked.handed_over_by = actor
        locked.courier_name = " ".join(courier_name.split())[:200]
        locked.save(update_fields=["handed_over_at", "handed_over_by", "courier_name"])
        if locked.status != ShipmentStatus.DELIVERED:
            move_locked(
                dossier=dossier,
                shipment=locked,
                target=ShipmentStatus.DELIVERED,
                at=moment,
                source=EventSource.OFFICER,
                actor=actor,
                note=note or "Biên bản bàn giao hồ sơ",
            )
        return dossier_accept(
            dossier=dossier,
            actor=actor,
            note=f"Nhận bàn giao từ bưu chính, bưu gửi {locked.tracking_number}".strip(),
            at=moment,
        )


# --- Delivery: the result goes by post ----------------------------------------------------------


def _delivery_create(dossier: Dossier, actor: User | None, moment: dt.datetime) -> Shipment:
    address = DossierAddress.objects.filter(
        dossier=dossier, purpose=AddressPurpose.DELIVERY
    ).first()
    # Without a postal account the parcel is still recorded: the desk sends it by hand and
    # enters the tracking number (it shows among the orders not placed).
    shipment = _shipment_new(
        dossier=dossier,
        kind=ShipmentKind.DELIVERY,
        person=address,
        actor=actor,
        moment=moment,
        require_account=False,
    )
    _order_later(shipment)
    return shipment


def delivery_on_result(*, dossier: Dossier, moment: dt.datetime, payload: dict[str, Any]) -> None:
    """The result is ready for a dossier that chose post (and nothing is owed): send it."""
    if active_shipment(dossier_id=dossier.pk, kind=ShipmentKind.DELIVERY) is None:
        payload["delivery"] = _delivery_create(dossier, None, moment).pk


def delivery_on_payment(*, dossier: Dossier, moment: dt.datetime) -> None:
    """The fee a result waited for is paid: the result goes out (an event of its own)."""
    if active_shipment(dossier_id=dossier.pk, kind=ShipmentKind.DELIVERY) is not None:
        return
    shipment = _delivery_create(dossier, None, moment)
    dossier_postal_record(
        dossier=dossier, actor=None, moment=moment, payload=event_payload(shipment, "")
    )


def delivery_request(*, dossier: Dossier, actor: User, address: Address) -> Shipment:
    """At the desk: send a ready result by post (an in-person dossier, or again after a parcel
    came back), to the address given now."""
    with use_case_atomic():
        locked = dossier_lock(dossier_id=dossier.pk)
        full = Dossier.objects.select_related("procedure", "receiving_unit").get(pk=locked.pk)
        if not user_has_role(user=actor, unit=full.receiving_unit, roles={Role.RECEPTION}):
            raise PermissionDenied(details={"dossier": full.code})
        if locked.status != DossierStatus.RESULT_READY:
            raise ShipmentStateError(details={"dossier": locked.status})
        if locked.awaiting_payment:
            raise PaymentDue()
        if active_shipment(dossier_id=locked.pk, kind=ShipmentKind.DELIVERY) is not None:
            raise DeliveryUnderway()
        address_save(dossier=full, purpose=AddressPurpose.DELIVERY, address=address)
        moment = timezone.now()
        shipment = _shipment_new(
            dossier=full,
            kind=ShipmentKind.DELIVERY,
            person=DossierAddress.objects.get(dossier=full, purpose=AddressPurpose.DELIVERY),
            actor=actor,
            moment=moment,
        )
        dossier_postal_record(
            dossier=locked, actor=actor, moment=moment, payload=event_payload(shipment, "")
        )
        _order_later(shipment)
    return shipment


# --- Inside the dossier's transitions (receivers) ----------------------------------------------


def shipments_on_transition(
    *,
    dossier: Dossier,
    action: str,
    actor: User | None,
    moment: dt.datetime,
    payload: dict[str, Any],
) -> None:
    """The postal side of a dossier transition, in its transaction (dossiers.hooks)."""
    if action == Action.SUBMIT and dossier.channel == Channel.POSTAL:
        pickup_on_submit(dossier=dossier, actor=actor, moment=moment, payload=payload)
    elif action == Action.RECEIVE_POSTAL:
        pickup_on_desk_receipt(dossier=dossier, actor=actor, moment=moment, payload=payload)
    elif action == Action.ACCEPT and dossier.channel == Channel.POSTAL:
        _pickup_handed_over_or_refuse(dossier)
    elif action in (Action.APPROVE, Action.DENY):
        if dossier.result_delivery == ResultDelivery.POSTAL and not dossier.awaiting_payment:
            delivery_on_result(dossier=dossier, moment=moment, payload=payload)
    elif action == Action.RETURN_RESULT and actor is not None:
        if active_shipment(dossier_id=dossier.pk, kind=ShipmentKind.DELIVERY) is not None:
            raise DeliveryUnderway()
    elif action in _ENDING:
        for shipment in Shipment.objects.select_for_update().filter(
            dossier=dossier, status__in=sorted(_CANCELLABLE)
        ):
            _cancel_locked(dossier, shipment, actor, f"Hồ sơ kết thúc ({action})", payload)


def _pickup_handed_over_or_refuse(dossier: Dossier) -> None:
    """A postal dossier is accepted only through its hand-over record while its parcel is
    under way or waits at the desk; after a failed pickup the applicant may come in person."""
    if pickups_waiting().filter(dossier=dossier).exists():
        raise PickupPending()


def shipments_on_payment(*, dossier: Dossier, was_awaiting: bool, moment: dt.datetime) -> None:
    """A fee the result waited for is paid: a result that chose post goes out now."""
    if not was_awaiting or dossier.awaiting_payment:
        return
    full = Dossier.objects.only("status", "result_delivery", "receiving_unit").get(pk=dossier.pk)
    if full.status == DossierStatus.RESULT_READY and full.result_delivery == ResultDelivery.POSTAL:
        delivery_on_payment(dossier=dossier, moment=moment)


# --- The operator's callbacks -------------------------------------------------------------------


@dataclass(frozen=True)
class CallbackAnswer:
    http_status: int
    body: dict[str, Any] = field(default_factory=dict)


def _error(http_status: int, code: str, message: str, **details: Any) -> CallbackAnswer:
    return CallbackAnswer(
        http_status, {"error": {"code": code, "message": message, "details": details}}
    )


@functools.cache
def _callback_statements() -> tuple[str, str]:
    """The callback's SELECT of the parcel and INSERT of the kept callback, written once per
    process from the models' tables and columns: an operator calls back for every step of every
    parcel, and the ORM compiled both statements again on each call (most of its CPU after the
    framework's; bench/RESULTS.md, Postal callbacks)."""
    q = connection.ops.quote_name
    shipment, kept = Shipment._meta, PostalCallback._meta

    def column(meta: Any, name: str) -> str:
        return q(meta.get_field(name).column)

    select = (
        f"SELECT {column(shipment, 'id')}, {column(shipment, 'status')}"  # noqa: S608 - names from the model
        f" FROM {q(shipment.db_table)} WHERE {column(shipment, 'provider')} = %s"
        f" AND {column(shipment, 'tracking_number')} = %s"
    )
    fields = ("provider", "received_at", "shipment", "status", "at", "note", "body", "outcome")
    insert = (
        f"INSERT INTO {q(kept.db_table)} ({', '.join(column(kept, f) for f in fields)})"  # noqa: S608 - names from the model
        f" VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {column(kept, 'id')}"
    )
    return select, insert


def callback_receive(
    *, provider: str, body: bytes, signature: str, now: float | None = None
) -> CallbackAnswer:
    """Verify an operator's status callback and keep it for the worker (docs/POSTAL.md §4).

    The signature first (constant time) and its age; then the parcel and whether the status
    can follow the one it has. Nothing changes for a callback that fails any check; a repeat of
    a status the parcel already had answers `duplicate`, also changing nothing.
    """
    try:
        facts = get_provider(provider).callback_read(body=body, signature=signature, now=now)
    except LookupError:
        return _error(404, "unknown_provider", "Không có doanh nghiệp bưu chính này.")
    except CallbackRejected as exc:
        return _error(exc.http_status, exc.code, exc.message)
    select, insert = _callback_statements()
    with connection.cursor() as cursor:
        cursor.execute(select, [provider, facts.tracking_number])
        row = cursor.fetchone()  # (provider, tracking number) is unique: one row at most
    if row is None:
        return _error(
            404,
            "unknown_tracking_number",
            "Không có bưu gửi với số hiệu này.",
            tracking_number=facts.tracking_number,
        )
    shipment_id, status = row
    answer = {"tracking_number": facts.tracking_number, "status": facts.status}
    if not shipment_allows(status, facts.status):
        seen = (
            status == facts.status
            or ShipmentEvent.objects.filter(shipment_id=shipment_id, status=facts.status).exists()
        )
        if seen:
            return CallbackAnswer(200, {**answer, "result": "duplicate"})
        return _error(
            409,
            "out_of_order",
            "Trạng thái không thể tiếp sau trạng thái hiện tại.",
            current=status,
            status=facts.status,
        )
    from .tasks import callback_apply_task

    adapt = connection.ops.adapt_datetimefield_value
    # The callback and its task in the caller's transaction (the API's: no savepoint of its own).
    with use_case_atomic(), connection.cursor() as cursor:
        cursor.execute(
            insert,
            [
                provider,
                adapt(timezone.now()),
                shipment_id,
                facts.status,
                adapt(facts.at),
                facts.note,
                body.decode("utf-8", "replace"),
                CallbackOutcome.QUEUED,
            ],
        )
        callback_id = cursor.fetchone()[0]
        enqueue_with_use_case(callback_apply_task, callback_id)
    return CallbackAnswer(202, {**answer, "result": "accepted", "callback": callback_id})


# --- A tracking number entered by hand ------------------------------------------------------------


def shipment_tracking_set(*, shipment: Shipment, actor: User, tracking_number: str) -> Shipment:
    """The desk records the number of a parcel sent by hand (no order placed here, or the
    operator did not answer): the receiving desk only, a valid S10 number, never one in use."""
    from .tracking import s10_valid

    number = "".join((tracking_number or "").split()).upper()
    if not s10_valid(number):
        raise TrackingNumberInvalid(details={"tracking_number": number})
    with use_case_atomic():
        dossier, locked = shipment_lock(shipment.pk)
        _require_desk(actor, locked)
        if locked.tracking_number or locked.status == ShipmentStatus.CANCELLED:
            raise ShipmentStateError(details={"shipment": locked.pk, "tracking_number": True})
        if Shipment.objects.filter(tracking_number=number).exists():
            raise TrackingNumberUsed(details={"tracking_number": number})
        locked.tracking_number = number
        locked.save(update_fields=["tracking_number"])
        dossier_postal_record(
            dossier=dossier,
            actor=actor,
            moment=timezone.now(),
            payload=event_payload(locked, locked.status, tracking_set=number),
        )
    return locked
