"""Citizen-facing pages: the home page with procedure search, and one procedure's page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject

from motcua.catalog.cache import catalog_version

from . import selectors
from .forms import SearchForm


def _is_htmx_fragment(request: HttpRequest) -> bool:
    # A history restore needs the whole page back, not the fragment.
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def home(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    filters = form.filters() if form.is_bound else selectors.SearchFilters()
    context: dict[str, object] = {
        "form": form,
        "filters": filters,
        "catalog_version": catalog_version(),
    }
    # Lazy: the results fragment is cached (portal/_results.html), and on a hit nothing below is
    # read at all.
    if filters.active:
        page_number = request.GET.get("page", 1)
        context["result"] = SimpleLazyObject(
            lambda: selectors.procedure_search(filters=filters, page_number=page_number)
        )
        context["page"] = str(page_number)
        query = request.GET.copy()
        query.pop("page", None)
        context["page_query"] = query.urlencode()
    else:
        context["most_used"] = SimpleLazyObject(selectors.procedure_list_most_used)
        context["field_counts"] = SimpleLazyObject(selectors.field_counts)
    template = "portal/_results.html" if _is_htmx_fragment(request) else "portal/home.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = selectors.procedure_get_published(code=code)
    if procedure is None:
        raise Http404(code)
    return render(request, "portal/procedure_detail.html", {"procedure": procedure})
