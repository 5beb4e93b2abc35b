"""The sandbox operator's page: it lists the sandbox's parcels and moves one through the real,
signed callback over HTTP; it is refused unless the sandbox is on."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import urllib.parse
import urllib.request

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.postal.constants import CallbackOutcome, ShipmentKind, ShipmentStatus
from motcua.postal.models import PostalCallback, Shipment
from motcua.postal.moves import order_place

from .conftest import SECRET, postal_world, submitted_by_post

URL = "/buu-chinh/thu-nghiem/"


def ordered(w) -> Shipment:
    """A dossier submitted by post and its pickup ordered from the sandbox (the worker's job: in
    a test that is not transactional, the after-commit order is done here)."""
    shipment = Shipment.objects.get(dossier=submitted_by_post(w, delivery=False))
    if not shipment.tracking_number:
        order_place(shipment_id=shipment.pk)
        shipment.refresh_from_db()
    return shipment


def csrf_client() -> tuple[Client, str]:
    """A browser that keeps the CSRF rule, and the token its first visit of the page gave it."""
    client = Client(enforce_csrf_checks=True)
    page = client.get(URL)
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    return client, token.group(1) if token else ""


@pytest.mark.django_db(transaction=True)
def test_a_button_moves_the_parcel_through_the_signed_callback_over_http(
    live_server, settings
) -> None:
    settings.MOTCUA_PUBLIC_BASE_URL = live_server.url
    w = postal_world()
    d = submitted_by_post(w, delivery=False)
    pickup = Shipment.objects.get(dossier=d, kind=ShipmentKind.PICKUP)
    number = pickup.tracking_number
    client, token = csrf_client()
    html = client.get(URL).content.decode()
    row = html[html.index(f'id="shipment-{number}"') :].split("</tr>", 1)[0]
    assert d.code in row and "Nguyễn Thị Hoà" in row
    # The buttons are the statuses the table allows after "created".
    offered = set(re.findall(r'name="status" value="([a-z_]+)"', row))
    assert offered == {"accepted", "picked_up", "in_transit", "delivered", "cancelled"}

    answer = client.post(
        URL,
        {"csrfmiddlewaretoken": token, "tracking_number": number, "status": "picked_up",
         "note": "Bưu tá Lê Văn Bưu đã lấy hồ sơ"},
    )  # fmt: skip
    assert answer.status_code == 200
    html = answer.content.decode()
    assert 'id="sandbox-answer-status">202<' in html
    pickup.refresh_from_db()
    assert pickup.status == ShipmentStatus.PICKED_UP  # the callback was applied
    callback = PostalCallback.objects.get(shipment=pickup)
    assert callback.outcome == CallbackOutcome.APPLIED
    event = pickup.events.get(status=ShipmentStatus.PICKED_UP)
    assert event.source == "operator" and event.note == "Bưu tá Lê Văn Bưu đã lấy hồ sơ"
    # The body the operator sent: the four fields, `at` in Vietnam's time.
    body = json.loads(callback.body)
    assert set(body) == {"tracking_number", "status", "at", "note"}
    assert body["tracking_number"] == number and body["status"] == "picked_up"
    assert body["at"].endswith("+07:00")

    # "accepted" cannot follow "picked_up": the page no longer offers it, and sent anyway the
    # endpoint answers 409 out_of_order, shown on the page, changing nothing.
    row = html[html.index(f'id="shipment-{number}"') :].split("</tr>", 1)[0]
    assert set(re.findall(r'name="status" value="([a-z_]+)"', row)) == {
        "in_transit", "delivered", "returned_to_sender", "lost",
    }  # fmt: skip
    late = client.post(
        URL, {"csrfmiddlewaretoken": token, "tracking_number": number, "status": "accepted"}
    ).content.decode()
    assert 'id="sandbox-answer-status">409<' in late and "out_of_order" in late
    pickup.refresh_from_db()
    assert pickup.status == ShipmentStatus.PICKED_UP


@pytest.mark.django_db(transaction=True)
def test_the_callback_is_signed_as_the_protocol_says(live_server, settings, monkeypatch) -> None:
    """The request as it leaves, checked independently: HMAC-SHA256(secret, "<t>.<raw body>")."""
    settings.MOTCUA_PUBLIC_BASE_URL = live_server.url
    w = postal_world()
    pickup = Shipment.objects.get(dossier=submitted_by_post(w, delivery=False))
    sent: list[urllib.request.Request] = []
    opener = urllib.request.urlopen

    def recording(request, *args, **kwargs):
        sent.append(request)
        return opener(request, *args, **kwargs)

    monkeypatch.setattr(urllib.request, "urlopen", recording)
    client, token = csrf_client()
    client.post(
        URL,
        {"csrfmiddlewaretoken": token, "tracking_number": pickup.tracking_number,
         "status": "accepted"},
    )  # fmt: skip
    (request,) = sent
    assert urllib.parse.urlsplit(request.full_url).path == "/api/v1/postal/callback/sandbox"
    header = request.get_header("X-postal-signature")
    t, mac = re.fullmatch(r"t=(\d+),v1=([0-9a-f]{64})", header).groups()
    expected = hmac.new(SECRET.encode(), f"{t}.".encode() + request.data, hashlib.sha256)
    assert hmac.compare_digest(mac, expected.hexdigest())
    pickup.refresh_from_db()
    assert pickup.status == ShipmentStatus.ACCEPTED


def test_the_page_needs_its_csrf_token_and_keeps_what_was_entered(db) -> None:
    pickup = ordered(postal_world())
    client, token = csrf_client()
    refused = client.post(URL, {"tracking_number": pickup.tracking_number, "status": "accepted"})
    assert refused.status_code == 403
    wrong = client.post(
        URL,
        {"csrfmiddlewaretoken": token, "tracking_number": pickup.tracking_number,
         "status": "bay_mat", "note": "Giữ lại ghi chú"},
    )  # fmt: skip
    assert wrong.status_code == 400
    html = wrong.content.decode()
    assert "Vui lòng chọn một trạng thái hợp lệ." in html and 'value="Giữ lại ghi chú"' in html
    unknown = client.post(
        URL, {"csrfmiddlewaretoken": token, "tracking_number": "RR000000000VN", "status": "lost"}
    )
    assert unknown.status_code == 400
    assert "Không có bưu gửi thử nghiệm với số hiệu này." in unknown.content.decode()
    pickup.refresh_from_db()
    assert pickup.status == ShipmentStatus.CREATED and not PostalCallback.objects.exists()


def test_search_by_tracking_number_or_dossier_code_and_bounded_queries(db) -> None:
    w = postal_world()
    first, second = ordered(w), ordered(w)
    Shipment.objects.filter(pk=second.pk).update(created_at=first.created_at.replace(year=2030))
    client = Client()
    html = client.get(URL).content.decode()
    assert html.index(second.tracking_number) < html.index(first.tracking_number)  # newest first
    found = client.get(URL, {"q": first.tracking_number.lower()}).content.decode()
    assert first.tracking_number in found and second.tracking_number not in found
    by_code = client.get(URL, {"q": second.dossier.code}).content.decode()
    assert second.tracking_number in by_code and first.tracking_number not in by_code
    none = client.get(URL, {"q": "KHONGCO"}).content.decode()
    assert "Không có bưu gửi nào khớp với từ khoá." in none
    # A parcel of another operator, or one not ordered yet, is not the sandbox's.
    Shipment.objects.filter(pk=first.pk).update(provider="vnpost")
    unordered = Shipment.objects.get(dossier=submitted_by_post(w, delivery=False))
    assert (
        not unordered.tracking_number
        and unordered.dossier.code not in client.get(URL).content.decode()
    )
    assert first.tracking_number not in client.get(URL).content.decode()
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for _ in range(3):
        ordered(w)
    with CaptureQueriesContext(connection) as more:
        client.get(URL)
    assert len(more) == len(few)


def test_disabled_sandbox_is_not_found(db, settings) -> None:
    settings.MOTCUA_POSTAL_SANDBOX = False
    assert Client().get(URL).status_code == 404
    assert Client().post(URL, {"tracking_number": "x", "status": "lost"}).status_code == 404
