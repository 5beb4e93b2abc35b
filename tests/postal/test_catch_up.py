"""`postal_catch_up`: what the worker missed (it was down) is applied and placed later, once."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from motcua.postal.constants import CallbackOutcome, ShipmentStatus
from motcua.postal.models import PostalCallback, Shipment
from motcua.postal.tracking import s10_valid

from .conftest import callback_body, postal_world, sign, submitted_by_post


def test_waiting_callbacks_are_applied_and_orders_placed(db):
    w = postal_world()
    d = submitted_by_post(w, delivery=False)  # no commit here: the order was not placed
    shipment = Shipment.objects.get(dossier=d)
    assert shipment.tracking_number == ""
    Shipment.objects.filter(pk=shipment.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=5)
    )
    out = io.StringIO()
    call_command("postal_catch_up", stdout=out)
    shipment.refresh_from_db()
    assert s10_valid(shipment.tracking_number)
    assert "đã đặt 1 đơn" in out.getvalue()

    body = callback_body(shipment, "accepted")
    assert Client().post(
        "/api/v1/postal/callback/sandbox", body, content_type="application/json",
        HTTP_X_POSTAL_SIGNATURE=sign(body),
    ).status_code == 202  # fmt: skip
    callback = PostalCallback.objects.get()
    call_command("postal_catch_up", stdout=io.StringIO())  # too recent: the worker may have it
    assert PostalCallback.objects.get().outcome == CallbackOutcome.QUEUED
    PostalCallback.objects.update(received_at=timezone.now() - dt.timedelta(minutes=5))
    call_command("postal_catch_up", stdout=io.StringIO())
    call_command("postal_catch_up", stdout=io.StringIO())
    callback.refresh_from_db()
    shipment.refresh_from_db()
    assert callback.outcome == CallbackOutcome.APPLIED
    assert shipment.status == ShipmentStatus.ACCEPTED
    assert shipment.events.count() == 2
