"""The postal desk in the back office: its tabs, the hand-over record of a pickup, the parcels on
the dossier page (sent again after a return, a number entered by hand), the intake screen's
tracking number and delivery address, and who may see or do what."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.dossiers import services as s
from motcua.dossiers.constants import Channel, DossierStatus, EventAction
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services.clock import receipt_time
from motcua.postal.constants import AddressPurpose, ShipmentKind, ShipmentStatus
from motcua.postal.models import DossierAddress, PostalAccount, Shipment
from tests.dossiers.helpers import World, pdf_file

from .conftest import AWAY, HOME, callback_body, postal_world, sign, submitted_by_post

pytestmark = pytest.mark.django_db(transaction=True)

POSTAL = "/can-bo/buu-chinh/"
CALLBACK = "/api/v1/postal/callback/sandbox"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def s10(serial: str, service: str = "RR") -> str:
    """An S10 number computed here from the UPU standard (weights 8 6 4 2 3 5 9 7, mod 11)."""
    total = sum(int(d) * w for d, w in zip(serial, (8, 6, 4, 2, 3, 5, 9, 7), strict=True))
    check = 11 - total % 11
    check = 0 if check == 10 else 5 if check == 11 else check
    return f"{service}{serial}{check}VN"


def report(client: Client, shipment: Shipment, status: str) -> None:
    body = callback_body(shipment, status)
    r = client.post(
        CALLBACK, body, content_type="application/json", HTTP_X_POSTAL_SIGNATURE=sign(body)
    )
    assert r.status_code == 202, r.content


def pickup_of(d: Dossier) -> Shipment:
    return Shipment.objects.get(dossier=d, kind=ShipmentKind.PICKUP)


def by_post_elsewhere(w: World) -> Dossier:
    """A dossier sent by post to the other department (another agency's desk)."""
    from motcua.postal import services as postal

    w.procedure.performing_units.add(w.other_unit)
    d = s.dossier_create_draft(
        actor=w.other_citizen,
        procedure=w.procedure,
        receiving_unit=w.other_unit,
        at=w.clock.tick(0.1),
    )
    for doc in w.procedure.required_documents.filter(mandatory=True):
        s.attachment_add(
            dossier=d,
            actor=w.other_citizen,
            kind="application",
            file=pdf_file(),
            required_document=doc,
        )
    postal.address_save(dossier=d, purpose=AddressPurpose.PICKUP, address=AWAY)
    return s.dossier_submit(dossier=d, actor=w.other_citizen, by_post=True, at=w.clock.tick(0.2))


def ready_by_post(w: World, *, account: bool = True) -> Dossier:
    """A postal dossier handed over, processed and approved: its result is out for delivery
    (without an active postal account: recorded, not ordered, so without a number)."""
    from motcua.postal import services as postal

    d = submitted_by_post(w)
    d = postal.pickup_handover(shipment=pickup_of(d), actor=w.reception, courier_name="Lê Bưu")
    d = s.dossier_start(dossier=d, actor=w.reception, assignee=w.specialist)
    if not account:
        PostalAccount.objects.update(is_active=False)
    d = s.dossier_approve(dossier=d, actor=w.leader)
    PostalAccount.objects.update(is_active=True)
    return d


def test_tabs_list_the_units_parcels_and_not_another_agencys() -> None:
    w = postal_world()
    mine = submitted_by_post(w)
    theirs = by_post_elsewhere(w)
    officer = signed_in(w.reception)

    page = officer.get(POSTAL).content.decode()
    assert mine.code in page and theirs.code not in page
    assert reverse("backoffice:postal_handover", args=[pickup_of(mine).pk]) in page
    assert 'id="tab-pickups" aria-current="page">Chờ bàn giao <span class="tab-count">1<' in page
    # The papers: the parcel's label and the day list of results given to the post.
    label = f"/can-bo/buu-chinh/{pickup_of(mine).pk}/nhan.pdf"
    assert label in page and 'action="/can-bo/buu-chinh/danh-sach-gui.pdf"' in page
    assert officer.get(label)["Content-Type"] == "application/pdf"
    # The other desk sees its own parcel only.
    other = signed_in(w.other_reception).get(POSTAL).content.decode()
    assert theirs.code in other and mine.code not in other

    # "Chờ tiếp nhận" offers no reception for a dossier whose papers are still with the postman.
    queue = officer.get(reverse("backoffice:queues") + "?tab=new").content.decode()
    assert mine.code not in queue
    everything = officer.get(reverse("backoffice:queues") + "?tab=all").content.decode()
    assert mine.code in everything and "Qua bưu chính: xem bưu gửi, bàn giao" in everything
    # Nor does the dossier page: the hand-over record does it.
    detail = officer.get(reverse("backoffice:dossier", args=[mine.code])).content.decode()
    assert 'class="bo-action action-accept"' not in detail
    assert reverse("backoffice:postal_handover", args=[pickup_of(mine).pk]) in detail

    # The result out for delivery is in "Đang phát", not in "Chờ bàn giao".
    from motcua.postal import services as postal

    d = postal.pickup_handover(shipment=pickup_of(mine), actor=w.reception)
    d = s.dossier_start(dossier=d, actor=w.reception, assignee=w.specialist)
    d = s.dossier_approve(dossier=d, actor=w.leader)
    delivery = Shipment.objects.get(dossier=d, kind=ShipmentKind.DELIVERY)
    page = officer.get(POSTAL + "?tab=deliveries").content.decode()
    assert f'id="shipment-{delivery.pk}"' in page
    assert f'id="shipment-{pickup_of(mine).pk}"' not in officer.get(POSTAL).content.decode()

    # A unit outside my units in the filter is ignored: still my own list, never theirs.
    page = officer.get(POSTAL + f"?tab=pickups&unit={w.other_unit.pk}").content.decode()
    assert theirs.code not in page

    # Returned to sender: in "Không phát được", flagged on the dossier page.
    client = Client()
    report(client, delivery, "picked_up")
    report(client, delivery, "returned_to_sender")
    page = officer.get(POSTAL + "?tab=failed").content.decode()
    assert f'id="shipment-{delivery.pk}"' in page
    assert (
        f'id="shipment-{delivery.pk}"'
        not in officer.get(POSTAL + "?tab=deliveries").content.decode()
    )


def test_a_pickup_that_failed_brings_the_dossier_back_to_the_desk() -> None:
    w = postal_world()
    returned, withdrawn = submitted_by_post(w), submitted_by_post(w)
    officer = signed_in(w.reception)
    new_tab = reverse("backoffice:queues") + "?tab=new"
    queue = officer.get(new_tab).content.decode()
    assert returned.code not in queue and withdrawn.code not in queue

    client = Client()
    report(client, pickup_of(returned), "picked_up")
    report(client, pickup_of(returned), "returned_to_sender")
    cancel = reverse("backoffice:shipment_action", args=[pickup_of(withdrawn).pk, "cancel"])
    assert officer.post(cancel, {"reason": "Người nộp tự mang đến"}).status_code == 302
    assert pickup_of(withdrawn).status == ShipmentStatus.CANCELLED

    # Both wait at the desk again: the applicant may bring the papers in person.
    queue = officer.get(new_tab).content.decode()
    assert returned.code in queue and withdrawn.code in queue
    failed = officer.get(POSTAL + "?tab=failed").content.decode()
    assert f'id="shipment-{pickup_of(returned).pk}"' in failed
    assert reverse("backoffice:postal_handover", args=[pickup_of(returned).pk]) not in failed
    detail = officer.get(reverse("backoffice:dossier", args=[returned.code])).content.decode()
    assert 'id="pickup-failed"' in detail and 'class="bo-action action-accept"' in detail
    # And no hand-over of a parcel that never came.
    page = officer.get(reverse("backoffice:postal_handover", args=[pickup_of(returned).pk]))
    assert 'id="no-handover"' in page.content.decode()
    r = officer.post(
        reverse("backoffice:postal_handover", args=[pickup_of(returned).pk]),
        {"courier_name": "Lê Văn Bưu"},
    )
    assert r.status_code == 200
    assert Dossier.objects.get(pk=returned.pk).status == DossierStatus.SUBMITTED


def test_the_hand_over_through_the_page_receives_the_dossier_at_t0() -> None:
    w = postal_world()
    d = submitted_by_post(w)
    pickup = pickup_of(d)
    url = reverse("backoffice:postal_handover", args=[pickup.pk])
    officer = signed_in(w.reception)
    page = officer.get(url)
    assert page.status_code == 200 and pickup.tracking_number in page.content.decode()

    # The courier's name is required: nothing changes, the note typed is kept.
    r = officer.post(url, {"courier_name": " ", "note": "Phong bì còn niêm phong"})
    assert r.status_code == 200
    body = r.content.decode()
    assert "Nhập họ tên nhân viên bưu chính bàn giao hồ sơ." in body
    assert "Phong bì còn niêm phong" in body
    assert Dossier.objects.get(pk=d.pk).status == DossierStatus.SUBMITTED

    r = officer.post(url, {"courier_name": "Lê  Văn Bưu", "note": "Phong bì còn niêm phong"})
    assert r.status_code == 302
    assert r["Location"] == reverse("backoffice:dossier", args=[d.code])
    d = Dossier.objects.get(pk=d.pk)
    pickup.refresh_from_db()
    assert d.status == DossierStatus.RECEIVED and d.received_by == w.reception
    assert pickup.status == ShipmentStatus.DELIVERED
    assert pickup.handed_over_by == w.reception and pickup.courier_name == "Lê Văn Bưu"
    # t0 is the hand-over, with a direct receipt's working-time rule.
    assert d.received_at == receipt_time(pickup.handed_over_at, org_unit=w.unit)
    assert pickup.events.get(status=ShipmentStatus.DELIVERED).note == "Phong bì còn niêm phong"
    # The receipt (form 01) is offered as after a direct receipt.
    detail = officer.get(r["Location"]).content.decode()
    assert "Đã lập biên bản bàn giao và tiếp nhận hồ sơ" in detail
    assert reverse("backoffice:form", args=[d.code, "receipt"]) in detail
    record = f"/can-bo/buu-chinh/{pickup.pk}/bien-ban-ban-giao.pdf"
    assert record in detail and officer.get(record)["Content-Type"] == "application/pdf"

    # A second hand-over is refused with a message; nothing changes.
    version = d.version
    r = officer.post(url, {"courier_name": "Lê Văn Bưu"})
    assert r.status_code == 200
    assert "Thao tác này không được phép ở trạng thái hiện tại của bưu gửi." in r.content.decode()
    assert Dossier.objects.get(pk=d.pk).version == version


def test_hand_over_refused_to_whoever_is_not_the_units_desk() -> None:
    w = postal_world()
    d = submitted_by_post(w)
    pickup = pickup_of(d)
    url = reverse("backoffice:postal_handover", args=[pickup.pk])
    data = {"courier_name": "Lê Văn Bưu"}

    assert Client().get(url).status_code == 302  # to the login page
    assert signed_in(w.citizen).get(url).status_code == 403
    assert signed_in(w.citizen).get(POSTAL).status_code == 403
    # Another agency's desk: the parcel is not in its units.
    assert signed_in(w.other_reception).get(url).status_code == 404
    assert signed_in(w.other_reception).post(url, data).status_code == 404
    # The unit's leader reads it but does not sign for the desk.
    r = signed_in(w.leader).post(url, data)
    assert r.status_code == 200
    assert "error-summary" in r.content.decode()
    pickup.refresh_from_db()
    assert pickup.handed_over_at is None
    assert Dossier.objects.get(pk=d.pk).status == DossierStatus.SUBMITTED


def test_a_returned_result_is_sent_again_to_the_address_shown() -> None:
    w = postal_world()
    d = ready_by_post(w)
    first = Shipment.objects.get(dossier=d, kind=ShipmentKind.DELIVERY)
    client = Client()
    report(client, first, "picked_up")
    report(client, first, "returned_to_sender")
    officer = signed_in(w.reception)
    detail_url = reverse("backoffice:dossier", args=[d.code])
    page = officer.get(detail_url).content.decode()
    assert 'id="delivery-came-back"' in page
    assert "Gửi lại qua bưu chính" in page
    assert 'value="12 Lê Duẩn"' in page  # pre-filled from the address the citizen gave
    assert 'href="#action-return_result"' in page and 'id="action-return_result"' in page
    # The return at the desk is offered in person now, not by post again.
    assert re.search(r'name="return_result-delivery" value="in_person"[^>]*checked', page)
    # The timeline says what happened to the parcel.
    assert f"Trả kết quả tại nhà (từ cơ quan đến người nhận) {first.tracking_number}" in page

    send = reverse("backoffice:postal_delivery", args=[d.code])
    # A ward of another province: refused, what was typed comes back.
    r = officer.post(
        send,
        {"name": "Trần Văn Đức", "phone": "0987654321", "province_code": "66", "ward_code": "70",
         "street": "5 Tràng Tiền"},
    )  # fmt: skip
    assert r.status_code == 200
    body = r.content.decode()
    assert "Chọn xã, phường, đặc khu trong danh mục." in body
    assert 'value="5 Tràng Tiền"' in body
    assert Shipment.objects.filter(dossier=d, kind=ShipmentKind.DELIVERY).count() == 1

    r = officer.post(
        send,
        {"name": "Trần Văn Đức", "phone": "0987654321", "province_code": "1", "ward_code": "70",
         "street": "5 Tràng Tiền"},
    )  # fmt: skip
    assert r.status_code == 302
    again = Shipment.objects.filter(dossier=d, kind=ShipmentKind.DELIVERY).latest("created_at")
    assert again.pk != first.pk and again.status == ShipmentStatus.CREATED
    assert (again.person_province_code, again.person_ward_code) == ("1", "70")
    assert again.postage == 35_000  # another province: the inter-province postage
    address = DossierAddress.objects.get(dossier=d, purpose=AddressPurpose.DELIVERY)
    assert address.street == "5 Tràng Tiền"
    page = officer.get(detail_url).content.decode()
    assert 'id="delivery-came-back"' not in page

    # Not the desk's dossier: another agency's officer cannot send it.
    r = signed_in(w.other_reception).post(send, {"name": "X"})
    assert r.status_code == 404


def test_an_in_person_result_can_go_by_post_and_an_order_be_withdrawn() -> None:
    w = postal_world()
    d = s.dossier_receive_direct(
        actor=w.reception, procedure=w.procedure, receiving_unit=w.unit, applicant=w.applicant()
    )
    d = s.dossier_start(dossier=d, actor=w.reception, assignee=w.specialist)
    d = s.dossier_approve(dossier=d, actor=w.leader)
    assert d.result_delivery == "in_person" and not d.shipments.exists()
    officer = signed_in(w.reception)
    page = officer.get(reverse("backoffice:dossier", args=[d.code])).content.decode()
    assert "Gửi kết quả qua bưu chính" in page
    r = officer.post(
        reverse("backoffice:postal_delivery", args=[d.code]),
        {"name": HOME.name, "phone": HOME.phone, "province_code": HOME.province_code,
         "ward_code": HOME.ward_code, "street": HOME.street},
    )  # fmt: skip
    assert r.status_code == 302
    delivery = Shipment.objects.get(dossier=d, kind=ShipmentKind.DELIVERY)
    assert delivery.postage == 22_000

    cancel = reverse("backoffice:shipment_action", args=[delivery.pk, "cancel"])
    officer.post(cancel, {"reason": ""})
    delivery.refresh_from_db()
    assert delivery.status == ShipmentStatus.CREATED  # a reason is required
    officer.post(cancel, {"reason": "Người nộp đến nhận tại quầy"})
    delivery.refresh_from_db()
    assert delivery.status == ShipmentStatus.CANCELLED
    assert DossierEvent.objects.filter(
        dossier=d, action=EventAction.POSTAL, payload__shipment_to="cancelled"
    ).exists()


def test_a_tracking_number_entered_by_hand_is_checked() -> None:
    w = postal_world()
    d = ready_by_post(w, account=False)
    delivery = Shipment.objects.get(dossier=d, kind=ShipmentKind.DELIVERY)
    assert delivery.tracking_number == ""
    officer = signed_in(w.reception)
    page = officer.get(POSTAL + "?tab=unordered").content.decode()
    assert f'id="shipment-{delivery.pk}"' in page
    url = reverse("backoffice:shipment_action", args=[delivery.pk, "tracking"])
    good = s10("12345678")
    wrong_check = good[:10] + str((int(good[10]) + 1) % 10) + "VN"
    version = Dossier.objects.get(pk=d.pk).version

    for bad in ("", "EB12345678VN", wrong_check, "EB 1234 5678 X VN"):
        r = officer.post(url, {"tracking_number": bad, "next": POSTAL + "?tab=unordered"})
        assert r.status_code == 302
        delivery.refresh_from_db()
        assert delivery.tracking_number == "", bad
    r = officer.post(url, {"tracking_number": wrong_check}, follow=True)
    assert "Số hiệu bưu gửi không hợp lệ" in r.content.decode()
    # The pickup's number (given by the operator) cannot be this parcel's too.
    used = pickup_of(d).tracking_number
    r = officer.post(url, {"tracking_number": used}, follow=True)
    assert "Số hiệu bưu gửi này đã được ghi cho một bưu gửi khác." in r.content.decode()
    delivery.refresh_from_db()
    assert delivery.tracking_number == ""
    assert Dossier.objects.get(pk=d.pk).version == version

    # Another agency's desk, and the unit's leader: refused.
    assert signed_in(w.other_reception).post(url, {"tracking_number": good}).status_code == 404
    signed_in(w.leader).post(url, {"tracking_number": good})
    delivery.refresh_from_db()
    assert delivery.tracking_number == ""

    # Spaces and small letters are forgiven; the number is recorded and audited.
    r = officer.post(url, {"tracking_number": " " + good[:6].lower() + " " + good[6:]})
    assert r.status_code == 302
    delivery.refresh_from_db()
    assert delivery.tracking_number == good
    event = DossierEvent.objects.filter(dossier=d, action=EventAction.POSTAL).latest("seq")
    assert event.actor == w.reception and event.payload["tracking_set"] == good
    page = officer.get(POSTAL + "?tab=unordered").content.decode()
    assert f'id="shipment-{delivery.pk}"' not in page
    # A number once given is not replaced.
    officer.post(url, {"tracking_number": s10("22222222")})
    delivery.refresh_from_db()
    assert delivery.tracking_number == good


def test_the_service_checks_the_number_itself() -> None:
    from motcua.dossiers.exceptions import PermissionDenied
    from motcua.postal import services as postal
    from motcua.postal.errors import TrackingNumberInvalid, TrackingNumberUsed

    w = postal_world()
    d = ready_by_post(w, account=False)
    delivery = Shipment.objects.get(dossier=d, kind=ShipmentKind.DELIVERY)
    good = s10("87654321", "EB")
    with pytest.raises(TrackingNumberInvalid):
        postal.shipment_tracking_set(shipment=delivery, actor=w.reception, tracking_number="EB1VN")
    with pytest.raises(PermissionDenied):
        postal.shipment_tracking_set(
            shipment=delivery, actor=w.other_reception, tracking_number=good
        )
    with pytest.raises(TrackingNumberUsed):
        postal.shipment_tracking_set(
            shipment=delivery, actor=w.reception, tracking_number=pickup_of(d).tracking_number
        )
    postal.shipment_tracking_set(shipment=delivery, actor=w.reception, tracking_number=good)
    delivery.refresh_from_db()
    assert delivery.tracking_number == good


def test_the_postal_page_reads_a_fixed_number_of_queries() -> None:
    w = postal_world()
    officer = signed_in(w.reception)
    submitted_by_post(w)
    officer.get(POSTAL)  # warm the scope cache

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert officer.get(POSTAL).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(6):
        submitted_by_post(w)
    assert queries() == few
    assert few <= 12, few


def test_the_dossier_page_reads_the_same_queries_however_long_the_parcels_history() -> None:
    w = postal_world()
    d = submitted_by_post(w)
    officer = signed_in(w.reception)
    url = reverse("backoffice:dossier", args=[d.code])
    officer.get(url)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert officer.get(url).status_code == 200
        return len(captured)

    before = queries()
    client = Client()
    for status in ("accepted", "picked_up", "in_transit"):
        report(client, pickup_of(d), status)
    assert queries() == before


def _intake(w: World, **extra) -> dict:
    data = {
        "channel": Channel.POSTAL,
        "receiving_unit": w.unit.pk,
        "applicant_kind": "person",
        "applicant_name": "Hoàng Thị Lụa",
        "applicant_phone": "0905111222",
        "applicant_address": "12 Lê Duẩn, Buôn Ma Thuột",
        "result_delivery": "postal",
    }
    for doc in w.procedure.required_documents.all():
        data[f"doc_{doc.pk}_checked"] = "on"
    data.update(extra)
    return data


def test_intake_records_the_parcels_number_and_the_delivery_address() -> None:
    w = postal_world()
    officer = signed_in(w.reception)
    url = reverse("backoffice:intake") + f"?thu_tuc={w.procedure.code}"
    page = officer.get(url).content.decode()
    assert 'name="tracking_number"' in page and 'name="delivery_ward_code"' in page
    good = s10("11223344")

    # A wrong number and a ward of another province: nothing is created, values are kept.
    r = officer.post(
        url,
        _intake(w, tracking_number="RR112233440VN", delivery_province_code="66",
                delivery_ward_code="70", delivery_street="12 Lê Duẩn"),
    )  # fmt: skip
    assert r.status_code == 200
    body = r.content.decode()
    assert "Số hiệu bưu gửi không hợp lệ" in body
    assert "Chọn xã, phường, đặc khu trong danh mục." in body
    assert 'value="12 Lê Duẩn"' in body
    assert not Dossier.objects.exists()

    r = officer.post(
        url,
        _intake(w, tracking_number=good.lower(), delivery_province_code="66",
                delivery_ward_code="24133", delivery_street=" 12  Lê Duẩn "),
    )  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:3000]
    d = Dossier.objects.get()
    assert d.channel == Channel.POSTAL and d.status == DossierStatus.RECEIVED
    pickup = pickup_of(d)
    assert pickup.tracking_number == good and pickup.handed_over_by == w.reception
    address = DossierAddress.objects.get(dossier=d, purpose=AddressPurpose.DELIVERY)
    # The applicant's name and phone when none other is given.
    assert (address.name, address.phone, address.ward_code, address.street) == (
        "Hoàng Thị Lụa", "0905111222", "24133", "12 Lê Duẩn"
    )  # fmt: skip

    # When the result is ready, it goes to that address by itself.
    d = s.dossier_start(dossier=d, actor=w.reception, assignee=w.specialist)
    d = s.dossier_approve(dossier=d, actor=w.leader)
    delivery = Shipment.objects.get(dossier=d, kind=ShipmentKind.DELIVERY)
    assert (delivery.person_province_code, delivery.person_ward_code) == ("66", "24133")
    assert delivery.postage == 22_000

    # The same parcel number twice is refused.
    r = officer.post(url, _intake(w, tracking_number=good, result_delivery="in_person"))
    assert r.status_code == 200
    assert "Số hiệu bưu gửi này đã được ghi cho một bưu gửi khác." in r.content.decode()
    assert Dossier.objects.count() == 1
