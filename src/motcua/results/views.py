"""The public verification page /xac-thuc/<code>/ (the QR code on every result opens it).

GET shows what was issued under the code: agency, date, signer, whether it is the current
version or superseded by which one, and whether the dossier's audit chain is intact. POST checks
an uploaded file against that code (results.verification). A dossier's code lists its results.
Nothing here reveals the applicant: the page shows what anyone holding the paper already sees.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from motcua.dossiers.selectors import dossier_lookup_public
from motcua.portal.ratelimit import rate_limited

from .forms import VerifyForm
from .selectors import result_get_by_code, results_of_dossier
from .verification import audit_intact, result_verify_file

# Uploads checked per address and window (each runs a signature validation).
VERIFY_LIMIT = 30
VERIFY_WINDOW_SECONDS = 600


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, code: str) -> HttpResponse:
    document = result_get_by_code(code=code)
    if document is None:
        dossier = dossier_lookup_public(code=code.strip().upper())
        if dossier is None:
            raise Http404(code)
        response = render(
            request,
            "results/verify_dossier.html",
            {"code": dossier.code, "results": results_of_dossier(dossier=dossier)},
        )
        response["Cache-Control"] = "no-store"
        return response
    context: dict[str, Any] = {
        "document": document,
        "superseding": document.superseding(),
        "audit_intact": audit_intact(document),
        "form": VerifyForm(),
    }
    status = 200
    if request.method == "POST":
        if rate_limited(
            scope="verify",
            request=request,
            limit=VERIFY_LIMIT,
            window_seconds=VERIFY_WINDOW_SECONDS,
        ):
            context["limited"] = True
            status = 429
        else:
            form = VerifyForm(request.POST, request.FILES)
            context["form"] = form
            if form.is_valid():
                context["verdict"] = result_verify_file(
                    content=form.cleaned_data["file"], code=document.code
                )
            else:
                status = 422
    response = render(request, "results/verify.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response
