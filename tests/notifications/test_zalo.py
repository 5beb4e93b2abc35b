"""Zalo ZNS: the template request as Zalo's API takes it, an event without a registered template
not sent on Zalo, Zalo's error codes retried or not, and what a crash can still do (Zalo keeps no
client reference)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from motcua.notifications import delivery, services
from motcua.notifications.constants import Event, MessageStatus
from motcua.notifications.models import Message
from motcua.notifications.providers import get_provider
from motcua.notifications.services import Recipient

from .loopback import ZnsServer, serve

VALUES = {
    "ma_ho_so": "000.00.21.H16-261207-0001",
    "ten_thu_tuc": "Đăng ký khai sinh",
    "nguoi_nop": "Nguyễn Thị Hương",
    "co_quan": "UBND phường Tân Lập",
    "trang_thai": "Đã tiếp nhận",
    "duong_dan": "http://127.0.0.1:8000/tra-cuu/",
    "hen_tra": "09/12/2026 16:30",
    "ngay_nop": "07/12/2026 09:15",
    "hen_tra_cu": "09/12/2026 16:30",
    "hen_tra_moi": "15/12/2026 16:30",
    "ly_do": "Cần xác minh thêm tại nơi cư trú",
}


@pytest.fixture
def zalo(settings):
    server_state = ZnsServer()
    server = serve(server_state.provider)
    settings.MOTCUA_NOTIFY_PROVIDERS = {"email": "", "sms": "", "zalo": "zalo_zns", "inapp": ""}
    settings.MOTCUA_ZALO_URL = server_state.provider.url
    settings.MOTCUA_ZALO_ACCESS_TOKEN = "oa-access-token"
    settings.MOTCUA_ZALO_TEMPLATES = {Event.RECEIVED: "254011", Event.SUBMITTED: ""}
    settings.MOTCUA_ZALO_TIMEOUT = 0.5
    yield server_state
    server.shutdown()
    server.server_close()


def _queue(event: str = Event.RECEIVED, phone: str = "0912345678", source: str = "e:1"):
    [message] = services.notify(
        event=event,
        source=source,
        recipients=[Recipient(name="Nguyễn Thị Hương", phone=phone)],
        values=VALUES,
    )
    return message


@pytest.mark.django_db
def test_a_template_message_goes_as_zalo_takes_it(zalo):
    message = _queue()
    assert delivery.messages_deliver(ids=[message.pk]) == {"sent": 1}
    [request] = zalo.provider.requests
    assert request.headers["access_token"] == "oa-access-token"
    assert request.headers["content-type"] == "application/json"
    assert request.body["phone"] == "84912345678"
    assert request.body["template_id"] == "254011"
    assert request.body["tracking_id"] == str(message.reference)
    data = request.body["template_data"]
    assert data["ma_ho_so"] == "000.00.21.H16-261207-0001"
    assert data["hen_tra"] == "09/12/2026 16:30"
    assert data["nguoi_nhan"] == "Nguyễn Thị Hương"
    assert set(request.body) == {"phone", "template_id", "template_data", "tracking_id"}
    message.refresh_from_db()
    assert (message.status, message.provider_ref) == (MessageStatus.SENT, "z-1")


@pytest.mark.django_db
def test_the_parameters_a_template_declares_are_the_only_ones_sent(zalo, settings):
    settings.MOTCUA_ZALO_TEMPLATES = {
        Event.RECEIVED: {"id": "254012", "params": ["ma_ho_so", "hen_tra", "nguoi_nhan"]}
    }
    message = _queue()
    delivery.messages_deliver(ids=[message.pk])
    [request] = zalo.provider.requests
    assert request.body["template_id"] == "254012"
    assert request.body["template_data"] == {
        "ma_ho_so": "000.00.21.H16-261207-0001",
        "hen_tra": "09/12/2026 16:30",
        "nguoi_nhan": "Nguyễn Thị Hương",
    }


@pytest.mark.django_db
def test_a_declared_parameter_without_a_value_fails_the_message(zalo, settings):
    settings.MOTCUA_ZALO_TEMPLATES = {Event.RECEIVED: {"id": "254012", "params": ["so_tien"]}}
    message = _queue()
    delivery.messages_deliver(ids=[message.pk])
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.reason == "Mẫu ZNS cần giá trị chưa có: so_tien."
    assert zalo.provider.requests == []


@pytest.mark.django_db
@pytest.mark.parametrize("event", [Event.SUBMITTED, Event.APOLOGY])
def test_an_event_without_a_registered_template_is_not_sent_on_zalo(zalo, event):
    message = _queue(event=event)
    delivery.messages_deliver(ids=[message.pk])
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.reason == (
        f"Chưa đăng ký mẫu ZNS cho sự kiện «{event}» (MOTCUA_ZALO_TEMPLATES): không gửi qua Zalo."
    )
    assert message.attempts == 1
    assert zalo.provider.requests == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answer", "status", "reason"),
    [
        (
            (200, {"error": -108, "message": "Phone number is invalid"}, 0),
            MessageStatus.FAILED,
            "Zalo: lỗi -108 Phone number is invalid",
        ),
        ((200, {"error": -118, "message": "Zalo account not existed"}, 0), "failed", "-118"),
        ((200, {"error": -131, "message": "Template not approved"}, 0), "failed", "-131"),
        ((200, {"error": -124, "message": "Access token is invalid"}, 0), "queued", "-124"),
        ((200, {"error": -133, "message": "Out of allowed time"}, 0), "queued", "-133"),
        ((200, {"error": -32, "message": "Exceed rate limit"}, 0), "queued", "-32"),
        ((502, {}, 0), "queued", "HTTP 502"),
        ((404, {}, 0), "failed", "HTTP 404"),
        ((200, {"error": 0, "data": {"msg_id": "z-late"}}, 1.5), "queued", "quá thời gian chờ"),
    ],
)
def test_zalo_errors_are_retried_when_they_may_pass_and_failed_when_not(
    zalo, answer, status, reason
):
    message = _queue()
    zalo.script = [answer]
    delivery.messages_deliver(ids=[message.pk])
    message.refresh_from_db()
    assert message.status == status
    assert reason in message.reason
    assert len(zalo.provider.requests) == 1


@pytest.mark.django_db
def test_a_number_that_is_not_a_vietnamese_mobile_is_not_sent(zalo):
    message = _queue(phone="0123")
    delivery.messages_deliver(ids=[message.pk])
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert "0123" in message.reason
    assert zalo.provider.requests == []


@pytest.mark.django_db
def test_zalo_keeps_no_reference_so_a_crash_after_acceptance_can_send_twice(zalo):
    """What the code says remains possible: the retry after a worker died mid-send reaches
    Zalo again under the same tracking_id, and Zalo sends it again."""
    assert get_provider("zalo", "zalo_zns").keeps_reference is False
    message = _queue()

    class Killed(BaseException):
        pass

    original = delivery._mark_batch

    def die(*args, **kwargs):
        raise Killed

    delivery._mark_batch = die
    try:
        with pytest.raises(Killed):
            delivery.messages_deliver(ids=[message.pk])
    finally:
        delivery._mark_batch = original
    delivery.messages_recover(now=timezone.now() + dt.timedelta(minutes=11))
    tracking = [r.body["tracking_id"] for r in zalo.provider.requests]
    assert tracking == [str(message.reference)] * 2
    message.refresh_from_db()
    assert (message.status, message.provider_ref) == (MessageStatus.SENT, "z-2")
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_without_an_access_token_nothing_is_sent(zalo, settings):
    settings.MOTCUA_ZALO_ACCESS_TOKEN = ""
    message = _queue()
    delivery.messages_deliver(ids=[message.pk])
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert "MOTCUA_ZALO_ACCESS_TOKEN" in message.reason
    assert zalo.provider.requests == []
