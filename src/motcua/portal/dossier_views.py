"""A citizen's dossiers (/ho-so-cua-toi/): list, detail with timeline, receipt, supplement,
withdrawal, result download, rating; and the public lookup (/tra-cuu/).

Every page of a dossier starts from `dossier_get_for_citizen`: another person's code, or a code
that does not exist, is the same 404.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.documents.qr import qr_svg, tracking_url
from motcua.dossiers import services
from motcua.dossiers.constants import (
    Action,
    AttachmentKind,
    DossierStatus,
    ResultDelivery,
)
from motcua.dossiers.exceptions import DossierError
from motcua.dossiers.models import Dossier, DossierRating
from motcua.dossiers.selectors import dossier_get_draft_for_citizen, dossier_get_for_citizen
from motcua.dossiers.uploads import download_response
from motcua.dossiers.workflow import available_actions
from motcua.notifications.constants import Audience
from motcua.notifications.selectors import message_log_of_dossier
from motcua.payments.constants import OPEN_INVOICE_STATES
from motcua.payments.selectors import invoices_of_dossier
from motcua.postal import services as postal_services
from motcua.results.constants import DownloadChannel
from motcua.results.selectors import current_results_of_dossier, result_current_of_dossier
from motcua.results.services import result_download_record

from . import dossier_selectors as reads
from .documents import receipt_pdf
from .ratelimit import rate_limited
from .submission_forms import LookupForm, RatingForm, SupplementForm, WithdrawForm

# Public lookups allowed per client address and window (docs/ARCHITECTURE.md §5: lookups are rate limited).
LOOKUP_LIMIT = 30
LOOKUP_WINDOW_SECONDS = 600


def _get(request: HttpRequest, code: str) -> Dossier:
    try:
        return dossier_get_for_citizen(user=request.user, code=code)
    except DossierError:
        raise Http404(code) from None


@login_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/dossiers/list.html",
        {
            "drafts": reads.draft_list_for_citizen(user=request.user),
            "page": reads.dossier_page_for_citizen(
                user=request.user, page_number=request.GET.get("page", 1)
            ),
        },
    )


def _rating(dossier: Dossier) -> DossierRating | None:
    return DossierRating.objects.filter(dossier=dossier).first()


def _detail_context(request: HttpRequest, dossier: Dossier, **extra: Any) -> dict[str, Any]:
    actions = {t.action for t in available_actions(user=request.user, dossier=dossier)}
    rating = _rating(dossier)
    context: dict[str, Any] = {
        "dossier": dossier,
        "procedure": dossier.procedure,
        "entries": reads.timeline(dossier=dossier),
        "attachments": list(reads.attachments_for_owner(dossier=dossier)),
        "result_ready": dossier.status in reads.RESULT_STATES,
        "supplement_request": reads.open_supplement_request(dossier=dossier),
        "can_supplement": Action.SUPPLEMENT in actions,
        "can_withdraw": Action.WITHDRAW in actions,
        "rating": rating,
        "can_rate": dossier.status == DossierStatus.RETURNED and rating is None,
        "appointment": reads.appointment_of(dossier),
        "outlook": reads.submission_outlook(dossier=dossier)
        if dossier.status == DossierStatus.SUBMITTED
        else None,
        "max_upload_mb": settings.MOTCUA_MAX_UPLOAD_BYTES // (1024 * 1024),
        "invoices": invoices_of_dossier(dossier_id=dossier.pk),
        # The signed e-results (results app): what the applicant downloads online.
        "e_results": current_results_of_dossier(dossier=dossier)
        if dossier.status in reads.E_RESULT_STATES
        else [],
        "open_states": OPEN_INVOICE_STATES,
        "parcels": reads.parcels_of(dossier=dossier, owner=True),
        # What the applicant was told (the officers' warnings are theirs, not shown here).
        "message_log": message_log_of_dossier(
            dossier_id=dossier.pk, viewer_id=request.user.pk, audience=Audience.APPLICANT
        ),
    }
    context.setdefault("supplement_form", SupplementForm())
    context.setdefault("rating_form", RatingForm())
    return context | extra


@login_required
def my_dossier(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _get(request, code)
    return render(request, "portal/dossiers/detail.html", _detail_context(request, dossier))


@login_required
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _get(request, code)
    url = tracking_url(code=dossier.code)
    return render(
        request,
        "portal/dossiers/receipt.html",
        {
            "dossier": dossier,
            "procedure": dossier.procedure,
            "tracking_url": url,
            "qr": qr_svg(data=url, size_mm=32),
            "outlook": reads.submission_outlook(dossier=dossier),
            "appointment": reads.appointment_of(dossier),
            "fees": list(dossier.procedure.fees.all()),
        },
    )


@login_required
def receipt_download(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _get(request, code)
    if dossier.submitted_at is None and dossier.received_at is None:
        raise Http404(code)
    content, filename = receipt_pdf(dossier=dossier)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def attachment_download(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    dossier = _get(request, code)
    attachment = reads.attachment_get_for_owner(dossier=dossier, pk=pk)
    if attachment is None:
        raise Http404(pk)
    if (
        attachment.kind == AttachmentKind.RESULT
        and dossier.status == DossierStatus.RESULT_READY
        and dossier.result_delivery == ResultDelivery.ONLINE
    ):
        # The applicant chose the e-result: downloading it is the hand-over (docs/ARCHITECTURE.md §3).
        with contextlib.suppress(DossierError):
            services.dossier_return_result(
                dossier=dossier,
                actor=None,
                delivery=ResultDelivery.ONLINE,
                actor_label="Cổng dịch vụ công: người nộp tải kết quả điện tử",
            )
    return download_response(
        attachment.file.open("rb"),
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


def _result_response(document: Any) -> FileResponse:
    response = download_response(
        document.file.open("rb"), filename=document.file_name, content_type="application/pdf"
    )
    response["X-Content-SHA256"] = document.sha256
    return response


@login_required
def result_download(request: HttpRequest, code: str, result_code: str) -> HttpResponse:
    """The owner downloads a signed e-result; the first download of a result chosen online is
    the hand-over (results.services.result_download_record)."""
    dossier = _get(request, code)
    if dossier.status not in reads.E_RESULT_STATES:
        raise Http404(code)
    document = result_current_of_dossier(dossier=dossier, code=result_code)
    if document is None:
        raise Http404(result_code)
    result_download_record(
        result=document,
        channel=DownloadChannel.MY_DOSSIERS,
        user=request.user,
        address=request.META.get("REMOTE_ADDR", ""),
    )
    return _result_response(document)


@require_POST
def lookup_result_download(request: HttpRequest) -> HttpResponse:
    """The tracking page's download: the dossier code, the second factor and the result's code,
    checked as the lookup checks them (a wrong one of the three answers as not found)."""
    if rate_limited(
        scope="lookup", request=request, limit=LOOKUP_LIMIT, window_seconds=LOOKUP_WINDOW_SECONDS
    ):
        context = {"form": LookupForm(), "limited": True}
        return render(request, "portal/lookup.html", context, status=429)
    form = LookupForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["factor"]:
        raise Http404("lookup")
    found = reads.dossier_lookup(
        code=form.cleaned_data["code"], factor=form.cleaned_data["factor"], user=None
    )
    if found.dossier is None or found.dossier.status not in reads.E_RESULT_STATES:
        raise Http404("lookup")
    document = result_current_of_dossier(
        dossier=found.dossier, code=(request.POST.get("result") or "")[:64]
    )
    if document is None:
        raise Http404("result")
    result_download_record(
        result=document,
        channel=DownloadChannel.TRACKING,
        user=request.user,
        address=request.META.get("REMOTE_ADDR", ""),
    )
    return _result_response(document)


@login_required
@require_POST
def supplement(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _get(request, code)
    form = SupplementForm(request.POST)
    errors: list[str] = []
    uploads = request.FILES.getlist("files")
    if dossier.status != DossierStatus.AWAITING_SUPPLEMENT:
        messages.error(request, _("Hồ sơ không ở trạng thái chờ bổ sung."))
        return HttpResponseRedirect(reverse("portal:my_dossier", args=[code]))
    for upload in uploads:
        try:
            services.attachment_add(
                dossier=dossier,
                actor=request.user,
                kind=AttachmentKind.SUPPLEMENT,
                file=upload,
                name=upload.name,
            )
        except DossierError as error:
            errors.append(
                _("Tệp “%(name)s”: %(message)s") % {"name": upload.name, "message": error.message}
            )
    if not errors and not reads.supplement_files_since_request(dossier=dossier).exists():
        errors.append(_("Vui lòng đính kèm ít nhất một tệp bổ sung."))
    if errors or not form.is_valid():
        dossier.refresh_from_db()
        return render(
            request,
            "portal/dossiers/detail.html",
            _detail_context(request, dossier, supplement_errors=errors, supplement_form=form),
        )
    try:
        services.dossier_supplement(
            dossier=dossier, actor=request.user, note=form.cleaned_data.get("note", "")
        )
    except DossierError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Đã gửi hồ sơ bổ sung. Cơ quan sẽ tiếp tục giải quyết."))
    return HttpResponseRedirect(reverse("portal:my_dossier", args=[code]))


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _get(request, code)
    allowed = any(
        t.action == Action.WITHDRAW for t in available_actions(user=request.user, dossier=dossier)
    )
    if not allowed:
        messages.error(request, _("Hồ sơ này không thể rút ở trạng thái hiện tại."))
        return HttpResponseRedirect(reverse("portal:my_dossier", args=[code]))
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dossier_withdraw(
                dossier=dossier, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DossierError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Đã rút hồ sơ %(code)s.") % {"code": code})
        return HttpResponseRedirect(reverse("portal:my_dossier", args=[code]))
    return render(request, "portal/dossiers/withdraw.html", {"dossier": dossier, "form": form})


# The reason recorded on a pickup the applicant withdrew.
PICKUP_CANCEL_REASON = "Người nộp huỷ đơn bưu điện đến nhận hồ sơ"


@login_required
@require_POST
def shipment_cancel(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The owner withdraws a pickup the postman has not collected yet (POST, CSRF)."""
    dossier = _get(request, code)
    shipment = reads.pickup_of(dossier=dossier, pk=pk)
    if shipment is None:
        raise Http404(pk)
    try:
        postal_services.shipment_cancel(
            shipment=shipment, actor=request.user, reason=PICKUP_CANCEL_REASON
        )
    except DossierError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _(
                "Đã huỷ đơn bưu điện đến nhận hồ sơ. Bạn có thể mang hồ sơ giấy đến nộp trực tiếp "
                "tại %(unit)s."
            )
            % {"unit": dossier.receiving_unit.name},
        )
    return HttpResponseRedirect(reverse("portal:my_dossier", args=[code]) + "#buu-gui")


# The reason recorded when the applicant discards their own draft (the `withdraw` transition).
DISCARD_REASON = "Người nộp hủy hồ sơ nháp"


@login_required
@require_http_methods(["GET", "POST"])
def discard_draft(request: HttpRequest, uuid: str) -> HttpResponse:
    """Discard a draft: a confirmation page, then `withdraw` (the table allows it from draft).

    The draft leaves "Hồ sơ của tôi"; its events stay in the audit chain.
    """
    try:
        draft = dossier_get_draft_for_citizen(user=request.user, uuid=uuid)
    except DossierError:
        raise Http404(uuid) from None
    if request.method == "POST":
        try:
            services.dossier_withdraw(
                dossier=draft,
                actor=request.user,
                reason=DISCARD_REASON,
                expected_version=_int_or_none(request.POST.get("version")),
            )
        except DossierError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request,
                _("Đã hủy hồ sơ nháp “%(name)s”.") % {"name": draft.procedure.name},
            )
        return HttpResponseRedirect(reverse("portal:my_dossiers"))
    return render(request, "portal/dossiers/discard.html", {"dossier": draft})


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


@login_required
@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _get(request, code)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.dossier_rate(dossier=dossier, actor=request.user, **form.cleaned_data)
        except DossierError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Cảm ơn bạn đã đánh giá."))
        return HttpResponseRedirect(reverse("portal:my_dossier", args=[code]) + "#danh-gia")
    return render(
        request, "portal/dossiers/detail.html", _detail_context(request, dossier, rating_form=form)
    )


def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    if form.is_bound:
        if rate_limited(
            scope="lookup",
            request=request,
            limit=LOOKUP_LIMIT,
            window_seconds=LOOKUP_WINDOW_SECONDS,
        ):
            context["limited"] = True
            return render(request, "portal/lookup.html", context, status=429)
        if form.is_valid():
            context["searched"] = True
            context["factor_given"] = bool(form.cleaned_data["factor"])
            context["open_states"] = OPEN_INVOICE_STATES
            context["result"] = reads.dossier_lookup(
                code=form.cleaned_data["code"],
                factor=form.cleaned_data["factor"],
                user=request.user,
            )
            found = context["result"].dossier
            if (
                context["result"].detailed
                and context["factor_given"]
                and found.status in reads.E_RESULT_STATES
            ):
                context["e_results"] = current_results_of_dossier(dossier=found)
                context["factor"] = form.cleaned_data["factor"]
    response = render(request, "portal/lookup.html", context)
    # The page may carry a dossier's timeline: never cached by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response
