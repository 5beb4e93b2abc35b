"""The postal papers as PDF (issue 16): a parcel's address label (A6) with its tracking number as
a Code 128 barcode and a QR code, a pickup's hand-over record (biên bản bàn giao hồ sơ, Decision
45/2016/QĐ-TTg) and a unit's day list of outgoing results for the postman to sign.

They go through the documents app's machinery (WeasyPrint, NFC text, the forms' masthead and QR
payload); they are not forms of Circular 01/2018, so their specs live here, not in the registry.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Any

from barcode import Code128
from barcode.writer import SVGWriter
from django.conf import settings
from django.utils import timezone

from motcua.documents.pdf import render_pdf
from motcua.documents.qr import build_qr_payload, qr_svg
from motcua.documents.registry import A4_LANDSCAPE, A4_PORTRAIT, FormSpec
from motcua.documents.renderers import _received_documents, base_context, place_date
from motcua.documents.words import (
    format_date,
    format_datetime,
    format_short_datetime,
    format_vnd,
    local,
)
from motcua.orgs.models import Unit

from .constants import Provider, ShipmentKind, WeightClass
from .models import Shipment
from .selectors import day_deliveries

A6_PORTRAIT = "A6 portrait"
_STYLE_FILL = re.compile(r'style="fill:\s*([a-z]+|#[0-9a-fA-F]{3,6})\s*;?"')

LABEL = FormSpec(
    key="postal_label",
    number="",
    title="Nhãn bưu gửi",
    template="postal/papers/label.html",
    paper=A6_PORTRAIT,
)
HANDOVER_RECORD = FormSpec(
    key="postal_handover_record",
    number="",
    title="Biên bản bàn giao hồ sơ",
    template="postal/papers/handover_record.html",
    paper=A4_PORTRAIT,
)
DAY_LIST = FormSpec(
    key="postal_day_list",
    number="",
    title="Danh sách bưu gửi kết quả giao bưu điện",
    template="postal/papers/day_list.html",
    paper=A4_LANDSCAPE,
)

# What the parcel carries, as the label and the postman's list name it.
KIND_TEXT = {ShipmentKind.PICKUP: "Hồ sơ TTHC", ShipmentKind.DELIVERY: "Kết quả TTHC"}


def code128_svg(value: str, *, module_mm: float = 0.33, height_mm: float = 13) -> str:
    """An inline <svg> of `value` as a Code 128 barcode, sized in millimetres for print.

    The quiet zones are 11 modules wide (the standard asks for 10); the human-readable text is
    printed by the template, in the paper's own font.
    """
    if not value:
        raise ValueError("a barcode needs a value")
    stream = io.BytesIO()
    Code128(value, writer=SVGWriter()).write(
        stream,
        options={
            "module_width": module_mm,
            "module_height": height_mm,
            "quiet_zone": round(module_mm * 11, 2),
            "write_text": False,
            "margin_top": 0,
            "margin_bottom": 0,
        },
    )
    svg = stream.getvalue().decode("utf-8")
    svg = svg[svg.index("<svg") :]  # no XML declaration or doctype inside HTML
    # WeasyPrint's SVG reads presentation attributes, not a `fill` inside a style attribute.
    return _STYLE_FILL.sub(r'fill="\1"', svg)


@dataclass(frozen=True)
class Party:
    """One side of a parcel as the label prints it."""

    name: str
    address: str
    phone: str
    organisation: str = ""


def _parties(shipment: Shipment) -> tuple[Party, Party]:
    """(sender, recipient): the applicant sends a pickup and receives a delivery."""
    person = Party(shipment.person_name, shipment.person_address, shipment.person_phone)
    agency_unit = shipment.unit.name
    agency = Party(
        shipment.agency_name,
        shipment.agency_address,
        shipment.agency_phone,
        organisation=agency_unit if agency_unit != shipment.agency_name else "",
    )
    if shipment.kind == ShipmentKind.PICKUP:
        return person, agency
    return agency, person


def _amounts(shipment: Shipment) -> dict[str, str]:
    return {
        "postage_text": format_vnd(amount=shipment.postage),
        "cod_text": format_vnd(amount=shipment.cod_amount),
    }


def label_pdf(*, shipment: Shipment) -> bytes:
    """The A6 address label of a parcel that has its tracking number."""
    number = shipment.tracking_number
    if not number:
        raise ValueError("a label needs the parcel's tracking number")
    sender, recipient = _parties(shipment)
    context: dict[str, Any] = {
        "form": LABEL,
        "shipment": shipment,
        "tracking_number": number,
        "barcode_svg": code128_svg(number),
        "qr_svg": qr_svg(data=number, size_mm=22),
        "code": shipment.dossier.code or "",
        "kind_text": KIND_TEXT[ShipmentKind(shipment.kind)],
        "sender": sender,
        "recipient": recipient,
        "weight_text": str(WeightClass(shipment.weight_class).label),
        "provider_text": str(Provider(shipment.provider).label),
        "created_text": format_short_datetime(value=shipment.created_at),
        **_amounts(shipment),
    }
    return render_pdf(spec=LABEL, context=context)


def handover_record_pdf(*, shipment: Shipment) -> bytes:
    """The hand-over record of a pickup the postman has handed to the desk."""
    if shipment.kind != ShipmentKind.PICKUP or shipment.handed_over_at is None:
        raise ValueError("a hand-over record needs a pickup that has been handed over")
    dossier = shipment.dossier
    moment = shipment.handed_over_at
    context = base_context(
        spec=HANDOVER_RECORD, dossier=dossier, unit=shipment.unit, issued_at=moment
    )
    context |= {
        "shipment": shipment,
        "tracking_number": shipment.tracking_number,
        "documents": _received_documents(dossier),
        "handed_over_text": format_datetime(value=moment),
        "courier_name": shipment.courier_name,
        "officer_name": str(shipment.handed_over_by) if shipment.handed_over_by_id else "",
        "provider_text": str(Provider(shipment.provider).label),
        "sender": _parties(shipment)[0],
        "system_name": settings.MOTCUA_SYSTEM_NAME,
    }
    return render_pdf(spec=HANDOVER_RECORD, context=context)


def _figures(amount: int) -> str:
    """ "1.250.000": an amount in a column headed "(đồng)"."""
    return format_vnd(amount=amount).removesuffix(" đồng")


def day_list_pdf(*, unit: Unit, day: dt.date, issued_at: dt.datetime | None = None) -> bytes:
    """The unit's results handed to the post on `day` (its local date), for the postman to sign.

    A fixed number of queries whatever the number of parcels: the parcels with their dossiers in
    one, the masthead's parent and top unit in two more.
    """
    issued = issued_at or timezone.now()
    shipments = day_deliveries(unit=unit, day=day)
    day_text = format_date(value=day)
    payload = build_qr_payload(
        dossier_code="",
        procedure_code="",
        applicant_id=unit.code,
        document_name=f"{DAY_LIST.title} {day_text}",
        issued_at=issued,
    )
    rows = [
        {
            "tracking_number": s.tracking_number or "",
            "code": s.dossier.code or "",
            "name": s.person_name,
            "address": s.person_address,
            "phone": s.person_phone,
            "cod_text": _figures(s.cod_amount),
            "postage_text": _figures(s.postage),
            "created_text": local(s.created_at).strftime("%H:%M"),
        }
        for s in shipments
    ]
    cod_total = sum(s.cod_amount for s in shipments)
    postage_total = sum(s.postage for s in shipments)
    providers = sorted({str(Provider(s.provider).label) for s in shipments})
    context: dict[str, Any] = {
        "form": DAY_LIST,
        "code": "",
        "unit": unit,
        "unit_name": unit.name,
        "parent_name": unit.parent.name if unit.parent_id else "",
        "place_date": place_date(unit=unit, when=issued),
        "qr_payload": payload,
        "qr_svg": qr_svg(data=payload, size_mm=20),
        "day_text": day_text,
        "rows": rows,
        "count": len(rows),
        "cod_total_figures": _figures(cod_total),
        "postage_total_figures": _figures(postage_total),
        "cod_total_text": format_vnd(amount=cod_total),
        "postage_total_text": format_vnd(amount=postage_total),
        "providers_text": ", ".join(providers),
    }
    return render_pdf(spec=DAY_LIST, context=context)
