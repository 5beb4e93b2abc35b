"""The PDF a citizen downloads after submitting: form 01 once the dossier was accepted, before
that a "Phiếu xác nhận nộp hồ sơ trực tuyến" (what was sent, when, and what happens next).

An online dossier gets its official receipt and appointment (form 01) only when an officer
accepts it (docs/DOMAIN.md §4: t0 is the acceptance), so until then the citizen's proof is this
confirmation, drawn in the same A5 layout and with the same QR code as the official forms.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from motcua.documents.pdf import html_to_pdf
from motcua.documents.qr import build_qr_payload, qr_svg, tracking_url
from motcua.documents.registry import A5_PORTRAIT
from motcua.documents.renderers import applicant_of, place_date, render_receipt
from motcua.documents.words import format_datetime, format_vnd
from motcua.dossiers.models import Dossier

from .dossier_selectors import submission_outlook

CONFIRMATION_TITLE = "Phiếu xác nhận nộp hồ sơ trực tuyến"


@dataclass(frozen=True)
class _Spec:
    """The documents base template reads these; the confirmation is not a numbered form."""

    title: str = CONFIRMATION_TITLE
    paper: str = A5_PORTRAIT
    label: str = ""


def receipt_pdf(*, dossier: Dossier) -> tuple[bytes, str]:
    """(PDF bytes, file name) of the receipt the citizen may download now."""
    if dossier.received_at is not None and dossier.due_at is not None:
        return render_receipt(dossier=dossier), f"giay-tiep-nhan-{dossier.code}.pdf"
    return confirmation_pdf(dossier=dossier), f"xac-nhan-nop-ho-so-{dossier.code}.pdf"


def confirmation_pdf(*, dossier: Dossier) -> bytes:
    if not dossier.code or dossier.submitted_at is None:
        raise ValueError("a confirmation needs a submitted dossier")
    issued = timezone.now()
    applicant = applicant_of(dossier)
    payload = build_qr_payload(
        dossier_code=dossier.code,
        procedure_code=dossier.procedure.code,
        applicant_id=applicant["identifier"],
        document_name=CONFIRMATION_TITLE,
        issued_at=issued,
    )
    unit = dossier.receiving_unit
    outlook = submission_outlook(dossier=dossier)
    documents = [
        {
            "name": a.required_document.name if a.required_document else "Giấy tờ khác",
            "file": a.original_name,
        }
        for a in dossier.attachments.select_related("required_document").order_by("pk")
        if a.kind in ("application", "supplement")
    ]
    context = {
        "form": _Spec(),
        "code": dossier.code,
        "dossier": dossier,
        "procedure": dossier.procedure,
        "applicant": applicant,
        "unit_name": unit.name,
        "parent_name": unit.parent.name if unit.parent_id else "",
        "place_date": place_date(unit=unit, when=issued),
        "qr_svg": qr_svg(data=payload),
        "tracking_url": tracking_url(code=dossier.code),
        "submitted_text": format_datetime(value=dossier.submitted_at),
        "check_by_text": format_datetime(value=outlook.check_by) if outlook else "",
        "documents": documents,
        "delivery_label": dossier.get_result_delivery_display(),
        "delivery_address": dossier.delivery_address,
        "fee_text": format_vnd(amount=dossier.fee_total) if dossier.fee_total else "",
        "status_label": dossier.get_status_display(),
    }
    return html_to_pdf(html=render_to_string("portal/pdf/submission_confirmation.html", context))
