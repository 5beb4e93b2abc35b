"""The national operator's adapter against an operator played here by a small HTTP server: the
order it receives (path, bearer token, JSON body), the tracking number it gives, its refusals."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from motcua.postal.constants import Provider, ShipmentKind
from motcua.postal.errors import OrderFailed
from motcua.postal.models import PostalAccount, Shipment
from motcua.postal.moves import order_place
from motcua.postal.providers import get_provider

from .conftest import postal_world, submitted_by_post

TOKEN = "token-cua-buu-dien-123"


class Operator(BaseHTTPRequestHandler):
    requests: list[dict] = []
    answer: tuple[int, bytes] = (200, b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        Operator.requests.append(
            {
                "path": self.path,
                "auth": self.headers.get("Authorization"),
                "type": self.headers.get("Content-Type"),
                "body": json.loads(self.rfile.read(length) or b"{}"),
            }
        )
        status, body = Operator.answer
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def operator():
    server = HTTPServer(("127.0.0.1", 0), Operator)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Operator.requests = []
    yield f"http://127.0.0.1:{server.server_port}/api"
    server.shutdown()


@pytest.fixture
def pickup(db, operator, monkeypatch) -> Shipment:
    monkeypatch.setenv("MOTCUA_POSTAL_TOKEN_STP", TOKEN)
    w = postal_world()
    PostalAccount.objects.filter(provider=Provider.SANDBOX).update(is_active=False)
    PostalAccount.objects.create(
        unit=w.unit,
        provider=Provider.VNPOST,
        customer_code="DL-0042",
        token_env="MOTCUA_POSTAL_TOKEN_STP",
        api_url=operator,
        contact_name="Bộ phận một cửa Sở Tư pháp",
        phone="02623812345",
        address="Số 9 Ngô Quyền, Phường Buôn Ma Thuột, Đắk Lắk",
    )
    d = submitted_by_post(w, delivery=False)
    return Shipment.objects.get(dossier=d, kind=ShipmentKind.PICKUP)


def test_an_order_is_placed_with_the_operator(pickup):
    Operator.answer = (
        201,
        json.dumps({"order_id": "DH-77", "tracking_number": "eb123456785vn"}).encode(),
    )
    placed = order_place(shipment_id=pickup.pk)
    assert (placed.tracking_number, placed.order_id) == ("EB123456785VN", "DH-77")
    [request] = Operator.requests
    assert request["path"] == "/api/orders"
    assert request["auth"] == f"Bearer {TOKEN}"
    assert request["type"].startswith("application/json")
    body = request["body"]
    assert body["customer_code"] == "DL-0042" and body["service"] == "HCC"
    assert body["sender"]["name"] == "Nguyễn Thị Hoà"  # a pickup: the applicant sends
    assert body["sender"]["ward_code"] == "24133" and body["sender"]["province_code"] == "66"
    assert body["receiver"]["name"] == "Bộ phận một cửa Sở Tư pháp"
    assert body["content"] == f"Hồ sơ TTHC {pickup.dossier.code}"
    assert order_place(shipment_id=pickup.pk) is None  # placed once
    assert len(Operator.requests) == 1


@pytest.mark.parametrize(
    "answer",
    [(500, b"{}"), (200, b"not json"), (200, json.dumps({"tracking_number": "EB123"}).encode())],
)
def test_refused_or_garbled_orders_fail_and_keep_nothing(pickup, answer):
    Operator.answer = answer
    with pytest.raises(OrderFailed):
        order_place(shipment_id=pickup.pk)
    pickup.refresh_from_db()
    assert pickup.tracking_number == ""


def test_cancel_names_the_order(pickup):
    Operator.answer = (
        201,
        json.dumps({"order_id": "DH-78", "tracking_number": "RR123456785VN"}).encode(),
    )
    placed = order_place(shipment_id=pickup.pk)
    Operator.answer = (200, b"{}")
    get_provider("vnpost").order_cancel(shipment=placed, account=placed.account)
    assert Operator.requests[-1]["path"] == "/api/orders/DH-78/cancel"


def test_without_a_token_nothing_is_sent(pickup, monkeypatch):
    monkeypatch.delenv("MOTCUA_POSTAL_TOKEN_STP")
    with pytest.raises(OrderFailed):
        order_place(shipment_id=pickup.pk)
    assert Operator.requests == []
