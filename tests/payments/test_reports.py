"""The reports count payments from the invoices: `paid_online` by the time of payment, and the
KPI `online_payment_coverage` from the agencies' payment accounts."""

from __future__ import annotations

from motcua.catalog.models import Procedure
from motcua.payments import services as payments
from motcua.payments.constants import Provider
from motcua.payments.models import PaymentAccount
from motcua.reports.kpis import kpi_indicators
from motcua.reports.monthly import report_monthly
from tests.dossiers.helpers import VN

from .conftest import invoice_of, submitted
from .gateway import ipn


def _coverage(period: str) -> tuple[int, int]:
    indicator = next(
        i
        for i in kpi_indicators(period=period, live=True).directive
        if i.id == "online_payment_coverage"
    )
    return indicator.numerator, indicator.denominator


def test_paid_online_counts_in_the_month_of_payment(client, world, settings):
    settings.MOTCUA_REPORT_CUTOFF_DAY = 1
    d = submitted(world)  # July 2025
    invoice = invoice_of(d)
    assert report_monthly(period="2025-07", live=True).totals["paid_online"] == 0
    params = ipn(invoice.reference, invoice.amount)
    assert client.get("/api/v1/payments/callback/vnpay", params).json()["RspCode"] == "00"
    invoice.refresh_from_db()
    month = invoice.paid_at.astimezone(VN).strftime("%Y-%m")
    assert month == "2025-07"  # vnp_PayDate of the notice: 14/07/2025 09:00
    assert report_monthly(period="2025-07", live=True).totals["paid_online"] == 1
    assert report_monthly(period="2025-06", live=True).totals["paid_online"] == 0


def test_cash_at_the_desk_is_not_paid_online(world, settings):
    settings.MOTCUA_REPORT_CUTOFF_DAY = 1
    invoice = invoice_of(submitted(world))
    payments.cash_record(invoice=invoice, actor=world.reception, receipt_number="0000001")
    invoice.refresh_from_db()
    assert invoice.dossier.paid_online_at is None
    month = invoice.paid_at.astimezone(VN).strftime("%Y-%m")
    assert report_monthly(period=month, live=True).totals["paid_online"] == 0


def test_coverage_follows_the_payment_accounts(world):
    procedure: Procedure = world.procedure  # level 4, fee-bearing, performed by world.unit
    period = "2025-07"
    assert _coverage(period) == (1, 1)  # the unit has vnpay and VietQR accounts
    PaymentAccount.objects.filter(provider=Provider.VNPAY).update(is_active=False)
    assert _coverage(period) == (1, 1)  # VietQR still takes money online
    PaymentAccount.objects.filter(provider=Provider.VIETQR).update(is_active=False)
    assert _coverage(period) == (0, 1)  # cash only: not online
    PaymentAccount.objects.filter(provider=Provider.VNPAY).update(is_active=True)
    procedure.performing_units.add(world.other_unit)  # an agency without any account
    assert _coverage(period) == (0, 1)
    PaymentAccount.objects.create(unit=world.other_unit, provider=Provider.VIETQR)
    assert _coverage(period) == (1, 1)
