"""The notifications pages: notices (count in the header, list, mark read), choices, the admin's
template preview, the sandbox inbox and the message log on both dossier pages."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from motcua.dossiers.constants import DossierStatus
from motcua.notifications import delivery, services
from motcua.notifications.constants import Channel, Event, MessageStatus
from motcua.notifications.defaults import DEFAULTS
from motcua.notifications.models import Message, MessageTemplate, Preference
from motcua.notifications.samples import sample_values
from motcua.notifications.selectors import recipient_masked
from motcua.notifications.services import Recipient
from motcua.notifications.templating import VARIABLES, render_text
from tests.dossiers.helpers import World, build_world, drive
from tests.factories import StaffFactory

VALUES = {
    "ma_ho_so": "000.00.21.H16-261207-0001",
    "ten_thu_tuc": "Đăng ký khai sinh",
    "nguoi_nop": "Nguyễn Thị Hương",
    "co_quan": "Sở Tư pháp",
    "trang_thai": "Đã tiếp nhận",
    "duong_dan": "/ho-so-cua-toi/",
    "hen_tra": "09/12/2026 16:30",
    "buoc": "Thẩm định",
}


@pytest.fixture
def world(db) -> World:
    return build_world(processing_time=5)


@pytest.fixture(autouse=True)
def channels(settings):
    settings.MOTCUA_NOTIFY_PROVIDERS = {
        "email": "sandbox",
        "sms": "sandbox",
        "zalo": "",
        "inapp": "inapp",
    }
    settings.MOTCUA_NOTIFY_SANDBOX_INBOX_OPEN = False
    return settings


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def tell(user, *, source: str, event: str = Event.RECEIVED, dossier=None) -> list[Message]:
    who = Recipient(name=user.display_name, user=user, email=user.email, phone=user.phone)
    return services.notify(
        event=event, source=source, recipients=[who], values=VALUES, dossier=dossier
    )


def notice_of(user, source: str, **kwargs) -> Message:
    return next(m for m in tell(user, source=source, **kwargs) if m.channel == Channel.INAPP)


def message_log_html(html: str) -> str:
    start = html.index('id="tin-nhan"')
    return html[start : html.index("</section>", start)]


def header_count(html: str) -> str | None:
    found = re.search(r'id="notice-count">(\d+)', html)
    return found.group(1) if found else None


# --- Notices -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["notifications:notices", "notifications:preferences", "notifications_backoffice:notices"],
)
def test_anonymous_people_are_sent_to_the_login(db, client, name) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_cannot_mark_a_notice_read(world: World, client) -> None:
    notice = notice_of(world.citizen, "e:1")
    response = client.post(reverse("notifications:notice_read", args=[notice.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_back_office_notices_are_for_officers_only(world: World) -> None:
    assert (
        signed_in(world.citizen).get(reverse("notifications_backoffice:notices")).status_code == 403
    )
    assert (
        signed_in(world.reception).get(reverse("notifications_backoffice:notices")).status_code
        == 200
    )


def test_the_header_counts_unread_notices_in_the_portal_and_the_back_office(world: World) -> None:
    for n in range(3):
        notice_of(world.citizen, f"e:{n}")
    notice_of(world.reception, "task:1", event=Event.TASK_ASSIGNED)
    citizen = signed_in(world.citizen)
    html = citizen.get(reverse("portal:my_dossiers")).content.decode()
    assert header_count(html) == "3"
    assert f'href="{reverse("notifications:notices")}"' in html
    officer = signed_in(world.reception)
    html = officer.get(reverse("backoffice:queues")).content.decode()
    assert header_count(html) == "1"
    # The back office's header leads to the back office's list.
    assert f'href="{reverse("notifications_backoffice:notices")}"' in html
    # Another person's notices are not counted, read ones neither.
    services.notices_mark_read(user=world.citizen)
    assert header_count(citizen.get(reverse("portal:my_dossiers")).content.decode()) is None


def test_the_header_count_is_one_query_and_none_for_visitors(
    world: World, client, django_assert_num_queries
) -> None:
    from motcua.notifications.context_processors import notices

    class Request:
        user = world.citizen

    notice_of(world.citizen, "e:1")
    notice_of(world.citizen, "e:2")
    context = notices(Request())  # type: ignore[arg-type]
    with django_assert_num_queries(1):
        assert int(str(context["notices_unread"])) == 2
        assert bool(context["notices_unread"])  # read once, kept
    Request.user = type("Anonymous", (), {"is_authenticated": False})()
    assert "notices_unread" not in notices(Request())  # type: ignore[arg-type]


def test_the_list_shows_own_notices_newest_first_with_a_bounded_number_of_queries(
    world: World, django_assert_max_num_queries
) -> None:
    dossier = drive(world, DossierStatus.SUBMITTED)
    Message.objects.all().delete()  # the submission's own messages: this test writes its own
    for n in range(25):
        notice_of(world.citizen, f"e:{n}", dossier=dossier)
    notice_of(world.other_citizen, "other:1")
    client = signed_in(world.citizen)
    client.get(reverse("notifications:notices"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications:notices"))
    items = response.context["items"]
    assert len(items) == 20  # paginated
    assert all(m.user_id == world.citizen.pk for m, _ in items)
    html = response.content.decode()
    assert "Đã tiếp nhận hồ sơ 000.00.21.H16-261207-0001" in html
    # Each notice leads to the applicant's own page of its dossier.
    assert reverse("portal:my_dossier", args=[dossier.code]) in html
    assert "Trang 1/2" in html


def test_mark_one_read_and_not_another_persons(world: World) -> None:
    mine = notice_of(world.citizen, "e:1")
    other = notice_of(world.citizen, "e:2")
    theirs = notice_of(world.other_citizen, "e:3")
    client = signed_in(world.citizen)
    assert client.get(reverse("notifications:notice_read", args=[mine.pk])).status_code == 405
    response = client.post(
        reverse("notifications:notice_read", args=[mine.pk]),
        {"next": reverse("notifications:notices") + "?page=1"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:notices") + "?page=1"
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.read_at is not None and other.read_at is None
    # Another person's notice: 404, and it stays unread.
    response = client.post(reverse("notifications:notice_read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    # A `next` to another site is not followed.
    response = client.post(
        reverse("notifications:notice_read", args=[other.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("notifications:notices")


def test_the_csrf_token_is_required_to_mark_read(world: World) -> None:
    notice = notice_of(world.citizen, "e:1")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.citizen)
    response = client.post(reverse("notifications:notice_read", args=[notice.pk]))
    assert response.status_code == 403
    notice.refresh_from_db()
    assert notice.read_at is None
    page = client.get(reverse("notifications:notices")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        reverse("notifications:notice_read", args=[notice.pk]), {"csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_mark_all_read_touches_only_ones_own(world: World) -> None:
    for n in range(3):
        notice_of(world.reception, f"t:{n}", event=Event.TASK_ASSIGNED)
    theirs = notice_of(world.specialist, "t:x", event=Event.TASK_ASSIGNED)
    officer = signed_in(world.reception)
    response = officer.post(reverse("notifications_backoffice:notices_read_all"), follow=True)
    assert "Đã đánh dấu 3 thông báo là đã đọc." in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("notifications_backoffice:notices")
    assert not Message.objects.filter(
        user=world.reception, channel=Channel.INAPP, read_at__isnull=True
    ).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --- Choices -------------------------------------------------------------------------------------


def _cell(event: str, channel: str) -> str:
    return f"{event}__{channel}"


def _all_on(response) -> dict[str, str]:
    """The form as shown, every box that is ticked posted as such."""
    form = response.context["form"]
    return {name: "on" for name in form.fields if form[name].value()}


def test_a_citizen_turns_an_event_off_on_a_channel(world: World) -> None:
    client = signed_in(world.citizen)
    page = client.get(reverse("notifications:preferences"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hồ sơ đã được tiếp nhận" in html
    assert "Hồ sơ quá hạn" not in html  # a citizen has no officer's warnings to choose
    data = _all_on(page)
    data.pop(_cell(Event.RECEIVED, Channel.EMAIL))
    response = client.post(reverse("notifications:preferences"), data, follow=True)
    assert "Đã lưu lựa chọn nhận thông báo." in response.content.decode()
    assert list(
        Preference.objects.filter(user=world.citizen).values_list("event", "channel", "enabled")
    ) == [(Event.RECEIVED, Channel.EMAIL, False)]
    # And notify() follows it.
    assert sorted(m.channel for m in tell(world.citizen, source="e:1")) == ["inapp", "sms"]


def test_an_officer_may_drop_the_digest_but_not_the_overdue_warning(world: World) -> None:
    officer = signed_in(world.specialist)
    page = officer.get(reverse("notifications_backoffice:preferences"))
    html = page.content.decode()
    assert "Tổng hợp công việc hằng ngày" in html
    assert "bắt buộc, không tắt được" in html
    assert "Hồ sơ đã được nộp" not in html  # the applicant's events are chosen in the portal
    assert "Nhắc nộp báo cáo" not in html  # the report reminder is for agency administrators
    data = _all_on(page)
    data.pop(_cell(Event.DIGEST, Channel.EMAIL))
    data.pop(_cell(Event.OVERDUE, Channel.EMAIL))
    response = officer.post(reverse("notifications_backoffice:preferences"), data)
    assert response.status_code == 400
    assert "Không thể tắt cảnh báo bắt buộc này" in response.content.decode()
    # All or nothing: the digest's change, allowed on its own, was not kept either.
    assert not Preference.objects.filter(user=world.specialist).exists()
    data[_cell(Event.OVERDUE, Channel.EMAIL)] = "on"
    response = officer.post(reverse("notifications_backoffice:preferences"), data)
    assert response.status_code == 302
    assert list(
        Preference.objects.filter(user=world.specialist).values_list("event", "channel", "enabled")
    ) == [(Event.DIGEST, Channel.EMAIL, False)]


# --- The admin's preview ------------------------------------------------------------------------


def test_every_variable_has_a_sample_and_every_default_renders_with_them() -> None:
    for event, names in VARIABLES.items():
        values = sample_values(event=event)
        assert set(values) == set(names)
        for channel in Channel:
            for text in DEFAULTS[event].for_channel(channel):
                render_text(text, values)  # no TemplateProblem: every name has a value


@pytest.fixture
def admin_client(db) -> Client:
    return signed_in(StaffFactory(username="quantri", is_staff=True, is_superuser=True))


def test_the_preview_renders_the_posted_text_with_the_sample_dossier(admin_client) -> None:
    template = MessageTemplate.objects.get(event=Event.RECEIVED, channel=Channel.EMAIL)
    change = admin_client.get(
        reverse("admin:notifications_messagetemplate_change", args=[template.pk])
    )
    html = change.content.decode()
    assert 'id="template-preview-button"' in html
    assert "{{ hen_tra }}" in html and "Ngày hẹn trả kết quả" in html  # the variables listed
    response = admin_client.post(
        reverse("admin:notifications_messagetemplate_preview"),
        {
            "event": Event.RECEIVED,
            "channel": Channel.EMAIL,
            "subject_vi": "Hồ sơ {{ ma_ho_so }} đã được tiếp nhận",
            "body_vi": "Kính gửi {{ nguoi_nhan }},\nhẹn trả {{ hen_tra }} <b>",
            "subject_en": "",
            "body_en": "",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hồ sơ 000.00.21.H16-261207-0001 đã được tiếp nhận" in html
    assert "Kính gửi Nguyễn Thị Hương," in html
    assert "hẹn trả 16:30 09/12/2026 &lt;b&gt;" in html  # the HTML version escapes the text
    assert 'id="preview-en"' not in html  # no English text, no English preview
    # Nothing was saved by previewing.
    template.refresh_from_db()
    assert "{{ ma_ho_so }} đã được tiếp nhận" not in template.subject_vi


def test_the_preview_refuses_an_unknown_variable(admin_client) -> None:
    response = admin_client.post(
        reverse("admin:notifications_messagetemplate_preview"),
        {
            "event": Event.RECEIVED,
            "channel": Channel.SMS,
            "body_vi": "Hồ sơ {{ ma_ho_so }} hẹn {{ ngay_hen }}",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Mẫu dùng biến không có: {{ ngay_hen }}" in html
    assert "Các biến dùng được" in html


def test_saving_a_template_with_an_unknown_variable_is_refused(admin_client) -> None:
    template = MessageTemplate.objects.get(event=Event.RECEIVED, channel=Channel.SMS)
    response = admin_client.post(
        reverse("admin:notifications_messagetemplate_change", args=[template.pk]),
        {
            "event": Event.RECEIVED,
            "channel": Channel.SMS,
            "body_vi": "Hồ sơ {{ ma_ho_so }} hẹn {{ ngay_hen }}",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "Mẫu dùng biến không có: {{ ngay_hen }}" in response.content.decode()
    template.refresh_from_db()
    assert "ngay_hen" not in template.body_vi


def test_the_preview_is_for_the_admins_staff_only(world: World) -> None:
    url = reverse("admin:notifications_messagetemplate_preview")
    response = signed_in(world.citizen).post(
        url, {"event": Event.RECEIVED, "channel": Channel.SMS, "body_vi": "x"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# --- The sandbox inbox ---------------------------------------------------------------------------


def _delivered(world: World) -> list[Message]:
    written = tell(world.citizen, source="e:1")
    delivery.messages_deliver(ids=[m.pk for m in written])
    return written


def test_the_inbox_shows_what_the_sandboxes_received_to_staff(world: World) -> None:
    _delivered(world)
    staff = signed_in(StaffFactory(username="qtv", is_staff=True))
    response = staff.get(reverse("notifications:sandbox"))
    assert response.status_code == 200
    html = response.content.decode()
    assert world.citizen.email in html
    assert "Đã tiếp nhận hồ sơ 000.00.21.H16-261207-0001, hẹn trả 09/12/2026 16:30" in html
    assert "Hồ sơ đã được tiếp nhận" in html  # the event, from the outbox row
    assert len(response.context["rows"]) == 2  # the e-mail and the SMS
    only_sms = staff.get(reverse("notifications:sandbox"), {"channel": "sms"})
    assert [d.channel for d, _ in only_sms.context["rows"]] == ["sms"]
    bad = staff.get(reverse("notifications:sandbox"), {"channel": "fax"})
    assert bad.status_code == 400
    assert "Kênh không hợp lệ" in bad.content.decode()


def test_the_inbox_is_closed_to_citizens_outside_the_demo(world: World, client) -> None:
    _delivered(world)
    assert signed_in(world.citizen).get(reverse("notifications:sandbox")).status_code == 403
    html = signed_in(world.citizen).get(reverse("notifications:notices")).content.decode()
    assert reverse("notifications:sandbox") not in html
    response = client.get(reverse("notifications:sandbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_inbox_is_open_to_anyone_in_the_demo(world: World, client, settings) -> None:
    settings.MOTCUA_NOTIFY_SANDBOX_INBOX_OPEN = True
    _delivered(world)
    response = client.get(reverse("notifications:sandbox"))
    assert response.status_code == 200
    assert world.citizen.email in response.content.decode()
    # The demo's pages point at it.
    html = signed_in(world.citizen).get(reverse("notifications:notices")).content.decode()
    assert f'href="{reverse("notifications:sandbox")}"' in html


# --- The message log on the dossier pages --------------------------------------------------------


def test_addresses_are_masked_for_others() -> None:
    assert recipient_masked(channel=Channel.EMAIL, address="huong@example.vn") == "hu•••@example.vn"
    assert recipient_masked(channel=Channel.EMAIL, address="a.long.name@x.vn") == "a.•••@x.vn"
    assert recipient_masked(channel=Channel.SMS, address="0912345678") == "091•••••78"
    assert recipient_masked(channel=Channel.ZALO, address="0912") == "••••"


def test_the_applicant_sees_what_they_were_sent_with_its_status(world: World) -> None:
    dossier = drive(world, DossierStatus.SUBMITTED)
    Message.objects.all().delete()  # the submission's own messages: this test writes its own
    written = tell(world.citizen, source="e:1", dossier=dossier)
    delivery.messages_deliver(ids=[m.pk for m in written])
    tell(world.reception, source="t:1", event=Event.TASK_ASSIGNED, dossier=dossier)
    sms = next(m for m in written if m.channel == Channel.SMS)
    Message.objects.filter(pk=sms.pk).update(
        status=MessageStatus.FAILED, reason="Số thuê bao không tồn tại"
    )
    response = signed_in(world.citizen).get(reverse("portal:my_dossier", args=[dossier.code]))
    html = message_log_html(response.content.decode())
    assert "Tin nhắn đã gửi" in html
    log = response.context["message_log"]
    # E-mail and SMS to the applicant; the officer's notice of a new task is not theirs to see.
    assert sorted(row.message.channel for row in log) == ["email", "sms"]
    assert world.citizen.email in html  # their own address, in full
    assert "Đã đến người nhận" in html
    assert "Không gửi được" in html and "Số thuê bao không tồn tại" in html
    assert world.reception.email not in html


def test_the_officer_sees_every_message_with_others_addresses_masked(world: World) -> None:
    dossier = drive(world, DossierStatus.SUBMITTED)
    Message.objects.all().delete()  # the submission's own messages: this test writes its own
    tell(world.citizen, source="e:1", dossier=dossier)
    tell(world.reception, source="t:1", event=Event.TASK_ASSIGNED, dossier=dossier)
    response = signed_in(world.reception).get(reverse("backoffice:dossier", args=[dossier.code]))
    assert response.status_code == 200
    html = message_log_html(response.content.decode())
    assert "Tin nhắn đã gửi" in html
    assert world.citizen.email not in html
    assert world.citizen.phone not in html
    assert recipient_masked(channel=Channel.EMAIL, address=world.citizen.email) in html
    assert world.reception.email in html  # their own
    assert "Đang chờ gửi" in html  # not delivered yet (no worker ran in this test)
    events = {row.message.event for row in response.context["message_log"]}
    assert events == {Event.RECEIVED, Event.TASK_ASSIGNED}


def test_an_agency_administrator_also_chooses_about_the_report_reminder(world: World) -> None:
    from motcua.orgs.constants import Role
    from tests.factories import MembershipFactory

    MembershipFactory(user=world.leader, unit=world.unit, role=Role.AGENCY_ADMIN)
    html = (
        signed_in(world.leader)
        .get(reverse("notifications_backoffice:preferences"))
        .content.decode()
    )
    assert "Nhắc nộp báo cáo" in html


def test_the_log_costs_the_same_queries_for_few_or_many_messages(
    world: World, django_assert_max_num_queries
) -> None:
    dossier = drive(world, DossierStatus.SUBMITTED)
    Message.objects.all().delete()  # the submission's own messages: this test writes its own
    officer = signed_in(world.reception)
    page = reverse("backoffice:dossier", args=[dossier.code])
    tell(world.citizen, source="e:0", dossier=dossier)
    officer.get(page)
    with django_assert_max_num_queries(100) as few:
        officer.get(page)
    for n in range(1, 8):
        tell(world.citizen, source=f"e:{n}", dossier=dossier)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = officer.get(page)
    assert len(response.context["message_log"]) == 16  # e-mail and SMS of each of 8 events


def test_where_zalo_is_on_the_page_says_sms_is_by_choice(world: World, channels) -> None:
    client = signed_in(world.citizen)
    assert 'id="sms-note"' not in client.get(reverse("notifications:preferences")).content.decode()
    channels.MOTCUA_NOTIFY_PROVIDERS = {**channels.MOTCUA_NOTIFY_PROVIDERS, "zalo": "sandbox"}
    page = client.get(reverse("notifications:preferences"))
    html = page.content.decode()
    assert 'id="sms-note"' in html
    form = page.context["form"]
    assert form[f"{Event.RECEIVED}__{Channel.ZALO}"].value() is True
    assert form[f"{Event.RECEIVED}__{Channel.SMS}"].value() is False
