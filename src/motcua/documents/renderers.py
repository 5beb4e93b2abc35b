"""The official forms 01–06 as PDF: one ``render_<form>(*, dossier, …) -> bytes`` per form."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from . import registry
from .pdf import render_pdf
from .qr import build_qr_payload, qr_svg, tracking_url
from .words import amount_in_words, format_date, format_datetime, format_vnd

if TYPE_CHECKING:
    from motcua.dossiers.models import Dossier
    from motcua.orgs.models import Unit

# Prefixes dropped from the top unit's name to get the place printed before the date.
_PLACE_PREFIXES = (
    "Ủy ban nhân dân tỉnh ",
    "Uỷ ban nhân dân tỉnh ",
    "Ủy ban nhân dân thành phố ",
    "Uỷ ban nhân dân thành phố ",
    "UBND tỉnh ",
    "UBND thành phố ",
    "Tỉnh ",
    "tỉnh ",
    "Thành phố ",
    "thành phố ",
)


def _place(unit: Unit) -> str:
    root = unit.ancestors().order_by("depth").first() or unit
    name = root.name
    for prefix in _PLACE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def place_date(*, unit: Unit, when: dt.datetime) -> str:
    """ "Đắk Lắk, ngày 14 tháng 07 năm 2025" — the place is the top unit of the tree."""
    return f"{_place(unit)}, {format_date(value=when)}"


def applicant_of(dossier: Dossier) -> dict[str, str]:
    """The applicant's printable details and the identifier the QR code carries."""
    if dossier.applicant_citizen_id:
        identifier, label = dossier.applicant_citizen_id, "Số định danh cá nhân"
    elif dossier.applicant_tax_code:
        identifier, label = dossier.applicant_tax_code, "Mã số thuế"
    else:
        identifier, label = "", ""
    return {
        "name": dossier.applicant_name,
        "organisation": dossier.applicant_organisation,
        "identifier": identifier,
        "identifier_label": label,
        "address": dossier.applicant_address,
        "phone": dossier.applicant_phone,
        "email": dossier.applicant_email,
    }


def _person(user: Any) -> str:
    return str(user) if user is not None else ""


def _base_context(
    *,
    spec: registry.FormSpec,
    dossier: Dossier,
    unit: Unit,
    issued_at: dt.datetime,
    appointment_at: dt.datetime | None = None,
) -> dict[str, Any]:
    code = dossier.code or ""
    applicant = applicant_of(dossier)
    payload = build_qr_payload(
        dossier_code=code,
        procedure_code=dossier.procedure.code,
        applicant_id=applicant["identifier"],
        document_name=spec.title,
        issued_at=issued_at,
        appointment_at=appointment_at,
    )
    return {
        "form": spec,
        "code": code,
        "dossier": dossier,
        "procedure": dossier.procedure,
        "applicant": applicant,
        "unit": unit,
        "unit_name": unit.name,
        "parent_name": unit.parent.name if unit.parent_id else "",
        "place_date": place_date(unit=unit, when=issued_at),
        "issued_at": issued_at,
        "qr_payload": payload,
        "qr_svg": qr_svg(data=payload),
        "tracking_url": tracking_url(code=code),
    }


def _processing_time(dossier: Dossier) -> str:
    from motcua.catalog.constants import TimeUnit

    procedure = dossier.procedure
    if procedure.time_unit == TimeUnit.SAME_DAY:
        return "Trong ngày"
    return f"{procedure.processing_time:02d} {procedure.get_time_unit_display()}"


def _received_documents(dossier: Dossier) -> list[dict[str, Any]]:
    """One row per required document of the procedure, then any other file received."""
    from motcua.dossiers.constants import AttachmentKind, Channel

    received_kinds = {AttachmentKind.APPLICATION, AttachmentKind.SCAN, AttachmentKind.SUPPLEMENT}
    files_by_doc: dict[int | None, list[str]] = {}
    for attachment in dossier.attachments.all():
        if attachment.kind in received_kinds:
            files_by_doc.setdefault(attachment.required_document_id, []).append(
                attachment.original_name
            )
    electronic = dossier.channel == Channel.ONLINE
    rows: list[dict[str, Any]] = []
    for doc in dossier.procedure.required_documents.all():
        files = files_by_doc.pop(doc.pk, [])
        if electronic and not files and not doc.mandatory:
            continue
        if electronic:
            form, quantity = "Bản điện tử", len(files) or 1
        else:
            parts = []
            if doc.originals:
                parts.append("Bản chính")
            if doc.copies:
                parts.append("Bản sao" if not parts else "bản sao")
            form = ", ".join(parts) or "Bản chính"
            quantity = (doc.originals + doc.copies) or 1
        rows.append({"name": doc.name, "form": form, "quantity": quantity, "files": files})
    for files in files_by_doc.values():
        for name in files:
            rows.append(
                {
                    "name": "Giấy tờ khác",
                    "form": "Bản điện tử" if electronic else "Bản sao",
                    "quantity": 1,
                    "files": [name],
                }
            )
    return rows


def _fees(dossier: Dossier) -> tuple[int, list[dict[str, str]]]:
    from motcua.dossiers.constants import Channel

    lines = []
    computed = 0
    for fee in dossier.procedure.fees.all():
        amount = fee.amount
        if dossier.channel == Channel.ONLINE and fee.online_amount is not None:
            amount = fee.online_amount
        computed += amount
        lines.append({"name": fee.name, "amount_text": format_vnd(amount=amount)})
    total = dossier.fee_total or computed
    return total, lines


def _delivery(dossier: Dossier) -> tuple[str, str]:
    from motcua.dossiers.constants import ResultDelivery

    label = dossier.get_result_delivery_display()
    if dossier.result_delivery == ResultDelivery.IN_PERSON:
        unit = dossier.receiving_unit
        return label, f"{unit.name}{', ' + unit.address if unit.address else ''}"
    if dossier.result_delivery == ResultDelivery.POSTAL:
        return label, dossier.applicant_address
    return label, "Cổng dịch vụ công"


def render_receipt(*, dossier: Dossier, issued_at: dt.datetime | None = None) -> bytes:
    """Form 01, Giấy tiếp nhận hồ sơ và hẹn trả kết quả, of a received dossier."""
    if dossier.received_at is None or dossier.due_at is None:
        raise ValueError("a receipt needs a received dossier (received_at and due_at set)")
    spec = registry.get_form(key=registry.RECEIPT)
    issued = issued_at or dossier.received_at
    fee_total, fee_lines = _fees(dossier)
    delivery_label, delivery_place = _delivery(dossier)
    context = _base_context(
        spec=spec,
        dossier=dossier,
        unit=dossier.receiving_unit,
        issued_at=issued,
        appointment_at=dossier.due_at,
    )
    context |= {
        "documents": _received_documents(dossier),
        "processing_time": _processing_time(dossier),
        "received_text": format_datetime(value=dossier.received_at),
        "appointment_text": format_datetime(value=dossier.due_at),
        "channel_label": dossier.get_channel_display(),
        "delivery_label": delivery_label,
        "delivery_place": delivery_place,
        "fee_total": fee_total,
        "fee_text": format_vnd(amount=fee_total),
        "fee_words": amount_in_words(amount=fee_total),
        "fee_lines": fee_lines if len(fee_lines) > 1 else [],
        "fee_paid_online": dossier.paid_online,
        "officer_name": _person(dossier.received_by),
    }
    return render_pdf(spec=spec, context=context)


def render_form(number: str | int, **context: Any) -> bytes:
    """Render the form that currently carries ``number`` ("01"…"06") with its keyword arguments."""
    spec = registry.form_by_number(number=number)
    return RENDERERS[spec.key](**context)


RENDERERS: dict[str, Any] = {
    registry.RECEIPT: render_receipt,
}
