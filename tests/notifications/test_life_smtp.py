"""A dossier taken through its life by the services, its messages delivered over real SMTP to an
independent server (aiosmtpd) on loopback: exactly the expected e-mails, each once, with their
Vietnamese intact in the subject (RFC 2047 encoded words) and in both bodies."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller

from motcua.dossiers import services as s
from motcua.notifications.constants import MessageStatus
from motcua.notifications.models import Message
from tests.dossiers.helpers import build_world, new_online


class _Inbox:
    """aiosmtpd's handler: keep each message as the server received it."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it by this name
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for rcpt, m in self.messages if address in rcpt]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings) -> Iterator[_Inbox]:
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "Cổng dịch vụ công <no-reply@dichvucong.example.vn>"
    settings.MOTCUA_NOTIFY_PROVIDERS = {"email": "smtp", "sms": "", "zalo": "", "inapp": "inapp"}
    try:
        yield inbox
    finally:
        controller.stop()


def _subject(message: email.message.EmailMessage) -> str:
    # Django folds an encoded subject onto its own line ("Subject:\r\n =?utf-8?b?…?="), which
    # this parser unfolds with the fold's space in front; mail clients drop it, so do we.
    return str(message["Subject"]).strip()


def _plain(message: email.message.EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def _html(message: email.message.EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


@pytest.mark.django_db
def test_a_dossier_life_sends_exactly_the_expected_emails(
    smtp_server: _Inbox, django_capture_on_commit_callbacks
) -> None:
    w = build_world(processing_time=5, name="Cấp giấy phép xây dựng nhà ở riêng lẻ")
    w.citizen.full_name = "Nguyễn Thị Hương"
    w.citizen.save()
    c = w.clock
    with django_capture_on_commit_callbacks(execute=True):
        d = new_online(w)
        d = s.dossier_submit(dossier=d, actor=w.citizen, at=c.tick(0.1))
    with django_capture_on_commit_callbacks(execute=True):
        d = s.dossier_accept(dossier=d, actor=w.reception, at=c.tick())
    with django_capture_on_commit_callbacks(execute=True):
        d = s.dossier_start(dossier=d, actor=w.reception, assignee=w.specialist, at=c.tick())
    with django_capture_on_commit_callbacks(execute=True):
        d = s.dossier_request_supplement(
            dossier=d,
            actor=w.specialist,
            items=["Bản vẽ hiện trạng công trình", "Giấy chứng nhận quyền sử dụng đất"],
            reason="Thiếu giấy tờ về đất",
            at=c.tick(),
        )
    with django_capture_on_commit_callbacks(execute=True):
        d = s.dossier_supplement(dossier=d, actor=w.citizen, note="Đã nộp đủ", at=c.tick())
    with django_capture_on_commit_callbacks(execute=True):
        d = s.dossier_approve(dossier=d, actor=w.leader, at=c.tick())
    with django_capture_on_commit_callbacks(execute=True):
        d = s.dossier_return_result(dossier=d, actor=w.reception, at=c.tick())

    citizen_mail = smtp_server.to(w.citizen.email)
    subjects = [_subject(m) for m in citizen_mail]
    assert subjects == [
        f"Đã nộp hồ sơ {d.code}",
        f"Đã tiếp nhận hồ sơ {d.code}, hẹn trả " + subjects[1].rsplit("hẹn trả ", 1)[1],
        f"Hồ sơ {d.code} cần bổ sung",
        f"Đã có kết quả hồ sơ {d.code}",
        f"Đã trả kết quả hồ sơ {d.code}",
    ]
    supplement = citizen_mail[2]
    body = _plain(supplement)
    assert "Kính gửi Nguyễn Thị Hương," in body
    assert "- Bản vẽ hiện trạng công trình\n- Giấy chứng nhận quyền sử dụng đất" in body
    assert "Thiếu giấy tờ về đất" in body
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in _html(supplement)
    # The raw subject on the wire is encoded (RFC 2047), not mangled into "?" or Latin-1.
    assert "=?utf-8?" in supplement.as_string().lower()
    # The officers are told of their new work: the desk at submission, the specialist at start.
    assert [_subject(m) for m in smtp_server.to(w.reception.email)] == [
        f"Hồ sơ mới cần xử lý: {d.code}"
    ]
    assert [_subject(m) for m in smtp_server.to(w.specialist.email)] == [
        f"Hồ sơ mới cần xử lý: {d.code}"
    ]
    assert len(smtp_server.messages) == 7
    # Each message says which row it is (Message-ID = our reference), and each row is sent.
    ids = {m["Message-ID"] for _, m in smtp_server.messages}
    assert len(ids) == 7
    emails = Message.objects.filter(channel="email")
    assert emails.count() == 7
    assert set(emails.values_list("status", flat=True)) == {MessageStatus.SENT}


@pytest.mark.django_db
def test_smtp_killed_mid_batch_resends_only_the_unmarked_sends(
    smtp_server: _Inbox, settings
) -> None:
    """SMTP keeps no reference of ours: a worker killed after the server took a message and
    before its mark sends it again on the sweep (same Message-ID, for clients to fold), and
    only the sends since the last mark (every MOTCUA_NOTIFY_MARK_EVERY)."""
    import datetime as dt

    from django.utils import timezone

    from motcua.notifications import delivery, services
    from motcua.notifications.constants import Channel, Event
    from motcua.notifications.providers import registry

    settings.MOTCUA_NOTIFY_MARK_EVERY = 2

    class Killed(BaseException):
        pass

    values = {
        "ma_ho_so": "000.00.21.H16-261207-0001",
        "ten_thu_tuc": "Đăng ký khai sinh",
        "nguoi_nop": "Trần Văn Đức",
        "co_quan": "UBND phường Tân Lập",
        "trang_thai": "Đã tiếp nhận",
        "duong_dan": "http://127.0.0.1:8000/tra-cuu/",
        "hen_tra": "16:30 ngày 09/12/2026",
    }
    people = range(1, 6)
    written = services.notify(
        event=Event.RECEIVED,
        source="event:kill",
        recipients=[
            services.Recipient(name=f"Người {n}", email=f"nguoi{n}@example.vn") for n in people
        ],
        values=values,
    )
    smtp = registry[(Channel.EMAIL, "smtp")]

    class DiesAfterThird(type(smtp)):
        def send_many(self, outgoing):
            for number, outcome in enumerate(super().send_many(outgoing), start=1):
                if number == 3:
                    raise Killed  # the server has the third message; its mark never runs
                yield outcome

    registry[(Channel.EMAIL, "smtp")] = DiesAfterThird()
    try:
        with pytest.raises(Killed):
            delivery.messages_deliver(ids=[m.pk for m in written])
    finally:
        registry[(Channel.EMAIL, "smtp")] = smtp
    statuses = [Message.objects.get(pk=m.pk).status for m in written]
    assert statuses == [MessageStatus.SENT] * 2 + [MessageStatus.SENDING] * 3
    delivery.messages_recover(now=timezone.now() + dt.timedelta(minutes=11))
    assert [len(smtp_server.to(f"nguoi{n}@example.vn")) for n in people] == [1, 1, 2, 1, 1]
    copies = smtp_server.to("nguoi3@example.vn")
    assert copies[0]["Message-ID"] == copies[1]["Message-ID"]
    assert {Message.objects.get(pk=m.pk).status for m in written} == {MessageStatus.SENT}
