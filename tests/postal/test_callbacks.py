"""The operator's callbacks: signed, fresh, about a known parcel and in order, or they change
nothing and get a JSON error; repeats are harmless; concurrent ones apply once (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time

import pytest
from django.db import connection
from django.test import Client

from motcua.dossiers.constants import DossierStatus, EventAction
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.postal.constants import CallbackOutcome, ShipmentKind, ShipmentStatus
from motcua.postal.models import PostalCallback, Shipment, ShipmentEvent
from motcua.postal.moves import callback_apply

from .conftest import SECRET, callback_body, postal_world, sign, submitted_by_post

URL = "/api/v1/postal/callback/sandbox"


def post(client: Client, body: bytes, signature: str | None, url: str = URL):
    headers = {} if signature is None else {"HTTP_X_POSTAL_SIGNATURE": signature}
    return client.post(url, body, content_type="application/json", **headers)


@pytest.fixture
def parcel(db) -> Shipment:
    """A pickup with a tracking number (given here: order placement runs after commit)."""
    w = postal_world()
    d = submitted_by_post(w, delivery=False)
    shipment = Shipment.objects.get(dossier=d)
    shipment.tracking_number = "EB123456785VN"
    shipment.save(update_fields=["tracking_number"])
    return shipment


def untouched(shipment: Shipment) -> None:
    fresh = Shipment.objects.get(pk=shipment.pk)
    assert fresh.status == ShipmentStatus.CREATED
    assert not PostalCallback.objects.exists()
    assert not DossierEvent.objects.filter(action=EventAction.POSTAL).exists()


def error_code(response) -> str:
    return response.json()["error"]["code"]


@pytest.mark.parametrize(
    "signature, status, code",
    [
        (None, 401, "bad_signature"),
        ("v1=abc", 401, "bad_signature"),
        ("t=notanumber,v1=abc", 401, "bad_signature"),
        ("t={now},v1=" + "0" * 64, 401, "bad_signature"),
        ("stale", 401, "stale"),
        ("future", 401, "stale"),
        ("other-secret", 401, "bad_signature"),
    ],
)
def test_unsigned_forged_and_stale_callbacks_change_nothing(parcel, signature, status, code):
    body = callback_body(parcel, "accepted")
    now = int(time.time())
    header = {
        "stale": sign(body, t=now - 301),
        "future": sign(body, t=now + 301),
        "other-secret": sign(body, secret=SECRET + "x"),
    }.get(signature, signature.format(now=now) if signature else None)
    response = post(Client(), body, header)
    assert response.status_code == status
    assert error_code(response) == code
    untouched(parcel)


def test_a_signature_is_for_its_own_body(parcel):
    body = callback_body(parcel, "accepted")
    other = callback_body(parcel, "delivered")
    response = post(Client(), other, sign(body))
    assert response.status_code == 401
    untouched(parcel)


def test_within_the_window_is_accepted(parcel):
    body = callback_body(parcel, "accepted")
    response = post(Client(), body, sign(body, t=int(time.time()) - 290))
    assert response.status_code == 202
    assert response.json()["result"] == "accepted"


@pytest.mark.parametrize(
    "body, code",
    [
        (b"not json", "invalid"),
        (b"[1, 2]", "invalid"),
        (json.dumps({"status": "accepted", "at": "2026-12-07T10:00:00+07:00"}).encode(), "invalid"),
        (
            json.dumps(
                {
                    "tracking_number": "EB123456785VN",
                    "status": "flying",
                    "at": "2026-12-07T10:00:00+07:00",
                }
            ).encode(),
            "invalid",
        ),
        (
            json.dumps(
                {
                    "tracking_number": "EB123456785VN",
                    "status": "accepted",
                    "at": "2026-12-07T10:00:00",
                }
            ).encode(),
            "invalid",
        ),
    ],
)
def test_malformed_bodies_change_nothing(parcel, body, code):
    response = post(Client(), body, sign(body))
    assert response.status_code == 400
    assert error_code(response) == code
    untouched(parcel)


def test_unknown_tracking_number_and_provider(parcel):
    body = json.dumps(
        {
            "tracking_number": "EB000000000VN",
            "status": "accepted",
            "at": "2026-12-07T10:00:00+07:00",
        }
    ).encode()
    response = post(Client(), body, sign(body))
    assert response.status_code == 404 and error_code(response) == "unknown_tracking_number"
    good = callback_body(parcel, "accepted")
    response = post(Client(), good, sign(good), url="/api/v1/postal/callback/ghn")
    assert response.status_code == 404 and error_code(response) == "unknown_provider"
    # the national operator's secret is not configured here: nothing is believed
    response = post(Client(), good, sign(good), url="/api/v1/postal/callback/vnpost")
    assert response.status_code == 503
    untouched(parcel)


def test_sandbox_callbacks_are_refused_when_the_sandbox_is_off(parcel, settings):
    settings.MOTCUA_POSTAL_SANDBOX = False
    body = callback_body(parcel, "accepted")
    response = post(Client(), body, sign(body))
    assert response.status_code == 503
    untouched(parcel)


def test_a_status_that_became_out_of_order_in_the_queue_is_ignored(parcel):
    """Two callbacks judged against "created" are both kept; the worker applies them in order:
    the later status first, so the earlier one is out of order and changes nothing."""
    client = Client()
    for status in ("picked_up", "accepted"):
        body = callback_body(parcel, status)
        assert post(client, body, sign(body)).status_code == 202
    first, second = PostalCallback.objects.order_by("pk")
    assert callback_apply(callback_id=first.pk) == CallbackOutcome.APPLIED
    version = Dossier.objects.get(pk=parcel.dossier_id).version
    assert callback_apply(callback_id=second.pk) == CallbackOutcome.OUT_OF_ORDER
    assert callback_apply(callback_id=second.pk) == CallbackOutcome.OUT_OF_ORDER  # run again
    parcel.refresh_from_db()
    assert parcel.status == ShipmentStatus.PICKED_UP
    assert Dossier.objects.get(pk=parcel.dossier_id).version == version
    assert list(ShipmentEvent.objects.filter(shipment=parcel).values_list("status", flat=True)) == [
        "created",
        "picked_up",
    ]


def test_a_repeat_kept_twice_applies_once(parcel):
    client = Client()
    body = callback_body(parcel, "accepted")
    for _ in range(2):
        assert post(client, body, sign(body)).status_code == 202
    outcomes = [callback_apply(callback_id=c.pk) for c in PostalCallback.objects.order_by("pk")]
    assert outcomes == [CallbackOutcome.APPLIED, CallbackOutcome.DUPLICATE]
    assert DossierEvent.objects.filter(action=EventAction.POSTAL).count() == 1
    # after the parcel moved on, a late retry of the earlier status is a repeat, not an error
    later = callback_body(parcel, "picked_up")
    assert post(client, later, sign(later)).status_code == 202
    assert post(client, body, sign(body)).json()["result"] == "duplicate"
    retry = PostalCallback.objects.create(
        provider="sandbox", shipment=parcel, status="accepted", at=parcel.status_at, body="{}"
    )
    callback_apply(callback_id=PostalCallback.objects.get(status="picked_up").pk)
    assert callback_apply(callback_id=retry.pk) == CallbackOutcome.DUPLICATE


def test_the_operator_time_is_kept_but_never_after_now_nor_before_the_last_status(parcel):
    client = Client()
    future = dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)
    body = callback_body(parcel, "accepted", at=future)
    assert post(client, body, sign(body)).status_code == 202
    callback_apply(callback_id=PostalCallback.objects.get().pk)
    parcel.refresh_from_db()
    assert parcel.status_at <= dt.datetime.now(dt.UTC)
    past = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    body = callback_body(parcel, "picked_up", at=past)
    assert post(client, body, sign(body)).status_code == 202
    callback_apply(callback_id=PostalCallback.objects.order_by("-pk")[0].pk)
    later = Shipment.objects.get(pk=parcel.pk)
    assert later.status_at >= parcel.status_at


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_delivered_callbacks_return_the_result_once():
    """Eight workers apply eight kept "delivered" callbacks of one result at once: one delivery,
    one postal event, one return_result."""
    from django.db import connections

    from motcua.dossiers import services as s
    from motcua.postal import services as postal

    assert connection.vendor == "postgresql"
    w = postal_world()
    d = submitted_by_post(w)
    pickup = Shipment.objects.get(dossier=d, kind=ShipmentKind.PICKUP)
    d = postal.pickup_handover(shipment=pickup, actor=w.reception)
    d = s.dossier_start(dossier=d, actor=w.reception, assignee=w.specialist)
    d = s.dossier_approve(dossier=d, actor=w.leader)
    delivery = Shipment.objects.get(dossier=d, kind=ShipmentKind.DELIVERY)
    callbacks = [
        PostalCallback.objects.create(
            provider="sandbox",
            shipment=delivery,
            status="delivered",
            at=dt.datetime.now(dt.UTC),
            body="{}",
        )
        for _ in range(8)
    ]
    before = DossierEvent.objects.filter(dossier=d).count()
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def apply(callback_id: int) -> None:
        try:
            barrier.wait()
            outcomes.append(callback_apply(callback_id=callback_id))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=apply, args=(c.pk,)) for c in callbacks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["applied"] + ["duplicate"] * 7
    d = Dossier.objects.get(pk=d.pk)
    assert d.status == DossierStatus.RETURNED
    events = DossierEvent.objects.filter(dossier=d).order_by("seq")
    assert events.count() == before + 2  # the postal event and return_result, once each
    assert events.filter(action="return_result").count() == 1
