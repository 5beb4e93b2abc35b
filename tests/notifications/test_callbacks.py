"""Delivery callbacks at POST /api/v1/notifications/callback/{provider}: each provider's signature
(computed here with hmac/hashlib, not by our code), every authenticated callback kept once, a
repeat or a late report harmless, a report about no message of ours answered 200."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from motcua.notifications import callbacks, delivery, services
from motcua.notifications.constants import Channel, Event, MessageStatus
from motcua.notifications.models import Message, MessageEvent, NotificationCallback
from motcua.notifications.services import Recipient

from .loopback import BrandnameGateway, serve

SMS_SECRET = "sms-callback-secret"
OA_SECRET = "oa-secret-key"
APP_ID = "4318829274613540123"
URL = "/api/v1/notifications/callback/"


@pytest.fixture
def secrets(settings):
    settings.MOTCUA_SMS_SECRET = SMS_SECRET
    settings.MOTCUA_ZALO_OA_SECRET = OA_SECRET
    settings.MOTCUA_ZALO_APP_ID = APP_ID
    settings.MOTCUA_NOTIFY_SANDBOX_SECRET = "sandbox-secret"
    return settings


def _message(provider: str = "brandname", ref: str = "gw-7", channel: str = Channel.SMS):
    return Message.objects.create(
        idempotency_key=f"test|{uuid.uuid4()}",
        source="test",
        event=Event.RECEIVED,
        channel=channel,
        provider=provider,
        recipient="0912345678",
        status=MessageStatus.SENT,
        provider_ref=ref,
        created_at=timezone.now(),
    )


def _report(status: str, message_id: str = "gw-7", **extra) -> bytes:
    body = {
        "message_id": message_id,
        "request_id": "3f0c2f0e-7f55-4d59-9d0a-2d3d4b9a0c11",
        "status": status,
        "at": "2026-12-07T10:15:30+07:00",
        **extra,
    }
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _post_sms(body: bytes, secret: str = SMS_SECRET, provider: str = "brandname", **headers):
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    headers = {"X-Signature": signature, **headers}
    return Client().post(
        URL + provider, data=body, content_type="application/json", headers=headers
    )


def _zalo_body(msg_id: str = "z-1", event: str = "user_received_message", app_id: str = APP_ID):
    body = {
        "app_id": app_id,
        "oa_id": "579745863508352884",
        "event_name": event,
        "message": {
            "msg_id": msg_id,
            "tracking_id": "3f0c2f0e-7f55-4d59-9d0a-2d3d4b9a0c11",
            "delivery_time": "1765077330000",
        },
        "timestamp": "1765077331234",
    }
    return json.dumps(body, separators=(",", ":")).encode()


def _post_zalo(body: bytes, secret: str = OA_SECRET, signature: str | None = None):
    if signature is None:
        data = json.loads(body)
        joined = (data["app_id"] + body.decode() + data["timestamp"] + secret).encode()
        signature = "mac=" + hashlib.sha256(joined).hexdigest()
    return Client().post(
        URL + "zalo_zns",
        data=body,
        content_type="application/json",
        headers={"X-ZEvent-Signature": signature},
    )


def test_the_zalo_mac_is_sha256_of_app_id_body_timestamp_and_secret():
    from motcua.notifications.providers.zalo import zalo_signature

    # Known vector: sha256("abc") with the four parts "a" + "b" + "c" + "".
    assert zalo_signature(app_id="a", body=b"b", timestamp="c", secret="") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


@pytest.mark.django_db
def test_a_delivery_report_is_applied_once_and_kept(secrets):
    message = _message()
    body = _report("delivered")
    response = _post_sms(body)
    assert response.status_code == 200
    assert response.json()["result"] == "applied"
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert message.delivered_at == dt.datetime(2026, 12, 7, 3, 15, 30, tzinfo=dt.UTC)
    kept = NotificationCallback.objects.get()
    assert (kept.provider, kept.provider_ref, kept.status) == ("brandname", "gw-7", "delivered")
    assert (kept.message_id, kept.applied) == (message.pk, True)
    assert json.loads(kept.payload)["request_id"] == "3f0c2f0e-7f55-4d59-9d0a-2d3d4b9a0c11"
    # The same callback again: 200, nothing changes, nothing new kept.
    again = _post_sms(body)
    assert again.status_code == 200
    assert again.json()["result"] == "duplicate"
    assert NotificationCallback.objects.count() == 1
    assert MessageEvent.objects.filter(message=message, by_callback=True).count() == 1


@pytest.mark.django_db
def test_reports_out_of_order_move_the_message_forward_only(secrets):
    message = _message()
    assert _post_sms(_report("delivered")).json()["result"] == "applied"
    late_sent = _post_sms(_report("sent"))
    assert (late_sent.status_code, late_sent.json()["result"]) == (200, "ignored")
    late_failed = _post_sms(_report("failed", error="EXPIRED"))
    assert (late_failed.status_code, late_failed.json()["result"]) == (200, "ignored")
    message.refresh_from_db()
    assert (message.status, message.reason) == (MessageStatus.DELIVERED, "")
    kept = dict(NotificationCallback.objects.values_list("status", "applied"))
    assert kept == {"delivered": True, "sent": False, "failed": False}


@pytest.mark.django_db
def test_a_failure_report_fails_a_sent_message_with_its_reason(secrets):
    message = _message()
    response = _post_sms(_report("failed", error="Thuê bao không liên lạc được"))
    assert response.json()["result"] == "applied"
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.reason == "Thuê bao không liên lạc được"
    # Delivered after failed: failed is final too.
    assert _post_sms(_report("delivered")).json()["result"] == "ignored"
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED


@pytest.mark.django_db
def test_a_report_about_no_message_of_ours_is_kept_and_answered_200(secrets):
    response = _post_sms(_report("delivered", message_id="gw-404"))
    assert response.status_code == 200
    assert response.json()["result"] == "unmatched"
    kept = NotificationCallback.objects.get()
    assert (kept.message_id, kept.applied) == (None, False)
    # A report faster than our own "sent" mark: matched by the sweep once the id is written.
    message = _message(ref="gw-404")
    assert callbacks.callbacks_retry_unmatched() == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    kept.refresh_from_db()
    assert (kept.message_id, kept.applied) == (message.pk, True)
    assert callbacks.callbacks_retry_unmatched() == 0
    # An hour later an unmatched report is left alone.
    _post_sms(_report("delivered", message_id="gw-405"))
    later = timezone.now() + dt.timedelta(hours=2)
    _message(ref="gw-405")
    assert callbacks.callbacks_retry_unmatched(now=later) == 0


@pytest.mark.django_db
def test_a_bad_or_missing_signature_is_refused_and_nothing_kept(secrets):
    message = _message()
    body = _report("delivered")
    wrong = _post_sms(body, secret="not-the-secret")
    assert wrong.status_code == 403
    assert wrong.json()["error"]["code"] == "bad_signature"
    missing = Client().post(URL + "brandname", data=body, content_type="application/json")
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "signature_missing"
    # The signature is of these exact bytes: another body under it is refused.
    signature = hmac.new(SMS_SECRET.encode(), body, hashlib.sha256).hexdigest()
    tampered = Client().post(
        URL + "brandname",
        data=_report("failed"),
        content_type="application/json",
        headers={"X-Signature": signature},
    )
    assert tampered.status_code == 403
    assert NotificationCallback.objects.count() == 0
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


@pytest.mark.django_db
def test_without_a_secret_callbacks_are_refused(secrets):
    secrets.MOTCUA_SMS_SECRET = ""
    response = _post_sms(_report("delivered"), secret="")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "not_configured"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "Nội dung không phải JSON."),
        (b"[1, 2]", "Nội dung phải là một đối tượng JSON."),
        (_report("read"), "Trạng thái (status) phải là một trong: sent, delivered, failed."),
        (_report("delivered", message_id=""), "Thiếu mã tin nhắn của nhà cung cấp (message_id)."),
        (_report("delivered", at="07/12/2026"), "Thời điểm (at) phải theo ISO 8601, có múi giờ."),
        (_report("delivered", at="2026-12-07T10:15:30"), "Thời điểm (at) phải theo ISO 8601"),
        (_report("delivered", at="2026-13-07T10:15:30+07:00"), "Thời điểm (at) phải theo"),
        (_report("delivered", at=1765077330), "Thời điểm (at) phải theo ISO 8601"),
    ],
)
def test_a_signed_but_malformed_report_is_400_with_a_clear_message(secrets, body, message):
    response = _post_sms(body)
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith(message)
    assert NotificationCallback.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("provider", ["smtp", "inapp", "vnpay", "nope"])
def test_an_unknown_provider_is_404(secrets, provider):
    response = _post_sms(_report("delivered"), provider=provider)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_provider"


@pytest.mark.django_db
def test_zalo_webhook_with_its_mac_marks_the_message_delivered(secrets):
    message = _message(provider="zalo_zns", ref="z-1", channel=Channel.ZALO)
    body = _zalo_body()
    response = _post_zalo(body)
    assert response.status_code == 200
    assert response.json()["result"] == "applied"
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert message.delivered_at == dt.datetime.fromtimestamp(1765077330, tz=dt.UTC)
    assert _post_zalo(body).json()["result"] == "duplicate"
    assert NotificationCallback.objects.count() == 1


@pytest.mark.django_db
def test_zalo_webhook_refused_with_a_wrong_mac_another_app_or_no_signature(secrets):
    message = _message(provider="zalo_zns", ref="z-1", channel=Channel.ZALO)
    assert _post_zalo(_zalo_body(), secret="other").status_code == 403
    # Signed with the right secret, by another app than the province's.
    assert _post_zalo(_zalo_body(app_id="999")).status_code == 403
    missing = Client().post(URL + "zalo_zns", data=_zalo_body(), content_type="application/json")
    assert missing.status_code == 401
    assert _post_zalo(b"{oops", signature="mac=00").status_code == 403
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert NotificationCallback.objects.count() == 0


@pytest.mark.django_db
def test_another_zalo_event_is_kept_once_and_changes_nothing(secrets):
    message = _message(provider="zalo_zns", ref="z-1", channel=Channel.ZALO)
    body = _zalo_body(event="user_send_text")
    assert _post_zalo(body).json()["result"] == "ignored"
    assert _post_zalo(body).json()["result"] == "duplicate"
    kept = NotificationCallback.objects.get()
    assert (kept.status, kept.applied) == ("", False)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


@pytest.mark.django_db
def test_the_sandbox_calls_back_in_the_brandname_scheme(secrets):
    secrets.MOTCUA_NOTIFY_PROVIDERS = {"email": "", "sms": "sandbox", "zalo": "", "inapp": ""}
    [message] = services.notify(
        event=Event.SUBMITTED,
        source="e:1",
        recipients=[Recipient(name="A", phone="0912345678")],
        values={"ma_ho_so": "X", "duong_dan": "http://x/"},
    )
    delivery.messages_deliver(ids=[message.pk])
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED  # the sandbox delivers at once
    response = _post_sms(
        _report("failed", message_id=message.provider_ref),
        secret="sandbox-secret",
        provider="sandbox",
    )
    assert (response.status_code, response.json()["result"]) == (200, "ignored")
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert _post_sms(_report("failed"), secret=SMS_SECRET, provider="sandbox").status_code == 403


@pytest.fixture
def gateway(secrets):
    gateway = BrandnameGateway()
    server = serve(gateway.provider)
    secrets.MOTCUA_NOTIFY_PROVIDERS = {"email": "", "sms": "brandname", "zalo": "", "inapp": ""}
    secrets.MOTCUA_SMS_URL = gateway.provider.url
    secrets.MOTCUA_SMS_API_KEY = "k"
    secrets.MOTCUA_SMS_BRANDNAME = "UBND TINH"
    yield gateway
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_from_the_outbox_to_the_gateway_and_back(gateway):
    [message] = services.notify(
        event=Event.SUBMITTED,
        source="e:1",
        recipients=[Recipient(name="A", phone="0912345678")],
        values={"ma_ho_so": "000.00.21.H16-261207-0001", "duong_dan": "http://x/"},
    )
    delivery.messages_deliver(ids=[message.pk])
    [request] = gateway.provider.requests
    # The gateway calls back where the request said, about the message id it answered.
    path = request.body["callback_url"].split("://", 1)[1].split("/", 1)[1]
    body = _report(
        "delivered",
        message_id=gateway.sent[request.body["request_id"]],
        at=timezone.now().isoformat(),
    )
    signature = hmac.new(SMS_SECRET.encode(), body, hashlib.sha256).hexdigest()
    response = Client().post(
        "/" + path, data=body, content_type="application/json", headers={"X-Signature": signature}
    )
    assert response.json()["result"] == "applied"
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert [e.status for e in message.history.all()] == ["queued", "sending", "sent", "delivered"]


@pytest.mark.django_db
def test_the_sweep_matches_a_report_that_beat_the_sent_mark(secrets):
    from motcua.notifications.tasks import messages_recover_task

    assert _post_sms(_report("delivered", message_id="gw-early")).json()["result"] == "unmatched"
    message = _message(ref="gw-early")
    counts = messages_recover_task.call()
    assert counts["callbacks_matched"] == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert message.delivered_at == dt.datetime(2026, 12, 7, 3, 15, 30, tzinfo=dt.UTC)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_report_twice_at_once_is_kept_and_applied_once(secrets):
    """Two deliveries of one callback racing on two connections: the unique dedupe key makes
    the second wait for the first and answer duplicate."""
    import threading

    from django.db import connection

    message = _message()
    body = _report("delivered")
    barrier = threading.Barrier(2)
    answers: list[str] = []

    def post() -> None:
        try:
            barrier.wait(timeout=5)
            answers.append(_post_sms(body).json()["result"])
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(answers) == ["applied", "duplicate"]
    assert NotificationCallback.objects.count() == 1
    assert MessageEvent.objects.filter(message=message, by_callback=True).count() == 1


@pytest.mark.django_db
def test_the_kept_callbacks_are_read_only_in_the_admin(secrets, admin_client):
    _message()
    _post_sms(_report("delivered"))
    kept = NotificationCallback.objects.get()
    page = admin_client.get("/admin/notifications/notificationcallback/")
    assert page.status_code == 200
    assert "gw-7" in page.content.decode()
    assert (
        admin_client.get(f"/admin/notifications/notificationcallback/{kept.pk}/change/").status_code
        == 200
    )
    assert admin_client.get("/admin/notifications/notificationcallback/add/").status_code == 403
