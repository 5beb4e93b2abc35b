"""Background work of the payments app: the e-receipt is rendered after the payment commits."""

from __future__ import annotations

from django_tasks import task


@task()
def receipt_render(invoice_id: int) -> None:
    """Render and keep the e-receipt once (a second run keeps the first file)."""
    from .receipts import receipt_keep

    receipt_keep(invoice_id=invoice_id)


@task()
def receipts_render(invoice_ids: list[int]) -> None:
    """The e-receipts of a batch of payments (a bank statement's lines), one after another."""
    from .receipts import receipt_keep

    for invoice_id in invoice_ids:
        receipt_keep(invoice_id=invoice_id)
