"""The postal papers as files (/can-bo/buu-chinh/…): a parcel's label, a pickup's hand-over record
and a unit's day list of outgoing results.

Only the desk and the unit's leader print them, for parcels of the units their memberships cover;
another agency's parcel is not found (404), whoever asks without an officer membership is refused.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.orgs.constants import Role
from motcua.orgs.models import Unit
from motcua.orgs.selectors import memberships_for_user
from motcua.postal.models import Shipment
from motcua.postal.papers import day_list_pdf, handover_record_pdf, label_pdf

from ..access import officer_required
from ..forms import DATE_WIDGET, UnitChoiceField

# Who prints the postal papers: the reception desk, and the unit's leader who answers for it.
PAPER_ROLES = (Role.RECEPTION, Role.UNIT_LEADER)
PDF = "application/pdf"


def _paper_units(request: HttpRequest) -> frozenset[int]:
    return request.officer.units_for(*PAPER_ROLES)  # type: ignore[attr-defined]


def _pdf(content: bytes, *, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=PDF)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _shipment(request: HttpRequest, shipment_id: int) -> Shipment:
    """The parcel, if it belongs to a unit the officer prints for; else 404 (not 403: another
    agency's parcels are not confirmed to exist)."""
    shipment = (
        Shipment.objects.select_related(
            "dossier__procedure", "dossier__receiving_unit", "unit__parent", "handed_over_by"
        )
        .filter(pk=shipment_id, unit_id__in=_paper_units(request))
        .first()
    )
    if shipment is None:
        raise Http404
    return shipment


@officer_required
def postal_label(request: HttpRequest, shipment_id: int) -> HttpResponse:
    shipment = _shipment(request, shipment_id)
    try:
        content = label_pdf(shipment=shipment)
    except ValueError as exc:  # no tracking number yet: the order is not placed
        raise Http404(_("Bưu gửi chưa có số hiệu, chưa in được nhãn.")) from exc
    return _pdf(content, name=f"nhan-{shipment.tracking_number}.pdf")


@officer_required
def postal_handover_record(request: HttpRequest, shipment_id: int) -> HttpResponse:
    shipment = _shipment(request, shipment_id)
    try:
        content = handover_record_pdf(shipment=shipment)
    except ValueError as exc:  # a delivery, or a pickup not handed over yet
        raise Http404(_("Bưu gửi chưa được bàn giao tại bộ phận một cửa.")) from exc
    return _pdf(content, name=f"bien-ban-ban-giao-{shipment.dossier.code}.pdf")


class DayListForm(forms.Form):
    """A unit the officer prints for and a day (dd/mm/yyyy or YYYY-MM-DD)."""

    unit = UnitChoiceField(
        label=_("Đơn vị"),
        queryset=Unit.objects.none(),
        error_messages={"invalid_choice": _("Chọn một đơn vị anh/chị được in danh sách.")},
    )
    date = forms.DateField(
        label=_("Ngày gửi"),
        widget=DATE_WIDGET,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": _("Nhập ngày dạng dd/mm/yyyy, ví dụ 14/07/2025.")},
    )

    def __init__(self, *args: Any, unit_ids: frozenset[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            pk__in=unit_ids, is_active=True
        ).order_by("path")


def _first_unit_id(request: HttpRequest) -> int | None:
    """The unit of the officer's first membership of a printing role."""
    memberships = memberships_for_user(user=request.user, roles=PAPER_ROLES)
    return min(memberships, key=lambda m: m.pk).unit_id if memberships else None


@officer_required
def postal_day_list(request: HttpRequest) -> HttpResponse:
    unit_ids = _paper_units(request)
    if not unit_ids:
        raise Http404
    chosen = request.GET.get("unit", "")
    if chosen.isdigit() and int(chosen) not in unit_ids:
        raise Http404  # another agency's unit: not confirmed to exist
    data = {
        "unit": chosen or _first_unit_id(request) or "",
        "date": request.GET.get("date") or timezone.localdate().isoformat(),
    }
    form = DayListForm(data, unit_ids=unit_ids)
    if not form.is_valid():
        return render(request, "backoffice/postal_day_list.html", {"form": form}, status=400)
    unit, day = form.cleaned_data["unit"], form.cleaned_data["date"]
    unit = Unit.objects.select_related("parent").get(pk=unit.pk)
    content = day_list_pdf(unit=unit, day=day)
    return _pdf(content, name=f"danh-sach-gui-{unit.code}-{day:%Y%m%d}.pdf")
