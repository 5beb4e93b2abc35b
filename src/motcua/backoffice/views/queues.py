"""Work queues: tabs with counts, filters, search, sorting, pagination, and one-click row actions."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.dossiers.exceptions import DossierError
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ACTION_SERVICES

from .. import selectors
from ..access import officer_required
from ..errors import error_text
from ..forms import QUICK_FORMS, ActionForm, QueueFilterForm, QuickStartForm
from .dossier import SUCCESS

PAGE_SIZE = 25
# The client-side event (HX-Trigger) that carries the refreshed tab counts after a row action.
COUNTS_EVENT = "queue-counts"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _row_forms(
    scope: selectors.OfficerScope, dossier: Dossier, user: Any, bound: ActionForm | None = None
) -> None:
    """Attach the row's quick actions and their forms to the dossier (`d.quick` in templates)."""
    rows = []
    for quick in selectors.quick_actions(scope=scope, dossier=dossier):
        if bound is not None and bound.action == quick.action:
            form = bound
        else:
            kwargs: dict[str, Any] = {"dossier": dossier, "user": user}
            if quick.action == QuickStartForm.action:
                kwargs["assign_me"] = quick.assign_me
            form = QUICK_FORMS[quick.action](auto_id=f"id_row{dossier.pk}_%s", **kwargs)
        rows.append((quick, form))
    dossier.quick = rows  # type: ignore[attr-defined]


@officer_required
def queues(request: HttpRequest) -> HttpResponse:
    scope = request.officer  # type: ignore[attr-defined]
    now = timezone.now()
    tab = request.GET.get("tab", "")
    if tab not in selectors.TAB_KEYS:
        tab = selectors.DEFAULT_TAB
    form = QueueFilterForm(request.GET or None, scope=scope)
    filters = form.filters()
    counts = selectors.queue_counts(scope=scope, now=now, filters=filters)
    dossiers = selectors.queue_list(scope=scope, tab=tab, now=now, filters=filters)
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    for dossier in page.object_list:
        _row_forms(scope, dossier, request.user)
    query = request.GET.copy()
    for key in ("tab", "page"):
        query.pop(key, None)
    tabs = [(t, counts.get(t.key, 0)) for t in selectors.TABS]
    context = {
        "tab": tab,
        "tabs": tabs,
        "form": form,
        "page": page,
        "now": now,
        "query": query.urlencode(),
        "back": request.GET.urlencode(),
        "current_tab": next(t for t in selectors.TABS if t.key == tab),
    }
    return render(request, "backoffice/queues.html", context)


@officer_required
@require_POST
def row_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """A quick action from a queue row, version-checked like the dossier page's panel.

    htmx: only the row comes back (new status, time left, a message) and the tab counts ride in
    the HX-Trigger header. Without JavaScript: a message and back to the same queue and filters.
    """
    scope = request.officer  # type: ignore[attr-defined]
    form_class = QUICK_FORMS.get(action)
    dossier = selectors.dossier_for_officer(scope=scope, code=code)
    if form_class is None or dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ trong phạm vi đơn vị của bạn."))
    back = QueryDict(request.POST.get("back", ""))
    row = selectors.queue_row(scope=scope, pk=dossier.pk)
    kwargs: dict[str, Any] = {"dossier": dossier, "user": request.user}
    if form_class is QuickStartForm:
        kwargs["assign_me"] = row is not None and selectors.start_assigns_me(
            scope=scope, dossier=row
        )
    form = form_class(request.POST, auto_id=f"id_row{dossier.pk}_%s", **kwargs)
    error = ""
    bound: ActionForm | None = form
    if not form.is_valid():
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    else:
        bound = None
        try:
            ACTION_SERVICES[action](
                dossier=dossier,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                **form.service_kwargs(),
            )
        except DossierError as exc:
            error = error_text(exc)
    if not _is_htmx(request):
        if error:
            messages.error(request, f"{code}: {error}")
        else:
            messages.success(request, f"{code}: {SUCCESS[action]}")
        target = reverse("backoffice:queues")
        return redirect(f"{target}?{back.urlencode()}" if back else target)

    now = timezone.now()
    fresh = selectors.queue_row(scope=scope, pk=dossier.pk)
    context: dict[str, Any] = {
        "now": now,
        "back": back.urlencode(),
        "row_message": error or SUCCESS[action],
        "row_message_level": "error" if error else "success",
    }
    if fresh is None:
        # Handed on to a unit this officer does not cover: the row says so and keeps no link.
        context |= {"gone_code": code, "columns": 8}
        response = render(request, "backoffice/_queue_row_gone.html", context)
    else:
        _row_forms(scope, fresh, request.user, bound if error else None)
        context["d"] = fresh
        response = render(request, "backoffice/_queue_row.html", context)
    filters = QueueFilterForm(back or None, scope=scope).filters()
    counts = selectors.queue_counts(scope=scope, now=now, filters=filters)
    labels = {key: selectors.count_label(count) for key, count in counts.items()}
    response["HX-Trigger"] = json.dumps({COUNTS_EVENT: labels})
    return response
