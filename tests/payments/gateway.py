"""The gateway's side of the vnpay protocol, written independently of motcua's code: what a
real gateway sends to the IPN, signed with urllib's urlencode and the standard HMAC."""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlencode

from .conftest import SECRET, TMN


def sign(params: dict[str, str], secret: str = SECRET) -> dict[str, str]:
    body = urlencode(sorted(params.items()))
    digest = hmac.new(secret.encode(), body.encode(), hashlib.sha512).hexdigest()
    return {**params, "vnp_SecureHashType": "HmacSHA512", "vnp_SecureHash": digest}


def ipn(
    reference: str,
    amount: int,
    *,
    ok: bool = True,
    txn: str = "14012345",
    secret: str = SECRET,
    tmn: str = TMN,
    **extra: str,
) -> dict[str, str]:
    params = {
        "vnp_Amount": str(amount * 100),
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": "VNP14012345",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": f"Thanh toan {reference}",
        "vnp_PayDate": "20250714090000",
        "vnp_ResponseCode": "00" if ok else "51",
        "vnp_TmnCode": tmn,
        "vnp_TransactionNo": txn,
        "vnp_TransactionStatus": "00" if ok else "02",
        "vnp_TxnRef": reference,
        **extra,
    }
    return sign(params, secret)
