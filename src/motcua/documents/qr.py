"""The QR code at the top left of every form (Circular 01/2023-VPCP Art 26) and its text payload.

Payload: UTF-8 text, one ``KEY:value`` field a line, in this order, keys short so the code
stays small enough to scan from an A5 print:

    MOTCUA:1              format marker and version
    MHS:<dossier code>    mã hồ sơ
    TTHC:<procedure code> mã thủ tục hành chính
    DD:<identifier>       số định danh cá nhân, or mã số thuế of an organisation (may be empty)
    VB:<document name>    tên giấy tờ (the form's title)
    HT:<system name>      tên hệ thống cấp (settings.MOTCUA_SYSTEM_NAME)
    TG:<issue time>       thời điểm cấp, ISO 8601 with the +07:00 offset, to the minute
    HEN:<appointment>     thời điểm hẹn trả kết quả (form 01 and 04 only)
    URL:<tracking URL>    the public tracking page of the dossier (absent without a dossier code)

The tracking book (form 06) is about a unit and a period, not a dossier: its MHS and TTHC are
empty, DD carries the unit's agency code and VB the title with the period.

Values never contain a line break (they are folded to spaces), so a reader splits on newlines
and on the first colon of each line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

import segno
from django.conf import settings

from motcua.public_url import public_base_url

from .words import local, nfc

PAYLOAD_MARKER = "MOTCUA:1"


@dataclass(frozen=True, kw_only=True)
class QrPayload:
    dossier_code: str
    procedure_code: str
    applicant_id: str
    document_name: str
    system_name: str
    issued_at: dt.datetime
    appointment_at: dt.datetime | None = None
    url: str = ""


def tracking_url(*, code: str) -> str:
    """The absolute URL of the public tracking page of a dossier (docs/ARCHITECTURE.md §4: /tra-cuu/?code=…)."""
    base = public_base_url()
    return f"{base}/tra-cuu/?{urlencode({'code': code})}"


def _one_line(value: str) -> str:
    return " ".join(nfc(value).split())


def _moment(value: dt.datetime) -> str:
    return local(value).replace(second=0, microsecond=0).isoformat(timespec="minutes")


def build_qr_payload(
    *,
    dossier_code: str,
    procedure_code: str,
    applicant_id: str,
    document_name: str,
    issued_at: dt.datetime,
    appointment_at: dt.datetime | None = None,
    system_name: str | None = None,
    url: str | None = None,
) -> str:
    """The payload text documented in this module's docstring."""
    lines = [
        PAYLOAD_MARKER,
        f"MHS:{_one_line(dossier_code)}",
        f"TTHC:{_one_line(procedure_code)}",
        f"DD:{_one_line(applicant_id)}",
        f"VB:{_one_line(document_name)}",
        f"HT:{_one_line(system_name if system_name is not None else settings.MOTCUA_SYSTEM_NAME)}",
        f"TG:{_moment(issued_at)}",
    ]
    if appointment_at is not None:
        lines.append(f"HEN:{_moment(appointment_at)}")
    if url is None:
        url = tracking_url(code=dossier_code) if dossier_code else ""
    if url:
        lines.append(f"URL:{url}")
    return "\n".join(lines)


def parse_qr_payload(*, text: str) -> QrPayload:
    """Read a payload back (what a verifier or a kiosk scanner does)."""
    lines = text.split("\n")
    if not lines or lines[0] != PAYLOAD_MARKER:
        raise ValueError("not a motcua QR payload")
    fields: dict[str, str] = {}
    for line in lines[1:]:
        key, _sep, value = line.partition(":")
        fields[key] = value
    appointment = fields.get("HEN")
    return QrPayload(
        dossier_code=fields["MHS"],
        procedure_code=fields["TTHC"],
        applicant_id=fields["DD"],
        document_name=fields["VB"],
        system_name=fields["HT"],
        issued_at=dt.datetime.fromisoformat(fields["TG"]),
        appointment_at=dt.datetime.fromisoformat(appointment) if appointment else None,
        url=fields.get("URL", ""),
    )


def qr_svg(*, data: str, size_mm: float = 19) -> str:
    """An inline <svg> element of the QR code, sized in millimetres for print."""
    code = segno.make(data, error="m", micro=False, encoding="utf-8")
    svg = code.svg_inline(scale=1, border=0, omitsize=True)
    return svg.replace("<svg ", f'<svg style="width:{size_mm}mm;height:{size_mm}mm" ', 1)


def vietqr_svg(payload: str) -> str:
    """An inline <svg> of a VietQR transfer payload (motcua.payments.vietqr.vietqr_payload)."""
    return qr_svg(data=payload)
