"""Reads of the payments app: accounts, invoices, what a unit must act on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from motcua.orgs.models import Unit
from motcua.orgs.selectors import user_has_role

from .constants import (
    MONEY_IN_STATES,
    ONLINE_PROVIDERS,
    OPEN_INVOICE_STATES,
    TO_DECIDE,
    InvoiceStatus,
    Provider,
    StatementOutcome,
)
from .models import Invoice, PaymentAccount, PaymentCallback, StatementEntry, StatementImport


def collecting_unit(dossier) -> Unit:
    """The agency whose account the dossier's fees go to: the performing unit that received it
    or is above the unit that did; for a dossier received elsewhere (a service centre), the
    first performing unit; without any, the receiving unit."""
    receiving = dossier.receiving_unit
    performers = sorted(dossier.procedure.performing_units.all(), key=lambda u: u.path)
    above = [u for u in performers if receiving.path.startswith(u.path)]
    if above:
        return max(above, key=lambda u: u.depth)
    return performers[0] if performers else receiving


def _accounts_above(invoice: Invoice, **filters) -> tuple[list[str], list[PaymentAccount]]:
    """The paths of the invoice's desk and agency (in that order) and the active accounts of
    the units on them (themselves and every unit above): two queries."""
    paths = list(
        Invoice.objects.filter(pk=invoice.pk)
        .values_list("dossier__receiving_unit__path", "unit__path")
        .get()
    )
    ids = {int(part) for path in paths for part in path.strip("/").split("/") if part}
    accounts = PaymentAccount.objects.filter(unit_id__in=ids, is_active=True, **filters)
    return paths, list(accounts.select_related("unit"))


def account_for_invoice(*, invoice: Invoice, provider: str) -> PaymentAccount | None:
    """The account that takes this invoice's money through `provider`: the receiving desk's
    when it has one (or a unit above it), else the collecting agency's."""
    paths, accounts = _accounts_above(invoice, provider=provider)
    for path in paths:  # the desk first; within a path the nearest unit
        mine = [a for a in accounts if path.startswith(a.unit.path)]
        if mine:
            return max(mine, key=lambda a: a.unit.depth)
    return None


def providers_for_invoice(*, invoice: Invoice) -> list[str]:
    """The providers through which the invoice can be paid (its desk's or agency's accounts)."""
    found = {account.provider for account in _accounts_above(invoice)[1]}
    return [p for p in ("vnpay", "vietqr", "cash") if p in found]


def staff_may(*, user, invoice: Invoice, roles) -> bool:
    """The user holds one of `roles` in the collecting agency or at the receiving desk."""
    units = {invoice.dossier.receiving_unit, invoice.unit}
    return any(user_has_role(user=user, unit=unit, roles=roles) for unit in units)


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
        Invoice.objects.select_related(
            "dossier__procedure", "dossier__receiving_unit", "unit", "account"
        )
        .filter(reference=(reference or "").strip().upper())
        .first()
    )


def _in_units(unit_ids: Iterable[int], prefix: str = "") -> Q:
    ids = list(unit_ids)
    return Q(**{f"{prefix}unit_id__in": ids}) | Q(
        **{f"{prefix}dossier__receiving_unit_id__in": ids}
    )


def invoices_for_units(*, unit_ids: Iterable[int], statuses) -> QuerySet[Invoice]:
    """Invoices collected by the units or received at their desks."""
    return (
        Invoice.objects.filter(_in_units(unit_ids), status__in=list(statuses))
        .select_related("dossier", "unit")
        .order_by("-created_at", "-pk")
    )


def qr_payload_of(invoice: Invoice) -> str | None:
    """The VietQR payload of an invoice chosen for a transfer (None without a usable account)."""
    from .vietqr import vietqr_payload

    account = invoice.account or account_for_invoice(invoice=invoice, provider="vietqr")
    if account is None or not account.bank_bin or not account.account_number:
        return None
    return vietqr_payload(
        bank_bin=account.bank_bin,
        account=account.account_number,
        amount=invoice.amount,
        note=invoice.reference,
    )


def local_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return start, start + dt.timedelta(days=1)


def cash_day(*, unit_ids: Iterable[int], day: dt.date, officer_id: int | None = None):
    """The cash taken on a local day in the units (by one officer when given), and its total."""
    start, end = local_day_bounds(day)
    qs = Invoice.objects.filter(
        _in_units(unit_ids),
        provider=Provider.CASH,
        status__in=list(MONEY_IN_STATES),
        paid_at__gte=start,
        paid_at__lt=end,
    ).select_related("dossier", "recorded_by")
    if officer_id is not None:
        qs = qs.filter(recorded_by_id=officer_id)
    rows = list(qs.order_by("paid_at", "pk"))
    return rows, sum(row.paid_amount for row in rows)


@dataclass(frozen=True)
class ProviderDay:
    provider: str
    label: str
    paid_count: int
    paid_total: int
    unmatched: list[Any]
    twice: list[Any]


def reconciliation_day(*, unit_ids: Iterable[int], day: dt.date) -> dict[str, Any]:
    """The day's reconciliation per provider: what was paid; what the gateway or the bank says
    was paid but matched no invoice; what paid an invoice already paid; and the open refunds."""
    units = list(unit_ids)
    start, end = local_day_bounds(day)
    paid = (
        Invoice.objects.filter(
            _in_units(units), status__in=list(MONEY_IN_STATES), paid_at__gte=start, paid_at__lt=end
        )
        .values("provider")
        .annotate(n=Count("pk"), total=Sum("paid_amount"))
    )
    figures = {row["provider"]: (row["n"], row["total"] or 0) for row in paid}
    callbacks = PaymentCallback.objects.filter(
        received_at__gte=start, received_at__lt=end, success=True
    ).filter(_in_units(units, "invoice__") | Q(invoice__isnull=True))
    entries = StatementEntry.objects.filter(
        account__unit_id__in=units,
        statement__imported_at__gte=start,
        statement__imported_at__lt=end,
    ).select_related("invoice", "statement")
    days = []
    for provider in Provider:
        unmatched: list[Any] = []
        twice: list[Any] = []
        if provider == Provider.VNPAY:
            unmatched = list(callbacks.filter(code__in=["01", "04", "97"]).order_by("received_at"))
            twice = list(
                callbacks.filter(code="02").exclude(message="already").order_by("received_at")
            )
        elif provider == Provider.VIETQR:
            unmatched = list(entries.filter(outcome=StatementOutcome.UNMATCHED).order_by("pk"))
            twice = list(entries.filter(outcome=StatementOutcome.ALREADY_PAID).order_by("pk"))
        count, total = figures.get(provider, (0, 0))
        days.append(ProviderDay(provider, provider.label, count, total, unmatched, twice))
    refunds = list(
        Invoice.objects.filter(_in_units(units), status=InvoiceStatus.REFUND_REQUESTED)
        .select_related("dossier")
        .order_by("refund_requested_at", "pk")
    )
    return {
        "providers": days,
        "refunds": refunds,
        "refunds_total": sum(i.paid_amount for i in refunds),
    }


def statement_entries_to_decide(*, unit_ids: Iterable[int]) -> QuerySet[StatementEntry]:
    return (
        StatementEntry.objects.filter(account__unit_id__in=list(unit_ids), outcome__in=TO_DECIDE)
        .select_related("statement", "invoice")
        .order_by("-statement__imported_at", "row")
    )


def vietqr_accounts(*, unit_ids: Iterable[int]) -> QuerySet[PaymentAccount]:
    return PaymentAccount.objects.filter(
        unit_id__in=list(unit_ids), provider=Provider.VIETQR, is_active=True
    ).select_related("unit")


def statements_recent(*, unit_ids: Iterable[int], limit: int = 10) -> list[StatementImport]:
    return list(
        StatementImport.objects.filter(account__unit_id__in=list(unit_ids))
        .select_related("account__unit", "imported_by")
        .order_by("-imported_at")[:limit]
    )
