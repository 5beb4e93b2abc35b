"""What leaves the system about parcels: the national sync record's postal fields and the
`shipment` block of the `dossier.postal` webhook events, after the whole path by post."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from django.utils import timezone

from motcua.dossiers import services as s
from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import Dossier
from motcua.integration.delivery import national_payload
from motcua.integration.models import WebhookDelivery, WebhookSubscription
from motcua.postal import services as postal
from motcua.postal.constants import ShipmentKind
from motcua.postal.models import Shipment
from motcua.reports.monthly import report_monthly
from motcua.reports.periods import period_containing
from tests.dossiers.helpers import new_online
from tests.integration.conftest import make_caller

from .conftest import callback_body, postal_world, sign, submitted_by_post

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/postal/callback/sandbox"
POSTAL_KEYS = {
    "HinhThucNhanHoSo",
    "SoHieuBuuGuiNhan",
    "SoHieuBuuGuiTra",
    "HinhThucTraKetQua",
}


def call(shipment: Shipment, status: str) -> None:
    body = callback_body(shipment, status)
    response = Client().post(
        URL, body, content_type="application/json", HTTP_X_POSTAL_SIGNATURE=sign(body)
    )
    assert response.status_code == 202, response.content


def _json_time(value: dt.datetime) -> str:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _both_ways(w) -> tuple[Dossier, Shipment, Shipment]:
    """Picked up, handed over, approved, and the result delivered by post."""
    d = submitted_by_post(w)
    pickup = Shipment.objects.get(dossier=d, kind=ShipmentKind.PICKUP)
    for status in ("accepted", "picked_up"):
        call(pickup, status)
    d = postal.pickup_handover(shipment=pickup, actor=w.reception, courier_name="Lê Văn Bưu")
    d = s.dossier_start(dossier=d, actor=w.reception, assignee=w.specialist)
    d = s.dossier_approve(dossier=d, actor=w.leader)
    delivery = Shipment.objects.get(dossier=d, kind=ShipmentKind.DELIVERY)
    return d, pickup, delivery


def test_the_sync_record_says_how_it_came_and_how_the_result_went() -> None:
    w = postal_world()
    d, pickup, delivery = _both_ways(w)
    # The result on its way: its tracking number already, not yet how it was returned.
    record = national_payload(dossier=Dossier.objects.get(pk=d.pk))
    assert record["KenhThucHien"] == 3 and record["HinhThucNhanHoSo"] == 3
    assert record["SoHieuBuuGuiNhan"] == pickup.tracking_number != ""
    assert record["SoHieuBuuGuiTra"] == delivery.tracking_number != ""
    assert "HinhThucTraKetQua" not in record and record["NgayTraKetQua"] is None
    for status in ("accepted", "picked_up", "delivered"):
        call(delivery, status)
    d = Dossier.objects.get(pk=d.pk)
    delivery.refresh_from_db()
    assert d.status == DossierStatus.RETURNED
    record = national_payload(dossier=d)
    assert record["HinhThucTraKetQua"] == 2  # by post
    assert record["NgayTraKetQua"] == _json_time(delivery.delivered_at)
    assert record["SoHieuBuuGuiTra"] == delivery.tracking_number


def test_a_dossier_without_parcels_has_no_postal_fields() -> None:
    w = postal_world()
    d = new_online(w)
    record = national_payload(dossier=d)
    assert not POSTAL_KEYS & set(record)
    assert record["KenhThucHien"] == 2


def test_a_result_returned_at_the_desk_after_a_cancelled_delivery() -> None:
    w = postal_world()
    d, _pickup, delivery = _both_ways(w)
    postal.shipment_cancel(shipment=delivery, actor=w.reception, reason="Người nộp đến nhận")
    d = s.dossier_return_result(
        dossier=Dossier.objects.get(pk=d.pk), actor=w.reception, delivery="in_person"
    )
    record = national_payload(dossier=d)
    assert record["HinhThucTraKetQua"] == 1  # at the desk
    assert "SoHieuBuuGuiTra" not in record  # the cancelled parcel never left
    assert record["HinhThucNhanHoSo"] == 3


def test_every_parcel_change_is_a_webhook_event_with_its_shipment() -> None:
    w = postal_world()
    caller = make_caller(w, scopes=["webhooks", "dossiers:read"])
    WebhookSubscription.objects.create(
        client=caller.client, url="http://127.0.0.1:9/in", event_types=["dossier.postal"]
    )
    d, pickup, delivery = _both_ways(w)
    for status in ("accepted", "picked_up", "delivered"):
        call(delivery, status)
    delivery.refresh_from_db()
    deliveries = list(WebhookDelivery.objects.filter(dossier=d).order_by("seq"))
    assert deliveries and {x.event_type for x in deliveries} == {"dossier.postal"}
    blocks = [x.payload["shipment"] for x in deliveries]
    # Each parcel: its order placed (the tracking number comes), then every move, in order.
    moves = [(b["kind"], b["previous_status"], b["status"]) for b in blocks]
    assert moves == [
        ("pickup", "created", "created"),
        ("pickup", "created", "accepted"),
        ("pickup", "accepted", "picked_up"),
        ("pickup", "picked_up", "delivered"),  # the hand-over
        ("delivery", "created", "created"),
        ("delivery", "created", "accepted"),
        ("delivery", "accepted", "picked_up"),
        ("delivery", "picked_up", "delivered"),
    ]
    numbers = [b["tracking_number"] for b in blocks]
    assert numbers == [pickup.tracking_number] * 4 + [delivery.tracking_number] * 4
    last = blocks[-1]
    assert dt.datetime.fromisoformat(last["at"]) == delivery.delivered_at
    assert set(last) == {"tracking_number", "kind", "status", "previous_status", "at"}


def test_other_events_carry_no_shipment() -> None:
    w = postal_world()
    caller = make_caller(w, scopes=["webhooks", "dossiers:read"])
    WebhookSubscription.objects.create(client=caller.client, url="http://127.0.0.1:9/in")
    d, _pickup, _delivery = _both_ways(w)
    deliveries = WebhookDelivery.objects.filter(dossier=d)
    others = [x for x in deliveries if x.event_type != "dossier.postal"]
    assert {x.event_type for x in others} >= {"dossier.submit", "dossier.start"}
    assert all("shipment" not in x.payload for x in others)
    assert all("shipment" in x.payload for x in deliveries if x.event_type == "dossier.postal")


def test_the_report_counts_the_parcels_of_the_real_path() -> None:
    """Through the postal services (no rows written by hand): two dossiers picked up and handed
    over are two pickups and two postal dossiers of the KPI; the result delivered by post is one
    delivery, the other one (its parcel cancelled, returned at the desk) is not."""
    w = postal_world()
    _d, _pickup, delivery = _both_ways(w)
    for status in ("accepted", "picked_up", "delivered"):
        call(delivery, status)
    other, _p, other_delivery = _both_ways(w)
    postal.shipment_cancel(shipment=other_delivery, actor=w.reception, reason="Đến quầy nhận")
    s.dossier_return_result(
        dossier=Dossier.objects.get(pk=other.pk), actor=w.reception, delivery="in_person"
    )
    period = period_containing(timezone.now())
    totals = report_monthly(period=period, live=True).totals
    # Both came by post (handed over); one result went by post; the other's parcel never left.
    assert totals["postal_pickups"] == 2
    assert totals["postal_deliveries"] == 1
    assert totals["postal_any"] == 2
