"""Writes of the back office that span more than one dossier service, in one transaction."""

from __future__ import annotations

from typing import IO, Any

from django.db import transaction

from motcua.accounts.models import User
from motcua.catalog.models import Procedure, RequiredDocument
from motcua.dossiers import services as dossier_services
from motcua.dossiers.constants import AttachmentKind, Channel
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
) -> Dossier:
    """Receive an in-person or postal dossier with its scanned documents, all or nothing.

    Every scan is checked (content, size, name) before anything is written.
    """
    for _doc, file in scans:
        dossier_services.upload_check(stream=file, name=getattr(file, "name", "") or "")
    receive = (
        dossier_services.dossier_receive_postal
        if channel == Channel.POSTAL
        else dossier_services.dossier_receive_direct
    )
    with transaction.atomic():
        dossier = receive(
            actor=actor,
            procedure=procedure,
            receiving_unit=receiving_unit,
            applicant=applicant,
            form_data=form_data,
            result_delivery=result_delivery,
        )
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
