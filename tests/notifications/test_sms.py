"""SMS through the brandname gateway: segments counted as phones count them, numbers in the form
gateways take, the request our protocol documents, errors retried or not, and no second copy
after a worker dies between the gateway's acceptance and our "sent" mark."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import unicodedata

import pytest
from django.utils import timezone

from motcua.notifications import delivery, services
from motcua.notifications.constants import Event, MessageStatus
from motcua.notifications.defaults import DEFAULTS
from motcua.notifications.models import Message
from motcua.notifications.providers import SendFailed, get_provider
from motcua.notifications.providers.sms import msisdn, sign, sms_refusal, sms_size
from motcua.notifications.services import Recipient
from motcua.notifications.templating import VARIABLES, render_text

from .loopback import BrandnameGateway, serve

# Vietnamese with its diacritics: every letter here is one UCS-2 unit.
VI = (
    "Hồ sơ của ông bà đã được tiếp nhận và đang được giải quyết đúng hạn. "
    "Trân trọng cảm ơn quý vị đã sử dụng dịch vụ công trực tuyến của tỉnh nhà. "
)
VI = VI * 3
ASCII = "Ho so 000.00.21.H16-261207-0001 da duoc tiep nhan, hen tra ket qua 09/12/2026. " * 5

VALUES = {
    "ma_ho_so": "000.00.21.H16-261207-0001",
    "ten_thu_tuc": "Đăng ký khai sinh",
    "nguoi_nop": "Nguyễn Thị Hương",
    "co_quan": "UBND phường Tân Lập",
    "trang_thai": "Đã tiếp nhận",
    "duong_dan": "http://127.0.0.1:8000/tra-cuu/",
    "hen_tra": "09/12/2026 16:30",
}


def test_vietnamese_text_is_ucs2_70_in_one_segment_67_per_part_and_two_at_most():
    assert len(VI[:70]) == 70 and unicodedata.is_normalized("NFC", VI)
    assert sms_size(VI[:70]) == sms_size(VI[:70]).__class__("ucs2", 70, 1)
    assert sms_size(VI[:71]).segments == 2
    assert sms_size(VI[:134]).segments == 2
    assert sms_refusal(VI[:134]) == ""
    assert sms_size(VI[:135]).segments == 3
    assert "quá dài" in sms_refusal(VI[:135]) and "135" in sms_refusal(VI[:135])


def test_unaccented_text_is_gsm7_160_in_one_segment_153_per_part():
    assert len(ASCII[:160]) == 160
    assert sms_size(ASCII[:160]) == sms_size(ASCII[:160]).__class__("gsm7", 160, 1)
    assert sms_size(ASCII[:161]).segments == 2
    assert sms_size(ASCII[:306]).segments == 2
    assert sms_refusal(ASCII[:306]) == ""
    assert sms_size(ASCII[:307]).segments == 3
    assert sms_refusal(ASCII[:307]) != ""


def test_what_the_gsm_alphabet_holds_and_what_takes_two_units():
    # à, è, é, ì, ò, ù are GSM letters; one "ạ" makes the whole text UCS-2.
    assert sms_size("Hà Nội").encoding == "ucs2"
    assert sms_size("Hà Tĩnh").encoding == "ucs2"
    assert sms_size("Là vì sao").encoding == "gsm7"
    # The extension table takes two septets each: 80 × "[" is 160, 81 is 162.
    assert sms_size("[" * 80).segments == 1
    assert sms_size("[" * 81) == sms_size("[").__class__("gsm7", 162, 2)
    # An emoji is a surrogate pair in UTF-16.
    assert sms_size("🙂" * 35).units == 70
    assert sms_size("🙂" * 35).segments == 1
    assert sms_size("🙂" * 36).segments == 2
    # Decomposed letters count as the letters they make.
    decomposed = unicodedata.normalize("NFD", VI[:70])
    assert len(decomposed) > 70
    assert sms_size(decomposed).segments == 1


def test_phone_numbers_are_normalised_to_84_and_only_mobiles_taken():
    for given in ("0912345678", "0912 345 678", "0912.345.678", "+84912345678", "84912345678"):
        assert msisdn(given) == "84912345678"
    assert msisdn("0387654321") == "84387654321"
    for bad in ("02623812345", "0112345678", "091234567", "09123456789", "+14155550100", ""):
        with pytest.raises(ValueError):
            msisdn(bad)


def test_the_signature_is_hmac_sha256_of_the_body():
    # RFC 4231-style known vector (the classic "quick brown fox" HMAC-SHA256).
    body = b"The quick brown fox jumps over the lazy dog"
    assert sign("key", body) == ("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")
    assert sign("key", body) == hmac.new(b"key", body, hashlib.sha256).hexdigest()


@pytest.mark.parametrize("event", list(DEFAULTS))
@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_default_sms_text_fits_two_segments_with_long_values(event, language):
    # As values.py writes them: the longest code, an applicant's link, dates with their time,
    # the longest way to collect a result.
    long_values = dict.fromkeys(VARIABLES[event], "x" * 20) | {
        "ma_ho_so": "000.00.21.H16-261207-0001",
        "duong_dan": "https://dichvucong.example.gov.vn/ho-so-cua-toi/000.00.21.H16-261207-0001/",
        "duong_dan_thanh_toan": "https://dichvucong.example.gov.vn/thanh-toan/HD0001234/",
        "hen_tra": "16:30 ngày 09/12/2026",
        "hen_tra_moi": "16:30 ngày 15/12/2026",
        "cach_nhan": "Nhận trực tiếp tại bộ phận một cửa của UBND phường Tân Lập, mang theo giấy "
        "tiếp nhận",
        "so_tien": "1.250.000 đồng",
        "buoc": "Thẩm định hồ sơ",
        "chieu": "phát kết quả",
        "ky_bao_cao": "tháng 12/2026",
        "han_nop": "22/12/2026",
    }
    text = DEFAULTS[event].sms_vi if language == "vi" else DEFAULTS[event].sms_en
    filled = render_text(text, long_values)
    assert sms_size(filled).segments <= 2, (filled, sms_size(filled))


@pytest.fixture
def gateway(settings):
    gateway = BrandnameGateway()
    server = serve(gateway.provider)
    settings.MOTCUA_NOTIFY_PROVIDERS = {"email": "", "sms": "brandname", "zalo": "", "inapp": ""}
    settings.MOTCUA_SMS_URL = gateway.provider.url
    settings.MOTCUA_SMS_API_KEY = "api-key-1"
    settings.MOTCUA_SMS_BRANDNAME = "UBND TINH"
    settings.MOTCUA_SMS_TIMEOUT = 0.5
    settings.MOTCUA_PUBLIC_BASE_URL = "https://dichvucong.example.gov.vn"
    yield gateway
    server.shutdown()
    server.server_close()


def _queue(phone: str = "0912 345 678", source: str = "event:1") -> Message:
    [message] = services.notify(
        event=Event.RECEIVED,
        source=source,
        recipients=[Recipient(name="Nguyễn Thị Hương", phone=phone)],
        values=VALUES,
    )
    return message


@pytest.mark.django_db
def test_a_message_goes_to_the_gateway_as_the_protocol_says(gateway):
    message = _queue()
    assert delivery.messages_deliver(ids=[message.pk]) == {"sent": 1}
    [request] = gateway.provider.requests
    assert request.headers["x-api-key"] == "api-key-1"
    assert request.headers["content-type"] == "application/json; charset=utf-8"
    assert request.body == {
        "brandname": "UBND TINH",
        "phone": "84912345678",
        "message": "Hồ sơ 000.00.21.H16-261207-0001 đã được tiếp nhận, hẹn trả 09/12/2026 16:30.",
        "unicode": True,
        "request_id": str(message.reference),
        "callback_url": "https://dichvucong.example.gov.vn/api/v1/notifications/callback/brandname",
    }
    # UTF-8 on the wire, not \\u escapes.
    assert "tiếp nhận".encode() in request.raw
    message.refresh_from_db()
    assert (message.status, message.provider_ref) == (MessageStatus.SENT, "gw-1")


@pytest.mark.django_db
def test_a_worker_killed_after_the_gateway_took_it_sends_no_second_copy(gateway):
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
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING
    later = timezone.now() + dt.timedelta(minutes=11)
    assert delivery.messages_recover(now=later)["recovered"] == 1
    # Asked twice under the same request_id, sent once; the first message's id kept.
    assert [r.body["request_id"] for r in gateway.provider.requests] == [str(message.reference)] * 2
    assert gateway.sent == {str(message.reference): "gw-1"}
    message.refresh_from_db()
    assert (message.status, message.provider_ref, message.attempts) == (
        MessageStatus.SENT,
        "gw-1",
        2,
    )
    assert get_provider("sms", "brandname").keeps_reference is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answer", "status", "reason"),
    [
        ((500, {"error": "internal"}, 0), MessageStatus.QUEUED, "tạm thời"),
        ((503, {}, 0), MessageStatus.QUEUED, "503"),
        ((429, {"error": "rate_limited"}, 0), MessageStatus.QUEUED, "rate_limited"),
        ((200, {"message_id": "gw-slow"}, 1.5), MessageStatus.QUEUED, "quá thời gian chờ"),
        ((200, {"status": "accepted"}, 0), MessageStatus.QUEUED, "không có message_id"),
        (
            (400, {"error": "invalid_phone", "message": "Số thuê bao không tồn tại"}, 0),
            MessageStatus.FAILED,
            "400 invalid_phone Số thuê bao không tồn tại",
        ),
        ((401, {"error": "bad_api_key"}, 0), MessageStatus.FAILED, "từ chối"),
        ((422, {"error": "brandname_not_registered"}, 0), MessageStatus.FAILED, "brandname"),
    ],
)
def test_errors_are_retried_when_they_may_pass_and_failed_when_not(gateway, answer, status, reason):
    message = _queue()
    gateway.script = [answer]
    delivery.messages_deliver(ids=[message.pk])
    message.refresh_from_db()
    assert message.status == status
    assert reason in message.reason
    assert len(gateway.provider.requests) == 1


@pytest.mark.django_db
def test_a_temporary_failure_then_success_uses_the_same_request_id(gateway):
    message = _queue()
    gateway.script = [(502, {}, 0)]
    now = timezone.now()
    delivery.messages_deliver(ids=[message.pk], now=now)
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    delivery.messages_deliver(ids=[message.pk], now=message.next_attempt_at)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    ids = {r.body["request_id"] for r in gateway.provider.requests}
    assert ids == {str(message.reference)}


@pytest.mark.django_db
def test_no_request_for_a_number_that_is_not_a_vietnamese_mobile(gateway):
    message = _queue(phone="02623812345")
    delivery.messages_deliver(ids=[message.pk])
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.reason == "Số điện thoại không phải số di động Việt Nam hợp lệ: 02623812345"
    assert gateway.provider.requests == []


@pytest.mark.django_db
def test_a_text_longer_than_two_segments_is_refused_not_split(gateway):
    message = _queue()
    Message.objects.filter(pk=message.pk).update(body=VI[:135])
    delivery.messages_deliver(ids=[message.pk])
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.reason.startswith("Tin nhắn SMS quá dài: 135 ký tự có dấu (UCS-2), cần 3 tin")
    assert gateway.provider.requests == []
    # 134 goes, as two segments.
    other = _queue(source="event:2")
    Message.objects.filter(pk=other.pk).update(body=VI[:134])
    delivery.messages_deliver(ids=[other.pk])
    assert gateway.provider.requests[0].body["message"] == VI[:134]


@pytest.mark.django_db
def test_an_unconfigured_gateway_fails_the_message_with_the_settings_to_set(gateway, settings):
    settings.MOTCUA_SMS_API_KEY = ""
    message = _queue()
    delivery.messages_deliver(ids=[message.pk])
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert "MOTCUA_SMS_API_KEY" in message.reason
    assert gateway.provider.requests == []


def test_a_refused_connection_is_temporary(settings):
    from motcua.notifications.providers import Outgoing

    settings.MOTCUA_SMS_URL = "http://127.0.0.1:9/send"  # discard port: nothing listens
    settings.MOTCUA_SMS_API_KEY, settings.MOTCUA_SMS_BRANDNAME = "k", "UBND TINH"
    outgoing = Outgoing(
        reference="3f0c2f0e-7f55-4d59-9d0a-2d3d4b9a0c11",
        channel="sms",
        event=Event.RECEIVED,
        recipient="0912345678",
        recipient_name="A",
        subject="",
        body="Xin chào",
    )
    with pytest.raises(SendFailed) as failed:
        get_provider("sms", "brandname").send(outgoing)
    assert failed.value.permanent is False
    assert "Không kết nối được cổng SMS" in failed.value.reason
