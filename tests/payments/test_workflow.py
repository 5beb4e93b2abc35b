"""The invoice's state table: the one in docs/PAYMENTS.md §2 is the one the services read, and
the services refuse what it does not allow."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from motcua.payments import services as payments
from motcua.payments.errors import InvoiceStateError
from motcua.payments.workflow import TRANSITIONS, invoice_allows, invoice_target

from .conftest import invoice_of, submitted

DOC = Path(__file__).resolve().parents[2] / "docs" / "PAYMENTS.md"


def documented() -> set[tuple[str, str, str]]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## 2. ", 1)[1].split("\n## ", 1)[0]
    rows = set()
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[1].startswith("`"):
            for source in cells[0].split(","):
                rows.add((source.strip(), cells[1].strip("`"), cells[2]))
    return rows


def test_the_documented_table_is_the_table():
    table = {(s, t.action, t.target) for t in TRANSITIONS for s in t.sources}
    assert documented() == table


def test_what_the_table_does_not_allow_is_refused(world):
    assert invoice_target("created", "pay") == "paid"
    assert not invoice_allows("refunded", "pay")
    assert not invoice_allows("paid", "cancel")
    invoice = invoice_of(submitted(world))
    with pytest.raises(InvoiceStateError):  # nothing to refund yet
        payments.refund_request(invoice=invoice, actor=world.reception, reason="thử")
    payments.cash_record(invoice=invoice, actor=world.reception, receipt_number="1")
    with pytest.raises(InvoiceStateError):  # a paid fee is not waived
        payments.invoice_waive(invoice=invoice, actor=world.reception, reason="miễn")
    with pytest.raises(InvoiceStateError):  # no refund decision without a request
        payments.refund_decide(invoice=invoice, actor=world.leader, approve=True)


def test_an_expired_attempt_can_be_started_again_and_paid(world):
    import datetime as dt

    from django.utils import timezone

    invoice = invoice_of(submitted(world))
    payments.payment_start(invoice=invoice, provider="vnpay", actor=world.citizen)
    assert payments.invoices_expire(before=timezone.now() + dt.timedelta(hours=1)) == 1
    invoice.refresh_from_db()
    assert invoice.status == "expired" and invoice.dossier.awaiting_payment
    payments.payment_start(invoice=invoice, provider="vnpay", actor=world.citizen)
    invoice.refresh_from_db()
    assert invoice.status == "pending" and invoice.attempts == 2


def test_an_exempt_applicant_is_waived_with_the_reason(world):
    d = submitted(world)
    invoice = invoice_of(d)
    payments.invoice_waive(
        invoice=invoice, actor=world.reception, reason="Người có công (Điều 4, NĐ …)"
    )
    invoice.refresh_from_db()
    d.refresh_from_db()
    assert invoice.status == "cancelled" and not d.awaiting_payment
    event = d.events.order_by("-seq").first()
    assert event.payload["reason"].startswith("Người có công")
    assert re.fullmatch(r"TT[0-9A-HJKMNP-TV-Z]{10}", invoice.reference)


def test_the_command_expires_timed_out_attempts(world, settings):
    import datetime as dt
    from io import StringIO

    from django.core.management import call_command

    invoice = invoice_of(submitted(world))
    payments.payment_start(invoice=invoice, provider="vnpay", actor=world.citizen)
    out = StringIO()
    call_command("payments_expire", stdout=out)
    assert "0 lượt" in out.getvalue()  # not timed out yet
    invoice.refresh_from_db()
    invoice.expires_at -= dt.timedelta(hours=1)
    invoice.save(update_fields=["expires_at"])
    call_command("payments_expire", stdout=out)
    assert "1 lượt" in out.getvalue()
    invoice.refresh_from_db()
    assert invoice.status == "expired"
