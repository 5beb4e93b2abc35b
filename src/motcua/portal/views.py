"""Citizen-facing pages: the home page with procedure search, and one procedure's page."""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from motcua.catalog.cache import CACHE_SECONDS, catalog_version

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
        "filters_cacheable": not form.is_bound or form.is_valid(),
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


# The postal part changes with the agencies' postage and accounts, not with the catalogue: it is
# cached apart, for a few minutes.
POSTAL_CACHE_SECONDS = 300
# Where the postal part goes inside the cached body (portal/_procedure_body.html).
POSTAL_SLOT = "<!-- postal-offer -->"


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    # The body is the same for every visitor: rendered once per procedure, language and catalogue
    # version (any catalogue save moves the version on), then served from the cache without a
    # query. Only a published procedure is ever cached, so a hit is one that exists.
    key = selectors.cache_key("procedure-page", code, get_language())
    postal_key = selectors.cache_key("procedure-postal", code)
    page = cache.get(key)
    postal = cache.get(postal_key)
    procedure = None
    if page is None or postal is None:
        procedure = selectors.procedure_get_published(code=code)
        if procedure is None:
            raise Http404(code)
    if page is None:
        body = render_to_string("portal/_procedure_body.html", {"procedure": procedure})
        head, _slot, tail = str(body).partition(POSTAL_SLOT)
        page = {"code": procedure.code, "name": procedure.name, "head": head, "tail": tail}
        cache.set(key, page, CACHE_SECONDS)
    if postal is None:
        postal = selectors.procedure_postal(procedure=procedure)
        cache.set(postal_key, postal, POSTAL_CACHE_SECONDS)
    # Rendered by our own template with autoescaping: safe to insert as it is.
    page = {**page, "head": mark_safe(page["head"]), "tail": mark_safe(page["tail"])}  # noqa: S308
    return render(request, "portal/procedure_detail.html", {"page": page, "postal": postal})
