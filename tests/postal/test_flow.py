"""The whole postal path in both directions through the sandbox operator and its signed callbacks:
pickup → hand-over (t0) → processing → delivery → returned; and a result returned to sender."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.dossiers import services as s
from motcua.dossiers.constants import Channel, DossierStatus, EventAction
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services.clock import receipt_time
from motcua.postal import services as postal
from motcua.postal.constants import CallbackOutcome, ShipmentKind, ShipmentStatus
from motcua.postal.errors import DeliveryUnderway, PickupPending
from motcua.postal.models import PostalCallback, Shipment
from motcua.postal.tracking import s10_valid

from .conftest import callback_body, postal_world, sign, submitted_by_post

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/postal/callback/sandbox"


def call(client: Client, shipment: Shipment, status: str, **kw):
    body = callback_body(shipment, status)
    return client.post(
        URL, body, content_type="application/json", HTTP_X_POSTAL_SIGNATURE=sign(body, **kw)
    )


def test_pickup_then_delivery_ends_returned() -> None:
    w = postal_world()
    client = Client()
    d = submitted_by_post(w)
    assert d.channel == Channel.POSTAL and d.status == DossierStatus.SUBMITTED
    pickup = Shipment.objects.get(dossier=d, kind=ShipmentKind.PICKUP)
    assert s10_valid(pickup.tracking_number), "the sandbox took the order after commit"
    assert pickup.postage == 22_000 and pickup.person_name == "Nguyễn Thị Hoà"

    with pytest.raises(PickupPending):
        s.dossier_accept(dossier=d, actor=w.reception)

    for status in ("accepted", "picked_up", "in_transit"):
        r = call(client, pickup, status)
        assert r.status_code == 202, r.content
    pickup.refresh_from_db()
    assert pickup.status == ShipmentStatus.IN_TRANSIT

    d = postal.pickup_handover(shipment=pickup, actor=w.reception, courier_name="Lê Văn Bưu")
    pickup.refresh_from_db()
    assert d.status == DossierStatus.RECEIVED
    # t0 is the hand-over (as a direct receipt: the working-time rule of a receipt applies).
    assert pickup.handed_over_at == pickup.delivered_at
    assert d.received_at == receipt_time(pickup.handed_over_at, org_unit=w.unit)
    assert d.due_at is not None

    d = s.dossier_start(dossier=d, actor=w.reception, assignee=w.specialist)
    d = s.dossier_approve(dossier=d, actor=w.leader)
    assert d.status == DossierStatus.RESULT_READY
    delivery = Shipment.objects.get(dossier=d, kind=ShipmentKind.DELIVERY)
    assert s10_valid(delivery.tracking_number)
    with pytest.raises(DeliveryUnderway):
        s.dossier_return_result(dossier=d, actor=w.reception)

    for status in ("accepted", "picked_up", "delivered"):
        assert call(client, delivery, status).status_code == 202
    d = Dossier.objects.get(pk=d.pk)
    delivery.refresh_from_db()
    assert d.status == DossierStatus.RETURNED
    assert delivery.status == ShipmentStatus.DELIVERED
    assert d.returned_at == delivery.delivered_at
    postal_events = DossierEvent.objects.filter(dossier=d, action=EventAction.POSTAL)
    # pickup: ordered, 3 callbacks, hand-over; delivery: ordered, 3 callbacks
    assert postal_events.count() == 9


def test_repeated_and_out_of_order_callbacks_change_nothing() -> None:
    w = postal_world()
    client = Client()
    d = submitted_by_post(w, delivery=False)
    pickup = Shipment.objects.get(dossier=d)
    assert call(client, pickup, "picked_up").status_code == 202
    version = Dossier.objects.get(pk=d.pk).version
    again = call(client, pickup, "picked_up")
    assert again.status_code == 200 and again.json()["result"] == "duplicate"
    late = call(client, pickup, "accepted")  # never reported, and now behind
    assert late.status_code == 409 and late.json()["error"]["code"] == "out_of_order"
    stale = call(client, pickup, "in_transit", t=1_000_000)
    assert stale.status_code == 401 and stale.json()["error"]["code"] == "stale"
    forged = call(client, pickup, "in_transit", secret="sai-bi-mat")
    assert forged.status_code == 401 and forged.json()["error"]["code"] == "bad_signature"
    assert Dossier.objects.get(pk=d.pk).version == version
    assert PostalCallback.objects.filter(outcome=CallbackOutcome.APPLIED).count() == 1


def test_result_returned_to_sender_goes_back_to_the_desk() -> None:
    w = postal_world()
    client = Client()
    d = submitted_by_post(w)
    pickup = Shipment.objects.get(dossier=d, kind=ShipmentKind.PICKUP)
    d = postal.pickup_handover(shipment=pickup, actor=w.reception)
    d = s.dossier_start(dossier=d, actor=w.reception, assignee=w.specialist)
    d = s.dossier_approve(dossier=d, actor=w.leader)
    delivery = Shipment.objects.get(dossier=d, kind=ShipmentKind.DELIVERY)
    for status in ("picked_up", "returned_to_sender"):
        assert call(client, delivery, status).status_code == 202
    d = Dossier.objects.get(pk=d.pk)
    assert d.status == DossierStatus.RESULT_READY
    d = s.dossier_return_result(dossier=d, actor=w.reception, delivery="in_person")
    assert d.status == DossierStatus.RETURNED
