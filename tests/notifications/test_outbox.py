"""The outbox: written once per source × recipient × channel, delivered once, retried with backoff,
recovered after a crash without a second copy where the provider keeps our reference."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from motcua.notifications import delivery, services
from motcua.notifications.constants import Channel, Event, MessageStatus
from motcua.notifications.models import Message, MessageTemplate, SandboxDelivery
from motcua.notifications.providers import Accepted, SendFailed, StatusReport
from motcua.notifications.providers import registry as provider_registry
from motcua.notifications.services import Recipient
from tests.factories import UserFactory

VALUES = {
    "ma_ho_so": "000.00.21.H16-261207-0001",
    "ten_thu_tuc": "Đăng ký khai sinh",
    "nguoi_nop": "Nguyễn Thị Hương",
    "co_quan": "UBND phường Tân Lập",
    "trang_thai": "Đã tiếp nhận",
    "duong_dan": "http://127.0.0.1:8000/tra-cuu/",
    "hen_tra": "09/12/2026 16:30",
}


@pytest.fixture
def channels(settings):
    settings.MOTCUA_NOTIFY_PROVIDERS = {
        "email": "smtp",
        "sms": "sandbox",
        "zalo": "",
        "inapp": "inapp",
    }
    return settings


def _notify(recipient: Recipient, source: str = "event:1", event: str = Event.RECEIVED):
    return services.notify(event=event, source=source, recipients=[recipient], values=VALUES)


@pytest.mark.django_db
def test_one_message_per_channel_with_an_address_and_none_twice(channels):
    user = UserFactory(email="huong@example.vn", phone="0912345678")
    who = Recipient(name="Nguyễn Thị Hương", user=user, email=user.email, phone=user.phone)
    written = _notify(who)
    assert sorted(m.channel for m in written) == ["email", "inapp", "sms"]
    email = next(m for m in written if m.channel == Channel.EMAIL)
    assert email.subject == "Đã tiếp nhận hồ sơ 000.00.21.H16-261207-0001, hẹn trả 09/12/2026 16:30"
    assert "Kính gửi Nguyễn Thị Hương," in email.body
    assert "UBND phường Tân Lập đã tiếp nhận" in email.body
    assert "<p>" in email.html
    inapp = next(m for m in written if m.channel == Channel.INAPP)
    assert inapp.status == MessageStatus.DELIVERED
    # The same source again (a retried task, a repeated scan) writes nothing.
    assert _notify(who) == []
    assert Message.objects.count() == 3
    # Another source is another message.
    assert len(_notify(who, source="event:2")) == 3


@pytest.mark.django_db
def test_no_address_no_message_and_zalo_replaces_sms_by_default(channels):
    channels.MOTCUA_NOTIFY_PROVIDERS = {**channels.MOTCUA_NOTIFY_PROVIDERS, "zalo": "sandbox"}
    who = Recipient(name="Lê Văn An", phone="0987654321")
    assert [m.channel for m in _notify(who)] == ["zalo"]


@pytest.mark.django_db
def test_preferences_are_respected_but_an_overdue_warning_cannot_be_turned_off(channels):
    user = UserFactory(email="canbo@example.vn")
    services.preference_set(user=user, event=Event.RECEIVED, channel=Channel.EMAIL, enabled=False)
    who = Recipient(name="Cán bộ", user=user, email=user.email)
    assert [m.channel for m in _notify(who)] == ["inapp"]
    services.preference_set(user=user, event=Event.DIGEST, channel=Channel.EMAIL, enabled=False)
    with pytest.raises(services.PreferenceRefused):
        services.preference_set(
            user=user, event=Event.OVERDUE, channel=Channel.EMAIL, enabled=False
        )


@pytest.mark.django_db
def test_a_broken_template_fails_the_message_not_the_caller(channels):
    MessageTemplate.objects.filter(event=Event.RECEIVED, channel=Channel.EMAIL).update(
        body_vi="Hồ sơ {{ ma_ho_so }} hẹn {{ khong_co }}"
    )
    written = _notify(Recipient(name="A", email="a@example.vn"))
    assert [(m.status, m.channel) for m in written] == [(MessageStatus.FAILED, "email")]
    assert "khong_co" in written[0].reason


@pytest.mark.django_db(transaction=True)
def test_delivery_sends_each_message_once(channels):
    who = Recipient(name="Nguyễn Thị Hương", email="huong@example.vn", phone="0912345678")
    written = _notify(who)
    # The immediate task backend of the tests has delivered them on commit.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("Đã tiếp nhận hồ sơ")
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<{written[0].reference}@localhost>"
    assert SandboxDelivery.objects.count() == 1
    statuses = dict(Message.objects.values_list("channel", "status"))
    assert statuses == {"email": MessageStatus.SENT, "sms": MessageStatus.DELIVERED}
    # A second run of the delivery finds nothing queued.
    assert delivery.messages_deliver(ids=[m.pk for m in written]) == {}
    assert len(mail.outbox) == 1


class _Flaky:
    """A provider that fails the first `failures` sends, transiently."""

    id = "flaky"
    channel = Channel.SMS
    keeps_reference = True

    def __init__(self, failures: int, permanent: bool = False) -> None:
        self.failures, self.permanent, self.sent = failures, permanent, []

    def send_many(self, outgoing):
        outcomes = []
        for one in outgoing:
            if self.failures:
                self.failures -= 1
                outcomes.append(SendFailed("gateway 503", permanent=self.permanent))
            else:
                self.sent.append(one.reference)
                outcomes.append(Accepted(provider_ref=f"f-{len(self.sent)}"))
        return outcomes


@pytest.mark.django_db
def test_transient_failures_are_retried_with_growing_delays_then_given_up(channels):
    channels.MOTCUA_NOTIFY_MAX_ATTEMPTS = 3
    channels.MOTCUA_NOTIFY_PROVIDERS = {"sms": "flaky"}
    flaky = _Flaky(failures=5)
    provider_registry[(Channel.SMS, "flaky")] = flaky
    try:
        [message] = _notify(Recipient(name="A", phone="0912345678"))
        now = timezone.now()
        delays = []
        for _ in range(3):
            delivery.messages_deliver(ids=[message.pk], now=now)
            message.refresh_from_db()
            if message.status == MessageStatus.QUEUED:
                delays.append(message.next_attempt_at - now)
                # Not due yet: nothing is sent before its time.
                assert delivery.messages_deliver(ids=[message.pk], now=now) == {}
                now = message.next_attempt_at
        assert message.status == MessageStatus.FAILED
        assert message.attempts == 3
        assert "gateway 503" in message.reason
        assert dt.timedelta(seconds=30) <= delays[0] <= dt.timedelta(seconds=45)
        assert dt.timedelta(seconds=60) <= delays[1] <= dt.timedelta(seconds=90)
        assert flaky.sent == []
    finally:
        del provider_registry[(Channel.SMS, "flaky")]


@pytest.mark.django_db
def test_a_permanent_failure_is_not_retried(channels):
    channels.MOTCUA_NOTIFY_PROVIDERS = {"sms": "flaky"}
    provider_registry[(Channel.SMS, "flaky")] = _Flaky(failures=1, permanent=True)
    try:
        [message] = _notify(Recipient(name="A", phone="0912345678"))
        delivery.messages_deliver(ids=[message.pk])
        message.refresh_from_db()
        assert (message.status, message.attempts) == (MessageStatus.FAILED, 1)
    finally:
        del provider_registry[(Channel.SMS, "flaky")]


@pytest.mark.django_db
def test_a_worker_killed_after_acceptance_sends_no_second_copy(channels):
    """The sandbox keeps client references. Kill the 'worker' right after the provider took the
    message (the mark never runs), then let the sweep recover it: one copy reaches the inbox."""
    channels.MOTCUA_NOTIFY_PROVIDERS = {"sms": "sandbox"}
    [message] = _notify(Recipient(name="A", phone="0912345678"))

    class Killed(BaseException):
        pass

    sandbox = provider_registry[(Channel.SMS, "sandbox")]

    class DiesOnAnswer(type(sandbox)):
        """The real sandbox, and the worker dies the moment it has answered."""

        def send_many(self, outgoing):
            list(super().send_many(outgoing))
            raise Killed

    provider_registry[(Channel.SMS, "sandbox")] = DiesOnAnswer(Channel.SMS)
    try:
        with pytest.raises(Killed):
            delivery.messages_deliver(ids=[message.pk])
    finally:
        provider_registry[(Channel.SMS, "sandbox")] = sandbox
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING
    assert SandboxDelivery.objects.count() == 1
    # Not stale yet: the sweep leaves a send in progress alone.
    assert delivery.messages_recover()["recovered"] == 0
    later = timezone.now() + dt.timedelta(minutes=11)
    assert delivery.messages_recover(now=later)["recovered"] == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert message.attempts == 2
    kept = SandboxDelivery.objects.get()
    assert kept.copies_refused == 1
    assert message.provider_ref == f"sb-{kept.pk}"


@pytest.mark.django_db
def test_delivery_reports_move_forward_only(channels):
    channels.MOTCUA_NOTIFY_PROVIDERS = {"sms": "flaky"}
    provider_registry[(Channel.SMS, "flaky")] = _Flaky(failures=0)
    try:
        [message] = _notify(Recipient(name="A", phone="0912345678"))
        delivery.messages_deliver(ids=[message.pk])
        message.refresh_from_db()
        assert message.status == MessageStatus.SENT
        now = timezone.now()
        delivered = StatusReport(provider_ref="f-1", status=MessageStatus.DELIVERED, at=now)
        sent = StatusReport(provider_ref="f-1", status=MessageStatus.SENT, at=now)
        assert delivery.message_status_report(provider="flaky", report=delivered) is True
        assert delivery.message_status_report(provider="flaky", report=delivered) is False
        assert delivery.message_status_report(provider="flaky", report=sent) is False
        unknown = StatusReport(provider_ref="f-9", status=MessageStatus.DELIVERED, at=now)
        assert delivery.message_status_report(provider="flaky", report=unknown) is False
        message.refresh_from_db()
        assert message.status == MessageStatus.DELIVERED
        assert [e.status for e in message.history.all()] == [
            "queued",
            "sending",
            "sent",
            "delivered",
        ]
    finally:
        del provider_registry[(Channel.SMS, "flaky")]


@pytest.mark.django_db
def test_notices_are_counted_and_marked_read(channels):
    from motcua.notifications import selectors

    user = UserFactory()
    who = Recipient(name="A", user=user)
    _notify(who, source="event:1")
    _notify(who, source="event:2")
    assert selectors.notices_unread_count(user_id=user.pk) == 2
    first = selectors.notices_of(user_id=user.pk).last()
    assert services.notices_mark_read(user=user, ids=[first.pk]) == 1
    assert selectors.notices_unread_count(user_id=user.pk) == 1
    other = UserFactory()
    assert services.notices_mark_read(user=other) == 0
    assert services.notices_mark_read(user=user) == 1
    assert selectors.notices_unread_count(user_id=user.pk) == 0
