"""A first callback is kept exactly as the operator sent it, with its task, in the request's one
transaction; the worker applies it later. An unknown parcel keeps nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.postal.constants import CallbackOutcome, ShipmentStatus
from motcua.postal.models import PostalCallback, Shipment
from motcua.postal.moves import callback_apply

from .conftest import postal_world, sign, submitted_by_post

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/postal/callback/sandbox"
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def post(body: bytes):
    return Client().post(
        URL, body, content_type="application/json", HTTP_X_POSTAL_SIGNATURE=sign(body)
    )


def test_first_callback_is_kept_with_its_task_then_applied(settings) -> None:
    from django_tasks_db.models import DBTaskResult

    pickup = Shipment.objects.get(dossier=submitted_by_post(postal_world(), delivery=False))
    settings.TASKS = DB_TASKS  # after the order was placed: now the worker's queue
    at = dt.datetime(2026, 12, 7, 9, 30, 15, 123456, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    note = "Bưu tá Lê Văn Bưu đã lấy hàng"
    body = json.dumps(
        {
            "tracking_number": f" {pickup.tracking_number.lower()} ",
            "status": "picked_up",
            "at": at.isoformat(),
            "note": note,
        },
        ensure_ascii=False,
    ).encode()
    before = timezone.now()
    with CaptureQueriesContext(connection) as captured:
        response = post(body)
    assert response.status_code == 202, response.content
    kept = PostalCallback.objects.get()
    assert response.json() == {
        "tracking_number": pickup.tracking_number,
        "status": "picked_up",
        "result": "accepted",
        "callback": kept.pk,
    }
    assert (kept.provider, kept.shipment_id, kept.status, kept.at, kept.note) == (
        "sandbox",
        pickup.pk,
        "picked_up",
        at,
        note,
    )
    assert kept.body == body.decode("utf-8")
    assert kept.outcome == CallbackOutcome.QUEUED and kept.applied_at is None
    assert before <= kept.received_at <= timezone.now()
    queued = DBTaskResult.objects.get(task_path="motcua.postal.tasks.callback_apply_task")
    assert queued.args_kwargs == {"args": [kept.pk], "kwargs": {}}
    assert queued.status == "READY"
    sql = [q["sql"] for q in captured.captured_queries]
    writes = [s for s in sql if s.upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert len(writes) == 2, "\n".join(sql)  # the callback and its task, nothing else
    assert not any("SAVEPOINT" in s.upper() for s in sql), "one transaction: the request's"
    pickup.refresh_from_db()
    assert pickup.status == ShipmentStatus.CREATED, "applied by the worker, not the request"

    assert callback_apply(callback_id=kept.pk) == CallbackOutcome.APPLIED
    pickup.refresh_from_db()
    assert pickup.status == ShipmentStatus.PICKED_UP and pickup.status_at == at
    again = post(body)
    assert again.status_code == 200 and again.json()["result"] == "duplicate"
    assert PostalCallback.objects.count() == 1


def test_unknown_parcel_keeps_nothing(settings) -> None:
    postal_world()
    settings.TASKS = DB_TASKS
    body = json.dumps(
        {"tracking_number": "EE123456785VN", "status": "accepted", "at": timezone.now().isoformat()}
    ).encode()
    response = post(body)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_tracking_number"
    assert response.json()["error"]["details"] == {"tracking_number": "EE123456785VN"}
    assert not PostalCallback.objects.exists()
