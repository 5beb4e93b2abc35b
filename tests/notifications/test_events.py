"""The dossier's events and the messages they write: in the event's own transaction, with what
the applicant needs to act (the amount and where to pay, the list of what is missing), and never
at the cost of the event itself (a broken text fails its message, not the transition)."""

from __future__ import annotations

import pytest

from motcua.dossiers import services as s
from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import DossierEvent
from motcua.notifications.constants import Channel, Event, MessageStatus
from motcua.notifications.models import Message, MessageTemplate
from motcua.notifications.services import preference_set
from motcua.payments import services as payments
from tests.dossiers.helpers import build_world, drive
from tests.payments.conftest import fee_world, invoice_of, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _channels(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_NOTIFY_PROVIDERS = {
        "email": "smtp",
        "sms": "sandbox",
        "zalo": "",
        "inapp": "inapp",
    }


def _of(event: str, **filters) -> list[Message]:
    return list(Message.objects.filter(event=event, **filters).order_by("channel"))


def test_a_broken_template_fails_its_message_and_the_dossier_moves_on() -> None:
    w = build_world(processing_time=5)
    d = drive(w, DossierStatus.SUBMITTED)
    # An edit that went around the admin's check: a variable the "received" event does not have.
    MessageTemplate.objects.filter(event=Event.RECEIVED, channel=Channel.EMAIL).update(
        body_vi="Hồ sơ {{ ma_ho_so }}: {{ ly_do }}"
    )
    d = s.dossier_accept(dossier=d, actor=w.reception)
    assert d.status == DossierStatus.RECEIVED
    assert DossierEvent.objects.filter(dossier=d, action="accept").exists()
    email, inapp = _of(Event.RECEIVED, channel__in=[Channel.EMAIL, Channel.INAPP])
    assert email.status == MessageStatus.FAILED and "ly_do" in email.reason
    assert inapp.status == MessageStatus.DELIVERED and d.code in inapp.subject


def test_the_applicant_is_told_what_is_missing_and_the_choices_are_kept() -> None:
    w = build_world(processing_time=5)
    preference_set(user=w.citizen, event=Event.RESULT_READY, channel=Channel.EMAIL, enabled=False)
    w.citizen.phone = "0912345678"
    w.citizen.save()
    d = drive(w, DossierStatus.SUBMITTED)
    s.dossier_request_supplement(
        dossier=d,
        actor=w.reception,
        items=["Bản sao giấy khai sinh", "Ảnh 4×6"],
        reason="Thiếu giấy tờ",
        at=w.clock.tick(),
    )
    sms = _of(Event.SUPPLEMENT_REQUESTED, channel=Channel.SMS)
    assert [m.recipient for m in sms] == ["0912345678"]
    email = _of(Event.SUPPLEMENT_REQUESTED, channel=Channel.EMAIL)[0]
    assert "- Bản sao giấy khai sinh\n- Ảnh 4×6" in email.body
    d = s.dossier_supplement(dossier=d, actor=w.citizen, at=w.clock.tick())
    d = s.dossier_accept(dossier=d, actor=w.reception, at=w.clock.tick())
    d = s.dossier_start(dossier=d, actor=w.reception, assignee=w.specialist, at=w.clock.tick())
    s.dossier_approve(dossier=d, actor=w.leader, at=w.clock.tick())
    # Turned off by e-mail; still in the portal and by SMS.
    assert {m.channel for m in _of(Event.RESULT_READY)} == {Channel.INAPP, Channel.SMS}


def test_fees_due_then_received_and_the_desk_waits_for_the_money() -> None:
    w = fee_world()
    d = submitted(w)
    assert d.awaiting_payment
    due = _of(Event.PAYMENT_DUE, channel=Channel.EMAIL)[0]
    invoice = invoice_of(d)
    assert "130.000 đồng" in due.body and f"/thanh-toan/{invoice.reference}/" in due.body
    assert "Lệ phí cấp giấy phép, Phí thẩm định" in due.body
    # Not the desk's work until it is paid.
    assert _of(Event.TASK_ASSIGNED) == []
    payments.cash_record(invoice=invoice, actor=w.reception, receipt_number="BL-0042")
    received = _of(Event.PAYMENT_RECEIVED, channel=Channel.EMAIL)[0]
    invoice.refresh_from_db()
    assert "130.000 đồng" in received.body
    assert (invoice.receipt_no or invoice.reference) in received.body


def test_the_officer_who_gets_the_dossier_is_told_not_the_one_who_sent_it() -> None:
    w = build_world(processing_time=5)
    d = drive(w, DossierStatus.RECEIVED)
    s.dossier_start(dossier=d, actor=w.reception, assignee=w.specialist, at=w.clock.tick())
    told = {m.user for m in _of(Event.TASK_ASSIGNED)}
    # The desk heard of the new dossier at submission, the specialist of the start.
    assert told == {w.reception, w.specialist}
    started = _of(Event.TASK_ASSIGNED, user=w.specialist, channel=Channel.EMAIL)[0]
    assert "Thẩm định" in started.body and "/can-bo/ho-so/" in started.body


def test_the_applicant_hears_when_the_postman_takes_the_papers_and_when_they_arrive() -> None:
    from motcua.postal import services as postal
    from motcua.postal.models import Shipment
    from tests.postal.conftest import postal_world, submitted_by_post

    w = postal_world()
    d = submitted_by_post(w, delivery=False)
    # The operator's number (its order is placed by the worker after the commit, not run here).
    Shipment.objects.filter(dossier=d).update(tracking_number="EB123456789VN")
    pickup = Shipment.objects.get(dossier=d)
    postal.shipment_move(shipment=pickup, target="accepted", actor=None)
    assert _of(Event.SHIPMENT_SENT) == []  # an order taken is not yet a parcel on its way
    postal.shipment_move(shipment=pickup, target="picked_up", actor=None)
    postal.shipment_move(shipment=pickup, target="picked_up", actor=None)  # a repeat: nothing
    sent = _of(Event.SHIPMENT_SENT, channel=Channel.EMAIL)
    assert len(sent) == 1 and "Bưu gửi EB123456789VN (Nhận hồ sơ tại nhà" in sent[0].body
    postal.shipment_move(shipment=pickup, target="in_transit", actor=None)
    postal.shipment_move(shipment=pickup, target="delivered", actor=None)
    assert len(_of(Event.SHIPMENT_DELIVERED, channel=Channel.EMAIL)) == 1
