"""The result documents as PDF: one template per kind, the e-result code and a QR code to its
verification page, rendered by the documents app's WeasyPrint pipeline (its fonts and CSS)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string

from motcua.documents.pdf import html_to_pdf
from motcua.documents.qr import qr_svg
from motcua.documents.renderers import applicant_of, place_date
from motcua.documents.words import format_datetime
from motcua.public_url import public_base_url

from .constants import ResultKind

if TYPE_CHECKING:
    from motcua.dossiers.models import Dossier
    from motcua.orgs.models import Unit

TEMPLATES = {
    ResultKind.CERTIFICATE: "results/result_certificate.html",
    ResultKind.LICENCE: "results/result_licence.html",
    ResultKind.PERMIT: "results/result_permit.html",
    ResultKind.DECISION: "results/result_decision.html",
    ResultKind.REFUSAL: "results/result_refusal.html",
    ResultKind.DENIAL: "results/result_denial.html",
}


def verification_url(*, code: str) -> str:
    """Where the QR code of a result points: its public verification page."""
    return f"{public_base_url()}/xac-thuc/{code}/"


@dataclass(frozen=True, kw_only=True)
class ResultSheet:
    """What a generated result says, besides the dossier's own data."""

    code: str
    kind: str
    title: str
    signer_name: str
    issued_at: dt.datetime
    reason: str = ""
    note: str = ""
    replaces: str = ""
    correction_reason: str = ""


def render_result_html(*, dossier: Dossier, unit: Unit, sheet: ResultSheet) -> str:
    url = verification_url(code=sheet.code)
    context: dict[str, Any] = {
        "sheet": sheet,
        "code": sheet.code,
        "dossier": dossier,
        "procedure": dossier.procedure,
        "applicant": applicant_of(dossier),
        "unit_name": unit.name,
        "parent_name": unit.parent.name if unit.parent_id else "",
        "place_date": place_date(unit=unit, when=sheet.issued_at),
        "issued_text": format_datetime(value=sheet.issued_at),
        "received_text": format_datetime(value=dossier.received_at) if dossier.received_at else "",
        "submitted_text": (
            format_datetime(value=dossier.submitted_at) if dossier.submitted_at else ""
        ),
        "verification_url": url,
        "qr_svg": qr_svg(data=url, size_mm=24),
    }
    return render_to_string(TEMPLATES[sheet.kind], context)


def render_result_pdf(*, dossier: Dossier, unit: Unit, sheet: ResultSheet) -> bytes:
    return html_to_pdf(html=render_result_html(dossier=dossier, unit=unit, sheet=sheet))


def image_to_pdf(*, content: bytes, content_type: str, code: str, title: str) -> bytes:
    """A scanned result (JPEG/PNG) as one A4 page, with its code and QR, ready to be signed."""
    import base64

    url = verification_url(code=code)
    data = base64.b64encode(content).decode("ascii")
    html = render_to_string(
        "results/result_scan.html",
        {
            "code": code,
            "title": title,
            "image_src": f"data:{content_type};base64,{data}",
            "verification_url": url,
            "qr_svg": qr_svg(data=url, size_mm=20),
        },
    )
    return html_to_pdf(html=html)
