"""Reads of dossiers for the portal pages, built on the scoped selectors of motcua.dossiers.

Nothing here widens what the caller may see: lists start from `dossier_list_for_citizen`, the
public lookup from `dossier_lookup_public`, and the timeline carries no officer names and no form
data (docs/ARCHITECTURE.md §5: a citizen sees only their own dossiers, the public only a minimal view).
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet

from motcua.catalog.constants import TimeUnit
from motcua.dossiers.constants import (
    Action,
    AttachmentKind,
    DossierStatus,
)
from motcua.dossiers.models import Attachment, Dossier, SupplementRequest
from motcua.dossiers.selectors import (
    dossier_list_for_citizen,
    dossier_lookup_public,
    event_list_for_dossier,
)
from motcua.orgs.models import Unit
from motcua.payments.selectors import invoices_of_dossier
from motcua.postal import selectors as postal_selectors
from motcua.postal.constants import FAILED_SHIPMENT_STATES, ShipmentKind, ShipmentStatus
from motcua.postal.models import Shipment, ShipmentEvent
from motcua.workcal import add_working_time, compute_due, receipt_time

PAGE_SIZE = 20
DRAFT_LIMIT = 20
# The portal's stated service level for checking an online dossier: one working day (8 working
# hours) after it arrives within working time (docs/DOMAIN.md §2: "checked and accepted, or told once").
RECEPTION_CHECK_HOURS = 8
# Events a person following a dossier sees; edits of a draft, files and ratings are not steps.
TIMELINE_ACTIONS = frozenset(Action.values) - {Action.CREATE_DRAFT}
# Attachments the owner may download, and the kinds that only count once the result is ready.
OWNER_KINDS = frozenset(
    {AttachmentKind.APPLICATION, AttachmentKind.SUPPLEMENT, AttachmentKind.SCAN}
)
RESULT_STATES = frozenset({DossierStatus.RESULT_READY, DossierStatus.RETURNED})
# Where the applicant may download signed e-results: a result, or the signed written refusal.
E_RESULT_STATES = RESULT_STATES | {DossierStatus.REFUSED}


def draft_list_for_citizen(*, user: Any, procedure_id: int | None = None) -> list[Dossier]:
    qs = dossier_list_for_citizen(user=user).filter(status=DossierStatus.DRAFT)
    if procedure_id is not None:
        qs = qs.filter(procedure_id=procedure_id)
    return list(qs.order_by("-updated_at", "-pk")[:DRAFT_LIMIT])


def dossier_page_for_citizen(*, user: Any, page_number: str | int = 1) -> Page:
    # Submitted dossiers have a code; a discarded draft (withdrawn before submitting) has none.
    qs = dossier_list_for_citizen(user=user).exclude(status=DossierStatus.DRAFT)
    qs = qs.filter(code__isnull=False).prefetch_related(
        Prefetch("shipments", queryset=Shipment.objects.order_by("-created_at", "-pk"))
    )
    return Paginator(qs.order_by("-submitted_at", "-pk"), PAGE_SIZE).get_page(page_number)


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    action_label: str
    status_label: str
    unit_name: str
    step_name: str


def timeline(*, dossier: Dossier) -> list[TimelineEntry]:
    """The dossier's steps as the public may see them: what, when, status, which unit."""
    events = [e for e in event_list_for_dossier(dossier=dossier) if e.action in TIMELINE_ACTIONS]
    codes = {e.payload.get("unit") for e in events if isinstance(e.payload, dict)} - {None}
    units = {u.code: u.name for u in Unit.objects.filter(code__in=codes).only("code", "name")}
    entries = []
    for event in events:
        payload = event.payload if isinstance(event.payload, dict) else {}
        step_name = (
            payload.get("name", "") if event.action in (Action.START, Action.FORWARD) else ""
        )
        entries.append(
            TimelineEntry(
                at=event.created_at,
                action_label=str(Action(event.action).label),
                status_label=str(DossierStatus(event.to_status).label),
                unit_name=units.get(payload.get("unit"), dossier.receiving_unit.name),
                step_name=str(step_name),
            )
        )
    return entries


def _last_four(value: str) -> str:
    digits = "".join(ch for ch in value or "" if ch.isdigit())
    return digits[-4:] if len(digits) >= 4 else ""


def second_factor_matches(*, dossier: Dossier, factor: str) -> bool:
    """The last 4 digits of the applicant's phone or personal ID, compared in constant time."""
    factor = (factor or "").strip()
    if len(factor) != 4 or not factor.isdigit():
        return False
    matched = False
    for source in (dossier.applicant_phone, dossier.applicant_citizen_id):
        expected = _last_four(source)
        # Both compared whatever the first gives, so timing does not tell which one matched.
        if expected and hmac.compare_digest(expected, factor):
            matched = True
    return matched


@dataclass(frozen=True)
class LookupResult:
    """What the tracking page may show. `dossier` is None when nothing may be shown."""

    dossier: Dossier | None
    detailed: bool = False
    entries: tuple[TimelineEntry, ...] = ()
    invoices: tuple[Any, ...] = ()
    parcels: tuple[Any, ...] = ()


def dossier_lookup(*, code: str, factor: str = "", user: Any = None) -> LookupResult:
    """The tracking lookup: by code alone, status and appointment; with the second factor (or
    for the signed-in owner) the timeline. A wrong code and a wrong factor answer alike."""
    dossier = dossier_lookup_public(code=code) if code else None
    if dossier is None:
        return LookupResult(dossier=None)
    is_owner = bool(user is not None and user.is_authenticated and dossier.owner_id == user.pk)
    if factor and not is_owner and not second_factor_matches(dossier=dossier, factor=factor):
        return LookupResult(dossier=None)
    if is_owner or factor:
        return LookupResult(
            dossier=dossier,
            detailed=True,
            entries=tuple(timeline(dossier=dossier)),
            invoices=tuple(invoices_of_dossier(dossier_id=dossier.pk)),
            parcels=tuple(parcels_of(dossier=dossier)),
        )
    return LookupResult(dossier=dossier)


def appointment_of(dossier: Dossier) -> dt.datetime | None:
    """The date the result is promised for: the apology's new date, else the due time."""
    return dossier.apology_due_at or dossier.due_at


@dataclass(frozen=True)
class Outlook:
    check_by: dt.datetime
    estimated_due: dt.datetime | None


def submission_outlook(*, dossier: Dossier) -> Outlook | None:
    """When the officer should have checked a submitted dossier, and an estimate of the result
    date were it accepted then (the appointment itself is fixed at acceptance)."""
    if dossier.submitted_at is None:
        return None
    unit = dossier.receiving_unit
    start = receipt_time(dossier.submitted_at, org_unit=unit)
    check_by = add_working_time(start, RECEPTION_CHECK_HOURS, "hours", org_unit=unit)
    procedure = dossier.procedure
    estimated = None
    if procedure.processing_time or procedure.time_unit == TimeUnit.SAME_DAY:
        estimated = compute_due(
            check_by, procedure.processing_time, procedure.time_unit, org_unit=unit
        )
    return Outlook(check_by=check_by, estimated_due=estimated)


def attachments_for_owner(*, dossier: Dossier) -> QuerySet[Attachment]:
    kinds = set(OWNER_KINDS)
    if dossier.status in RESULT_STATES:
        kinds.add(AttachmentKind.RESULT)
    return dossier.attachments.filter(kind__in=kinds).select_related("required_document")


def attachment_get_for_owner(*, dossier: Dossier, pk: int) -> Attachment | None:
    return attachments_for_owner(dossier=dossier).filter(pk=pk).first()


def open_supplement_request(*, dossier: Dossier) -> SupplementRequest | None:
    if dossier.status != DossierStatus.AWAITING_SUPPLEMENT:
        return None
    return (
        dossier.supplement_requests.filter(fulfilled_at__isnull=True)
        .order_by("-requested_at", "-pk")
        .first()
    )


def supplement_files_since_request(*, dossier: Dossier) -> QuerySet[Attachment]:
    qs = dossier.attachments.filter(kind=AttachmentKind.SUPPLEMENT)
    if dossier.supplement_requested_at is not None:
        qs = qs.filter(created_at__gte=dossier.supplement_requested_at)
    return qs


# --- Parcels (the public postal service) --------------------------------------------------------

# Pickups the applicant may still withdraw: the postman does not have the papers yet.
PICKUP_CANCELLABLE = frozenset({ShipmentStatus.CREATED, ShipmentStatus.ACCEPTED})


@dataclass(frozen=True)
class Parcel:
    """One shipment as the applicant sees it: what, its number, status, postage and history."""

    shipment: Shipment
    events: tuple[ShipmentEvent, ...]
    failed: bool  # returned to sender or lost, and no newer parcel of its kind since
    can_cancel: bool

    @property
    def is_pickup(self) -> bool:
        return self.shipment.kind == ShipmentKind.PICKUP


def parcels_of(*, dossier: Dossier, owner: bool = False) -> list[Parcel]:
    """The dossier's parcels, newest first, each with its history (two queries). `owner`: the
    signed-in applicant's own page, where an uncollected pickup may be withdrawn."""
    shipments = postal_selectors.shipments_of(dossier=dossier)
    latest: dict[str, int] = {}
    for shipment in shipments:  # newest first: the first of each kind is its latest
        latest.setdefault(shipment.kind, shipment.pk)
    return [
        Parcel(
            shipment=shipment,
            events=tuple(shipment.events.all()),
            failed=shipment.status in FAILED_SHIPMENT_STATES
            and latest[shipment.kind] == shipment.pk,
            can_cancel=owner
            and shipment.kind == ShipmentKind.PICKUP
            and shipment.status in PICKUP_CANCELLABLE
            and dossier.status == DossierStatus.SUBMITTED,
        )
        for shipment in shipments
    ]


def pickup_of(*, dossier: Dossier, pk: int) -> Shipment | None:
    """One pickup of the (already owner-scoped) dossier."""
    return Shipment.objects.filter(dossier=dossier, pk=pk, kind=ShipmentKind.PICKUP).first()
