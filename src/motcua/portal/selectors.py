"""Reads of the public catalogue for the portal: search, facets, the most-used procedures."""

from __future__ import annotations

import hashlib
from dataclasses import astuple, dataclass, field
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    IntegerField,
    Max,
    Prefetch,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Concat

from motcua.catalog.cache import CACHE_SECONDS, catalog_version
from motcua.catalog.models import Field, Procedure, RequiredDocument
from motcua.catalog.search import normalise
from motcua.orgs.models import Unit
from motcua.postal import selectors as postal_selectors
from motcua.postal.constants import Zone

PAGE_SIZE = 20
# Bound the cost of one search: at most this many words take part in the SQL.
MAX_TOKENS = 8
MOST_USED_LIMIT = 8
MOST_USED_CACHE_SECONDS = 600
# "Most used" counts the dossiers among the latest this many ids (a range of the primary key):
# what people use now, at the same cost whatever the size of the table.
MOST_USED_RECENT_DOSSIERS = 20_000


@dataclass(frozen=True)
class SearchFilters:
    q: str = ""
    field: str = ""
    agency: str = ""
    gov_level: str = ""
    online_level: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.q or self.field or self.agency or self.gov_level or self.online_level)


@dataclass
class SearchResult:
    page: Page
    field_counts: list[tuple[Field, int]] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)


def _tokens(q: str) -> list[str]:
    seen: list[str] = []
    for token in normalise(q).split():
        if token not in seen:
            seen.append(token)
    return seen[:MAX_TOKENS]


def _published() -> QuerySet[Procedure]:
    return Procedure.objects.filter(published=True)


def procedure_search_queryset(*, filters: SearchFilters) -> QuerySet[Procedure]:
    """Published procedures matching the filters, best match first.

    Rank: the whole phrase as written > every word present > some words present; ties by name.
    Everything runs in one SQL statement, so only one page of rows ever reaches Python.
    """
    qs = _published()
    if filters.field:
        qs = qs.filter(field__code=filters.field)
    if filters.agency:
        qs = qs.filter(performing_units__code=filters.agency)
    if filters.gov_level:
        qs = qs.filter(gov_level=filters.gov_level)
    if filters.online_level:
        qs = qs.filter(online_level=filters.online_level)
    tokens = _tokens(filters.q)
    if not tokens:
        return qs.order_by("name", "code")
    qs = qs.annotate(padded=Concat(Value(" "), "search_text", Value(" "), output_field=TextField()))
    # Whole words match; the last word may also match the start of a word, since the person
    # may still be typing it ("dang k" → "đăng ký"). A whole word scores more than a prefix.
    word_patterns = [f" {token} " for token in tokens]
    prefix = f" {tokens[-1]}"
    any_token = Q(padded__contains=prefix)
    for pattern in word_patterns:
        any_token |= Q(padded__contains=pattern)
    qs = qs.filter(any_token)
    score_terms = [
        Case(
            When(padded__contains=pattern, then=Value(2)),
            default=Value(0),
            output_field=IntegerField(),
        )
        for pattern in word_patterns[:-1]
    ]
    score_terms.append(
        Case(
            When(padded__contains=word_patterns[-1], then=Value(2)),
            When(padded__contains=prefix, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )
    phrase = " ".join(tokens)
    qs = qs.annotate(
        phrase_score=Case(
            When(padded__contains=f" {phrase} ", then=Value(2)),
            When(padded__contains=f" {phrase}", then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        word_score=sum(score_terms, start=Value(0, output_field=IntegerField())),
    )
    return qs.order_by("-phrase_score", "-word_score", "name", "code")


def cache_key(kind: str, *parts: object) -> str:
    # The catalogue's version is part of every key: any change to it misses the old entries.
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"portal:{kind}:{catalog_version()}:{digest}"


def procedure_search(*, filters: SearchFilters, page_number: str | int = 1) -> SearchResult:
    """One page of the search, with the field facets; cached per catalogue version (the same
    few searches come back all day, and a search reads nothing but the catalogue)."""
    key = cache_key("search", astuple(filters), str(page_number))
    cached = cache.get(key)
    if cached is not None:
        count, number, items, counts = cached
        paginator = Paginator((), PAGE_SIZE)
        paginator.count = count  # the cached_property, already known
        return SearchResult(
            page=Page(items, number, paginator),
            field_counts=counts,
            tokens=_tokens(filters.q),
        )
    qs = procedure_search_queryset(filters=filters).select_related("field")
    if filters.agency:
        qs = qs.distinct()
    paginator = Paginator(qs, PAGE_SIZE)
    page = paginator.get_page(page_number)
    page.object_list = list(page.object_list)
    facet_filters = SearchFilters(
        q=filters.q,
        agency=filters.agency,
        gov_level=filters.gov_level,
        online_level=filters.online_level,
    )
    counts = field_counts(filters=facet_filters)
    cache.set(key, (paginator.count, page.number, page.object_list, counts), CACHE_SECONDS)
    return SearchResult(page=page, field_counts=counts, tokens=_tokens(filters.q))


def field_counts(*, filters: SearchFilters | None = None) -> list[tuple[Field, int]]:
    """Fields with how many published procedures (matching the filters) each has."""
    filters = filters or SearchFilters()
    key = cache_key("field-counts", astuple(filters))
    cached = cache.get(key)
    if cached is None:
        cached = _field_counts(filters=filters)
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def _field_counts(*, filters: SearchFilters) -> list[tuple[Field, int]]:
    ids = procedure_search_queryset(filters=filters).order_by().values("pk")
    fields = (
        Field.objects.annotate(n=Count("procedures", filter=Q(procedures__in=ids), distinct=True))
        .filter(n__gt=0)
        .order_by("name")
    )
    return [(f, f.n) for f in fields]


def field_list() -> QuerySet[Field]:
    return Field.objects.filter(procedures__published=True).distinct().order_by("name")


def field_choices() -> list[tuple[str, str]]:
    """(code, name) of the fields with a published procedure: the search form's list, cached."""
    key = cache_key("field-choices")
    choices = cache.get(key)
    if choices is None:
        choices = [(f.code, f.name) for f in field_list()]
        cache.set(key, choices, CACHE_SECONDS)
    return choices


def agency_choices() -> list[tuple[str, str]]:
    """(code, name indented by depth) of the agencies in the search form's list, cached."""
    key = cache_key("agency-choices")
    choices = cache.get(key)
    if choices is None:
        choices = [(u.code, "\u00a0\u00a0" * (u.depth or 0) + str(u)) for u in agency_list()]
        cache.set(key, choices, CACHE_SECONDS)
    return choices


def agency_list() -> QuerySet[Unit]:
    """Units that perform at least one published procedure, in tree order."""
    return (
        Unit.objects.filter(is_active=True, procedures__published=True)
        .distinct()
        .order_by("path")
        .only("code", "name", "depth", "path")
    )


def _dossier_counts_by_procedure() -> list[int]:
    """Procedure ids by dossier count, when the dossiers app already stores dossiers."""
    try:
        dossier_model = apps.get_model("dossiers", "Dossier")
    except LookupError:
        return []
    if "procedure" not in {f.name for f in dossier_model._meta.get_fields()}:
        return []
    # Cached, and over the latest dossiers only: a GROUP BY over every dossier grows with the
    # table (85 ms at 100 k, seconds at 10 M) and would fall on one visitor every few minutes.
    cached = cache.get("portal:most_used")
    if cached is not None:
        return cached
    newest = dossier_model.objects.aggregate(newest=Max("pk"))["newest"] or 0
    rows = (
        dossier_model.objects.filter(pk__gt=newest - MOST_USED_RECENT_DOSSIERS)
        .values("procedure_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "procedure_id")[: MOST_USED_LIMIT * 2]
    )
    ids = [row["procedure_id"] for row in rows]
    cache.set("portal:most_used", ids, MOST_USED_CACHE_SECONDS)
    return ids


def procedure_list_most_used(*, limit: int = MOST_USED_LIMIT) -> list[Procedure]:
    """The most-used published procedures: by dossiers when there are any, else the online ones.

    Cached with the dossier counts (MOST_USED_CACHE_SECONDS) and per catalogue version."""
    key = cache_key("most-used", limit)
    chosen = cache.get(key)
    if chosen is None:
        chosen = _most_used(limit=limit)
        cache.set(key, chosen, MOST_USED_CACHE_SECONDS)
    return chosen


def _most_used(*, limit: int) -> list[Procedure]:
    ids = _dossier_counts_by_procedure()
    chosen: list[Procedure] = []
    if ids:
        by_id = {p.pk: p for p in _published().filter(pk__in=ids).select_related("field")}
        chosen = [by_id[i] for i in ids if i in by_id][:limit]
    if len(chosen) < limit:
        rest = (
            _published()
            .exclude(pk__in=[p.pk for p in chosen])
            .select_related("field")
            .order_by("-online_level", "name")[: limit - len(chosen)]
        )
        chosen.extend(rest)
    return chosen


def procedure_get_published(*, code: str) -> Procedure | None:
    """One published procedure with everything its page shows, in a fixed number of queries."""
    return (
        _published()
        .select_related("field")
        .prefetch_related(
            "fees",
            Prefetch(
                "required_documents",
                queryset=RequiredDocument.objects.order_by("order", "id"),
            ),
            Prefetch("performing_units", queryset=Unit.objects.order_by("path")),
        )
        .filter(code=code)
        .first()
    )


# --- The public postal service (docs/POSTAL.md) ------------------------------------------------


@dataclass(frozen=True)
class PostalOffer:
    """What a dossier's receiving unit offers by post: pickup and delivery only where the
    procedure takes them AND an active postal account serves the unit; its postage per zone."""

    pickup: bool
    delivery: bool
    home_province: str = ""
    table: dict[str, int | None] = field(default_factory=dict)

    @property
    def any(self) -> bool:
        return self.pickup or self.delivery


def postal_offer(*, procedure: Procedure, unit: Unit) -> PostalOffer:
    if not (procedure.accepts_postal_pickup or procedure.accepts_postal_return):
        return PostalOffer(False, False)
    if postal_selectors.account_for(unit=unit) is None:
        return PostalOffer(False, False)
    return PostalOffer(
        pickup=procedure.accepts_postal_pickup,
        delivery=procedure.accepts_postal_return,
        home_province=postal_selectors.home_province_code(unit),
        table=postal_selectors.postage_table(unit=unit),
    )


def procedure_postal(*, procedure: Procedure) -> dict[str, Any]:
    """The procedure page's postal part, as plain values (it is cached): what goes by post and,
    for each group of receiving units served by a postal account, the postage per zone. Reads
    the procedure's performing units as given (prefetched on the page) and two more queries."""
    info: dict[str, Any] = {
        "pickup": procedure.accepts_postal_pickup,
        "delivery": procedure.accepts_postal_return,
        "groups": [],
        "unserved": [],
    }
    if not (procedure.accepts_postal_pickup or procedure.accepts_postal_return):
        return info
    units = sorted(
        (u for u in procedure.performing_units.all() if u.is_active), key=lambda u: u.path
    )
    groups: dict[tuple, list[str]] = {}
    for offer in postal_selectors.postal_offers(units=units):
        if not offer.served:
            info["unserved"].append(offer.unit.name)
            continue
        key = tuple((zone, offer.table.get(zone)) for zone in Zone.values)
        groups.setdefault(key, []).append(offer.unit.name)
    info["groups"] = [
        {
            "units": names,
            "rates": [{"zone": str(Zone(zone).label), "amount": amount} for zone, amount in key],
        }
        for key, names in groups.items()
    ]
    return info
