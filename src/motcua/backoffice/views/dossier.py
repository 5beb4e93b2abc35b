"""One dossier: the page (applicant, e-form, documents, e-results, timeline, steps) and its
actions, among them a unit leader's correction of an issued e-result."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.documents import registry
from motcua.dossiers.constants import Action, ResultDelivery
from motcua.dossiers.exceptions import DossierError
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ACTION_SERVICES, apology_allowed
from motcua.dossiers.uploads import download_response
from motcua.dossiers.workflow import available_actions
from motcua.notifications.selectors import message_log_of_dossier
from motcua.payments.constants import OPEN_INVOICE_STATES
from motcua.payments.selectors import invoices_of_dossier
from motcua.results.constants import DownloadChannel
from motcua.results.forms import CorrectionForm
from motcua.results.selectors import (
    result_correctable_by,
    result_of_dossier,
    results_of_dossier,
)
from motcua.results.services import CORRECTABLE_STATES, result_correct, result_download_record

from .. import eform, selectors
from ..access import officer_required
from ..errors import error_text, report_dossier_error
from ..forms import ACTION_FORMS, ActionForm
from ..postal_context import dossier_postal

SUCCESS: dict[str, Any] = {
    Action.ACCEPT: gettext_lazy(
        "Đã tiếp nhận hồ sơ. In giấy tiếp nhận và hẹn trả kết quả (mẫu 01)."
    ),
    Action.REQUEST_SUPPLEMENT: gettext_lazy("Đã gửi yêu cầu bổ sung hồ sơ (mẫu 02)."),
    Action.REFUSE: gettext_lazy("Đã từ chối tiếp nhận hồ sơ (mẫu 03)."),
    Action.START: gettext_lazy("Đã chuyển hồ sơ cho bộ phận xử lý."),
    Action.FORWARD: gettext_lazy("Đã chuyển hồ sơ."),
    Action.SUPPLEMENT: gettext_lazy("Đã ghi nhận hồ sơ bổ sung."),
    Action.APPROVE: gettext_lazy("Đã phê duyệt kết quả giải quyết."),
    Action.DENY: gettext_lazy("Đã ghi nhận văn bản trả lời không giải quyết."),
    Action.APOLOGISE: gettext_lazy("Đã lập phiếu xin lỗi và hẹn lại ngày trả kết quả (mẫu 04)."),
    Action.STOP: gettext_lazy("Đã dừng xử lý hồ sơ."),
    Action.RETURN_RESULT: gettext_lazy("Đã trả kết quả cho người nộp."),
    Action.WITHDRAW: gettext_lazy("Đã ghi nhận rút hồ sơ."),
}

# Actions shown first in the panel; the rest follow in the table's order.
PRIMARY = (
    Action.ACCEPT,
    Action.APPROVE,
    Action.RETURN_RESULT,
    Action.START,
    Action.FORWARD,
    Action.SUPPLEMENT,
)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _get_dossier(request: HttpRequest, code: str) -> Dossier:
    dossier = selectors.dossier_for_officer(scope=request.officer, code=code)  # type: ignore[attr-defined]
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ trong phạm vi đơn vị của bạn."))
    return dossier


def _documents(detail: selectors.DossierDetail) -> list[tuple[str, Any]]:
    """The forms (01–05) that apply to the dossier now, as (key, spec)."""
    d = detail.dossier
    keys = []
    if d.received_at and d.due_at:
        keys.append(registry.RECEIPT)
    if detail.supplement_requests:
        keys.append(registry.SUPPLEMENT_REQUEST)
    if any(e.action in (Action.REFUSE, Action.DENY) for e in detail.events):
        keys.append(registry.REFUSAL)
    if detail.apology is not None:
        keys.append(registry.APOLOGY)
    if d.received_at:
        keys.append(registry.CONTROL_SHEET)
    return [(key, registry.get_form(key=key)) for key in keys]


def _panel(
    request: HttpRequest,
    dossier: Dossier,
    bound: ActionForm | None,
    *,
    awaiting_post: bool = False,
    hand_in_person: bool = False,
) -> list[tuple[Any, ActionForm]]:
    now = timezone.now()
    panel = []
    for transition in available_actions(user=request.user, dossier=dossier):
        action = transition.action
        if action not in ACTION_FORMS:
            continue
        if action == Action.ACCEPT and awaiting_post:
            continue  # received through the postal hand-over record, not here
        if action == Action.APOLOGISE and not apology_allowed(dossier, now):
            continue
        if bound is not None and bound.action == action:
            form = bound
        else:
            form = ACTION_FORMS[action](dossier=dossier, user=request.user)
            if action == Action.RETURN_RESULT and hand_in_person:
                form.fields["delivery"].initial = ResultDelivery.IN_PERSON
        panel.append((transition, form))
    rank = {action: index for index, action in enumerate(PRIMARY)}
    panel.sort(key=lambda item: rank.get(item[0].action, len(PRIMARY)))
    return panel


def _e_results(
    request: HttpRequest, dossier: Dossier, correction: CorrectionForm | None, correcting: str
) -> dict[str, Any]:
    """The dossier's e-results, every version, and the correction forms of a unit leader (one per
    current result while the dossier is result-ready or returned)."""
    documents = results_of_dossier(dossier=dossier)
    may_correct = (
        bool(documents)
        and dossier.status in CORRECTABLE_STATES
        and result_correctable_by(user=request.user, dossier=dossier)
    )
    for document in documents:
        document.replaced_by = document.superseding()
        form = None
        if may_correct and document.is_current:
            form = (
                correction
                if correction is not None and correcting == document.code
                else CorrectionForm(result_code=document.code)
            )
        document.correction_form = form
    return {"e_results": documents, "correcting": correcting}


def _context(
    request: HttpRequest,
    dossier: Dossier,
    bound: ActionForm | None = None,
    delivery_form: Any = None,
    correction: CorrectionForm | None = None,
    correcting: str = "",
) -> dict[str, Any]:
    detail = selectors.dossier_detail(dossier=dossier)
    last = detail.events[-1] if detail.events else None
    postal = dossier_postal(request, dossier, bound=delivery_form)
    return {
        **postal,
        **_e_results(request, dossier, correction, correcting),
        "d": dossier,
        "detail": detail,
        "now": timezone.now(),
        "form_rows": eform.display_rows(dossier.procedure.form_schema, dossier.form_data),
        "documents": _documents(detail),
        "panel": _panel(
            request,
            dossier,
            bound,
            awaiting_post=postal["awaiting_post"],
            # The parcel came back: the result is now handed over at the desk.
            hand_in_person=postal["came_back"] is not None,
        ),
        "open_action": bound.action if bound is not None else "",
        "invoices": invoices_of_dossier(dossier_id=dossier.pk),
        "open_invoice_states": OPEN_INVOICE_STATES,
        "message_log": message_log_of_dossier(dossier_id=dossier.pk, viewer_id=request.user.pk),
        "just_received": last is not None
        and last.action in (Action.ACCEPT, Action.RECEIVE_DIRECT, Action.RECEIVE_POSTAL),
    }


@officer_required
def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _get_dossier(request, code)
    return render(request, "backoffice/dossier.html", _context(request, dossier))


@officer_required
@require_POST
def dossier_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    dossier = _get_dossier(request, code)
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, request.FILES, dossier=dossier, user=request.user)
    bound: ActionForm | None = form
    if form.is_valid():
        bound = None
        try:
            dossier = ACTION_SERVICES[action](
                dossier=dossier,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                **form.service_kwargs(),
            )
        except DossierError as exc:
            report_dossier_error(request, exc)
        else:
            messages.success(request, SUCCESS[action])
        # Re-read: the dossier may have moved out of this officer's units (forwarded on).
        fresh = selectors.dossier_for_officer(scope=request.officer, code=code)  # type: ignore[attr-defined]
        if fresh is None:
            target = reverse("backoffice:queues")
            if _is_htmx(request):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect(target)
        if not _is_htmx(request):
            return redirect("backoffice:dossier", code=code)
        dossier = fresh
    context = _context(request, dossier, bound)
    if _is_htmx(request):
        context["inline_messages"] = True
        return render(request, "backoffice/_dossier_body.html", context)
    return render(request, "backoffice/dossier.html", context)


@officer_required
def attachment_download(request: HttpRequest, code: str, pk: int) -> FileResponse:
    dossier = _get_dossier(request, code)
    attachment = dossier.attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    return download_response(
        attachment.file.open("rb"),
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@officer_required
def result_download(request: HttpRequest, code: str, result_code: str) -> FileResponse:
    """An officer who can see the dossier downloads one of its e-results, any version; recorded
    like the citizens' downloads (channel backoffice), and never a hand-over."""
    dossier = _get_dossier(request, code)
    document = result_of_dossier(dossier=dossier, code=result_code)
    if document is None:
        raise Http404(_("Không tìm thấy kết quả điện tử của hồ sơ."))
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404(_("Không tìm thấy tệp kết quả điện tử.")) from exc
    result_download_record(
        result=document,
        channel=DownloadChannel.BACKOFFICE,
        user=request.user,
        address=request.META.get("REMOTE_ADDR", ""),
    )
    response = download_response(
        handle, filename=document.file_name, content_type="application/pdf"
    )
    response["X-Content-SHA256"] = document.sha256
    return response


@officer_required
@require_POST
def result_correction(request: HttpRequest, code: str, result_code: str) -> HttpResponse:
    """A unit leader of the dossier corrects a current e-result: a new signed version (KQn+1)
    superseding it, with the reason (results.services.result_correct). Any error comes back on
    the page with the form as entered, and nothing changed."""
    dossier = _get_dossier(request, code)
    document = result_of_dossier(dossier=dossier, code=result_code)
    if document is None:
        raise Http404(_("Không tìm thấy kết quả điện tử của hồ sơ."))
    if not result_correctable_by(user=request.user, dossier=dossier):
        raise PermissionDenied
    form = CorrectionForm(request.POST, request.FILES, result_code=document.code)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            new = result_correct(
                result=document,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                file=upload,
                file_name=upload.name if upload is not None else "",
            )
        except DossierError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(
                request,
                _("Đã ký số kết quả %(new)s đính chính, thay thế kết quả %(old)s.")
                % {"new": new.code, "old": document.code},
            )
            return redirect(reverse("backoffice:dossier", args=[code]) + "#e-results-title")
    fresh = selectors.dossier_for_officer(scope=request.officer, code=code)  # type: ignore[attr-defined]
    context = _context(request, fresh or dossier, correction=form, correcting=document.code)
    return render(request, "backoffice/dossier.html", context, status=422)
