"""A bank transfer to the agency's account by VietQR: the exact amount, the reference as the note.

The money is confirmed when the bank's statement is imported (statements.py, services
`statement_import`): each credit line is matched to an invoice by the reference in its note and
its amount.
"""

from __future__ import annotations

from ..vietqr import vietqr_payload
from .base import Checkout, PaymentProvider
from .registry import register


@register
class VietqrProvider(PaymentProvider):
    id = "vietqr"
    name = "Chuyển khoản VietQR"

    def checkout(self, *, invoice, account, attempt, return_url, client_ip, moment) -> Checkout:
        payload = vietqr_payload(
            bank_bin=account.bank_bin,
            account=account.account_number,
            amount=invoice.amount,
            note=invoice.reference,
        )
        return Checkout(
            "qr",
            qr_payload=payload,
            details={
                "bank": account.bank_name,
                "account_number": account.account_number,
                "account_name": account.account_name,
                "note": invoice.reference,
                "demo": "1" if account.is_demo else "",
            },
        )
