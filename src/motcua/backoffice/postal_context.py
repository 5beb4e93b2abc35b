"""What the back office shows of a dossier's parcels (the dossier page's postal section) and the
links to the postal PDFs, shared by the postal desk's pages and the dossier page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import Resolver404, resolve

from motcua.dossiers.constants import Channel, DossierStatus
from motcua.orgs.constants import Role
from motcua.postal import selectors as postal_reads
from motcua.postal.constants import (
    ACTIVE_SHIPMENT_STATES,
    FAILED_SHIPMENT_STATES,
    AddressPurpose,
    ShipmentKind,
    ShipmentStatus,
)
from motcua.postal.models import Shipment

from .postal_forms import DeliveryAddressForm, address_initial

# The PDFs of the postal desk (built elsewhere): linked only where the site serves them.
PDF_PATHS = {
    "label": "/can-bo/buu-chinh/{pk}/nhan.pdf",
    "handover": "/can-bo/buu-chinh/{pk}/bien-ban-ban-giao.pdf",
    "dispatch": "/can-bo/buu-chinh/danh-sach-gui.pdf",
}


def pdf_paths() -> dict[str, str]:
    """Name → path pattern of the postal PDFs the back office serves (none yet: no links)."""
    served = {}
    for name, pattern in PDF_PATHS.items():
        try:
            match = resolve(pattern.format(pk=1))
        except Resolver404:
            continue
        if match.namespace == "backoffice":
            served[name] = pattern
    return served


def can_hand_over(shipment: Shipment) -> bool:
    """A pickup whose dossier waits at the desk and whose parcel did not fail or get withdrawn."""
    return (
        shipment.kind == ShipmentKind.PICKUP
        and shipment.handed_over_at is None
        and shipment.status not in FAILED_SHIPMENT_STATES
        and shipment.status != ShipmentStatus.CANCELLED
        and shipment.dossier.status == DossierStatus.SUBMITTED
    )


def with_links(shipments: Any, pdfs: dict[str, str]) -> None:
    for shipment in shipments:
        shipment.can_hand_over = can_hand_over(shipment)
        shipment.label_pdf = pdfs["label"].format(pk=shipment.pk) if "label" in pdfs else ""
        shipment.handover_pdf = (
            pdfs["handover"].format(pk=shipment.pk)
            if "handover" in pdfs and shipment.handed_over_at
            else ""
        )


# --- the dossier page's postal section -------------------------------------------------------


def dossier_postal(request: HttpRequest, dossier: Any, bound: DeliveryAddressForm | None = None):
    """What the dossier page shows of the postal service: its parcels with their histories,
    the flag of a result that came back, and the desk's postal actions."""
    scope = request.officer  # type: ignore[attr-defined]
    shipments = postal_reads.shipments_of(dossier=dossier)
    desk = dossier.receiving_unit_id in scope.units_for(Role.RECEPTION)
    deliveries = [s for s in shipments if s.kind == ShipmentKind.DELIVERY]
    active_delivery = next((s for s in deliveries if s.status in ACTIVE_SHIPMENT_STATES), None)
    came_back = None
    if deliveries and deliveries[0].status in FAILED_SHIPMENT_STATES and active_delivery is None:
        came_back = deliveries[0]
    # shipments_of does not join the dossier: each shipment gets the page's one.
    for shipment in shipments:
        shipment.dossier = dossier
    pending_pickup = next((s for s in shipments if can_hand_over(s)), None)
    pickups = [s for s in shipments if s.kind == ShipmentKind.PICKUP]
    pickup_failed = (
        dossier.status == DossierStatus.SUBMITTED
        and pending_pickup is None
        and bool(pickups)
        and all(s.handed_over_at is None for s in pickups)
    )
    can_send = (
        desk
        and dossier.status == DossierStatus.RESULT_READY
        and not dossier.awaiting_payment
        and active_delivery is None
        and dossier.procedure.accepts_postal_return
    )
    form = bound
    if form is None and can_send:
        saved = postal_reads.dossier_address(dossier=dossier, purpose=AddressPurpose.DELIVERY)
        initial = address_initial(address=saved or came_back)
        if not initial:
            initial = {
                "name": dossier.applicant_name,
                "phone": dossier.applicant_phone,
                "province_code": postal_reads.home_province_code(dossier.receiving_unit),
            }
        form = DeliveryAddressForm(initial=initial)
    with_links(shipments, pdf_paths() if shipments else {})
    return {
        "shipments": shipments,
        "came_back": came_back,
        "pending_pickup": pending_pickup,
        "pickup_failed": pickup_failed,
        "postal_desk": desk,
        "delivery_form": form if (can_send or bound is not None) else None,
        "delivery_again": came_back is not None,
        "cancellable": {ShipmentStatus.CREATED, ShipmentStatus.ACCEPTED},
        "awaiting_post": dossier.channel == Channel.POSTAL and pending_pickup is not None,
    }
