"""A citizen sends the papers and receives the result by post, in Chromium.

The browser does what the citizen does: the procedure page's postage, the submission with both
postal choices (the ward list of the delivery address follows the province through the page's
script), the dossier page. The parcels then move as the operator reports them, from the sandbox
operator's page in a second browser (its buttons sign the callbacks and POST them over HTTP to
the live server); the desk's hand-over and the decision go through the services. The dossier ends "Đã trả kết quả" on the citizen's page.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from motcua.dossiers import services as s
from motcua.dossiers.constants import Channel, DossierStatus
from motcua.dossiers.models import Dossier
from motcua.postal import services as postal
from motcua.postal.constants import ShipmentKind, ShipmentStatus
from motcua.postal.models import Shipment
from tests.postal.conftest import postal_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-thu-nghiem"  # tests.factories.UserFactory's
SECRET = "bi-mat-buu-chinh-e2e"


@pytest.fixture
def world(settings: Any, live_server: Any, tmp_path: Path) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_PUBLIC_BASE_URL = live_server.url
    settings.MOTCUA_POSTAL_SANDBOX = True
    settings.MOTCUA_POSTAL_SANDBOX_SECRET = SECRET
    return postal_world()  # pickup and return by post, the province's sandbox account, postage


def _report(page: Any, base: str, shipment: Shipment, status: str) -> None:
    """The operator reports a status from the sandbox operator's page: its button signs the
    callback and POSTs it to /api/v1/postal/callback/sandbox over HTTP, as an operator would."""
    shipment.refresh_from_db()
    page.goto(f"{base}/buu-chinh/thu-nghiem/?q={shipment.tracking_number}")
    row = page.locator(f"#shipment-{shipment.tracking_number}")
    row.locator(f"button[name=status][value={status}]").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("202")
    row = page.locator(f"#shipment-{shipment.tracking_number}")
    expect(row.locator(".shipment-status")).to_have_attribute("data-status", status)


def test_pickup_and_delivery_by_post_end_with_the_result_returned(
    browser: Any, live_server: Any, world: Any, screenshots: Path
) -> None:
    base = live_server.url
    procedure = world.procedure
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(45_000)
    operator = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="vi-VN"
    ).new_page()
    operator.set_default_timeout(45_000)

    def shot(name: str) -> None:
        page.screenshot(path=str(screenshots / f"postal-{name}.png"), full_page=True)

    def next_step() -> None:
        page.get_by_role("button", name=re.compile(r"^(Lưu và tiếp tục|Tiếp tục)$")).click()

    try:
        # The procedure page says what goes by post and for how much, before anything is chosen.
        page.goto(f"{base}/thu-tuc/{procedure.code}/")
        expect(page.locator("#postal-offer")).to_contain_text(
            "Nội tỉnh 22.000 đ, Liên tỉnh 35.000 đ"
        )
        shot("01-procedure")
        page.get_by_role("link", name="Nộp hồ sơ trực tuyến").first.click()
        page.wait_for_url(re.compile(r"/tai-khoan/"))
        page.locator("#id_username").fill(world.citizen.phone)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(re.compile(r"/nop-ho-so/"))
        page.get_by_role("button", name="Bắt đầu nộp hồ sơ").click()

        page.wait_for_url(re.compile(r"/nguoi-nop/$"))
        page.locator("#id_address").fill("12 Lê Duẩn, Buôn Ma Thuột")
        next_step()
        page.wait_for_url(re.compile(r"/to-khai/$"))
        next_step()
        page.wait_for_url(re.compile(r"/giay-to/$"))
        next_step()

        # Step 4: the papers picked up at home (Đắk Lắk, the agency's province, pre-selected),
        # the result delivered to Hà Nội: the ward list and the postage follow the province.
        page.wait_for_url(re.compile(r"/nhan-ket-qua/$"))
        expect(page.locator("#pickup-address")).to_be_hidden()
        page.get_by_label("Nộp hồ sơ qua bưu chính").check()
        expect(page.locator("#pickup-address")).to_be_visible()
        assert page.locator("#id_pickup-name").input_value() == world.citizen.full_name
        assert page.locator("#id_pickup-province_code").input_value() == "66"
        expect(page.locator("#pickup-postage")).to_have_text("22.000 đ")
        page.locator("#id_pickup-ward_code").select_option(label="Phường Buôn Ma Thuột")
        page.locator("#id_pickup-street").fill("12 Lê Duẩn")

        expect(page.locator("#delivery-address")).to_be_hidden()
        page.get_by_label("Qua dịch vụ bưu chính công ích").check()
        expect(page.locator("#delivery-address")).to_be_visible()
        page.locator("#id_delivery-province_code").select_option(value="1")
        expect(page.locator("#delivery-postage")).to_have_text("35.000 đ")
        ward = page.locator("#id_delivery-ward_code")
        expect(ward.locator("option", has_text="Phường Hoàn Kiếm")).to_have_count(1)
        expect(ward.locator("option", has_text="Phường Buôn Ma Thuột")).to_have_count(0)
        ward.select_option(label="Phường Hoàn Kiếm")
        page.locator("#id_delivery-street").fill("5 Tràng Tiền")
        shot("02-postal-choices")
        next_step()

        page.wait_for_url(re.compile(r"/xem-lai/$"))
        expect(page.locator("#review-pickup")).to_contain_text("Phường Buôn Ma Thuột, Đắk Lắk")
        expect(page.locator("#review-pickup")).to_contain_text("22.000 đ")
        expect(page.locator("#review-delivery")).to_contain_text("Phường Hoàn Kiếm")
        expect(page.locator("#review-delivery")).to_contain_text("35.000 đ")
        shot("03-review")
        page.get_by_role("button", name="Nộp hồ sơ").click()
        page.wait_for_url(re.compile(r"/bien-nhan/$"))

        dossier = Dossier.objects.get(owner=world.citizen)
        assert dossier.channel == Channel.POSTAL and dossier.status == DossierStatus.SUBMITTED
        pickup = Shipment.objects.get(dossier=dossier, kind=ShipmentKind.PICKUP)
        assert pickup.tracking_number, "the sandbox took the order"

        # The postman collects the papers; the citizen sees it on the dossier's page.
        for status in ("accepted", "picked_up", "in_transit"):
            _report(operator, base, pickup, status)
        page.goto(f"{base}/ho-so-cua-toi/{dossier.code}/")
        parcel = page.locator(f"#parcel-{pickup.pk}")
        expect(parcel).to_contain_text(pickup.tracking_number)
        expect(parcel.locator(".parcel-status")).to_have_text("Đang vận chuyển")
        expect(parcel.locator(".parcel-history li")).to_have_count(4)
        expect(parcel.locator("form.parcel-cancel")).to_have_count(0)
        shot("04-pickup-in-transit")

        # The desk signs the hand-over record (t0), the dossier is decided: the result goes out.
        d = postal.pickup_handover(shipment=pickup, actor=world.reception, courier_name="Lê Bưu")
        d = s.dossier_start(dossier=d, actor=world.reception, assignee=world.specialist)
        d = s.dossier_approve(dossier=d, actor=world.leader)
        assert d.status == DossierStatus.RESULT_READY
        delivery = Shipment.objects.get(dossier=dossier, kind=ShipmentKind.DELIVERY)
        assert delivery.postage == 35_000 and delivery.person_street == "5 Tràng Tiền"
        for status in ("accepted", "picked_up", "delivered"):
            _report(operator, base, delivery, status)

        page.reload()
        expect(page.locator(".status").first).to_have_text("Đã trả kết quả")
        expect(page.locator(f"#parcel-{delivery.pk} .parcel-status")).to_have_text(
            "Đã phát thành công"
        )
        expect(page.locator(f"#parcel-{pickup.pk} .parcel-status")).to_have_text(
            "Đã phát thành công"
        )
        shot("05-returned")
        delivery.refresh_from_db()
        assert delivery.status == ShipmentStatus.DELIVERED
        assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.RETURNED
    finally:
        operator.context.close()
        context.close()
