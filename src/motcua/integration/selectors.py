"""Reads of the integration API, scoped to the calling client; the national-sync figures."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet

from motcua.catalog.models import Procedure
from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import Attachment, Dossier
from motcua.orgs.models import Membership, Unit

from .constants import SyncStatus
from .errors import BadRequest, NotFound
from .keys import key_hash, key_split
from .models import ApiClient, NationalSyncState, WebhookDelivery, WebhookSubscription

MAX_PAGE_SIZE = 100


# The clients a process has loaded, by key prefix: the row, its technical account and its scope
# (units, procedures, the account's roles), so an authenticated call reads no table to know who
# it is and what it may do; and the published procedures clients create dossiers of, with their
# fees. A shared generation token (the cache: a file or Redis, seen by every process) says whether
# they are still current: any change to a client, its agencies or procedures, its account or
# memberships, a unit, a procedure or a fee sets a new token (receivers.py), and every process
# reloads at its next call. MAX_AGE bounds what a change made behind the signals' back (a raw
# UPDATE, a bulk load) could keep.
SCOPE_GENERATION_KEY = "motcua:integration:scope-generation"
CLIENT_CACHE_MAX_AGE = 60.0


@dataclass
class _Loaded:
    generation: str
    loaded_at: float
    value: Any


_clients: dict[str, _Loaded] = {}
_procedures: dict[str, _Loaded] = {}


def _kept(store: dict[str, _Loaded], key: str, load: Callable[[], Any]) -> Any:
    """`store[key]` while loaded under the current generation and younger than
    CLIENT_CACHE_MAX_AGE, else `load()` kept there (nothing is kept when it finds nothing, so
    bad input grows nothing, nor without a shared generation token)."""
    generation = scope_generation()
    now = time.monotonic()
    loaded = store.get(key)
    if (
        loaded is not None
        and generation is not None
        and loaded.generation == generation
        and now - loaded.loaded_at < CLIENT_CACHE_MAX_AGE
    ):
        return loaded.value
    value = load()
    if value is None:
        store.pop(key, None)
    elif generation is not None:
        store[key] = _Loaded(generation, now, value)
    return value


def _shared_cache_usable() -> bool:
    from django.core.cache import cache
    from django.core.cache.backends.dummy import DummyCache

    return not isinstance(cache, DummyCache)


def scope_generation() -> str | None:
    """The current token (None without a usable cache: nothing is kept then)."""
    from django.core.cache import cache

    if not _shared_cache_usable():
        return None
    generation = cache.get(SCOPE_GENERATION_KEY)
    if generation is None:
        # Missing (never set, or culled from a full file cache): a fresh token, never one that
        # a process may have loaded under, so a lost token means a reload, not a stale scope.
        cache.add(SCOPE_GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(SCOPE_GENERATION_KEY)
    return generation


def api_client_scope_changed() -> None:
    """Every process reloads its clients at their next call (see receivers.py)."""
    from django.core.cache import cache

    _clients.clear()
    _procedures.clear()
    if _shared_cache_usable():
        cache.set(SCOPE_GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def _client_load(prefix: str) -> ApiClient | None:
    client = (
        ApiClient.objects.select_related("user")
        .filter(key_prefix=prefix, is_active=True, revoked_at__isnull=True)
        .first()
    )
    if client is not None:
        client_unit_ids(client=client)
        client_procedure_ids(client=client)
        client_roles_by_unit(client=client)
    return client


def api_client_get_by_key(*, key: str) -> ApiClient | None:
    """The usable client whose key this is (constant-time comparison of the hash).

    The client comes with its scope; loaded once per process and generation (see above).
    """
    import hmac

    split = key_split(key)
    if split is None:
        return None
    prefix, full = split
    client = _kept(_clients, prefix, lambda: _client_load(prefix))
    if client is None or not hmac.compare_digest(client.key_hash, key_hash(full)):
        return None
    return client


def procedure_get_published(*, code: str) -> Procedure | None:
    """The published procedure with this code, its fees prefetched (kept per process as the
    clients are; a code that matches nothing is not kept, so nothing grows with bad input)."""
    return _kept(
        _procedures,
        code,
        lambda: (
            Procedure.objects.filter(code=code, published=True).prefetch_related("fees").first()
        ),
    )


def client_units(*, client: ApiClient) -> dict[str, Unit]:
    """Every unit in the client's agencies' subtrees, by code (memoised on the instance, which
    the process keeps with the client: api_client_get_by_key)."""
    cached = getattr(client, "_units", None)
    if cached is not None:
        return cached
    condition = Q()
    paths = list(client.agencies.values_list("path", flat=True))
    for path in paths:
        condition |= Q(path__startswith=path)
    units = {u.code: u for u in Unit.objects.filter(condition)} if paths else {}
    client._units = units  # type: ignore[attr-defined]
    return units


def client_unit_ids(*, client: ApiClient) -> set[int]:
    """Every unit in the client's agencies' subtrees (memoised on the instance)."""
    cached = getattr(client, "_unit_ids", None)
    if cached is None:
        cached = {unit.pk for unit in client_units(client=client).values()}
        client._unit_ids = cached  # type: ignore[attr-defined]
    return cached


def client_roles_by_unit(*, client: ApiClient) -> dict[int, frozenset[str]]:
    """The roles of the client's technical account, by the unit of each active membership."""
    cached = getattr(client, "_roles_by_unit", None)
    if cached is None:
        roles: dict[int, set[str]] = {}
        memberships = Membership.objects.filter(user_id=client.user_id, is_active=True)
        for unit_id, role in memberships.values_list("unit_id", "role"):
            roles.setdefault(unit_id, set()).add(role)
        cached = {unit_id: frozenset(names) for unit_id, names in roles.items()}
        client._roles_by_unit = cached  # type: ignore[attr-defined]
    return cached


def client_procedure_ids(*, client: ApiClient) -> set[int]:
    cached = getattr(client, "_procedure_ids", None)
    if cached is None:
        cached = set(client.procedures.values_list("pk", flat=True))
        client._procedure_ids = cached  # type: ignore[attr-defined]
    return cached


def client_covers_dossier(*, client: ApiClient, dossier: Dossier) -> bool:
    units = client_unit_ids(client=client)
    in_units = dossier.receiving_unit_id in units or (
        dossier.current_step_id is not None and dossier.current_step.unit_id in units
    )
    procedures = client_procedure_ids(client=client)
    return in_units and (not procedures or dossier.procedure_id in procedures)


def dossier_queryset_for_client(*, client: ApiClient) -> QuerySet[Dossier]:
    """Dossiers received by, or at a step in, the client's units and procedures.

    Drafts never leave the citizen, and neither does a draft discarded before submission (it is
    withdrawn but never got a code), so both are out.
    """
    units = client_unit_ids(client=client)
    if not units:
        return Dossier.objects.none()
    qs = (
        Dossier.objects.select_related("procedure", "receiving_unit", "current_step__unit")
        .filter(Q(receiving_unit_id__in=units) | Q(current_step__unit_id__in=units))
        .exclude(status=DossierStatus.DRAFT)
        .exclude(code__isnull=True)
    )
    procedures = client_procedure_ids(client=client)
    if procedures:
        qs = qs.filter(procedure_id__in=procedures)
    return qs


def dossier_get_for_client(*, client: ApiClient, code: str) -> Dossier:
    """One dossier in scope; out of scope reads as not found (no existence leak)."""
    dossier = dossier_queryset_for_client(client=client).filter(code=code).first()
    if dossier is None:
        raise NotFound(details={"code": code})
    return dossier


# --- Cursor pagination over (updated_at, id) -------------------------------------------------


@dataclass(frozen=True)
class Cursor:
    updated_at: dt.datetime
    pk: int

    def encode(self) -> str:
        raw = json.dumps({"u": self.updated_at.isoformat(), "i": self.pk}, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str) -> Cursor:
        try:
            padded = value + "=" * (-len(value) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            moment = dt.datetime.fromisoformat(data["u"])
            pk = int(data["i"])
            if moment.tzinfo is None:
                raise ValueError("naive")
        except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError) as exc:
            raise BadRequest(details={"cursor": "Con trỏ trang không hợp lệ."}) from exc
        return cls(moment, pk)


@dataclass
class DossierPage:
    items: list[Dossier]
    next_cursor: str | None
    has_more: bool = False


def dossier_list_for_client(
    *,
    client: ApiClient,
    agency: str | None = None,
    procedure: str | None = None,
    status: str | None = None,
    updated_since: dt.datetime | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> DossierPage:
    """A page in (updated_at, id) order; the cursor resumes after the last row of the page.

    Every change bumps `updated_at`, so a dossier created or changed while a client pages
    through appears after the rows already seen: nothing is skipped, nothing repeated unless it
    changed again (and then it must be fetched again anyway).
    """
    qs = dossier_queryset_for_client(client=client)
    if agency:
        unit = Unit.objects.filter(code=agency).first()
        if unit is None:
            return DossierPage([], None)
        qs = qs.filter(receiving_unit__path__startswith=unit.path)
    if procedure:
        qs = qs.filter(procedure__code=procedure)
    if status:
        qs = qs.filter(status=status)
    if updated_since is not None:
        qs = qs.filter(updated_at__gt=updated_since)
    if cursor:
        position = Cursor.decode(cursor)
        qs = qs.filter(
            Q(updated_at__gt=position.updated_at)
            | Q(updated_at=position.updated_at, pk__gt=position.pk)
        )
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    rows = list(qs.order_by("updated_at", "pk")[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if rows:
        last = rows[-1]
        # Without more rows now, the cursor still lets the client resume later (polling).
        next_cursor = Cursor(last.updated_at, last.pk).encode()
    elif cursor:
        next_cursor = cursor
    return DossierPage(rows, next_cursor, has_more)


def attachment_get_for_client(*, client: ApiClient, code: str, attachment_id: int) -> Attachment:
    dossier = dossier_get_for_client(client=client, code=code)
    attachment = Attachment.objects.filter(dossier=dossier, pk=attachment_id).first()
    if attachment is None:
        raise NotFound(details={"attachment": attachment_id})
    return attachment


def webhook_list_for_client(*, client: ApiClient) -> QuerySet[WebhookSubscription]:
    return (
        WebhookSubscription.objects.filter(client=client, is_active=True)
        .prefetch_related("procedures")
        .order_by("id")
    )


def webhook_get_for_client(*, client: ApiClient, subscription_id: str) -> WebhookSubscription:
    subscription = (
        webhook_list_for_client(client=client).filter(uuid=subscription_id).first()
        if _is_uuid(subscription_id)
        else None
    )
    if subscription is None:
        raise NotFound(details={"webhook": subscription_id})
    return subscription


def webhook_delivery_list(*, subscription: WebhookSubscription, limit: int = 50):
    return WebhookDelivery.objects.filter(subscription=subscription).order_by("-id")[:limit]


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# --- National portal sync figures ------------------------------------------------------------


@dataclass(frozen=True)
class SyncShare:
    synced: int
    total: int

    @property
    def share(self) -> float | None:
        return round(self.synced / self.total, 4) if self.total else None


def national_sync_share(
    *,
    unit_ids: set[int] | None = None,
    received_from: dt.datetime | None = None,
    received_to: dt.datetime | None = None,
) -> SyncShare:
    """Dossiers whose latest version the national portal acknowledged ÷ dossiers (drafts aside).

    For the dashboard (indicator 1.4 of Decision 766): optionally per units and by receipt time.
    """
    qs = Dossier.objects.exclude(status=DossierStatus.DRAFT).exclude(code__isnull=True)
    if unit_ids is not None:
        qs = qs.filter(receiving_unit_id__in=unit_ids)
    if received_from is not None:
        qs = qs.filter(received_at__gte=received_from)
    if received_to is not None:
        qs = qs.filter(received_at__lt=received_to)
    total = qs.count()
    synced = qs.filter(
        national_sync__status=SyncStatus.SYNCED,
        national_sync__acked_version__gte=F("version"),
    ).count()
    return SyncShare(synced=synced, total=total)


def national_sync_due(*, now: dt.datetime) -> QuerySet[NationalSyncState]:
    return NationalSyncState.objects.filter(
        status__in=[SyncStatus.PENDING, SyncStatus.RETRYING], next_attempt_at__lte=now
    ).order_by("next_attempt_at", "pk")
