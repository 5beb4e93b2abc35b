"""Work queues: tabs with counts, filters, search, sorting and pagination."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .. import selectors
from ..access import officer_required
from ..forms import QueueFilterForm

PAGE_SIZE = 25


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
        "current_tab": next(t for t in selectors.TABS if t.key == tab),
    }
    return render(request, "backoffice/queues.html", context)
