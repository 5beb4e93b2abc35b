"""The redirect gateway protocol of VNPAY, version 2.1.0 (docs/PAYMENTS.md lists every parameter).

The hash: hex HMAC-SHA512 with the merchant's hash secret over the `vnp_*` parameters but
`vnp_SecureHash` and `vnp_SecureHashType`, sorted by key, as `key=value` joined by `&`, keys and
values encoded as application/x-www-form-urlencoded (spaces as `+`), as the gateway's samples do.
Times are GMT+7 as yyyyMMddHHmmss. Amounts travel as đồng × 100.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import unicodedata
from collections.abc import Mapping
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

from django.conf import settings

from .base import CallbackFacts, CallbackRejected, Checkout, PaymentProvider
from .registry import register

VERSION = "2.1.0"
GMT7 = ZoneInfo("Asia/Ho_Chi_Minh")
HASH_FIELDS_EXCLUDED = frozenset({"vnp_SecureHash", "vnp_SecureHashType"})
SANDBOX_PATH = "/thanh-toan/thu-nghiem/vnpay/"
# The IPN's answers (RspCode).
CONFIRMED, NOT_FOUND, ALREADY_CONFIRMED, INVALID_AMOUNT, INVALID_SIGNATURE, OTHER = (
    "00",
    "01",
    "02",
    "04",
    "97",
    "99",
)
RSP_MESSAGES = {
    CONFIRMED: "Confirm Success",
    NOT_FOUND: "Order not found",
    ALREADY_CONFIRMED: "Order already confirmed",
    INVALID_AMOUNT: "Invalid amount",
    INVALID_SIGNATURE: "Invalid signature",
    OTHER: "Unknown error",
}


def hash_data(params: Mapping[str, str]) -> str:
    """The signed string of a parameter set."""
    pairs = sorted(
        (key, str(value))
        for key, value in params.items()
        if key.startswith("vnp_") and key not in HASH_FIELDS_EXCLUDED
    )
    return "&".join(f"{quote_plus(key)}={quote_plus(value)}" for key, value in pairs)


def secure_hash(params: Mapping[str, str], secret: str) -> str:
    return hmac.new(
        secret.encode("utf-8"), hash_data(params).encode("utf-8"), hashlib.sha512
    ).hexdigest()


def signature_valid(params: Mapping[str, str], secret: str) -> bool:
    given = str(params.get("vnp_SecureHash", "")).lower()
    if not secret or not given:
        return False
    return hmac.compare_digest(secure_hash(params, secret), given)


def signed_query(params: Mapping[str, str], secret: str) -> str:
    """The query string the browser (or the IPN) carries: the parameters and their hash."""
    return f"{hash_data(params)}&vnp_SecureHash={secure_hash(params, secret)}"


def gmt7(moment: dt.datetime) -> str:
    return moment.astimezone(GMT7).strftime("%Y%m%d%H%M%S")


def gmt7_parse(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=GMT7)
    except (TypeError, ValueError):
        return None


def ascii_text(text: str) -> str:
    """The gateway accepts no diacritics in vnp_OrderInfo: "Lệ phí đăng ký" → "Le phi dang ky"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c) and ord(c) < 128)


def txn_ref(reference: str, attempt: int) -> str:
    """vnp_TxnRef: unique per attempt, as the gateway wants (`TT…`, then `TT…-2`, `TT…-3`)."""
    return reference if attempt <= 1 else f"{reference}-{attempt}"


def reference_of(txn: str) -> str:
    return txn.split("-", 1)[0]


def gateway_url(account_url: str = "") -> str:
    from motcua.public_url import public_base_url

    return account_url or settings.MOTCUA_VNPAY_URL or f"{public_base_url()}{SANDBOX_PATH}"


@register
class VnpayProvider(PaymentProvider):
    id = "vnpay"
    name = "Cổng thanh toán (VNPAY)"

    def checkout(self, *, invoice, account, attempt, return_url, client_ip, moment) -> Checkout:
        expires = moment + dt.timedelta(minutes=settings.MOTCUA_PAYMENT_EXPIRE_MINUTES)
        params = {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": account.tmn_code or settings.MOTCUA_VNPAY_TMN_CODE,
            "vnp_Amount": str(invoice.amount * 100),
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": txn_ref(invoice.reference, attempt),
            "vnp_OrderInfo": ascii_text(
                f"Thanh toan phi ho so {invoice.dossier.code} ma {invoice.reference}"
            ),
            "vnp_OrderType": "other",
            "vnp_Locale": "vn",
            "vnp_ReturnUrl": return_url,
            "vnp_IpAddr": client_ip or "127.0.0.1",
            "vnp_CreateDate": gmt7(moment),
            "vnp_ExpireDate": gmt7(expires),
        }
        url = f"{gateway_url(account.gateway_url)}?{signed_query(params, account.secret)}"
        return Checkout("redirect", redirect_url=url, details={"expires_at": expires.isoformat()})

    def callback_read(self, *, params: Mapping[str, str]) -> CallbackFacts:
        txn = str(params.get("vnp_TxnRef", ""))
        raw_amount = str(params.get("vnp_Amount", ""))
        if not txn or not raw_amount.isdigit():
            raise CallbackRejected("vnp_TxnRef or vnp_Amount missing")
        hundredths = int(raw_amount)
        success = (
            params.get("vnp_ResponseCode") == "00" and params.get("vnp_TransactionStatus") == "00"
        )
        return CallbackFacts(
            reference=reference_of(txn),
            # An amount that is not a whole number of đồng matches no invoice.
            amount=hundredths // 100 if hundredths % 100 == 0 else None,
            provider_txn=str(params.get("vnp_TransactionNo", "")),
            success=success,
            currency=str(params.get("vnp_CurrCode", "VND")),
            merchant=str(params.get("vnp_TmnCode", "")),
            paid_at=gmt7_parse(str(params.get("vnp_PayDate", ""))),
            detail=f"ResponseCode={params.get('vnp_ResponseCode', '')}",
        )

    def callback_authentic(self, *, params: Mapping[str, str], account) -> bool:
        merchant = account.tmn_code or settings.MOTCUA_VNPAY_TMN_CODE
        signed = signature_valid(params, account.secret)
        return signed and hmac.compare_digest(str(params.get("vnp_TmnCode", "")), merchant)
