"""Writes of the integration app: API clients and keys, idempotent creation, client actions,
webhook subscriptions and the fan-out of dossier events to webhooks and the national portal."""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import hashlib
import io
import json
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from motcua.accounts.models import User, UserKind
from motcua.catalog.models import Procedure, RequiredDocument
from motcua.dossiers import services as dossier_services
from motcua.dossiers.constants import Action, AttachmentKind, Channel, DossierStatus, EventAction
from motcua.dossiers.exceptions import ValidationFailed
from motcua.dossiers.models import Attachment, Dossier, DossierEvent
from motcua.dossiers.services.base import memberships_known, use_case_atomic
from motcua.dossiers.workflow import TRANSITIONS
from motcua.orgs.constants import Role
from motcua.orgs.models import Membership, Unit
from motcua.portal.ratelimit import window_count

from .constants import ALL_EVENTS, CLIENT_ACTIONS, EVENT_TYPES, Scope, SyncStatus
from .egress import destination_problem
from .errors import BadRequest, IdempotencyConflict, InvalidInput, ScopeDenied
from .keys import key_hash, key_make
from .models import (
    ApiCallLog,
    ApiClient,
    IdempotencyRecord,
    NationalSyncState,
    WebhookDelivery,
    WebhookSubscription,
)
from .selectors import (
    client_covers_dossier,
    client_procedure_ids,
    client_roles_by_unit,
    client_units,
    procedure_get_published,
)

# --- API clients -----------------------------------------------------------------------------


# The role the technical account needs for each action, picked from the transition table in
# this order of preference (the narrowest office that may do it).
_ROLE_PREFERENCE = (Role.RECEPTION, Role.SPECIALIST, Role.UNIT_LEADER)


def roles_for_actions(actions: Iterable[str], *, create: bool = False) -> set[str]:
    """Staff roles that let the technical account pass the table's checks for `actions`."""
    wanted = set(actions)
    roles: set[str] = set()
    for transition in TRANSITIONS:
        if transition.action not in wanted or not transition.roles:
            continue
        if transition.roles & roles:
            continue
        for role in _ROLE_PREFERENCE:
            if role in transition.roles:
                roles.add(role)
                break
    if create:
        # receive_direct / receive_postal are reception's; online creation needs no role.
        roles.add(Role.RECEPTION)
    return roles


def _clean_scopes(scopes: Iterable[str], actions: Iterable[str]) -> tuple[list[str], list[str]]:
    scope_list = sorted(set(scopes))
    unknown = [s for s in scope_list if s not in Scope.values]
    action_list = sorted(set(actions))
    unknown += [a for a in action_list if a not in CLIENT_ACTIONS]
    if unknown:
        raise ValidationFailed(details={"unknown_scopes": unknown})
    return scope_list, action_list


def parse_scope_arguments(values: Iterable[str]) -> tuple[list[str], list[str]]:
    """`--scope` values: scopes (dossiers:read…), `action:<name>`, `actions:all` or `all`."""
    scopes: set[str] = set()
    actions: set[str] = set()
    for value in values:
        for item in (v.strip() for v in value.split(",")):
            if not item:
                continue
            if item == "all":
                scopes |= set(Scope.values)
                actions |= set(CLIENT_ACTIONS)
            elif item == "actions:all":
                actions |= set(CLIENT_ACTIONS)
            elif item.startswith("action:"):
                actions.add(item.removeprefix("action:"))
            else:
                scopes.add(item)
    return _clean_scopes(scopes, actions)


def api_client_sync_memberships(*, client: ApiClient) -> None:
    """Mirror the client's scope onto its technical account's memberships (agencies × roles)."""
    roles = roles_for_actions(client.allowed_actions, create=Scope.DOSSIERS_CREATE in client.scopes)
    if Scope.ATTACHMENTS_WRITE in client.scopes and not roles:
        roles.add(Role.RECEPTION)
    wanted = {
        (unit_id, role)
        for unit_id in client.agencies.values_list("pk", flat=True)
        for role in roles
    }
    if not client.usable:
        wanted = set()
    existing = {(m.unit_id, m.role): m for m in Membership.objects.filter(user=client.user)}
    for pair, membership in existing.items():
        if pair not in wanted:
            membership.delete()
    for unit_id, role in wanted - set(existing):
        Membership.objects.create(
            user=client.user, unit_id=unit_id, role=role, title="Phần mềm kết nối API"
        )
    user = client.user
    active = client.usable
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])


@transaction.atomic
def api_client_create(
    *,
    name: str,
    agencies: Sequence[Unit],
    scopes: Iterable[str] = (),
    allowed_actions: Iterable[str] = (),
    procedures: Sequence[Procedure] = (),
    rate_limit_per_minute: int | None = None,
) -> tuple[ApiClient, str]:
    """Make a client and its key; the key is returned here and never again."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(details={"name": "Cần nhập tên phần mềm."})
    if not agencies:
        raise ValidationFailed(details={"agencies": "Cần ít nhất một cơ quan."})
    scope_list, action_list = _clean_scopes(scopes, allowed_actions)
    prefix = secrets.token_hex(4)
    while ApiClient.objects.filter(key_prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    key = key_make(prefix)
    user = User(
        username=f"api-{prefix}",
        kind=UserKind.STAFF,
        full_name=f"Phần mềm kết nối: {name}"[:200],
    )
    user.set_unusable_password()
    user.save()
    client = ApiClient.objects.create(
        name=name,
        key_prefix=prefix,
        key_hash=key_hash(key),
        user=user,
        scopes=scope_list,
        allowed_actions=action_list,
        rate_limit_per_minute=rate_limit_per_minute or settings.MOTCUA_API_RATE_LIMIT_PER_MINUTE,
    )
    client.agencies.set(agencies)
    client.procedures.set(procedures)
    api_client_sync_memberships(client=client)
    return client, key


@transaction.atomic
def api_client_rotate_key(*, client: ApiClient) -> str:
    """A new key for the client (the old one stops working at once)."""
    key = key_make(client.key_prefix)
    client.key_hash = key_hash(key)
    client.save(update_fields=["key_hash"])
    return key


@transaction.atomic
def api_client_revoke(*, client: ApiClient) -> ApiClient:
    client.is_active = False
    client.revoked_at = client.revoked_at or timezone.now()
    client.save(update_fields=["is_active", "revoked_at"])
    client.webhooks.update(is_active=False)
    api_client_sync_memberships(client=client)
    return client


def api_client_touch(*, client: ApiClient) -> None:
    """Record the last use, at most once a minute per client (no write per call)."""
    now = timezone.now()
    if client.last_used_at is None or now - client.last_used_at > dt.timedelta(minutes=1):
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        client.last_used_at = now


def api_call_log(
    *, client: ApiClient, method: str, path: str, status: int, duration_ms: int
) -> None:
    ApiCallLog.objects.create(
        client=client, method=method[:8], path=path[:500], status=status, duration_ms=duration_ms
    )


def rate_limit_consume(*, bucket: str, limit: int) -> bool:
    """One call against a fixed one-minute window; False when over the limit.

    The counters are shared by the app processes (portal.ratelimit: the cache server, or counter
    files beside the default file cache); only a local-memory cache makes them per process.
    """
    if limit <= 0:
        return True
    return window_count(bucket=bucket, window_seconds=60) <= limit


# --- Idempotency -----------------------------------------------------------------------------


def request_fingerprint(payload: Any) -> str:
    """SHA-256 of the canonical JSON of the parsed body (key order and spacing do not matter)."""
    canonical = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass
class IdempotentResult:
    status: int
    body: dict[str, Any]
    replayed: bool = False


def idempotent_run(
    *,
    client: ApiClient,
    key: str | None,
    fingerprint: str,
    run: Callable[[], tuple[int, dict[str, Any]]],
) -> IdempotentResult:
    """Run `run` once per (client, key): a replay with the same body gets the first response.

    The record is inserted first, in the same transaction as the work: a concurrent request with
    the same key waits on the unique index until the first commits, then replays its answer (or,
    if the first failed and rolled back, does the work itself). Only successful responses are
    kept, so a request that failed may be retried with the same key.
    """
    if not key:
        status, body = run()
        return IdempotentResult(status, body)
    key = key.strip()
    if not key or len(key) > 255:
        raise BadRequest(details={"Idempotency-Key": "1–255 ký tự."})
    with use_case_atomic():
        if not _idempotency_claim(client=client, key=key, fingerprint=fingerprint):
            existing = IdempotencyRecord.objects.get(client=client, key=key)
            if existing.request_hash != fingerprint:
                raise IdempotencyConflict(details={"key": key})
            return IdempotentResult(existing.response_status, existing.response_body, True)
        status, body = run()
        IdempotencyRecord.objects.filter(client=client, key=key).update(
            response_status=status,
            response_body=json.loads(json.dumps(body, cls=DjangoJSONEncoder)),
        )
        return IdempotentResult(status, body)


def _idempotency_claim(*, client: ApiClient, key: str, fingerprint: str) -> bool:
    """Insert the (client, key) record unless one exists; True when this request inserted it.

    `ON CONFLICT DO NOTHING` (PostgreSQL; SQLite ≥ 3.24) waits on the unique index for a
    concurrent insert of the same key exactly as a plain INSERT does, but a conflict is no error,
    so no savepoint is needed to carry on in the transaction (two statements less per call).
    """
    meta = IdempotencyRecord._meta
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(meta.get_field(name).column)
        for name in (
            "client",
            "key",
            "request_hash",
            "response_status",
            "response_body",
            "created_at",
        )
    )
    conflict = ", ".join(quote(meta.get_field(name).column) for name in ("client", "key"))
    created_at = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES (%s, %s, %s, 0, %s, %s) "  # noqa: S608 - names from the model
            f"ON CONFLICT ({conflict}) DO NOTHING",
            [client.pk, key, fingerprint, "{}", created_at],
        )
        return cursor.rowcount == 1


def idempotency_records_purge(*, older_than: dt.timedelta = dt.timedelta(days=7)) -> int:
    deleted, _ = IdempotencyRecord.objects.filter(
        created_at__lt=timezone.now() - older_than
    ).delete()
    return deleted


# --- Dossiers through the API ----------------------------------------------------------------


@dataclass(frozen=True)
class UploadedDocument:
    name: str
    content: bytes
    required_document: int | None = None


@dataclass(frozen=True)
class DossierCreateRequest:
    procedure_code: str
    agency_code: str
    channel: str
    applicant: dossier_services.Applicant
    form_data: dict[str, Any] = field(default_factory=dict)
    result_delivery: str = "in_person"
    external_code: str = ""
    documents: tuple[UploadedDocument, ...] = ()


def decode_base64(value: str, *, field_name: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput(details={field_name: "Nội dung base64 không hợp lệ."}) from exc


def _require_scope(client: ApiClient, scope: str) -> None:
    if scope not in client.scopes:
        raise ScopeDenied(details={"scope": scope})


def _file(document: UploadedDocument) -> io.BytesIO:
    stream = io.BytesIO(document.content)
    stream.name = document.name
    return stream


def _required_document(procedure: Procedure, pk: int | None) -> RequiredDocument | None:
    if pk is None:
        return None
    doc = RequiredDocument.objects.filter(procedure=procedure, pk=pk).first()
    if doc is None:
        raise InvalidInput(details={"required_document": pk})
    return doc


def _acting_as(client: ApiClient) -> contextlib.AbstractContextManager[None]:
    """The technical account's roles from the memberships kept with the client (no query)."""
    return memberships_known(user=client.user, roles_by_unit=client_roles_by_unit(client=client))


def dossier_create_for_client(*, client: ApiClient, request: DossierCreateRequest) -> Dossier:
    """Create a dossier arriving from another channel, in one transaction.

    online (a national or other portal, a kiosk): draft → documents → submit, status submitted,
    waiting for reception; direct/postal (a desk elsewhere): received at once, documents stored as
    scans. The external code (the national portal's) is kept.
    """
    _require_scope(client, Scope.DOSSIERS_CREATE)
    procedure = procedure_get_published(code=request.procedure_code)
    if procedure is None:
        raise InvalidInput(details={"procedure": request.procedure_code})
    unit = client_units(client=client).get(request.agency_code)
    if unit is None or not unit.is_active:
        raise ScopeDenied(details={"agency": request.agency_code})
    procedure_ids = client_procedure_ids(client=client)
    if procedure_ids and procedure.pk not in procedure_ids:
        raise ScopeDenied(details={"procedure": procedure.code})
    actor = client.user
    with use_case_atomic(), _acting_as(client):
        if request.channel == Channel.ONLINE:
            dossier = dossier_services.dossier_create_draft(
                actor=actor,
                procedure=procedure,
                receiving_unit=unit,
                applicant=request.applicant,
                form_data=request.form_data,
                result_delivery=request.result_delivery,
                external_code=request.external_code,
            )
            kind = AttachmentKind.APPLICATION
        else:
            receive = (
                dossier_services.dossier_receive_postal
                if request.channel == Channel.POSTAL
                else dossier_services.dossier_receive_direct
            )
            dossier = receive(
                actor=actor,
                procedure=procedure,
                receiving_unit=unit,
                applicant=request.applicant,
                form_data=request.form_data,
                result_delivery=request.result_delivery,
                external_code=request.external_code,
            )
            kind = AttachmentKind.SCAN
        for document in request.documents:
            dossier_services.attachment_add(
                dossier=dossier,
                actor=actor,
                kind=kind,
                file=_file(document),
                name=document.name,
                required_document=_required_document(procedure, document.required_document),
            )
        if request.channel == Channel.ONLINE:
            dossier = dossier_services.dossier_submit(dossier=dossier, actor=actor)
    if not request.documents:
        # The instance just written is the row as stored, its procedure and unit attached.
        return _as_read_back(dossier)
    # Each attachment wrote a newer copy of the row: re-read it with what the answer shows.
    return Dossier.objects.select_related("procedure", "receiving_unit").get(pk=dossier.pk)


def _as_read_back(dossier: Dossier) -> Dossier:
    """Times as the database gives them back (UTC; the clock computed them in local time), so
    the answer is the same as a later read of the dossier."""
    for model_field in Dossier._meta.concrete_fields:
        if model_field.get_internal_type() == "DateTimeField":
            value = getattr(dossier, model_field.attname)
            if value is not None:
                setattr(dossier, model_field.attname, value.astimezone(dt.UTC))
    return dossier


# The parameters each action takes besides dossier/actor/expected_version (ACTION_SERVICES).
ACTION_PARAMETERS: dict[str, tuple[str, ...]] = {
    Action.SUBMIT: ("form_data",),
    Action.ACCEPT: ("note",),
    Action.REQUEST_SUPPLEMENT: ("items", "reason"),
    Action.REFUSE: ("reason",),
    Action.START: ("assignee",),
    Action.FORWARD: ("to_unit", "assignee", "step_name", "hours", "note"),
    Action.SUPPLEMENT: ("note",),
    Action.APPROVE: ("note", "result_files"),
    Action.DENY: ("reason",),
    Action.APOLOGISE: ("reason", "new_due_at"),
    Action.STOP: ("reason",),
    Action.RETURN_RESULT: ("delivery", "note", "collector"),
    Action.WITHDRAW: ("reason",),
}
# Parameters the services require (a missing one is a 422, not a TypeError).
_REQUIRED = {
    Action.REQUEST_SUPPLEMENT: ("items",),
    Action.REFUSE: ("reason",),
    Action.DENY: ("reason",),
    Action.STOP: ("reason",),
    Action.APOLOGISE: ("reason", "new_due_at"),
}


def _resolve_action_parameters(
    *, action: str, values: dict[str, Any], documents: Sequence[UploadedDocument]
) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for name in ACTION_PARAMETERS.get(action, ()):
        if name == "result_files":
            if documents:
                kwargs["result_files"] = [_file(d) for d in documents]
            continue
        value = values.get(name)
        if value is None:
            continue
        if name == "assignee":
            user = User.objects.filter(username=value, is_active=True).first()
            if user is None:
                raise InvalidInput(details={"assignee": value})
            value = user
        elif name == "new_due_at" and timezone.is_naive(value):
            value = timezone.make_aware(value)
        elif name == "to_unit":
            unit = Unit.objects.filter(code=value, is_active=True).first()
            if unit is None:
                raise InvalidInput(details={"to_unit": value})
            value = unit
        kwargs[name] = value
    missing = [name for name in _REQUIRED.get(action, ()) if name not in kwargs]
    if missing:
        raise InvalidInput(details=dict.fromkeys(missing, "Bắt buộc với thao tác này."))
    return kwargs


def dossier_act_for_client(
    *,
    client: ApiClient,
    dossier: Dossier,
    action: str,
    values: dict[str, Any],
    documents: Sequence[UploadedDocument] = (),
    expected_version: int | None = None,
) -> Dossier:
    """Run one workflow action as the client: its action scope first, then the table's rules."""
    if action not in CLIENT_ACTIONS:
        raise InvalidInput(details={"action": action})
    if action not in client.allowed_actions:
        raise ScopeDenied(details={"action": action})
    if not client_covers_dossier(client=client, dossier=dossier):
        raise ScopeDenied(details={"code": dossier.code})
    service = dossier_services.ACTION_SERVICES[action]
    kwargs = _resolve_action_parameters(action=action, values=values, documents=documents)
    with _acting_as(client):
        service(dossier=dossier, actor=client.user, expected_version=expected_version, **kwargs)
    return Dossier.objects.get(pk=dossier.pk)


def attachment_add_for_client(
    *,
    client: ApiClient,
    dossier: Dossier,
    kind: str,
    document: UploadedDocument,
) -> Attachment:
    _require_scope(client, Scope.ATTACHMENTS_WRITE)
    return dossier_services.attachment_add(
        dossier=dossier,
        actor=client.user,
        kind=kind,
        file=_file(document),
        name=document.name,
        required_document=_required_document(dossier.procedure, document.required_document),
    )


# --- Webhook subscriptions -------------------------------------------------------------------


def _check_url(url: str) -> str:
    url = (url or "").strip()
    if not url.lower().startswith(("http://", "https://")):
        raise InvalidInput(details={"url": "Chỉ nhận địa chỉ http:// hoặc https://."})
    problem = destination_problem(url)
    if problem:
        raise InvalidInput(details={"url": problem})
    return url


@transaction.atomic
def webhook_subscribe(
    *,
    client: ApiClient,
    url: str,
    event_types: Sequence[str],
    procedure_codes: Sequence[str] = (),
) -> WebhookSubscription:
    """Subscribe a URL to event types within the client's scope; the secret is made here."""
    _require_scope(client, Scope.WEBHOOKS)
    url = _check_url(url)
    types = sorted(set(event_types)) or [ALL_EVENTS]
    unknown = [t for t in types if t != ALL_EVENTS and t not in EVENT_TYPES]
    if unknown:
        raise InvalidInput(details={"event_types": unknown})
    procedures = list(Procedure.objects.filter(code__in=set(procedure_codes)))
    if len(procedures) != len(set(procedure_codes)):
        found = {p.code for p in procedures}
        raise InvalidInput(details={"procedures": sorted(set(procedure_codes) - found)})
    subscription = WebhookSubscription.objects.create(
        client=client, url=url, event_types=types, secret=f"whsec_{secrets.token_urlsafe(32)}"
    )
    subscription.procedures.set(procedures)
    return subscription


def webhook_unsubscribe(*, subscription: WebhookSubscription) -> None:
    subscription.is_active = False
    subscription.save(update_fields=["is_active"])


# --- Fan-out of dossier events ---------------------------------------------------------------


def _event_matches(subscription: WebhookSubscription, event_type: str) -> bool:
    types = subscription.event_types or [ALL_EVENTS]
    return ALL_EVENTS in types or event_type in types


def _invoice_of_event(event: DossierEvent) -> dict[str, Any]:
    """A payment event's invoice (docs/PAYMENTS.md, "Webhooks"): what changed, not how."""
    if event.action != EventAction.PAYMENT:
        return {}
    p = event.payload
    return {
        "invoice": {
            "reference": p.get("invoice", ""),
            "status": p.get("invoice_to", ""),
            "previous_status": p.get("invoice_from", ""),
            "amount": p.get("amount"),
            "provider": p.get("provider", ""),
        }
    }


def _shipment_of_event(event: DossierEvent) -> dict[str, Any]:
    """A postal event's parcel (docs/PAYMENTS.md §11, next to the invoice): its tracking number,
    its kind (pickup, delivery), the status it moved from and to, and when (the operator's time,
    else the event's: a new parcel)."""
    if event.action != EventAction.POSTAL:
        return {}
    p = event.payload
    return {
        "shipment": {
            "tracking_number": p.get("tracking_number", ""),
            "kind": p.get("kind", ""),
            "status": p.get("shipment_to", ""),
            "previous_status": p.get("shipment_from", ""),
            "at": p.get("at") or event.created_at,
        }
    }


def webhook_payload(*, event: DossierEvent, event_type: str) -> dict[str, Any]:
    dossier = event.dossier
    return json.loads(
        json.dumps(
            {
                **_invoice_of_event(event),
                **_shipment_of_event(event),
                "type": event_type,
                "created_at": event.created_at,
                "event": {
                    "seq": event.seq,
                    "action": event.action,
                    "from_status": event.from_status,
                    "to_status": event.to_status,
                    "actor": event.actor_label or (str(event.actor) if event.actor_id else ""),
                    "at": event.created_at,
                },
                "dossier": {
                    "code": dossier.code,
                    "external_code": dossier.external_code,
                    "procedure": dossier.procedure.code,
                    "agency": dossier.receiving_unit.code,
                    "channel": dossier.channel,
                    "status": dossier.status,
                    "version": dossier.version,
                    "due_at": dossier.due_at,
                    "updated_at": dossier.updated_at,
                },
            },
            cls=DjangoJSONEncoder,
        )
    )


def webhook_deliveries_create(*, event: DossierEvent) -> list[WebhookDelivery]:
    """One delivery per matching active subscription (idempotent: a re-run adds none)."""
    dossier = event.dossier
    if event.to_status == DossierStatus.DRAFT or not dossier.code:
        return []  # a draft is nobody's business but its owner's
    event_type = f"dossier.{event.action}"
    created: list[WebhookDelivery] = []
    subscriptions = (
        WebhookSubscription.objects.filter(is_active=True, client__is_active=True)
        .select_related("client")
        .prefetch_related("procedures")
    )
    for subscription in subscriptions:
        if not _event_matches(subscription, event_type):
            continue
        procedure_ids = {p.pk for p in subscription.procedures.all()}
        if procedure_ids and dossier.procedure_id not in procedure_ids:
            continue
        if not client_covers_dossier(client=subscription.client, dossier=dossier):
            continue
        delivery, was_created = WebhookDelivery.objects.get_or_create(
            subscription=subscription,
            event=event,
            defaults={
                "dossier": dossier,
                "seq": event.seq,
                "event_type": event_type,
                "payload": webhook_payload(event=event, event_type=event_type),
            },
        )
        if was_created:
            created.append(delivery)
    return created


def national_sync_mark(*, dossier: Dossier) -> NationalSyncState | None:
    """The dossier changed: it needs pushing again (drafts are not on the national portal)."""
    if not settings.MOTCUA_NATIONAL_PORTAL_PROVIDER or not dossier.code:
        return None
    state, _ = NationalSyncState.objects.get_or_create(dossier=dossier)
    if state.acked_version >= dossier.version and state.status == SyncStatus.SYNCED:
        return state
    NationalSyncState.objects.filter(pk=state.pk).update(
        status=SyncStatus.PENDING if state.attempts == 0 else SyncStatus.RETRYING
    )
    state.refresh_from_db()
    return state
