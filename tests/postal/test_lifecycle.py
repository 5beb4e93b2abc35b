"""Around the parcels: an ended dossier withdraws its orders, a result that waits for its fee goes
out once paid, a result for post without an account is recorded for the desk, the desk's own
postal receipts count as pickups."""

from __future__ import annotations

import pytest

from motcua.catalog.constants import FeeStage
from motcua.catalog.models import Fee
from motcua.dossiers import services as s
from motcua.dossiers.constants import DossierStatus, EventAction
from motcua.dossiers.models import DossierEvent
from motcua.payments import services as payments
from motcua.payments.models import Invoice
from motcua.postal import services as postal
from motcua.postal.constants import AddressPurpose, ShipmentKind, ShipmentStatus
from motcua.postal.errors import AddressInvalid, ShipmentStateError
from motcua.postal.models import PostalAccount, Shipment
from tests.dossiers.helpers import new_online, pdf_file

from .conftest import HOME, postal_world, submitted_by_post


@pytest.fixture
def world(db):
    return postal_world()


def test_withdrawing_cancels_the_pickup_in_the_same_event(world):
    d = submitted_by_post(world, delivery=False)
    d = s.dossier_withdraw(dossier=d, actor=world.citizen)
    pickup = Shipment.objects.get(dossier=d)
    assert pickup.status == ShipmentStatus.CANCELLED
    event = DossierEvent.objects.filter(dossier=d).order_by("-seq").first()
    assert event.action == "withdraw"
    assert [line["shipment_to"] for line in event.payload["shipments"]] == ["cancelled"]
    assert not DossierEvent.objects.filter(dossier=d, action=EventAction.POSTAL).exists()


def test_a_pickup_with_the_postman_cannot_be_cancelled(world):
    d = submitted_by_post(world, delivery=False)
    pickup = Shipment.objects.get(dossier=d)
    postal.shipment_move(shipment=pickup, target="picked_up", actor=None)
    with pytest.raises(ShipmentStateError):
        postal.shipment_cancel(shipment=pickup, actor=world.citizen, reason="Đổi ý")
    d = s.dossier_withdraw(dossier=d, actor=world.citizen)  # the dossier ends; the parcel moves on
    assert Shipment.objects.get(pk=pickup.pk).status == ShipmentStatus.PICKED_UP


def test_submitting_by_post_needs_the_pickup_address(world):
    d = new_online(world)
    for doc in world.procedure.required_documents.filter(mandatory=True):
        s.attachment_add(
            dossier=d,
            actor=world.citizen,
            kind="application",
            file=pdf_file(),
            required_document=doc,
        )
    with pytest.raises(AddressInvalid):
        s.dossier_submit(dossier=d, actor=world.citizen, by_post=True)
    d.refresh_from_db()
    assert d.status == DossierStatus.DRAFT and not Shipment.objects.exists()


def test_a_result_that_waits_for_its_fee_goes_by_post_once_paid(db):
    from tests.payments.conftest import add_accounts

    w = postal_world(fee_stage=FeeStage.RESULT)
    Fee.objects.create(procedure=w.procedure, name="Lệ phí cấp bản sao", amount=30_000)
    add_accounts(w.unit)
    d = submitted_by_post(w)
    pickup = Shipment.objects.get(dossier=d, kind=ShipmentKind.PICKUP)
    d = postal.pickup_handover(shipment=pickup, actor=w.reception, courier_name="Lê Văn Bưu")
    d = s.dossier_start(dossier=d, actor=w.reception, assignee=w.specialist)
    d = s.dossier_approve(dossier=d, actor=w.leader)
    assert d.awaiting_payment
    assert not Shipment.objects.filter(dossier=d, kind=ShipmentKind.DELIVERY).exists()
    invoice = Invoice.objects.get(dossier=d)
    payments.cash_record(invoice=invoice, actor=w.reception, receipt_number="BL-0001")
    delivery = Shipment.objects.get(dossier=d, kind=ShipmentKind.DELIVERY)
    assert delivery.status == ShipmentStatus.CREATED
    assert (delivery.person_name, delivery.person_ward_code) == (HOME.name, HOME.ward_code)


def test_a_result_for_post_without_an_account_is_kept_for_the_desk(world):
    d = submitted_by_post(world)
    pickup = Shipment.objects.get(dossier=d, kind=ShipmentKind.PICKUP)
    d = postal.pickup_handover(shipment=pickup, actor=world.reception)
    PostalAccount.objects.update(is_active=False)
    d = s.dossier_start(dossier=d, actor=world.reception, assignee=world.specialist)
    d = s.dossier_approve(dossier=d, actor=world.leader)
    delivery = Shipment.objects.get(dossier=d, kind=ShipmentKind.DELIVERY)
    assert delivery.account is None and delivery.tracking_number == ""
    assert d.status == DossierStatus.RESULT_READY


def test_a_parcel_received_at_the_desk_is_a_handed_over_pickup(world):
    d = s.dossier_receive_postal(
        actor=world.reception,
        procedure=world.procedure,
        receiving_unit=world.unit,
        applicant=world.applicant(),
        tracking_number="rr123456785vn",
    )
    pickup = Shipment.objects.get(dossier=d)
    assert pickup.kind == ShipmentKind.PICKUP and pickup.status == ShipmentStatus.DELIVERED
    assert pickup.tracking_number == "RR123456785VN"
    assert pickup.handed_over_at is not None and pickup.handed_over_by == world.reception
    assert pickup.postage == 0  # its sender paid at the post office


def test_address_for_a_procedure_without_post_is_refused(db):
    w = postal_world(accepts_postal_pickup=False, accepts_postal_return=False)
    d = new_online(w)
    from motcua.postal.errors import PostalNotOffered

    with pytest.raises(PostalNotOffered):
        postal.address_save(dossier=d, purpose=AddressPurpose.PICKUP, address=HOME)


def test_the_callback_needs_no_csrf_token_but_the_signature(world):
    from django.test import Client

    from .conftest import callback_body, sign

    d = submitted_by_post(world, delivery=False)
    shipment = Shipment.objects.get(dossier=d)
    shipment.tracking_number = "RR123456785VN"
    shipment.save(update_fields=["tracking_number"])
    body = callback_body(shipment, "accepted")
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/postal/callback/sandbox", body, content_type="application/json",
        HTTP_X_POSTAL_SIGNATURE=sign(body),
    )  # fmt: skip
    assert response.status_code == 202


def test_a_fee_due_at_submission_is_paid_before_the_hand_over(db):
    from motcua.dossiers.exceptions import PaymentDue
    from tests.payments.conftest import add_accounts

    w = postal_world(fee_stage=FeeStage.SUBMISSION)
    Fee.objects.create(procedure=w.procedure, name="Lệ phí", amount=50_000)
    add_accounts(w.unit)
    d = submitted_by_post(w, delivery=False)
    pickup = Shipment.objects.get(dossier=d)
    with pytest.raises(PaymentDue):
        postal.pickup_handover(shipment=pickup, actor=w.reception, courier_name="Lê Văn Bưu")
    pickup.refresh_from_db()
    assert pickup.handed_over_at is None and pickup.status == ShipmentStatus.CREATED
    # the postman collected the fee in cash: the desk records it, then the hand-over
    payments.cash_record(
        invoice=Invoice.objects.get(dossier=d), actor=w.reception, receipt_number="BC-0007"
    )
    d = postal.pickup_handover(shipment=pickup, actor=w.reception, courier_name="Lê Văn Bưu")
    assert d.status == DossierStatus.RECEIVED


def test_the_sandbox_never_gives_a_number_twice(world, monkeypatch):
    from motcua.postal.moves import order_place
    from motcua.postal.providers import sandbox

    d = submitted_by_post(world, delivery=False)
    first = Shipment.objects.get(dossier=d)
    first.tracking_number = "RR123456785VN"
    first.save(update_fields=["tracking_number"])
    second = submitted_by_post(world, delivery=False)
    draws = iter(["RR123456785VN", "RR000000080VN"])
    monkeypatch.setattr(sandbox, "s10_new", lambda: next(draws))
    placed = order_place(shipment_id=Shipment.objects.get(dossier=second).pk)
    assert placed.tracking_number == "RR000000080VN"


def test_only_the_receiving_desk_signs_a_hand_over(world):
    from motcua.dossiers.exceptions import PermissionDenied

    d = submitted_by_post(world, delivery=False)
    pickup = Shipment.objects.get(dossier=d)
    for outsider in (world.other_reception, world.specialist, world.citizen):
        with pytest.raises(PermissionDenied):
            postal.pickup_handover(shipment=pickup, actor=outsider)
    pickup.refresh_from_db()
    assert pickup.handed_over_at is None


def test_a_result_delivered_after_the_dossier_was_withdrawn_only_ends_the_parcel(world):
    d = submitted_by_post(world)
    pickup = Shipment.objects.get(dossier=d, kind=ShipmentKind.PICKUP)
    d = postal.pickup_handover(shipment=pickup, actor=world.reception)
    d = s.dossier_start(dossier=d, actor=world.reception, assignee=world.specialist)
    d = s.dossier_approve(dossier=d, actor=world.leader)
    delivery = Shipment.objects.get(dossier=d, kind=ShipmentKind.DELIVERY)
    postal.shipment_move(shipment=delivery, target="in_transit", actor=None)
    d = s.dossier_withdraw(dossier=d, actor=world.citizen)  # the parcel is already on its way
    postal.shipment_move(shipment=delivery, target="delivered", actor=None)
    delivery.refresh_from_db()
    d.refresh_from_db()
    assert delivery.status == ShipmentStatus.DELIVERED
    assert d.status == DossierStatus.WITHDRAWN
