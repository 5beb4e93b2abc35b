"""Sending: webhook deliveries (signed, in order per dossier, retried with backoff and jitter) and
national-portal sync pushes (retried until acknowledged). Called by the worker (tasks.py).

No transaction is held during an HTTP call: a send first claims its row for a lease (a short
locked update of `next_attempt_at`), calls out, then records the answer in a second short
transaction. A second worker meanwhile sees the row as not due and leaves it alone.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Callable
from typing import Any

import requests
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from motcua.dossiers.constants import NATIONAL_CHANNEL_CODES, DossierStatus
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.postal.selectors import national_fields
from motcua.public_url import public_base_url

from .constants import DeliveryStatus, SyncStatus
from .egress import destination_problem
from .models import NationalSyncState, WebhookAttempt, WebhookDelivery, WebhookSubscription
from .providers import get_provider
from .webhooks import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, sign

BACKOFF_BASE_SECONDS = 30
BACKOFF_CAP_SECONDS = 3600
LEASE_SECONDS = 120


def backoff_delay(attempts: int, *, rng: random.Random | None = None) -> dt.timedelta:
    """Exponential backoff with "equal jitter": half the step fixed, half random.

    attempts=1 → 15–30 s, 2 → 30–60 s, 3 → 60–120 s … capped at 30–60 minutes.
    """
    step = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1))
    jitter = (rng or random).random()
    return dt.timedelta(seconds=step / 2 + jitter * step / 2)


# --- Webhooks --------------------------------------------------------------------------------


def _catch_up(subscription: WebhookSubscription, delivery: WebhookDelivery) -> None:
    """Make sure earlier events of the dossier have their deliveries (a late dispatch may not)."""
    from .services import webhook_deliveries_create

    missing = (
        DossierEvent.objects.filter(
            dossier_id=delivery.dossier_id,
            seq__lt=delivery.seq,
            created_at__gte=subscription.created_at,
        )
        .exclude(pk__in=subscription.deliveries.values("event_id"))
        .select_related("dossier__procedure", "dossier__receiving_unit", "actor")
    )
    for event in missing:
        webhook_deliveries_create(event=event)


def _blocked(delivery: WebhookDelivery) -> bool:
    """A delivery waits until every earlier one of the same dossier and subscription succeeded."""
    return (
        WebhookDelivery.objects.filter(
            subscription_id=delivery.subscription_id,
            dossier_id=delivery.dossier_id,
            seq__lt=delivery.seq,
        )
        .exclude(status=DeliveryStatus.SUCCEEDED)
        .exists()
    )


def _claim_delivery(delivery_id: int, now: dt.datetime, force: bool) -> WebhookDelivery | None:
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("subscription")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status == DeliveryStatus.SUCCEEDED:
            return None
        if not force and (
            delivery.status == DeliveryStatus.FAILED or delivery.next_attempt_at > now
        ):
            return None
        if not delivery.subscription.is_active and not force:
            return None
        _catch_up(delivery.subscription, delivery)
        if _blocked(delivery):
            return None
        delivery.next_attempt_at = now + dt.timedelta(seconds=LEASE_SECONDS)
        delivery.save(update_fields=["next_attempt_at"])
        return delivery


def _post(delivery: WebhookDelivery) -> tuple[int | None, str, str, int]:
    body = json.dumps(
        {"id": delivery.pk, **delivery.payload}, cls=DjangoJSONEncoder, ensure_ascii=False
    ).encode("utf-8")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "motcua-webhooks/1",
        SIGNATURE_HEADER: sign(secret=delivery.subscription.secret, body=body),
        EVENT_HEADER: delivery.event_type,
        DELIVERY_HEADER: str(delivery.pk),
    }
    # Checked again at each delivery: the name may point elsewhere since the subscription.
    problem = destination_problem(delivery.subscription.url)
    if problem:
        return None, "", problem, 0
    started = time.monotonic()
    try:
        response = requests.post(
            delivery.subscription.url,
            data=body,
            headers=headers,
            timeout=settings.MOTCUA_WEBHOOK_TIMEOUT,
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        elapsed = int((time.monotonic() - started) * 1000)
        return None, "", f"{type(exc).__name__}: {exc}"[:2000], elapsed
    elapsed = int((time.monotonic() - started) * 1000)
    return response.status_code, response.text[:2000], "", elapsed


def webhook_delivery_send(
    *,
    delivery_id: int,
    now: dt.datetime | None = None,
    force: bool = False,
    schedule: Callable[[int, dt.datetime], None] | None = None,
) -> WebhookDelivery | None:
    """Attempt one delivery if it is due and not blocked by an earlier one; record the answer.

    `force` (the admin's re-send) sends even a failed or not-yet-due delivery. On success the
    next waiting delivery of the same dossier is sent; on failure a retry is scheduled.
    """
    now = now or timezone.now()
    delivery = _claim_delivery(delivery_id, now, force)
    if delivery is None:
        return None
    status_code, text, error, elapsed = _post(delivery)
    succeeded = status_code is not None and 200 <= status_code < 300
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        WebhookAttempt.objects.create(
            delivery=delivery,
            at=now,
            status_code=status_code,
            response=text,
            error=error,
            duration_ms=elapsed,
            succeeded=succeeded,
        )
        delivery.attempts += 1
        delivery.last_status_code = status_code
        delivery.last_response = text
        delivery.last_error = error
        if succeeded:
            delivery.status = DeliveryStatus.SUCCEEDED
            delivery.delivered_at = now
        elif delivery.attempts >= settings.MOTCUA_WEBHOOK_MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
        else:
            delivery.status = DeliveryStatus.PENDING
            delivery.next_attempt_at = now + backoff_delay(delivery.attempts)
        delivery.save()
    if succeeded:
        follower = (
            WebhookDelivery.objects.filter(
                subscription_id=delivery.subscription_id,
                dossier_id=delivery.dossier_id,
                seq__gt=delivery.seq,
                status=DeliveryStatus.PENDING,
            )
            .order_by("seq")
            .first()
        )
        if follower is not None and schedule is not None:
            schedule(follower.pk, max(now, follower.next_attempt_at))
    elif delivery.status == DeliveryStatus.PENDING and schedule is not None:
        schedule(delivery.pk, delivery.next_attempt_at)
    return delivery


def webhook_delivery_resend(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """The admin's re-send: due now again, with a fresh attempt budget."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, next_attempt_at=timezone.now(), attempts=0
    )
    delivery.refresh_from_db()
    return delivery


def webhook_deliveries_due(*, now: dt.datetime) -> list[int]:
    return list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("subscription_id", "dossier_id", "seq")
        .values_list("pk", flat=True)[:500]
    )


# --- National portal sync --------------------------------------------------------------------

_END_STATES = {
    DossierStatus.RESULT_READY,
    DossierStatus.RETURNED,
    DossierStatus.REFUSED,
    DossierStatus.WITHDRAWN,
    DossierStatus.STOPPED,
}


def _current_result_code(dossier: Dossier) -> str:
    """The code of the dossier's current signed e-result (`<dossier code>-KQ<n>`, the latest
    correction's after one), or "" when none was issued."""
    from motcua.results.selectors import result_current_of_dossier

    document = result_current_of_dossier(dossier=dossier)
    return document.code if document is not None else ""


def national_payload(*, dossier: Dossier) -> dict[str, Any]:
    """The record the national service-quality index (Decision 766) is computed from.

    Field names follow the national portal's sync vocabulary (MaHoSo, KenhThucHien…); the
    English keys in `motcua` repeat them for readers of the sandbox.
    """
    base = public_base_url()
    fees = [
        {"TenPhiLePhi": fee.name, "Gia": fee.amount, "GiaTrucTuyen": fee.online_amount}
        for fee in dossier.procedure.fees.all()
    ]
    ended = dossier.status in _END_STATES
    result_code = _current_result_code(dossier)
    record = {
        "MaHoSo": dossier.code,
        "MaHoSoQuocGia": dossier.external_code,
        "MaTTHC": dossier.procedure.code,
        "MaDonViTiepNhan": dossier.receiving_unit.code,
        "KenhThucHien": NATIONAL_CHANNEL_CODES.get(dossier.channel, 1),
        "TrangThaiHoSo": dossier.status,
        "TenTrangThaiHoSo": str(dossier.get_status_display()),
        "NgayNopHoSo": dossier.submitted_at,
        "NgayTiepNhan": dossier.received_at,
        "NgayHenTra": dossier.original_due_at or dossier.due_at,
        "NgayHenTraMoi": dossier.apology_due_at,
        "NgayKetThucXuLy": dossier.finished_at if ended else None,
        "NgayTraKetQua": dossier.returned_at,
        "KetQuaDungHan": dossier.timing,
        "SoLanBoSung": dossier.supplement_count,
        "MaKetQua": result_code,
        "DuongDanTepTinKetQua": f"{base}/xac-thuc/{dossier.code}/" if result_code else "",
        "PhiLePhi": fees,
        "TongPhiLePhi": dossier.fee_total,
        # 0 = not paid online; 2 = paid through the province's payment gateway.
        "DuocThanhToanTrucTuyen": 2 if dossier.paid_online else 0,
        "HoSoCoThanhPhanSoHoa": 1 if dossier.is_digitised else 0,
        # Reuse of digitised data from the citizen's national store is not recorded yet.
        "DuocLayTuKhoDMQG": 0,
        "PhienBan": dossier.version,
        "CapNhatLuc": dossier.updated_at,
        # By post (docs/DOMAIN.md §7): how it came and how its result went, with the parcels'
        # tracking numbers; a result delivered by post is returned at its delivery.
        **national_fields(dossier),
    }
    return json.loads(json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False))


def _claim_sync(dossier_id: int, now: dt.datetime, force: bool) -> NationalSyncState | None:
    with transaction.atomic():
        state = NationalSyncState.objects.select_for_update().filter(dossier_id=dossier_id).first()
        if state is None:
            return None
        version = Dossier.objects.filter(pk=dossier_id).values_list("version", flat=True).first()
        if version is None:
            return None
        if state.status == SyncStatus.SYNCED and state.acked_version >= version:
            return None
        if not force and state.next_attempt_at > now:
            return None
        state.next_attempt_at = now + dt.timedelta(seconds=LEASE_SECONDS)
        state.save(update_fields=["next_attempt_at"])
        return state


def national_sync_push(
    *,
    dossier_id: int,
    now: dt.datetime | None = None,
    force: bool = False,
    schedule: Callable[[int, dt.datetime], None] | None = None,
) -> NationalSyncState | None:
    """Push the dossier's current record if due; acknowledged → synced, else retry later."""
    provider = get_provider()
    if provider is None:
        return None
    now = now or timezone.now()
    state = _claim_sync(dossier_id, now, force)
    if state is None:
        return None
    dossier = Dossier.objects.select_related("procedure", "receiving_unit").get(pk=dossier_id)
    payload = national_payload(dossier=dossier)
    result = provider.push(payload)
    with transaction.atomic():
        state = NationalSyncState.objects.select_for_update().get(pk=state.pk)
        current = Dossier.objects.filter(pk=dossier_id).values_list("version", flat=True).get()
        state.last_payload = payload
        state.last_response = result.response
        state.last_error = result.error
        if result.acknowledged:
            state.acked_version = max(state.acked_version, dossier.version)
            state.attempts = 0
            state.synced_at = now
            state.status = (
                SyncStatus.SYNCED if state.acked_version >= current else SyncStatus.PENDING
            )
            state.next_attempt_at = now
        else:
            state.attempts += 1
            state.status = SyncStatus.RETRYING
            state.next_attempt_at = now + backoff_delay(state.attempts)
        state.save()
    if state.status != SyncStatus.SYNCED and schedule is not None:
        schedule(dossier_id, state.next_attempt_at)
    return state


def national_sync_due_ids(*, now: dt.datetime) -> list[int]:
    from .selectors import national_sync_due

    return list(national_sync_due(now=now).values_list("dossier_id", flat=True)[:500])
