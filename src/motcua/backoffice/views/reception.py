"""The reception desk: an in-person or postal dossier entered on one screen, then the receipt."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from motcua.dossiers.exceptions import DossierError

from .. import selectors
from ..access import officer_required
from ..errors import error_text
from ..forms import IntakeForm, ProcedureSearchForm
from ..services import intake_receive


@officer_required
def intake(request: HttpRequest) -> HttpResponse:
    scope = request.officer  # type: ignore[attr-defined]
    code = request.GET.get("thu_tuc", "")
    if not code:
        search = ProcedureSearchForm(request.GET or None)
        q = search.cleaned_data["q"] if search.is_valid() else ""
        context = {
            "search": search,
            "procedures": selectors.procedures_for_intake(scope=scope, q=q),
            "q": q,
        }
        return render(request, "backoffice/intake_choose.html", context)
    procedure = selectors.procedure_for_intake(code=code)
    if procedure is None:
        raise Http404(_("Không tìm thấy thủ tục."))
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES, procedure=procedure, scope=scope)
        if form.is_valid():
            try:
                dossier = intake_receive(
                    actor=request.user,
                    channel=form.cleaned_data["channel"],
                    procedure=procedure,
                    receiving_unit=form.cleaned_data["receiving_unit"],
                    applicant=form.applicant(),
                    form_data=form.cleaned_data["form_data"],
                    result_delivery=form.cleaned_data["result_delivery"],
                    scans=form.scans(),
                    tracking_number=form.cleaned_data["tracking_number"],
                    delivery_address=form.delivery_address,
                )
            except DossierError as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(
                    request,
                    _("Đã tiếp nhận hồ sơ %(code)s. In giấy tiếp nhận và hẹn trả kết quả (mẫu 01).")
                    % {"code": dossier.code},
                )
                return redirect("backoffice:dossier", code=dossier.code)
    else:
        form = IntakeForm(procedure=procedure, scope=scope)
    return render(request, "backoffice/intake.html", {"form": form, "procedure": procedure})
