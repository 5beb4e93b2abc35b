"""The official forms as files: 01–05 of a dossier, and the tracking book (06) as PDF or XLSX."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.documents import registry
from motcua.documents.renderers import (
    render_apology,
    render_control_sheet,
    render_receipt,
    render_refusal,
    render_supplement_request,
    render_tracking_book,
)
from motcua.documents.xlsx import tracking_book_xlsx

from ..access import officer_required
from ..forms import UnitPeriodForm
from .dossier import _get_dossier

DOSSIER_FORMS = {
    registry.RECEIPT: render_receipt,
    registry.SUPPLEMENT_REQUEST: render_supplement_request,
    registry.REFUSAL: render_refusal,
    registry.APOLOGY: render_apology,
    registry.CONTROL_SHEET: render_control_sheet,
}
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file(content: bytes, *, content_type: str, name: str, download: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


@officer_required
def dossier_form(request: HttpRequest, code: str, key: str) -> HttpResponse:
    dossier = _get_dossier(request, code)
    renderer = DOSSIER_FORMS.get(key)
    if renderer is None:
        raise Http404
    try:
        content = renderer(dossier=dossier)
    except ValueError as exc:  # the form does not apply to this dossier (yet)
        raise Http404 from exc
    spec = registry.get_form(key=key)
    name = f"mau-{spec.number}-{dossier.code}.pdf"
    return _file(content, content_type=PDF, name=name, download=False)


@officer_required
def tracking_book(request: HttpRequest) -> HttpResponse:
    form = UnitPeriodForm(request.GET or None, scope=request.officer)  # type: ignore[attr-defined]
    if not form.is_valid():
        return render(request, "backoffice/tracking_book.html", {"form": form})
    unit, start, end = (form.cleaned_data[k] for k in ("unit", "start", "end"))
    stem = f"so-theo-doi-{unit.code}-{start:%Y%m%d}-{end:%Y%m%d}"
    if form.cleaned_data["output"] == "xlsx":
        content = tracking_book_xlsx(unit=unit, start=start, end=end)
        return _file(content, content_type=XLSX, name=f"{stem}.xlsx", download=True)
    content = render_tracking_book(unit=unit, start=start, end=end)
    return _file(content, content_type=PDF, name=f"{stem}.pdf", download=False)
