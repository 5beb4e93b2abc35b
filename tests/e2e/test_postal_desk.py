"""The postal desk in Chromium: the reception officer finds the parcel in "Chờ bàn giao", signs the
hand-over record (the dossier is received), and after the result came back sends it again to an
address in another province, the ward list following the province through the page's script.
The parcels move as the operator reports them: signed callbacks (hmac/hashlib here) over HTTP."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from motcua.dossiers import services as s
from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import Dossier
from motcua.postal.constants import ShipmentKind, ShipmentStatus
from motcua.postal.models import Shipment
from tests.postal.conftest import postal_world, submitted_by_post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SECRET = "bi-mat-buu-chinh-e2e-quay"


@pytest.fixture
def world(settings: Any, live_server: Any, tmp_path: Path) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_PUBLIC_BASE_URL = live_server.url
    settings.MOTCUA_POSTAL_SANDBOX = True
    settings.MOTCUA_POSTAL_SANDBOX_SECRET = SECRET
    return postal_world()


def _report(context: Any, base: str, shipment: Shipment, status: str) -> None:
    shipment.refresh_from_db()
    body = json.dumps(
        {
            "tracking_number": shipment.tracking_number,
            "status": status,
            "at": dt.datetime.now(dt.UTC).isoformat(),
        }
    ).encode()
    t = int(time.time())
    mac = hmac.new(SECRET.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    response = context.request.post(
        f"{base}/api/v1/postal/callback/sandbox",
        data=body,
        headers={"Content-Type": "application/json", "X-Postal-Signature": f"t={t},v1={mac}"},
    )
    assert response.status == 202, response.text()


def test_the_desk_hands_over_then_sends_a_returned_result_again(
    browser: Any, live_server: Any, world: Any, screenshots: Path
) -> None:
    base = live_server.url
    d = submitted_by_post(world)
    pickup = Shipment.objects.get(dossier=d, kind=ShipmentKind.PICKUP)
    client = Client()
    client.force_login(world.reception)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": base,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(45_000)
    try:
        page.goto(f"{base}/can-bo/")
        page.get_by_role("link", name="Bưu chính công ích").click()
        row = page.locator(f"#shipment-{pickup.pk}")
        expect(row).to_contain_text(d.code)
        row.get_by_role("link", name="Lập biên bản bàn giao").click()
        page.locator("#id_courier_name").fill("Lê Văn Bưu")
        page.get_by_role("button", name="Ký biên bản bàn giao và tiếp nhận hồ sơ").click()
        page.wait_for_url(re.compile(rf"/can-bo/ho-so/{re.escape(d.code)}/$"))
        expect(page.locator("body")).to_contain_text("Đã lập biên bản bàn giao")
        assert Dossier.objects.get(pk=d.pk).status == DossierStatus.RECEIVED

        d = s.dossier_start(dossier=Dossier.objects.get(pk=d.pk), actor=world.reception,
                            assignee=world.specialist)  # fmt: skip
        d = s.dossier_approve(dossier=d, actor=world.leader)
        delivery = Shipment.objects.get(dossier=d, kind=ShipmentKind.DELIVERY)
        for status in ("picked_up", "returned_to_sender"):
            _report(context, base, delivery, status)
        delivery.refresh_from_db()
        assert delivery.status == ShipmentStatus.RETURNED_TO_SENDER

        page.goto(f"{base}/can-bo/ho-so/{d.code}/")
        expect(page.locator("#delivery-came-back")).to_be_visible()
        # Hà Nội: the ward list follows the province without a round trip of the form.
        page.locator("#id_province_code").select_option(value="1")
        ward = page.locator("#id_ward_code")
        expect(ward.locator("option", has_text="Phường Hoàn Kiếm")).to_have_count(1)
        expect(ward.locator("option", has_text="Phường Buôn Ma Thuột")).to_have_count(0)
        ward.select_option(label="Phường Hoàn Kiếm")
        page.locator("#id_street").fill("5 Tràng Tiền")
        page.screenshot(path=str(screenshots / "postal-desk-send-again.png"), full_page=True)
        page.get_by_role("button", name="Gửi lại qua bưu chính").click()
        expect(page.locator("body")).to_contain_text("Đã tạo bưu gửi trả kết quả")
        again = Shipment.objects.filter(dossier=d, kind=ShipmentKind.DELIVERY).latest("pk")
        assert again.pk != delivery.pk
        assert (again.person_province_code, again.person_ward_code) == ("1", "70")
    finally:
        context.close()
