"""The dossier's events that tell someone: each becomes messages in the event's own transaction.

`dossier_event_recorded` is sent inside the use case, the dossier's row locked, so the messages
commit with the event or not at all (and a retried use case that rolled back sends nothing).
`notify()` turns a template problem into a failed message, so no text can block a transition.
The source of each message is the event's id and what it reports: the same event never tells the
same person twice, however often it is looked at.
"""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver
from django.urls import reverse

from motcua.documents.words import format_vnd
from motcua.dossiers.constants import Action, Channel, EventAction
from motcua.dossiers.hooks import dossier_event_recorded
from motcua.orgs.constants import Role
from motcua.public_url import public_base_url

from .constants import Event
from .services import Recipient, notify
from .values import (
    applicant_of,
    collection_text,
    dossier_values,
    members_of,
    moment_text,
    staff_recipient,
)

logger = logging.getLogger(__name__)

RECEIVED_ACTIONS = frozenset({Action.ACCEPT, Action.RECEIVE_DIRECT, Action.RECEIVE_POSTAL})
RESULT_ACTIONS = frozenset({Action.APPROVE, Action.DENY})


def _tell(dossier: Any, event: Any, kind: str, recipients: list[Recipient], **values: Any) -> None:
    if not recipients:
        return
    notify(
        event=kind,
        source=f"dossier-event:{event.pk}:{kind}",
        recipients=recipients,
        values=values,
        dossier=dossier,
        now=event.created_at,
    )


def _tell_applicant(dossier: Any, event: Any, kind: str, **values: Any) -> None:
    _tell(dossier, event, kind, [applicant_of(dossier)], **dossier_values(dossier), **values)


def _supplement_list(payload: dict[str, Any]) -> str:
    """Every item asked for, one per line (form 02 asks for all of them at once)."""
    return "\n".join(f"- {item}" for item in payload.get("items") or [])


def _step_officers(dossier: Any, *, actor_id: int | None) -> list[Recipient]:
    """Whoever holds the dossier's current step: its assignee, else its unit's staff in its
    role; never the officer who has just sent it there."""
    step = dossier.current_step
    if step is None:
        return []
    if step.assignee_id:
        users = [step.assignee]
    elif step.role:
        users = members_of(unit_id=step.unit_id, roles={step.role})
    else:
        users = []
    return [staff_recipient(u) for u in users if u.pk != actor_id]


def _desk_officers(dossier: Any, *, actor_id: int | None) -> list[Recipient]:
    users = members_of(unit_id=dossier.receiving_unit_id, roles={Role.RECEPTION})
    return [staff_recipient(u) for u in users if u.pk != actor_id]


def _officer_values(dossier: Any) -> dict[str, str]:
    step = dossier.current_step
    return {
        **dossier_values(dossier, for_officer=True),
        "buoc": step.name if step is not None else str(dossier.get_status_display()),
        "hen_tra": moment_text(dossier.due_at),
    }


def _payment_due(dossier: Any, event: Any, *, reference: str, amount: int) -> None:
    """An invoice fell due with the event (at submission, acceptance or result): what to pay,
    for what, and where."""
    from motcua.payments.models import Invoice

    invoice = Invoice.objects.filter(reference=reference).only("lines").first()
    names = [line.get("name", "") for line in (invoice.lines if invoice else [])]
    _tell_applicant(
        dossier,
        event,
        Event.PAYMENT_DUE,
        so_tien=format_vnd(amount=amount),
        noi_dung_phi=", ".join(n for n in names if n) or reference,
        duong_dan_thanh_toan=public_base_url() + reverse("portal:payment", args=[reference]),
    )


def _payment(dossier: Any, event: Any) -> None:
    payload = event.payload
    if payload.get("invoice_to") == "paid":
        _tell_applicant(
            dossier,
            event,
            Event.PAYMENT_RECEIVED,
            so_tien=format_vnd(amount=int(payload.get("amount") or 0)),
            so_bien_lai=payload.get("receipt_no") or payload.get("invoice", ""),
        )


def _postal(dossier: Any, event: Any) -> None:
    from motcua.postal.constants import ShipmentKind, ShipmentStatus

    payload = event.payload
    kinds = {
        ShipmentStatus.PICKED_UP: Event.SHIPMENT_SENT,
        ShipmentStatus.DELIVERED: Event.SHIPMENT_DELIVERED,
    }
    kind = kinds.get(payload.get("shipment_to"))
    if kind is None:
        return
    direction = ShipmentKind(payload.get("kind")).label if payload.get("kind") else ""
    _tell_applicant(
        dossier,
        event,
        kind,
        ma_buu_gui=payload.get("tracking_number", ""),
        chieu=str(direction),
    )


@receiver(dossier_event_recorded, dispatch_uid="notifications_dossier_event")
def dossier_event_notify(sender: Any, dossier: Any, event: Any, **kwargs: Any) -> None:
    action, payload = event.action, event.payload or {}
    if action == EventAction.PAYMENT:
        _payment(dossier, event)
    elif action == EventAction.POSTAL:
        _postal(dossier, event)
    elif action == Action.SUBMIT:
        _tell_applicant(dossier, event, Event.SUBMITTED, ngay_nop=moment_text(dossier.submitted_at))
        # The desk is told of what it can receive now: not of a dossier whose fees must be paid
        # first, nor of one whose papers are still with the postman.
        if not dossier.awaiting_payment and dossier.channel != Channel.POSTAL:
            _tell(
                dossier,
                event,
                Event.TASK_ASSIGNED,
                _desk_officers(dossier, actor_id=event.actor_id),
                **{**_officer_values(dossier), "buoc": str(Role.RECEPTION.label)},
            )
    elif action in RECEIVED_ACTIONS:
        _tell_applicant(dossier, event, Event.RECEIVED, hen_tra=moment_text(dossier.due_at))
    elif action == Action.REQUEST_SUPPLEMENT:
        _tell_applicant(
            dossier,
            event,
            Event.SUPPLEMENT_REQUESTED,
            danh_sach_bo_sung=_supplement_list(payload),
            ly_do=payload.get("reason", ""),
        )
    elif action == Action.REFUSE:
        _tell_applicant(dossier, event, Event.REFUSED, ly_do=payload.get("reason", ""))
    elif action == Action.APOLOGISE:
        apology = getattr(dossier, "apology", None)
        _tell_applicant(
            dossier,
            event,
            Event.APOLOGY,
            hen_tra_cu=moment_text(apology.original_due_at if apology else None),
            hen_tra_moi=moment_text(apology.new_due_at if apology else dossier.due_at),
            ly_do=apology.reason if apology else payload.get("reason", ""),
        )
    elif action in RESULT_ACTIONS:
        _tell_applicant(dossier, event, Event.RESULT_READY, cach_nhan=collection_text(dossier))
    elif action == Action.RETURN_RESULT:
        _tell_applicant(dossier, event, Event.RETURNED, cach_nhan=collection_text(dossier))
    if payload.get("invoice") and action != EventAction.PAYMENT:
        _payment_due(
            dossier, event, reference=payload["invoice"], amount=int(payload["invoice_amount"])
        )
    if action in (Action.START, Action.FORWARD):
        _tell(
            dossier,
            event,
            Event.TASK_ASSIGNED,
            _step_officers(dossier, actor_id=event.actor_id),
            **_officer_values(dossier),
        )
