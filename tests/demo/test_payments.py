"""The demo province's payments: every agency can take money, invoices exist in every state,
and its demo statement imports as a bank's would."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from motcua.payments.constants import InvoiceStatus, Provider
from motcua.payments.models import Invoice, PaymentAccount
from motcua.payments.selectors import account_for_invoice

pytestmark = pytest.mark.django_db


def test_the_demo_has_invoices_in_every_state_and_a_statement_to_import(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = StringIO()
    # Enough dossiers that every state has one whatever the hour (the demo's lives end at now;
    # with 60, a run at 08:40 in Vietnam had no cancelled invoice), as tests/demo/test_postal.py.
    call_command("demo", dossiers=120, stdout=out)
    assert "Hoá đơn phí, lệ phí minh hoạ" in out.getvalue()
    assert "Thử đối soát sao kê: đăng nhập " in out.getvalue()
    states = set(Invoice.objects.values_list("status", flat=True))
    assert states == set(InvoiceStatus.values)
    for provider in Provider:
        assert Invoice.objects.filter(provider=provider, status=InvoiceStatus.PAID).exists()
    # Every invoice can be paid through the sandbox gateway, a transfer and at the desk.
    for invoice in Invoice.objects.select_related("unit", "dossier__receiving_unit")[:50]:
        for provider in Provider:
            assert account_for_invoice(invoice=invoice, provider=provider) is not None
    assert not PaymentAccount.objects.filter(is_demo=False).exists()
    # The service centres collect at their desks: their officers import their own statements.
    from motcua.orgs.models import Unit

    for centre in Unit.objects.filter(kind="centre"):
        assert PaymentAccount.objects.filter(unit=centre, provider=Provider.VIETQR).exists()
    # The demo statement pays the pending transfers of its account through the page.
    pending = Invoice.objects.filter(status=InvoiceStatus.PENDING, provider=Provider.VIETQR)
    invoice = pending.select_related("account__unit").first()
    assert invoice is not None
    from motcua.orgs.models import Membership

    officer = next(
        m.user
        for m in Membership.objects.filter(role="reception").select_related("user", "unit")
        if invoice.account.unit.path.startswith(m.unit.path)
    )
    client = Client()
    client.force_login(officer)
    csv = client.get(f"/can-bo/thanh-toan/sao-ke/minh-hoa/{invoice.account.pk}.csv")
    assert csv.status_code == 200 and invoice.reference.encode() in csv.content
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("saoke.csv", csv.content, content_type="text/csv")
    page = client.post(
        "/can-bo/thanh-toan/sao-ke/", {"account": invoice.account.pk, "file": upload}, follow=True
    )
    assert "Đã nhập" in page.content.decode()
    invoice.refresh_from_db()
    assert invoice.status in {InvoiceStatus.PAID, InvoiceStatus.PENDING}  # 1 in 4 is paid short
    assert Invoice.objects.filter(
        account=invoice.account, status=InvoiceStatus.PAID, provider=Provider.VIETQR
    ).exists()
