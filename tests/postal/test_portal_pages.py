"""The citizen's side of the postal service in the portal: the procedure page's offer and postage,
the submission's pickup and delivery addresses (checked, nothing typed lost), the parcels and their
histories on "Hồ sơ của tôi" and the tracking page, and withdrawing an uncollected pickup."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from motcua.dossiers.constants import Channel, DossierStatus, EventAction
from motcua.dossiers.models import Dossier
from motcua.postal.constants import AddressPurpose, ShipmentKind, ShipmentStatus
from motcua.postal.models import DossierAddress, PostalAccount, Shipment
from tests.dossiers.helpers import World

from .conftest import AWAY, HOME, callback_body, sign, submitted_by_post

# Orders are placed and callbacks applied after commit (the immediate task backend of the tests).
pytestmark = pytest.mark.django_db(transaction=True)

CALLBACK = "/api/v1/postal/callback/sandbox"
WARD_ELSEWHERE = "Xã, phường, đặc khu đã chọn không thuộc tỉnh, thành phố đã chọn."
PHONE_INVALID = "Số điện thoại không hợp lệ"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def step_url(dossier: Dossier, step: str) -> str:
    return reverse("portal:submit_step", args=[dossier.uuid, step])


def start(client: Client, w: World) -> Dossier:
    client.force_login(w.citizen)
    response = client.post(reverse("portal:submit", args=[w.procedure.code]))
    assert response.status_code == 302, response.content.decode()
    return Dossier.objects.get(owner=w.citizen, status=DossierStatus.DRAFT)


def address_data(prefix: str, address, **changes: str) -> dict[str, str]:
    data = {
        "name": address.name,
        "phone": address.phone,
        "province_code": address.province_code,
        "ward_code": address.ward_code,
        "street": address.street,
        **changes,
    }
    return {f"{prefix}-{key}": value for key, value in data.items()}


def callback(client: Client, shipment: Shipment, status: str, at: dt.datetime | None = None):
    shipment.refresh_from_db()
    body = callback_body(shipment, status, at)
    return client.post(
        CALLBACK, body, content_type="application/json", HTTP_X_POSTAL_SIGNATURE=sign(body)
    )


# --- The procedure page ---------------------------------------------------------------------------


def test_the_procedure_page_shows_what_goes_by_post_and_the_postage(client, world) -> None:
    html = client.get(reverse("portal:procedure", args=[world.procedure.code])).content.decode()
    assert "Có nhận hồ sơ qua bưu chính." in html
    assert "Có trả kết quả qua bưu chính" in html
    assert "Nội tỉnh 22.000 đ, Liên tỉnh 35.000 đ" in html


def test_no_postage_where_no_account_serves_the_unit(client, world) -> None:
    PostalAccount.objects.update(is_active=False)
    html = client.get(reverse("portal:procedure", args=[world.procedure.code])).content.decode()
    assert "22.000 đ" not in html
    assert "Chưa có dịch vụ bưu chính công ích tại: Sở Tư pháp." in html


# --- The ward list -------------------------------------------------------------------------------


def test_the_ward_list_follows_the_province(client, db) -> None:
    response = client.get(reverse("portal:postal_wards"), {"tinh": "66"})
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    wards = json.loads(response.content)
    assert {"code": "24133", "name": "Phường Buôn Ma Thuột"} in wards
    assert all(set(w) == {"code", "name"} for w in wards)
    assert "70" not in {w["code"] for w in wards}  # Hoàn Kiếm is in Hà Nội
    hanoi = json.loads(client.get(reverse("portal:postal_wards"), {"tinh": "1"}).content)
    assert {"code": "70", "name": "Phường Hoàn Kiếm"} in hanoi
    assert client.get(reverse("portal:postal_wards"), {"tinh": "999"}).status_code == 404


# --- The submission -----------------------------------------------------------------------------


def test_the_addresses_are_prefilled_from_the_profile_and_the_agency(client, world) -> None:
    dossier = start(client, world)
    html = client.get(step_url(dossier, "nhan-ket-qua")).content.decode()
    assert "Nộp hồ sơ qua bưu chính" in html and 'value="postal"' in html
    assert f'name="pickup-name" value="{world.citizen.full_name}"' in html
    assert f'name="delivery-phone" value="{world.citizen.phone}"' in html
    assert '<option value="66" selected>Đắk Lắk</option>' in html
    assert '<option value="24133">Phường Buôn Ma Thuột</option>' in html  # the wards of 66
    assert "postal-address.js" in html
    assert "22.000 đ" in html  # the postage for the agency's own province


def test_a_ward_of_another_province_is_refused_and_nothing_typed_is_lost(client, world) -> None:
    dossier = start(client, world)
    data = {
        "by_post": "1",
        "result_delivery": "in_person",
        **address_data("pickup", HOME, ward_code=AWAY.ward_code, street="12 Lê Duẩn, tổ 3"),
    }
    response = client.post(step_url(dossier, "nhan-ket-qua"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert WARD_ELSEWHERE in html
    assert 'id="id_pickup-ward_code_error"' in html  # next to the field
    assert html.count('id="error-summary"') == 1 and 'href="#id_pickup-ward_code"' in html
    assert 'name="pickup-street" value="12 Lê Duẩn, tổ 3"' in html
    assert f'name="pickup-name" value="{HOME.name}"' in html
    assert '<option value="70" selected>Phường Hoàn Kiếm</option>' in html  # still shown
    assert 'id="id_by_post" data-postal-toggle="pickup-address" checked' in html
    assert not DossierAddress.objects.filter(dossier=dossier).exists()


def test_a_bad_phone_is_refused_with_its_message_and_kept(client, world) -> None:
    dossier = start(client, world)
    data = {
        "result_delivery": "postal",
        **address_data("delivery", AWAY, phone="0123"),
    }
    html = client.post(step_url(dossier, "nhan-ket-qua"), data).content.decode()
    assert PHONE_INVALID in html and 'id="id_delivery-phone_error"' in html
    assert 'name="delivery-phone" value="0123"' in html
    assert 'name="delivery-street" value="5 Tràng Tiền"' in html
    dossier.refresh_from_db()
    assert dossier.result_delivery != "postal"
    # An unchosen pickup is not checked: its empty address raises nothing.
    assert "pickup-ward_code_error" not in html


def test_a_good_submission_makes_the_dossier_postal_with_a_pickup(client, world) -> None:
    dossier = start(client, world)
    data = {
        "by_post": "1",
        "result_delivery": "postal",
        **address_data("pickup", HOME, phone="091 234 5678"),
        **address_data("delivery", AWAY),
    }
    response = client.post(step_url(dossier, "nhan-ket-qua"), data)
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == step_url(dossier, "xem-lai")
    dossier.refresh_from_db()
    assert dossier.result_delivery == "postal"
    assert dossier.delivery_address == "5 Tràng Tiền, Phường Hoàn Kiếm, Thành phố Hà Nội"
    pickup = DossierAddress.objects.get(dossier=dossier, purpose=AddressPurpose.PICKUP)
    assert (pickup.phone, pickup.ward_code, pickup.province_code) == ("0912345678", "24133", "66")

    review = client.get(step_url(dossier, "xem-lai")).content.decode()
    assert "Phường Buôn Ma Thuột, Đắk Lắk" in review and "nội tỉnh 22.000 đ" in review
    assert "Phường Hoàn Kiếm, Thành phố Hà Nội" in review and "liên tỉnh 35.000 đ" in review
    response = client.post(step_url(dossier, "xem-lai"), {"version": dossier.version})
    assert response.status_code == 302, response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED and dossier.channel == Channel.POSTAL
    shipment = Shipment.objects.get(dossier=dossier)
    assert shipment.kind == ShipmentKind.PICKUP and shipment.postage == 22_000
    assert shipment.person_street == "12 Lê Duẩn" and shipment.tracking_number


def test_unchecking_the_pickup_forgets_its_address(client, world) -> None:
    dossier = start(client, world)
    step = step_url(dossier, "nhan-ket-qua")
    chosen = {"by_post": "1", "result_delivery": "in_person", **address_data("pickup", HOME)}
    assert client.post(step, chosen).status_code == 302
    assert DossierAddress.objects.filter(dossier=dossier).count() == 1
    assert client.post(step, chosen).status_code == 302  # the same again: nothing new
    unchosen = {key: value for key, value in chosen.items() if key != "by_post"}
    assert client.post(step, unchosen).status_code == 302
    assert not DossierAddress.objects.filter(dossier=dossier).exists()
    # Each change of the addresses is on the audit chain, naming the purpose, not the address.
    postal_events = dossier.events.filter(action=EventAction.POSTAL).order_by("seq")
    assert [e.payload for e in postal_events] == [
        {"addresses": {"pickup": "saved"}},
        {"addresses": {"pickup": "removed"}},
    ]
    client.post(
        step_url(dossier, "xem-lai"), {"version": Dossier.objects.get(pk=dossier.pk).version}
    )
    dossier.refresh_from_db()
    assert dossier.channel == Channel.ONLINE and not Shipment.objects.exists()


def test_post_is_not_offered_without_an_active_postal_account(client, world) -> None:
    PostalAccount.objects.update(is_active=False)
    dossier = start(client, world)
    step = step_url(dossier, "nhan-ket-qua")
    html = client.get(step).content.decode()
    assert "Nộp hồ sơ qua bưu chính" not in html and 'value="postal"' not in html
    data = {
        "by_post": "1",
        "result_delivery": "postal",
        **address_data("pickup", HOME),
        **address_data("delivery", HOME),
    }
    response = client.post(step, data)
    assert "Hình thức nhận kết quả này không áp dụng cho thủ tục." in response.content.decode()
    assert client.post(step, {**data, "result_delivery": "in_person"}).status_code == 302
    assert not DossierAddress.objects.filter(dossier=dossier).exists()


def test_without_javascript_the_ward_list_is_refreshed_by_the_server(client, world) -> None:
    dossier = start(client, world)
    data = {
        "action": "wards",
        "by_post": "1",
        "result_delivery": "in_person",
        **address_data("pickup", HOME, province_code="1", ward_code="", street="5 Tràng Tiền"),
    }
    response = client.post(step_url(dossier, "nhan-ket-qua"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="70">Phường Hoàn Kiếm</option>' in html
    assert (
        "Phường Buôn Ma Thuột" not in html.split('name="pickup-ward_code"')[1].split("</select>")[0]
    )
    assert 'name="pickup-street" value="5 Tràng Tiền"' in html
    assert "field-error" not in html  # nothing checked, nothing saved yet
    assert "35.000 đ" in html  # the postage of the province now chosen
    assert not DossierAddress.objects.filter(dossier=dossier).exists()


# --- The dossier's pages ----------------------------------------------------------------------


def test_the_pages_show_each_parcel_with_its_history(client, world) -> None:
    dossier = submitted_by_post(world)
    pickup = Shipment.objects.get(dossier=dossier, kind=ShipmentKind.PICKUP)
    at = dt.datetime(2026, 3, 2, 1, 5, tzinfo=dt.UTC)  # 08:05 in Hồ Chí Minh City
    assert callback(client, pickup, "accepted", at).status_code == 202
    assert callback(client, pickup, "picked_up", at + dt.timedelta(hours=2)).status_code == 202
    pickup.refresh_from_db()
    assert pickup.status == ShipmentStatus.PICKED_UP

    client.force_login(world.citizen)
    html = client.get(reverse("portal:my_dossier", args=[dossier.code])).content.decode()
    assert "Nhận hồ sơ tại nhà (từ người nộp đến cơ quan)" in html
    assert pickup.tracking_number in html and "22.000 đ" in html
    assert "Bưu tá đã lấy hàng" in html and "Bưu điện đã nhận đơn" in html
    assert "08:05, 02/03/2026" in html and "10:05, 02/03/2026" in html
    assert "Huỷ đơn bưu điện đến nhận hồ sơ" not in html  # the postman has it
    listing = client.get(reverse("portal:my_dossiers")).content.decode()
    assert f"Bưu gửi {pickup.tracking_number}: Bưu tá đã lấy hàng" in listing

    client.logout()
    lookup = reverse("portal:lookup")
    brief = client.get(lookup, {"code": dossier.code}).content.decode()
    assert pickup.tracking_number not in brief  # the code alone shows no parcel
    factor = dossier.applicant_phone[-4:]
    full = client.get(lookup, {"code": dossier.code, "factor": factor}).content.decode()
    assert pickup.tracking_number in full and "10:05, 02/03/2026" in full
    assert "Huỷ đơn" not in full


def test_a_returned_result_says_it_waits_at_the_desk(client, world) -> None:
    from motcua.dossiers import services as s
    from motcua.postal import services as postal

    dossier = submitted_by_post(world)
    pickup = Shipment.objects.get(dossier=dossier, kind=ShipmentKind.PICKUP)
    d = postal.pickup_handover(shipment=pickup, actor=world.reception)
    d = s.dossier_start(dossier=d, actor=world.reception, assignee=world.specialist)
    d = s.dossier_approve(dossier=d, actor=world.leader)
    delivery = Shipment.objects.get(dossier=d, kind=ShipmentKind.DELIVERY)
    client.force_login(world.citizen)
    page = reverse("portal:my_dossier", args=[d.code])
    message = "Bưu gửi không phát được, kết quả đang chờ tại bộ phận một cửa"
    assert message not in client.get(page).content.decode()
    for status in ("picked_up", "returned_to_sender"):
        assert callback(client, delivery, status).status_code == 202
    html = client.get(page).content.decode()
    assert message in html
    assert "Phát không thành công, đã hoàn về người gửi" in html


def test_the_owner_cancels_an_uncollected_pickup(client, world) -> None:
    dossier = submitted_by_post(world, delivery=False)
    pickup = Shipment.objects.get(dossier=dossier)
    client.force_login(world.citizen)
    page = reverse("portal:my_dossier", args=[dossier.code])
    assert "Huỷ đơn bưu điện đến nhận hồ sơ" in client.get(page).content.decode()
    cancel = reverse("portal:shipment_cancel", args=[dossier.code, pickup.pk])
    assert client.get(cancel).status_code == 405  # POST only
    response = client.post(cancel)
    assert response.status_code == 302
    pickup.refresh_from_db()
    assert pickup.status == ShipmentStatus.CANCELLED
    html = client.get(page).content.decode()
    assert "Đã huỷ đơn" in html and "Huỷ đơn bưu điện đến nhận hồ sơ" not in html


def test_a_collected_pickup_cannot_be_cancelled(client, world) -> None:
    dossier = submitted_by_post(world, delivery=False)
    pickup = Shipment.objects.get(dossier=dossier)
    assert callback(client, pickup, "picked_up").status_code == 202
    client.force_login(world.citizen)
    response = client.post(reverse("portal:shipment_cancel", args=[dossier.code, pickup.pk]))
    assert response.status_code == 302
    pickup.refresh_from_db()
    assert pickup.status == ShipmentStatus.PICKED_UP
    html = client.get(response["Location"]).content.decode()
    assert "Thao tác này không được phép ở trạng thái hiện tại của bưu gửi." in html


def test_another_citizen_can_neither_see_nor_cancel_the_parcel(client, world) -> None:
    dossier = submitted_by_post(world, delivery=False)
    pickup = Shipment.objects.get(dossier=dossier)
    client.force_login(world.other_citizen)
    assert client.get(reverse("portal:my_dossier", args=[dossier.code])).status_code == 404
    cancel = reverse("portal:shipment_cancel", args=[dossier.code, pickup.pk])
    assert client.post(cancel).status_code == 404
    assert pickup.tracking_number not in client.get(reverse("portal:my_dossiers")).content.decode()
    # Their own dossier's address with the other one's parcel number: still 404.
    own = submitted_by_post_for(world, world.other_citizen)
    wrong = reverse("portal:shipment_cancel", args=[own.code, pickup.pk])
    assert client.post(wrong).status_code == 404
    pickup.refresh_from_db()
    assert pickup.status == ShipmentStatus.CREATED or pickup.status == ShipmentStatus.ACCEPTED
    assert pickup.status != ShipmentStatus.CANCELLED


def submitted_by_post_for(w: World, user) -> Dossier:
    from motcua.dossiers import services as s
    from motcua.postal import services as postal

    d = s.dossier_create_draft(
        actor=user,
        procedure=w.procedure,
        receiving_unit=w.unit,
        applicant=s.Applicant.from_user(user),
        at=w.clock.tick(0.1),
    )
    postal.address_save(dossier=d, purpose=AddressPurpose.PICKUP, address=AWAY)
    return s.dossier_submit(dossier=d, actor=user, by_post=True, at=w.clock.tick(0.2))


def test_query_counts_do_not_grow_with_parcels_and_events(
    client, world, django_assert_max_num_queries
) -> None:
    client.force_login(world.citizen)
    first = submitted_by_post(world)
    pickup = Shipment.objects.get(dossier=first, kind=ShipmentKind.PICKUP)
    for status in ("accepted", "picked_up", "in_transit"):
        assert callback(client, pickup, status).status_code == 202
    page = reverse("portal:my_dossier", args=[first.code])
    client.get(page)
    with django_assert_max_num_queries(40) as few:
        client.get(page)
        client.get(reverse("portal:my_dossiers"))
    baseline = len(few.captured_queries)
    for _ in range(4):
        submitted_by_post(world)
    with django_assert_max_num_queries(baseline) as many:
        client.get(page)
        client.get(reverse("portal:my_dossiers"))
    assert len(many.captured_queries) <= baseline
