"""The demo province's payments: every agency takes money through the sandbox gateway, a demo
VietQR account (marked as demo: no real money) and cash at the desk; the demo dossiers' fees are
paid as their lives go on (`demo_pay`), and a few invoices are left in each other state
(`demo_invoice_states`); `demo_statement_csv` writes a bank statement of the pending transfers to
try the import with.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from motcua.accounts.models import User
from motcua.catalog.constants import FeeStage, OnlineLevel
from motcua.catalog.models import Procedure
from motcua.dossiers.constants import Channel
from motcua.dossiers.models import Dossier
from motcua.orgs.constants import Role, UnitKind
from motcua.orgs.models import Membership, Unit

from . import services
from .constants import InvoiceStatus, Provider
from .models import Invoice, PaymentAccount
from .selectors import account_for_invoice, invoice_open_of_dossier
from .vietqr import ascii_fold

DEMO_BANK = ("970436", "Vietcombank (tài khoản minh hoạ)")


def load_demo_payments() -> int:
    """Accounts for every agency performing a demo procedure and every service centre, and when
    each procedure's fees fall due; the number of accounts made."""
    agencies = {
        unit
        for procedure in Procedure.objects.filter(is_demo=True).prefetch_related("performing_units")
        for unit in procedure.performing_units.all()
    }
    # The public-service centres collect on the agencies' behalf at their desks.
    agencies |= set(Unit.objects.filter(kind=UnitKind.CENTRE, is_demo=True))
    made = 0
    for number, unit in enumerate(sorted(agencies, key=lambda u: u.path), start=1):
        name = ascii_fold(unit.short_name or unit.name).upper()[:100]
        for provider, extra in (
            (Provider.VNPAY, {}),
            (
                Provider.VIETQR,
                {
                    "bank_bin": DEMO_BANK[0],
                    "bank_name": DEMO_BANK[1],
                    "account_number": f"9990{number:06d}",
                    "account_name": name,
                },
            ),
            (Provider.CASH, {}),
        ):
            PaymentAccount.objects.create(unit=unit, provider=provider, is_demo=True, **extra)
            made += 1
    _fee_stages()
    return made


def _fee_stages() -> None:
    """Fully online procedures charge at submission, every third other one with the result,
    the rest at acceptance (the default)."""
    fee_bearing = list(
        Procedure.objects.filter(is_demo=True, fees__amount__gt=0).distinct().order_by("code")
    )
    for index, procedure in enumerate(fee_bearing):
        if procedure.online_level >= OnlineLevel.LEVEL_4:
            procedure.fee_stage = FeeStage.SUBMISSION
        elif index % 3 == 2:
            procedure.fee_stage = FeeStage.RESULT
        else:
            continue
        procedure.save(update_fields=["fee_stage"])


def _staff_of(unit: Unit, role: str) -> User | None:
    """A staff member with `role` in the unit or, failing that, the nearest unit above it."""
    membership = (
        Membership.objects.filter(unit__in=unit.ancestors(), role=role, is_active=True)
        .select_related("user")
        .order_by("-unit__depth", "pk")
        .first()
    )
    return membership.user if membership else None


def demo_pay(
    dossier: Dossier, *, at: dt.datetime, officer: User | None, rng: random.Random
) -> None:
    """Pay the dossier's open invoice as the demo citizen would: online mostly when the dossier
    is, in cash at the desk otherwise."""
    invoice = invoice_open_of_dossier(dossier_id=dossier.pk)
    if invoice is None:
        return
    online = dossier.channel == Channel.ONLINE
    percent = rng.randrange(100)
    if online and officer is None:
        provider = Provider.VNPAY if percent < 65 else Provider.VIETQR
    else:
        provider = Provider.CASH if percent < 80 else Provider.VIETQR
    account = account_for_invoice(invoice=invoice, provider=provider)
    if provider == Provider.CASH:
        cashier = officer or _staff_of(invoice.dossier.receiving_unit, Role.RECEPTION)
        if account is None or cashier is None:
            return
        services.cash_record(
            invoice=invoice,
            actor=cashier,
            receipt_number=f"{rng.randrange(10**7):07d}",
            at=at,
        )
        return
    if account is None:
        return
    txn = f"{rng.randrange(10**8):08d}"
    services.payment_confirm(
        invoice=invoice,
        provider=provider,
        amount=invoice.amount,
        provider_txn=txn if provider == Provider.VNPAY else f"{account.pk}:FT{txn}",
        paid_at=at,
        actor_label="Cổng thanh toán (thử nghiệm)"
        if provider == Provider.VNPAY
        else "Đối soát sao kê (minh hoạ)",
        account=account,
        at=at,
    )


def demo_invoice_states(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Leave a few invoices in each state the demo's lives do not reach by themselves."""
    now = now or timezone.now()
    unpaid = list(
        Invoice.objects.filter(status=InvoiceStatus.CREATED)
        .select_related("dossier__owner", "unit")
        .order_by("pk")
    )
    owner = {i.pk: i.dossier.owner for i in unpaid}
    # Round robin, at most three each: with five unpaid invoices every state is shown.
    plan: dict[str, list[Invoice]] = {k: [] for k in ("transfer", "expired", "failed", "pending")}
    for index, invoice in enumerate(unpaid[: 3 * (len(plan) + 1)]):
        kind = [*plan, "created"][index % (len(plan) + 1)]
        if kind != "created":
            plan[kind].append(invoice)
    for invoice in plan["expired"]:
        services.payment_start(
            invoice=invoice, provider=Provider.VNPAY, actor=owner[invoice.pk], at=now
        )
    services.invoices_expire(before=now + dt.timedelta(days=1))
    for invoice in plan["failed"]:
        services.payment_start(
            invoice=invoice, provider=Provider.VNPAY, actor=owner[invoice.pk], at=now
        )
        services.payment_fail(
            invoice=invoice,
            provider=Provider.VNPAY,
            provider_txn="0",
            detail="ResponseCode=51 (thử nghiệm)",
            at=now,
        )
    for kind, provider in (("pending", Provider.VNPAY), ("transfer", Provider.VIETQR)):
        for invoice in plan[kind]:
            services.payment_start(
                invoice=invoice, provider=provider, actor=owner[invoice.pk], at=now
            )
    paid = list(
        Invoice.objects.filter(status=InvoiceStatus.PAID)
        .select_related("unit", "dossier__receiving_unit")
        .order_by("-pk")[:3]
    )
    for number, invoice in enumerate(paid):
        officer = _staff_of(invoice.dossier.receiving_unit, Role.RECEPTION)
        if officer is None:
            continue
        services.refund_request(
            invoice=invoice, actor=officer, reason="Nộp trùng (minh hoạ)", at=now
        )
        if number == 0:
            leader = _staff_of(invoice.unit, Role.UNIT_LEADER)
            if leader is not None:
                services.refund_decide(invoice=invoice, actor=leader, approve=True, at=now)
    counts: dict[str, int] = {}
    for status in Invoice.objects.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


def demo_statement_csv(*, account: PaymentAccount, now: dt.datetime | None = None) -> bytes:
    """A statement of the demo account as a bank exports it: the pending VietQR transfers and a
    few unpaid invoices of its desks paid (one in four short), one transfer without a reference,
    a debit line and a total row."""
    if not account.is_demo:
        raise ValueError("only a demo account has a demo statement")
    now = timezone.localtime(now or timezone.now())
    # The transfers started to this account, and a few unpaid invoices of its desks whose
    # applicants transferred with the reference they were given.
    pending = list(
        Invoice.objects.filter(
            status=InvoiceStatus.PENDING, provider=Provider.VIETQR, account=account
        ).order_by("pk")
    ) + list(
        Invoice.objects.filter(
            status__in=[InvoiceStatus.CREATED, InvoiceStatus.FAILED, InvoiceStatus.EXPIRED],
            dossier__receiving_unit__path__startswith=account.unit.path,
        ).order_by("pk")[:4]
    )
    day = now.strftime("%d/%m/%Y")
    rows: list[tuple[Any, ...]] = []
    for number, invoice in enumerate(pending, start=1):
        amount = invoice.amount if number % 4 else invoice.amount - 10_000
        rows.append(
            (f"{day} 09:{number:02d}:00", f"FT{now:%y%m%d}{number:05d}", "", f"{amount:,}",
             f"MBVCB.{number}.{invoice.reference}.CT tu {ascii_fold(invoice.payer_name).upper()}")
        )  # fmt: skip
    rows.append((f"{day} 10:00:00", f"FT{now:%y%m%d}90001", "", "50,000", "chuyen tien nha"))
    rows.append((f"{day} 17:00:00", f"FT{now:%y%m%d}90002", "11,000", "", "Phi dich vu SMS"))
    lines = [
        "SAO KÊ TÀI KHOẢN (MINH HOẠ)",
        f"Số tài khoản: {account.account_number},Tên tài khoản: {account.account_name}",
        "",
        "Ngày giao dịch,Số tham chiếu,Ghi nợ,Ghi có,Nội dung",
        *(",".join(f'"{cell}"' if "," in str(cell) else str(cell) for cell in row) for row in rows),
        "Tổng cộng,,,,",
    ]
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def demo_statement_hint() -> str:
    """Who to sign in as to try a statement import: a reception officer of the demo account
    with the most transfers waiting (empty when there is none)."""
    from collections import Counter

    waiting = Counter(
        Invoice.objects.filter(
            status=InvoiceStatus.PENDING, provider=Provider.VIETQR, account__is_demo=True
        ).values_list("account_id", flat=True)
    )
    for account_id, _count in waiting.most_common():
        account = PaymentAccount.objects.select_related("unit").get(pk=account_id)
        officer = _staff_of(account.unit, Role.RECEPTION)
        if officer is not None:
            return (
                f"Thử đối soát sao kê: đăng nhập {officer.username}, mục «Phí, lệ phí» → "
                f"«Sao kê ngân hàng» → tải sao kê minh hoạ của tài khoản "
                f"{account.account_number} rồi nhập lại.\n"
            )
    return ""
