"""Writes of the back office that span more than one dossier service, in one transaction."""

from __future__ import annotations

from typing import IO, Any

from django.db import transaction

from motcua.accounts.models import User
from motcua.catalog.models import Procedure, RequiredDocument
from motcua.dossiers import services as dossier_services
from motcua.dossiers.constants import AttachmentKind, Channel, ResultDelivery
from motcua.dossiers.models import Dossier
from motcua.orgs.models import Unit


def intake_receive(
    *,
    actor: User,
    channel: str,
    procedure: Procedure,
    receiving_unit: Unit,
    applicant: dossier_services.Applicant,
    form_data: dict[str, Any],
    result_delivery: str,
    scans: list[tuple[RequiredDocument | None, IO[bytes]]],
    tracking_number: str = "",
    delivery_address: Any = None,
) -> Dossier:
    """Receive an in-person or postal dossier with its scanned documents, all or nothing.

    Every scan is checked (content, size, name) before anything is written. A postal parcel's
    `tracking_number` is recorded with it; a result to be returned by post keeps its
    `delivery_address` (postal.services.Address), so the delivery goes out when it is ready.
    """
    for _doc, file in scans:
        dossier_services.upload_check(stream=file, name=getattr(file, "name", "") or "")
    receive = (
        dossier_services.dossier_receive_postal
        if channel == Channel.POSTAL
        else dossier_services.dossier_receive_direct
    )
    extra: dict[str, Any] = {}
    if channel == Channel.POSTAL and tracking_number:
        extra["tracking_number"] = tracking_number
    with transaction.atomic():
        dossier = receive(
            actor=actor,
            procedure=procedure,
            receiving_unit=receiving_unit,
            applicant=applicant,
            form_data=form_data,
            result_delivery=result_delivery,
            **extra,
        )
        if delivery_address is not None and result_delivery == ResultDelivery.POSTAL:
            from motcua.postal.constants import AddressPurpose
            from motcua.postal.services import address_save

            address_save(dossier=dossier, purpose=AddressPurpose.DELIVERY, address=delivery_address)
        for doc, file in scans:
            dossier_services.attachment_add(
                dossier=dossier,
                actor=actor,
                kind=AttachmentKind.SCAN,
                file=file,
                required_document=doc,
            )
    dossier.refresh_from_db()
    return dossier
