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


@pytest.mark.django_db
def test_a_service_centre_collects_for_the_agency_with_its_own_account():
    from motcua.orgs.constants import Role, UnitKind
    from motcua.payments.models import PaymentAccount
    from motcua.payments.selectors import account_for_invoice
    from tests.factories import MembershipFactory, UnitFactory

    w = fee_world(FeeStage.SUBMISSION)
    centre = UnitFactory(code="000.00.50.H16", name="Trung tâm PVHCC", kind=UnitKind.CENTRE)
    MembershipFactory(user=w.reception, unit=centre, role=Role.RECEPTION)
    d = s.dossier_receive_direct(
        actor=w.reception,
        procedure=w.procedure,
        receiving_unit=centre,
        applicant=w.applicant(),
        at=w.clock.tick(),
    )
    invoice = invoice_of(d)
    assert invoice.unit == w.unit  # the performing agency is the collecting one
    agency_qr = PaymentAccount.objects.get(unit=w.unit, provider="vietqr")
    assert account_for_invoice(invoice=invoice, provider="vietqr") == agency_qr
    own = PaymentAccount.objects.create(unit=centre, provider="vietqr", bank_bin="970415")
    assert account_for_invoice(invoice=invoice, provider="vietqr") == own  # the desk first


@pytest.mark.django_db
def test_a_statement_releases_the_dossier_only_when_nothing_else_is_owed():
    from motcua.payments.models import PaymentAccount

    w = fee_world(FeeStage.SUBMISSION)
    alone = submitted(w)  # one invoice, due at submission
    # Another dossier owes two: at acceptance, then (the procedure changed) with the result.
    w.procedure.fee_stage = FeeStage.ACCEPTANCE
    w.procedure.save()
    twice = s.dossier_accept(dossier=submitted(w), actor=w.reception, at=w.clock.tick())
    w.procedure.fee_stage = FeeStage.RESULT
    w.procedure.save()
    twice = _to_result(w, twice)
    at_acceptance = Invoice.objects.get(dossier=twice, stage=FeeStage.ACCEPTANCE)
    assert Invoice.objects.filter(dossier=twice, status="created").count() == 2
    account = PaymentAccount.objects.get(unit=w.unit, provider="vietqr")
    data = (
        "Ngày giao dịch,Số tham chiếu,Ghi có,Nội dung\n"
        f"14/07/2025,FT1,130000,{invoice_of(alone).reference}\n"
        f"14/07/2025,FT2,130000,{at_acceptance.reference}\n"
    ).encode()
    statement = payments.statement_import(
        account=account, data=data, filename="s.csv", actor=w.reception
    )
    assert statement.counts["matched"] == 2
    alone.refresh_from_db()
    twice.refresh_from_db()
    assert not alone.awaiting_payment
    assert twice.awaiting_payment  # its fee due with the result is still unpaid


@pytest.mark.django_db
def test_the_performing_agency_that_received_the_dossier_collects():
    from motcua.orgs.constants import Role
    from tests.factories import MembershipFactory

    w = fee_world(FeeStage.SUBMISSION)
    w.procedure.performing_units.add(w.other_unit)  # two agencies perform it
    MembershipFactory(user=w.reception, unit=w.other_unit, role=Role.RECEPTION)
    d = s.dossier_receive_direct(
        actor=w.reception,
        procedure=w.procedure,
        receiving_unit=w.other_unit,
        applicant=w.applicant(),
        at=w.clock.tick(),
    )
    assert invoice_of(d).unit == w.other_unit  # not the first performer, the receiving one
