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
