"""When a fee falls due (Procedure.fee_stage) and what waits for it."""

from __future__ import annotations

import pytest

from motcua.catalog.constants import FeeStage
from motcua.dossiers import services as s
from motcua.dossiers.exceptions import PaymentDue
from motcua.payments import services as payments
from motcua.payments.models import Invoice

from .conftest import fee_world, invoice_of, submitted


def _to_result(w, d):
    d = s.dossier_start(dossier=d, actor=w.reception, assignee=w.specialist, at=w.clock.tick())
    d = s.dossier_forward(dossier=d, actor=w.specialist, at=w.clock.tick())
    return s.dossier_approve(dossier=d, actor=w.leader, at=w.clock.tick())


@pytest.mark.django_db
def test_at_acceptance_the_result_waits_for_the_payment():
    w = fee_world(FeeStage.ACCEPTANCE)
    d = submitted(w)
    assert not Invoice.objects.filter(dossier=d).exists() and not d.awaiting_payment
    d = s.dossier_accept(dossier=d, actor=w.reception, at=w.clock.tick())
    invoice = invoice_of(d)
    assert d.awaiting_payment and invoice.stage == "acceptance"
    accept_event = d.events.order_by("-seq").first()
    assert accept_event.payload["invoice"] == invoice.reference  # in the transition's own event
    d = _to_result(w, d)
    with pytest.raises(PaymentDue):
        s.dossier_return_result(dossier=d, actor=w.reception, at=w.clock.tick())
    payments.cash_record(invoice=invoice, actor=w.reception, receipt_number="5")
    d = s.dossier_return_result(dossier=d, actor=w.reception, at=w.clock.tick())
    assert d.status == "returned"


@pytest.mark.django_db
def test_at_the_result_the_invoice_comes_with_the_approval():
    w = fee_world(FeeStage.RESULT)
    d = s.dossier_accept(dossier=submitted(w), actor=w.reception, at=w.clock.tick())
    assert not Invoice.objects.filter(dossier=d).exists()
    d = _to_result(w, d)
    assert invoice_of(d).stage == "result" and d.awaiting_payment


@pytest.mark.django_db
def test_a_desk_dossier_owes_at_reception_and_the_direct_price_applies():
    w = fee_world(FeeStage.SUBMISSION)
    d = s.dossier_receive_direct(
        actor=w.reception,
        procedure=w.procedure,
        receiving_unit=w.unit,
        applicant=w.applicant(),
        at=w.clock.tick(),
    )
    invoice = invoice_of(d)
    assert invoice.amount == 150_000  # no online price at the desk
    d.refresh_from_db()
    assert d.awaiting_payment


@pytest.mark.django_db
def test_no_invoice_without_a_fee():
    w = fee_world(FeeStage.SUBMISSION)
    w.procedure.fees.all().delete()
    d = submitted(w)
    assert not Invoice.objects.filter(dossier=d).exists() and not d.awaiting_payment


@pytest.mark.django_db
def test_a_refused_dossier_cancels_its_unpaid_invoice():
    w = fee_world(FeeStage.SUBMISSION)
    d = submitted(w)
    invoice = invoice_of(d)
    payments.cash_record(invoice=invoice, actor=w.reception, receipt_number="9")
    d = s.dossier_refuse(dossier=d, actor=w.reception, reason="Không thuộc thẩm quyền")
    invoice.refresh_from_db()
    assert invoice.status == "refund_requested"  # paid, then refused: the money goes back
    assert d.events.order_by("-seq").first().payload["invoices"] == {
        invoice.reference: "refund_requested"
    }
