"""Webhooks end to end against a real HTTP receiver: signatures, order, retries, re-send."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from motcua.dossiers.constants import DossierStatus
from motcua.integration.constants import DeliveryStatus
from motcua.integration.delivery import backoff_delay
from motcua.integration.models import WebhookAttempt, WebhookDelivery
from motcua.integration.tasks import integration_send_due
from motcua.integration.webhooks import SignatureError, sign, verify_signature
from tests.dossiers.helpers import drive

from .conftest import Caller, assert_error
from .receiver import http_receiver


def subscribe(caller: Caller, url: str, events: list[str] | None = None) -> dict:
    response = caller.post("webhooks", {"url": url, "event_types": events or []})
    assert response.status_code == 201, response.content
    return response.json()


def later(hours: float = 2) -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=hours)


# --- Signing --------------------------------------------------------------------------------


def test_signature_round_trip_and_tampering() -> None:
    body = b'{"type": "dossier.accept"}'
    header = sign(secret="whsec_x", body=body, timestamp=1_700_000_000)
    assert verify_signature(secret="whsec_x", body=body, header=header, now=1_700_000_100)
    with pytest.raises(SignatureError):
        verify_signature(secret="whsec_x", body=body + b" ", header=header, now=1_700_000_100)
    with pytest.raises(SignatureError):
        verify_signature(secret="whsec_y", body=body, header=header, now=1_700_000_100)
    with pytest.raises(SignatureError, match="replay window"):
        verify_signature(secret="whsec_x", body=body, header=header, now=1_700_000_301)
    with pytest.raises(SignatureError):
        verify_signature(secret="whsec_x", body=body, header="v1=abc", now=1_700_000_000)


def test_backoff_grows_with_jitter() -> None:
    import random

    rng = random.Random(7)
    delays = [backoff_delay(n, rng=rng).total_seconds() for n in range(1, 10)]
    assert 15 <= delays[0] <= 30
    assert 30 <= delays[1] <= 60
    assert all(1800 <= d <= 3600 for d in delays[7:])


# --- Subscriptions --------------------------------------------------------------------------


def test_subscription_api(world, caller: Caller, caller_b: Caller) -> None:
    created = subscribe(caller, "https://phanmem.example.vn/hook", ["dossier.submit"])
    assert created["secret"].startswith("whsec_")
    listed = caller.get("webhooks").json()
    assert [w["id"] for w in listed] == [created["id"]]
    assert "secret" not in listed[0]
    assert_error(caller_b.get(f"webhooks/{created['id']}"), 404, "not_found")
    bad = caller.post("webhooks", {"url": "ftp://example.vn/x"})
    assert_error(bad, 422, "invalid_input")
    assert (
        caller.http.delete(
            f"/api/v1/webhooks/{created['id']}", headers={"Authorization": f"Bearer {caller.key}"}
        ).status_code
        == 204
    )
    assert caller.get("webhooks").json() == []


# --- Deliveries -----------------------------------------------------------------------------


def test_deliveries_are_signed_in_order_after_commit(
    world, caller: Caller, caller_b: Caller, django_capture_on_commit_callbacks
) -> None:
    with http_receiver() as receiver, http_receiver() as receiver_b:
        secret = subscribe(caller, receiver.url)["secret"]
        subscribe(caller_b, receiver_b.url)
        with django_capture_on_commit_callbacks(execute=True):
            dossier = drive(world, DossierStatus.PROCESSING)
            assert receiver.requests == []  # nothing leaves before the commit
    events = [r.headers["X-Motcua-Event"] for r in receiver.requests]
    # The draft is private; then every event of the dossier, in order.
    assert events == ["dossier.submit", "dossier.accept", "dossier.start"]
    seqs = [json.loads(r.body)["event"]["seq"] for r in receiver.requests]
    assert seqs == sorted(seqs)
    for request in receiver.requests:
        verify_signature(
            secret=secret, body=request.body, header=request.headers["X-Motcua-Signature"]
        )
        with pytest.raises(SignatureError):
            verify_signature(
                secret=secret,
                body=request.body.replace(b"processing", b"returned"),
                header=request.headers["X-Motcua-Signature"],
            )
    body = json.loads(receiver.requests[0].body)
    assert body["dossier"]["code"] == dossier.code
    assert body["id"] == int(receiver.requests[0].headers["X-Motcua-Delivery"])
    # Agency B's receiver heard nothing of agency A's dossier.
    assert receiver_b.requests == []


def test_a_receiver_failing_twice_gets_one_successful_delivery(
    world, caller: Caller, django_capture_on_commit_callbacks
) -> None:
    with http_receiver(script=[500, 503]) as receiver:
        subscribe(caller, receiver.url, ["dossier.submit"])
        with django_capture_on_commit_callbacks(execute=True):
            drive(world, DossierStatus.SUBMITTED)
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == DeliveryStatus.PENDING
        assert delivery.next_attempt_at > timezone.now()
        assert integration_send_due()["webhooks"] == 0  # not due yet
        integration_send_due(now=later(1))
        integration_send_due(now=later(3))
        integration_send_due(now=later(6))
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.attempts == 3
    attempts = list(WebhookAttempt.objects.filter(delivery=delivery).order_by("id"))
    assert [(a.status_code, a.succeeded) for a in attempts] == [
        (500, False),
        (503, False),
        (200, True),
    ]
    assert attempts[-1].response == '{"ack": true}'
    assert len(receiver.requests) == 3
    assert len({r.headers["X-Motcua-Delivery"] for r in receiver.requests}) == 1


def test_a_later_event_waits_for_the_earlier_one(
    world, caller: Caller, django_capture_on_commit_callbacks
) -> None:
    with http_receiver(script=[500]) as receiver:
        subscribe(caller, receiver.url)
        with django_capture_on_commit_callbacks(execute=True):
            drive(world, DossierStatus.RECEIVED)
        # submit failed, so accept was not sent at all.
        assert [r.headers["X-Motcua-Event"] for r in receiver.requests] == ["dossier.submit"]
        accept = WebhookDelivery.objects.get(event_type="dossier.accept")
        assert accept.attempts == 0
        integration_send_due(now=later())
    assert [r.headers["X-Motcua-Event"] for r in receiver.requests] == [
        "dossier.submit",
        "dossier.submit",
        "dossier.accept",
    ]


def test_admin_resends_a_failed_delivery(
    world, caller: Caller, admin_client, settings, django_capture_on_commit_callbacks
) -> None:
    settings.MOTCUA_WEBHOOK_MAX_ATTEMPTS = 1
    with http_receiver(script=[500]) as receiver:
        subscribe(caller, receiver.url, ["dossier.submit"])
        with django_capture_on_commit_callbacks(execute=True):
            drive(world, DossierStatus.SUBMITTED)
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == DeliveryStatus.FAILED
        integration_send_due(now=later(24))
        assert len(receiver.requests) == 1  # failed ones wait for a person
        response = admin_client.post(
            "/admin/integration/webhookdelivery/",
            {"action": "resend", "_selected_action": [delivery.pk]},
        )
        assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert len(receiver.requests) == 2
    page = admin_client.get(f"/admin/integration/webhookdelivery/{delivery.pk}/change/")
    assert page.status_code == 200
    assert "ack" in page.content.decode()


def test_deliveries_endpoint_lists_the_log(
    world, caller: Caller, django_capture_on_commit_callbacks
) -> None:
    with http_receiver() as receiver:
        sub = subscribe(caller, receiver.url, ["dossier.submit"])
        with django_capture_on_commit_callbacks(execute=True):
            dossier = drive(world, DossierStatus.SUBMITTED)
    items = caller.get(f"webhooks/{sub['id']}/deliveries").json()
    assert [(d["dossier"], d["status"], d["last_status_code"]) for d in items] == [
        (dossier.code, "succeeded", 200)
    ]
