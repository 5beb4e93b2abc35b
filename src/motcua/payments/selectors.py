"""Reads of the payments app: accounts, invoices, what a unit must act on."""

from __future__ import annotations

from django.db.models import QuerySet

from motcua.orgs.models import Unit

from .constants import ONLINE_PROVIDERS, OPEN_INVOICE_STATES
from .models import Invoice, PaymentAccount


def _ancestor_ids(unit: Unit) -> list[int]:
    return [int(part) for part in unit.path.strip("/").split("/") if part]


def account_for(*, unit: Unit, provider: str) -> PaymentAccount | None:
    """The active account of `provider` of the unit or of its nearest unit above."""
    accounts = PaymentAccount.objects.filter(
        unit_id__in=_ancestor_ids(unit) or [unit.pk], provider=provider, is_active=True
    ).select_related("unit")
    return max(accounts, key=lambda a: a.unit.depth, default=None)


def providers_for(*, unit: Unit) -> list[str]:
    """The providers through which the unit takes money (its own accounts or those above)."""
    ids = _ancestor_ids(unit) or [unit.pk]
    found = set(
        PaymentAccount.objects.filter(unit_id__in=ids, is_active=True).values_list(
            "provider", flat=True
        )
    )
    return [p for p in ("vnpay", "vietqr", "cash") if p in found]


def online_payment_roots() -> list[str]:
    """Paths of the units with an active online account (vnpay or VietQR): they and every unit
    below them take money online."""
    return list(
        PaymentAccount.objects.filter(provider__in=ONLINE_PROVIDERS, is_active=True)
        .values_list("unit__path", flat=True)
        .distinct()
    )


def takes_online_payment(unit_path: str, roots: list[str]) -> bool:
    return any(unit_path.startswith(root) for root in roots)


def invoices_of_dossier(*, dossier_id: int) -> list[Invoice]:
    return list(
        Invoice.objects.filter(dossier_id=dossier_id)
        .select_related("dossier", "account", "unit")
        .order_by("created_at", "pk")
    )


def invoice_open_of_dossier(*, dossier_id: int) -> Invoice | None:
    return (
        Invoice.objects.filter(dossier_id=dossier_id, status__in=OPEN_INVOICE_STATES)
        .order_by("created_at", "pk")
        .first()
    )


def invoice_by_reference(*, reference: str) -> Invoice | None:
    return (
        Invoice.objects.select_related("dossier__procedure", "unit", "account")
        .filter(reference=(reference or "").strip().upper())
        .first()
    )


def invoices_for_units(*, unit_ids: set[int], statuses) -> QuerySet[Invoice]:
    return (
        Invoice.objects.filter(unit_id__in=unit_ids, status__in=list(statuses))
        .select_related("dossier", "unit")
        .order_by("-created_at", "-pk")
    )


def qr_payload_of(invoice: Invoice) -> str | None:
    """The VietQR payload of an invoice chosen for a transfer (None without a usable account)."""
    from .vietqr import vietqr_payload

    account = invoice.account or account_for(unit=invoice.unit, provider="vietqr")
    if account is None or not account.bank_bin or not account.account_number:
        return None
    return vietqr_payload(
        bank_bin=account.bank_bin,
        account=account.account_number,
        amount=invoice.amount,
        note=invoice.reference,
    )
