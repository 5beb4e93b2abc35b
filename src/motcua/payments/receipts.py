"""The e-receipt (biên lai điện tử) of a paid invoice: a PDF with the agency, the payer, the amount
in figures and in words, the fees, the reference, the transaction id, the time and a QR code to the
dossier's tracking page."""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from motcua.documents import registry
from motcua.documents.pdf import render_pdf
from motcua.documents.renderers import base_context
from motcua.documents.words import amount_in_words, format_datetime, format_vnd

from .constants import Provider
from .models import Invoice


def receipt_pdf(*, invoice: Invoice) -> bytes:
    if invoice.paid_at is None or not invoice.receipt_no:
        raise ValueError("an e-receipt needs a paid invoice")
    spec = registry.get_form(key=registry.PAYMENT_RECEIPT)
    dossier = invoice.dossier
    context = base_context(spec=spec, dossier=dossier, unit=invoice.unit, issued_at=invoice.paid_at)
    txn = invoice.provider_txn
    if invoice.provider == Provider.CASH:
        txn = ""  # the paper receipt's number is shown instead
    context |= {
        "invoice": invoice,
        "lines": [
            {"name": line["name"], "amount_text": format_vnd(amount=int(line["amount"]))}
            for line in invoice.lines
        ],
        "amount_text": format_vnd(amount=invoice.amount),
        "amount_words": amount_in_words(amount=invoice.amount),
        "provider_label": Provider(invoice.provider).label if invoice.provider else "",
        "txn": txn,
        "paid_text": format_datetime(value=invoice.paid_at),
        "officer_name": str(invoice.recorded_by) if invoice.recorded_by_id else "",
        "system_name": settings.MOTCUA_SYSTEM_NAME,
    }
    return render_pdf(spec=spec, context=context)


def _kept(invoice: Invoice) -> bool:
    """Its receipt file is stored (a file lost from the storage is rendered again)."""
    name = invoice.receipt_file.name
    return bool(name) and invoice.receipt_file.storage.exists(name)


def receipt_keep(*, invoice_id: int) -> Invoice | None:
    """Render the paid invoice's e-receipt and keep it with the invoice, once."""
    invoice = (
        Invoice.objects.select_related("dossier__procedure", "dossier__receiving_unit", "unit")
        .filter(pk=invoice_id, receipt_no__isnull=False)
        .first()
    )
    if invoice is None or _kept(invoice):
        return invoice
    pdf = receipt_pdf(invoice=invoice)
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=invoice_id)
        if not _kept(locked):
            locked.receipt_file.save(f"{locked.receipt_no}.pdf", ContentFile(pdf), save=False)
            Invoice.objects.filter(pk=invoice_id).update(receipt_file=locked.receipt_file.name)
    return locked
