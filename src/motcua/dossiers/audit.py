"""The hash-chained, append-only event log of each dossier and its verification.

hash = SHA-256 over the canonical JSON (sorted keys, no spaces, UTF-8) of
{dossier, seq, action, from, to, actor, at, payload, prev} where `dossier` is the dossier's uuid
(its code does not exist yet while it is a draft), `actor` the user id or null, `at` the event time
in UTC ISO 8601 with microseconds, and `prev` the previous event's hash (64 zeros for the first).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from .models import Dossier, DossierEvent

GENESIS_HASH = "0" * 64


def normalise_payload(payload: dict[str, Any] | None) -> dict[str, Any]:
    """The payload as it will read back from the JSON column (dates and decimals as strings)."""
    return json.loads(json.dumps(payload or {}, cls=DjangoJSONEncoder))


def _iso_utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def compute_hash(
    *,
    dossier_uuid: str,
    seq: int,
    action: str,
    from_status: str,
    to_status: str,
    actor_id: int | None,
    created_at: dt.datetime,
    payload: dict[str, Any],
    prev_hash: str,
) -> str:
    document = {
        "dossier": str(dossier_uuid),
        "seq": seq,
        "action": action,
        "from": from_status or "",
        "to": to_status,
        "actor": actor_id,
        "at": _iso_utc(created_at),
        "payload": payload,
        "prev": prev_hash,
    }
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def event_hash(event: DossierEvent, *, dossier_uuid: str) -> str:
    return compute_hash(
        dossier_uuid=dossier_uuid,
        seq=event.seq,
        action=event.action,
        from_status=event.from_status,
        to_status=event.to_status,
        actor_id=event.actor_id,
        created_at=event.created_at,
        payload=event.payload,
        prev_hash=event.prev_hash,
    )


def event_append(
    *,
    dossier: Dossier,
    action: str,
    from_status: str,
    to_status: str,
    actor,
    actor_label: str = "",
    at: dt.datetime,
    payload: dict[str, Any] | None = None,
    first: bool = False,
) -> DossierEvent:
    """Append the next link. The caller holds the dossier's row lock inside its transaction.

    `first`: the caller inserted the dossier in this transaction, so it has no link yet and
    there is nothing to read (a wrong `first` fails on the unique (dossier, seq) index).
    """
    last = (
        None
        if first
        else DossierEvent.objects.filter(dossier=dossier)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
    clean_payload = normalise_payload(payload)
    event = DossierEvent(
        dossier=dossier,
        seq=seq,
        action=str(action),
        from_status=str(from_status or ""),
        to_status=str(to_status),
        actor=actor,
        actor_label=actor_label or (str(actor) if actor is not None else "Hệ thống"),
        created_at=at,
        payload=clean_payload,
        prev_hash=prev_hash,
    )
    event.hash = compute_hash(
        dossier_uuid=str(dossier.uuid),
        seq=seq,
        action=event.action,
        from_status=event.from_status,
        to_status=event.to_status,
        actor_id=actor.pk if actor is not None else None,
        created_at=at,
        payload=clean_payload,
        prev_hash=prev_hash,
    )
    event.save()
    return event


@dataclass(frozen=True)
class BrokenLink:
    dossier_id: int
    dossier_label: str
    seq: int | None
    problem: str

    def __str__(self) -> str:
        where = f"sự kiện #{self.seq}" if self.seq is not None else "cuối chuỗi"
        return f"Hồ sơ {self.dossier_label}, {where}: {self.problem}"


def chain_verify(dossier: Dossier, events: list[DossierEvent] | None = None) -> BrokenLink | None:
    """The first broken link of the dossier's chain, or None when it is intact."""
    if events is None:
        events = list(DossierEvent.objects.filter(dossier=dossier).order_by("seq", "pk"))
    label = dossier.code or f"#{dossier.pk}"

    def broken(seq: int | None, problem: str) -> BrokenLink:
        return BrokenLink(dossier.pk, label, seq, problem)

    prev_hash = GENESIS_HASH
    prev_to = ""
    prev_at: dt.datetime | None = None
    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq:
            return broken(event.seq, f"số thứ tự {event.seq}, đúng ra phải là {expected_seq}")
        if event.prev_hash != prev_hash:
            return broken(event.seq, "mã băm liền trước không khớp với sự kiện trước")
        if event_hash(event, dossier_uuid=str(dossier.uuid)) != event.hash:
            return broken(event.seq, "nội dung đã bị sửa (mã băm không khớp)")
        if event.from_status != prev_to and event.seq > 1:
            return broken(event.seq, "trạng thái nguồn không khớp với sự kiện trước")
        if prev_at is not None and event.created_at < prev_at:
            return broken(event.seq, "thời điểm sớm hơn sự kiện trước")
        prev_hash, prev_to, prev_at = event.hash, event.to_status, event.created_at
    if len(events) != dossier.version:
        return broken(None, f"có {len(events)} sự kiện, hồ sơ ở phiên bản {dossier.version}")
    if events and prev_to != dossier.status:
        return broken(None, "trạng thái hồ sơ khác trạng thái của sự kiện cuối")
    return None


def chains_verify(dossiers=None, *, chunk_size: int = 500) -> Iterator[BrokenLink]:
    """Verify many dossiers (default all), yielding the first broken link of each broken chain."""
    qs = dossiers if dossiers is not None else Dossier.objects.all()
    ids = list(qs.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk_size):
        batch = ids[start : start + chunk_size]
        grouped: dict[int, list[DossierEvent]] = {pk: [] for pk in batch}
        for event in DossierEvent.objects.filter(dossier_id__in=batch).order_by(
            "dossier_id", "seq", "pk"
        ):
            grouped[event.dossier_id].append(event)
        for dossier in Dossier.objects.filter(pk__in=batch).order_by("pk"):
            link = chain_verify(dossier, grouped[dossier.pk])
            if link is not None:
                yield link
