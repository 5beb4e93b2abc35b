"""The public postal service at the desk (/can-bo/buu-chinh/): parcels to be handed over, results
out for delivery, parcels that came back, orders without a tracking number; the hand-over record
of a pickup (the dossier's t0); on the dossier page, its parcels and what the desk can do.

Every list is limited to the officer's units; every write goes through postal.services, which
checks the reception role again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.dossiers.exceptions import DossierError
from motcua.postal import selectors as postal_reads
from motcua.postal import services as postal
from motcua.postal.constants import (
    ShipmentKind,
)
from motcua.postal.models import Shipment

from ..access import officer_required
from ..errors import error_text
from ..postal_context import can_hand_over, pdf_paths, with_links
from ..postal_forms import (
    CancelForm,
    DeliveryAddressForm,
    HandoverForm,
    TrackingForm,
)
from ..selectors import dossier_for_officer, units_for_filter
from .dossier import _context
from .payments import _chosen_units, _report_form

TABS = {
    "pickups": gettext_lazy("Chờ bàn giao"),
    "deliveries": gettext_lazy("Đang phát"),
    "failed": gettext_lazy("Không phát được"),
    "unordered": gettext_lazy("Chưa đặt đơn"),
}
TAB_HINTS = {
    "pickups": gettext_lazy("Hồ sơ bưu điện đang nhận từ người nộp, chờ lập biên bản bàn giao"),
    "deliveries": gettext_lazy("Kết quả đang được bưu điện phát đến người nhận"),
    "failed": gettext_lazy("Bưu gửi hoàn về hoặc thất lạc: hồ sơ trở lại bộ phận một cửa"),
    "unordered": gettext_lazy("Bưu gửi chưa có số hiệu: chưa đặt được đơn với bưu điện"),
}
PAGE_SIZE = 25


def _shipment_in_scope(request: HttpRequest, pk: int) -> Shipment:
    shipment = (
        Shipment.objects.select_related("dossier", "unit")
        .filter(pk=pk, unit_id__in=request.officer.visible)  # type: ignore[attr-defined]
        .first()
    )
    if shipment is None or not shipment.dossier.code:
        raise Http404(_("Không tìm thấy bưu gửi trong phạm vi đơn vị của bạn."))
    return shipment


@officer_required
def postal_home(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab", "pickups")
    if tab not in TABS:
        raise Http404(tab)
    units, unit = _chosen_units(request)
    unit_ids = sorted(units)
    counts = {key: postal_reads.desk_queue(unit_ids=unit_ids, tab=key).count() for key in TABS}
    shipments = postal_reads.desk_queue(unit_ids=unit_ids, tab=tab).select_related("unit")
    page = Paginator(shipments, PAGE_SIZE).get_page(request.GET.get("page"))
    pdfs = pdf_paths()
    with_links(page.object_list, pdfs)
    context: dict[str, Any] = {
        "tab": tab,
        "tabs": [(key, label, counts[key]) for key, label in TABS.items()],
        "hint": TAB_HINTS[tab],
        "page": page,
        "unit": unit,
        "units": units_for_filter(scope=request.officer).order_by("path"),  # type: ignore[attr-defined]
        "dispatch_pdf": pdfs.get("dispatch", ""),
    }
    return render(request, "backoffice/postal.html", context)


@officer_required
def pickup_handover(request: HttpRequest, pk: int) -> HttpResponse:
    """The hand-over record of a pickup: the courier's name and a note, then the receipt."""
    shipment = _shipment_in_scope(request, pk)
    if shipment.kind != ShipmentKind.PICKUP:
        raise Http404(_("Bưu gửi này không phải hồ sơ nhận từ người nộp."))
    form = HandoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = postal.pickup_handover(
                shipment=shipment,
                actor=request.user,
                courier_name=form.cleaned_data["courier_name"],
                note=form.cleaned_data["note"],
            )
        except DossierError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(
                request,
                _(
                    "Đã lập biên bản bàn giao và tiếp nhận hồ sơ %(code)s. In giấy tiếp nhận và "
                    "hẹn trả kết quả (mẫu 01)."
                )
                % {"code": dossier.code},
            )
            return redirect("backoffice:dossier", code=dossier.code)
    done = shipment.handed_over_at is not None
    context = {
        "s": shipment,
        "d": shipment.dossier,
        "form": form,
        "done": done,
        "events": list(shipment.events.select_related("actor")),
        "can_hand_over": can_hand_over(shipment) or form.errors,
    }
    return render(request, "backoffice/postal_handover.html", context)


def _back(request: HttpRequest, shipment: Shipment) -> HttpResponse:
    back = request.POST.get("next") or ""
    if back.startswith("/can-bo/"):
        return redirect(back)
    return redirect("backoffice:dossier", code=shipment.dossier.code)


@officer_required
@require_POST
def shipment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Withdraw an order not collected (`cancel`), or record a tracking number (`tracking`)."""
    shipment = _shipment_in_scope(request, pk)
    forms = {"cancel": CancelForm, "tracking": TrackingForm}
    if action not in forms:
        raise Http404(action)
    form = forms[action](request.POST)
    if not form.is_valid():
        _report_form(request, form)
        return _back(request, shipment)
    try:
        if action == "cancel":
            postal.shipment_cancel(
                shipment=shipment, actor=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Đã huỷ đơn bưu gửi."))
        else:
            saved = postal.shipment_tracking_set(
                shipment=shipment,
                actor=request.user,
                tracking_number=form.cleaned_data["tracking_number"],
            )
            messages.success(
                request,
                _("Đã ghi số hiệu bưu gửi %(number)s.") % {"number": saved.tracking_number},
            )
    except DossierError as exc:
        messages.error(request, error_text(exc))
    return _back(request, shipment)


@officer_required
@require_POST
def delivery_request(request: HttpRequest, code: str) -> HttpResponse:
    """Send a ready result by post (an in-person dossier, or again after a parcel came back)."""
    dossier = dossier_for_officer(scope=request.officer, code=code)  # type: ignore[attr-defined]
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ trong phạm vi đơn vị của bạn."))
    form = DeliveryAddressForm(request.POST)
    if form.is_valid() and form.address is not None:
        try:
            shipment = postal.delivery_request(
                dossier=dossier, actor=request.user, address=form.address
            )
        except DossierError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(
                request,
                _("Đã tạo bưu gửi trả kết quả cho %(name)s: %(address)s.")
                % {"name": shipment.person_name, "address": shipment.person_address},
            )
            return redirect(reverse("backoffice:dossier", args=[code]) + "#postal-title")
    # Nothing entered is lost: the page comes back with the form and its errors.
    context = _context(request, dossier, delivery_form=form)
    return render(request, "backoffice/dossier.html", context)
