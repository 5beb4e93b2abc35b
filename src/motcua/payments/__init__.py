"""Fees paid by citizens: invoices, payment providers (vnpay, VietQR, cash), callbacks, receipts,
reconciliation (docs/PAYMENTS.md)."""
