"""The official forms 01–06 as PDF: one ``render_<form>(*, dossier, …) -> bytes`` per form."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from . import registry
from .pdf import render_pdf
from .qr import build_qr_payload, qr_svg, tracking_url
from .selectors import tracking_book
from .words import (
    amount_in_words,
    format_date,
    format_datetime,
    format_short_datetime,
    format_vnd,
)

if TYPE_CHECKING:
    from motcua.dossiers.models import Dossier, DossierEvent, SupplementRequest
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


def base_context(
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
        return label, dossier.delivery_address or dossier.applicant_address
    return label, "Cổng dịch vụ công"


def render_receipt(*, dossier: Dossier, issued_at: dt.datetime | None = None) -> bytes:
    """Form 01, Giấy tiếp nhận hồ sơ và hẹn trả kết quả, of a received dossier."""
    if dossier.received_at is None or dossier.due_at is None:
        raise ValueError("a receipt needs a received dossier (received_at and due_at set)")
    spec = registry.get_form(key=registry.RECEIPT)
    issued = issued_at or dossier.received_at
    fee_total, fee_lines = _fees(dossier)
    delivery_label, delivery_place = _delivery(dossier)
    context = base_context(
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


def _latest_supplement_request(dossier: Dossier) -> SupplementRequest:
    request = dossier.supplement_requests.order_by("-requested_at", "-pk").first()
    if request is None:
        raise ValueError("the dossier has no supplement request")
    return request


def render_supplement_request(
    *, dossier: Dossier, request: SupplementRequest | None = None
) -> bytes:
    """Form 02, Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: every item asked for, at once."""
    request = request or _latest_supplement_request(dossier)
    spec = registry.get_form(key=registry.SUPPLEMENT_REQUEST)
    unit = dossier.receiving_unit
    context = base_context(spec=spec, dossier=dossier, unit=unit, issued_at=request.requested_at)
    context |= {
        "items": [str(item) for item in request.items],
        "reason": request.reason,
        "requested_text": format_datetime(value=request.requested_at),
        "officer_name": _person(request.requested_by),
        "contact_phone": unit.phone,
    }
    return render_pdf(spec=spec, context=context)


def _latest_event(dossier: Dossier, actions: tuple[str, ...]) -> DossierEvent | None:
    return (
        dossier.events.filter(action__in=actions).select_related("actor").order_by("-seq").first()
    )


def render_refusal(
    *,
    dossier: Dossier,
    reason: str | None = None,
    refused_at: dt.datetime | None = None,
    officer_name: str | None = None,
) -> bytes:
    """Form 03, Phiếu từ chối tiếp nhận giải quyết hồ sơ, with the reason.

    Without arguments the reason, time and officer come from the dossier's last refusal
    event (refused at reception, or denied after appraisal).
    """
    from motcua.dossiers.constants import Action

    event = _latest_event(dossier, (Action.REFUSE, Action.DENY))
    if reason is None:
        if event is None or not event.payload.get("reason"):
            raise ValueError("no refusal reason given and none recorded")
        reason = str(event.payload["reason"])
    if refused_at is None:
        refused_at = event.created_at if event is not None else timezone.now()
    if officer_name is None:
        officer_name = (_person(event.actor) or event.actor_label) if event is not None else ""
    spec = registry.get_form(key=registry.REFUSAL)
    context = base_context(
        spec=spec, dossier=dossier, unit=dossier.receiving_unit, issued_at=refused_at
    )
    submitted = dossier.received_at or dossier.submitted_at or refused_at
    context |= {
        "reason": reason,
        "submitted_text": format_datetime(value=submitted),
        "officer_name": officer_name,
    }
    return render_pdf(spec=spec, context=context)


def handling_agency(dossier: Dossier) -> Unit:
    """The agency resolving the dossier: the unit of its last step outside the receiving unit,
    raised from an office (phòng) to the agency it belongs to; else the receiving unit."""
    from motcua.orgs.constants import UnitKind

    steps = dossier.steps.select_related("unit__parent").order_by("-order", "-pk")
    step = steps.exclude(unit_id=dossier.receiving_unit_id).first()
    if step is None:
        return dossier.receiving_unit
    unit = step.unit
    while unit.kind == UnitKind.OFFICE and unit.parent_id:
        unit = unit.parent
    return unit


def render_apology(*, dossier: Dossier) -> bytes:
    """Form 04, Phiếu xin lỗi và hẹn lại ngày trả kết quả, from the dossier's Apology."""
    apology = getattr(dossier, "apology", None)
    if apology is None:
        raise ValueError("the dossier has no apology")
    spec = registry.get_form(key=registry.APOLOGY)
    unit = handling_agency(dossier)
    context = base_context(
        spec=spec,
        dossier=dossier,
        unit=unit,
        issued_at=apology.created_at,
        appointment_at=apology.new_due_at,
    )
    received = dossier.received_at or apology.created_at
    context |= {
        "reason": apology.reason,
        "received_date_text": format_date(value=received),
        "original_due_text": format_datetime(value=apology.original_due_at),
        "new_due_text": format_datetime(value=apology.new_due_at),
        "signer_name": _person(apology.signed_by),
    }
    return render_pdf(spec=spec, context=context)


def control_sheet_rows(dossier: Dossier) -> list[dict[str, str]]:
    """Form 05's rows: reception, then one row per hand-over (DossierStep), then the return."""
    from motcua.dossiers.constants import Action

    rows: list[dict[str, str]] = []
    if dossier.received_at is not None:
        rows.append(
            {
                "agency": dossier.receiving_unit.name,
                "step": "Tiếp nhận hồ sơ",
                "time": format_datetime(value=dossier.received_at),
                "giver": dossier.applicant_name,
                "receiver": _person(dossier.received_by),
                "timing": "",
                "note": dossier.get_channel_display(),
            }
        )
    steps = dossier.steps.select_related("unit", "sent_by", "assignee").order_by("order", "pk")
    for step in steps:
        if step.finished_at is not None:
            timing = step.get_timing_display() if step.timing else "Đã xử lý"
        else:
            timing = "Đang xử lý"
        note_parts = []
        if step.due_at is not None:
            note_parts.append(f"Hạn: {format_short_datetime(value=step.due_at)}")
        if step.finished_at is not None:
            note_parts.append(f"Xong: {format_short_datetime(value=step.finished_at)}")
        if step.note:
            note_parts.append(step.note)
        rows.append(
            {
                "agency": step.unit.name,
                "step": step.name,
                "time": format_datetime(value=step.started_at),
                "giver": _person(step.sent_by),
                "receiver": _person(step.assignee) or step.unit.name,
                "timing": timing,
                "note": "; ".join(note_parts),
            }
        )
    if dossier.returned_at is not None:
        event = _latest_event(dossier, (Action.RETURN_RESULT,))
        giver = (_person(event.actor) or event.actor_label) if event is not None else ""
        rows.append(
            {
                "agency": dossier.receiving_unit.name,
                "step": "Trả kết quả",
                "time": format_datetime(value=dossier.returned_at),
                "giver": giver,
                "receiver": dossier.applicant_name,
                "timing": dossier.get_timing_display() if dossier.timing else "",
                "note": dossier.get_result_delivery_display(),
            }
        )
    return rows


def render_control_sheet(*, dossier: Dossier, issued_at: dt.datetime | None = None) -> bytes:
    """Form 05, Phiếu kiểm soát quá trình giải quyết hồ sơ: every hand-over and its timing."""
    spec = registry.get_form(key=registry.CONTROL_SHEET)
    issued = issued_at or timezone.now()
    lead = handling_agency(dossier)
    coordinating = []
    for step in dossier.steps.select_related("unit__parent").order_by("order", "pk"):
        agency = step.unit
        if agency.pk in {lead.pk, dossier.receiving_unit_id}:
            continue
        if agency.parent_id == lead.pk:
            continue
        if agency.name not in coordinating:
            coordinating.append(agency.name)
    context = base_context(
        spec=spec, dossier=dossier, unit=dossier.receiving_unit, issued_at=issued
    )
    context |= {
        "lead_agency": lead.name,
        "coordinating": coordinating,
        "rows": control_sheet_rows(dossier),
        "due_text": format_datetime(value=dossier.due_at) if dossier.due_at else "",
    }
    return render_pdf(spec=spec, context=context)


def _cell_time(value: dt.datetime | None) -> str:
    return format_short_datetime(value=value) if value is not None else ""


def render_tracking_book(
    *, unit: Unit, start: dt.date, end: dt.date, issued_at: dt.datetime | None = None
) -> bytes:
    """Form 06, Sổ theo dõi hồ sơ, of a unit for a period (A4 landscape)."""
    book = tracking_book(unit=unit, start=start, end=end)
    spec = registry.get_form(key=registry.TRACKING_BOOK)
    issued = issued_at or timezone.now()
    document_name = f"{spec.title} {book.period_text.lower()}"
    payload = build_qr_payload(
        dossier_code="",
        procedure_code="",
        applicant_id=unit.code,
        document_name=document_name,
        issued_at=issued,
    )
    rows = [
        {
            "number": row.number,
            "code": row.code,
            "procedure": row.procedure,
            "quantity": row.quantity,
            "applicant": row.applicant,
            "address_phone": row.address_phone,
            "lead_agency": row.lead_agency,
            "received": _cell_time(row.received_at),
            "due": _cell_time(row.due_at),
            "transferred": _cell_time(row.transferred_at),
            "result": _cell_time(row.result_at),
            "returned": _cell_time(row.returned_at),
            "note": row.note,
        }
        for row in book.rows
    ]
    context = {
        "form": spec,
        "code": "",
        "unit": unit,
        "unit_name": unit.name,
        "parent_name": unit.parent.name if unit.parent_id else "",
        "place_date": place_date(unit=unit, when=issued),
        "qr_payload": payload,
        "qr_svg": qr_svg(data=payload, size_mm=20),
        "book": book,
        "rows": rows,
        "column_numbers": range(1, 15),
    }
    return render_pdf(spec=spec, context=context)


def render_form(number: str | int, **context: Any) -> bytes:
    """Render the form that currently carries ``number`` ("01"…"06") with its keyword arguments."""
    spec = registry.form_by_number(number=number)
    return RENDERERS[spec.key](**context)


RENDERERS: dict[str, Any] = {
    registry.RECEIPT: render_receipt,
    registry.SUPPLEMENT_REQUEST: render_supplement_request,
    registry.REFUSAL: render_refusal,
    registry.APOLOGY: render_apology,
    registry.CONTROL_SHEET: render_control_sheet,
    registry.TRACKING_BOOK: render_tracking_book,
}
