"""Work queues: tabs with counts, filters, search, sorting, pagination, and one-click row actions."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.catalog.cache import catalog_version
from motcua.dossiers.exceptions import DossierError
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ACTION_SERVICES

from .. import selectors
from ..access import officer_required
from ..deadlines import time_left
from ..errors import error_text
from ..forms import QUICK_FORMS, ActionForm, QueueFilterForm, QuickStartForm
from ..rows import RowText, queue_row_html
from ..templatetags.backoffice import late_without_apology
from .dossier import SUCCESS

PAGE_SIZE = 25
# The client-side event (HX-Trigger) that carries the refreshed tab counts after a row action.
COUNTS_EVENT = "queue-counts"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _prepare_row(
    scope: selectors.OfficerScope,
    dossier: Dossier,
    user: Any,
    now: Any,
    calendars: dict[int, Any],
    bound: ActionForm | None = None,
    text: RowText | None = None,
) -> None:
    """What a row shows, worked out once in Python rather than by template tags per row: its
    link, time left (one working calendar per receiving unit, shared by the page's rows), the
    "late, no apology" flag, and the quick actions (`d.quick`: action, the bound form if the
    row shows its errors, else None (`RowText.quick_form` writes it), and its address)."""
    text = text or RowText()
    dossier.url = text.url("backoffice:dossier", dossier.code)  # type: ignore[attr-defined]
    dossier.left = time_left(dossier, now=now, calendars=calendars)  # type: ignore[attr-defined]
    dossier.late_without_apology = late_without_apology(dossier, now)  # type: ignore[attr-defined]
    rows = []
    for quick in selectors.quick_actions(scope=scope, dossier=dossier):
        form = bound if bound is not None and bound.action == quick.action else None
        url = text.url("backoffice:row_action", dossier.code, quick.action)
        rows.append((quick, form, url))
    dossier.quick = rows  # type: ignore[attr-defined]


@dataclass(frozen=True)
class QueuePage:
    """One page of a tab. The tab's count (capped, `selectors.COUNT_CAP`) says how many pages
    there are: no COUNT of its own over a list that grows with the history."""

    object_list: list[Dossier]
    number: int
    count: int
    has_next: bool

    @property
    def exact(self) -> bool:
        return self.count <= selectors.COUNT_CAP

    @property
    def num_pages(self) -> int | None:
        return max(math.ceil(self.count / PAGE_SIZE), 1) if self.exact else None

    @property
    def found(self) -> int | str:
        return selectors.count_label(self.count)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def _page(
    scope: selectors.OfficerScope,
    tab: str,
    now: Any,
    filters: selectors.QueueFilters,
    count: int,
    requested: str | None,
) -> QueuePage:
    """The page asked for, numbered as `Paginator.get_page` numbers it: not a number → the
    first page; out of range → the last one (when the count is exact)."""
    try:
        number = int(requested or 1)
    except (TypeError, ValueError):
        number = 1
    last = max(math.ceil(count / PAGE_SIZE), 1)
    if count <= selectors.COUNT_CAP and not 1 <= number <= last:
        number = last
    number = max(number, 1)
    rows = selectors.queue_page(
        scope=scope,
        tab=tab,
        now=now,
        filters=filters,
        offset=(number - 1) * PAGE_SIZE,
        limit=PAGE_SIZE + 1,
    )
    return QueuePage(
        object_list=rows[:PAGE_SIZE], number=number, count=count, has_next=len(rows) > PAGE_SIZE
    )


@officer_required
def queues(request: HttpRequest) -> HttpResponse:
    scope = request.officer  # type: ignore[attr-defined]
    now = timezone.now()
    form = QueueFilterForm(request.GET or None, scope=scope)
    filters = form.filters()
    counts = selectors.queue_counts(scope=scope, now=now, filters=filters)
    tab = request.GET.get("tab", "")
    if tab not in selectors.TAB_KEYS:
        # Opened without a tab: on the first one with work for the officer's roles.
        tab = selectors.first_tab_with_work(scope=scope, counts=counts)
    page = _page(scope, tab, now, filters, counts[tab], request.GET.get("page"))
    calendars: dict[int, Any] = {}
    back = request.GET.urlencode()
    csrf = get_token(request)
    text = RowText()
    for dossier in page.object_list:
        _prepare_row(scope, dossier, request.user, now, calendars, text=text)
        dossier.row_html = queue_row_html(dossier, back=back, csrf=csrf, text=text)  # type: ignore[attr-defined]
    query = request.GET.copy()
    for key in ("tab", "page"):
        query.pop(key, None)
    # The filter grid (long selects through the widget templates) is the same for every page
    # of an officer with the same filters: cached, unless it shows errors.
    filter_key = ""
    if not form.is_bound or form.is_valid():
        filter_key = ":".join(
            [
                str(catalog_version()),
                str(scope.version),
                str(request.user.pk),
                get_language() or "",
                tab,
                query.urlencode(),
            ]
        )
    tabs = [(t, counts.get(t.key, 0)) for t in selectors.TABS]
    context = {
        "tab": tab,
        "tabs": tabs,
        "form": form,
        "page": page,
        "now": now,
        "query": query.urlencode(),
        "filter_key": filter_key,
        "current_tab": next(t for t in selectors.TABS if t.key == tab),
        # A search covers every tab: the page says in which tabs it found dossiers.
        "search_q": filters.q,
        "hits": selectors.tabs_with_hits(counts=counts) if filters.q else [],
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
    message = {
        "row_message": error or SUCCESS[action],
        "row_message_level": "error" if error else "success",
    }
    if fresh is None:
        # Handed on to a unit this officer does not cover: the row says so and keeps no link.
        context = {"gone_code": code, "columns": 8, **message}
        response = render(request, "backoffice/_queue_row_gone.html", context)
    else:
        _prepare_row(scope, fresh, request.user, now, {}, bound if error else None)
        row = queue_row_html(fresh, back=back.urlencode(), csrf=get_token(request), **message)
        response = HttpResponse(row)
    filters = QueueFilterForm(back or None, scope=scope).filters()
    counts = selectors.queue_counts(scope=scope, now=now, filters=filters)
    labels = {key: selectors.count_label(count) for key, count in counts.items()}
    response["HX-Trigger"] = json.dumps({COUNTS_EVENT: labels})
    return response
