"""Every write of the payments app: one function per use case, each in one transaction.

Locks are always taken in the same order: the dossier first (`dossier_lock`, as a dossier
transition does), then its invoice. Every change of an invoice's state is checked against the
state table (workflow.py) and written to the dossier's audit chain (event `payment`). Amounts are
integers of đồng.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.catalog.constants import FeeStage
from motcua.dossiers.constants import Action, Channel
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import (
    dossier_lock,
    dossier_payment_record,
    dossiers_lock,
    use_case_atomic,
)
from motcua.dossiers.services.base import enqueue_with_use_case, resolve_moment
from motcua.orgs.constants import OFFICER_ROLES, Role
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
from .errors import InvoiceStateError, NoPaymentAccount, PaymentInvalid, PaymentNotAllowed
from .models import Invoice, PaymentAccount, PaymentCallback, StatementEntry, StatementImport
from .providers import CallbackRejected, Checkout, get_provider
from .providers import vnpay as vnpay_protocol
from .receipts import receipt_keep  # noqa: F401  (the pages keep a receipt on demand)
from .references import reference_new
from .selectors import account_for_invoice, collecting_unit, staff_may
from .statements import StatementError, statement_read
from .workflow import invoice_target

logger = logging.getLogger(__name__)

# The dossier actions at which each stage's fees fall due. A dossier received at the desk (or
# from the post) owes the fees of submission and of acceptance at once.
DUE_AT: dict[str, frozenset[str]] = {
    FeeStage.SUBMISSION: frozenset({Action.SUBMIT, Action.RECEIVE_DIRECT, Action.RECEIVE_POSTAL}),
    FeeStage.ACCEPTANCE: frozenset({Action.ACCEPT, Action.RECEIVE_DIRECT, Action.RECEIVE_POSTAL}),
    FeeStage.RESULT: frozenset({Action.APPROVE}),
}
# Dossier endings after which no fee is owed: open invoices are cancelled, money is returned.
ENDINGS = frozenset({Action.WITHDRAW, Action.REFUSE, Action.STOP})


def fee_lines(dossier: Dossier) -> list[dict[str, Any]]:
    """The fees of the dossier's procedure at the price of its channel (the online price online)."""
    lines = []
    for fee in dossier.procedure.fees.all():
        online = dossier.channel == Channel.ONLINE and fee.online_amount is not None
        amount = fee.online_amount if online else fee.amount
        if amount:
            lines.append({"name": fee.name, "amount": int(amount)})
    return lines


def _payload(invoice: Invoice, action: str, from_status: str, **extra: Any) -> dict[str, Any]:
    return {
        "invoice": invoice.reference,
        "invoice_action": action,
        "invoice_from": from_status,
        "invoice_to": invoice.status,
        "amount": invoice.amount,
        "provider": invoice.provider,
        **{key: value for key, value in extra.items() if value not in (None, "")},
    }


def _still_owed(dossier: Dossier, *, besides: Invoice | None = None) -> bool:
    rest = Invoice.objects.filter(dossier=dossier, status__in=OPEN_INVOICE_STATES)
    if besides is not None:
        rest = rest.exclude(pk=besides.pk)
    return rest.exists()


def _lock_invoice(invoice_id: int, dossier_id: int | None = None) -> tuple[Dossier, Invoice]:
    """Lock the invoice's dossier, then the invoice (the order every use case keeps).

    `dossier_id`: the invoice's dossier when the caller has read it already (an invoice never
    moves to another dossier).
    """
    if dossier_id is None:
        dossier_id = Invoice.objects.values_list("dossier_id", flat=True).get(pk=invoice_id)
    dossier = dossier_lock(dossier_id=dossier_id)
    invoice = Invoice.objects.select_for_update(of=("self",)).get(pk=invoice_id)
    return dossier, invoice


def _move(
    *,
    dossier: Dossier,
    invoice: Invoice,
    action: str,
    actor: User | None,
    moment: dt.datetime,
    awaiting: bool | None = None,
    paid_online_at: dt.datetime | None = None,
    actor_label: str = "",
    **extra: Any,
) -> None:
    """Apply one row of the state table to the locked invoice and write the audit event."""
    from_status = invoice.status
    invoice.status = invoice_target(from_status, action)
    invoice.version += 1
    invoice.save()
    if awaiting is None:
        awaiting = _still_owed(dossier, besides=invoice) or (
            invoice.status in OPEN_INVOICE_STATES and dossier.awaiting_payment
        )
    dossier_payment_record(
        dossier=dossier,
        actor=actor,
        moment=moment,
        payload=_payload(invoice, action, from_status, **extra),
        awaiting_payment=awaiting,
        paid_online_at=paid_online_at,
        actor_label=actor_label,
    )


# --- Invoices falling due with the dossier's transitions (hooks.dossier_transitioning) -------


def invoices_on_transition(
    *, dossier: Dossier, action: str, actor: User | None, moment: dt.datetime, payload: dict
) -> None:
    """Inside a dossier transition (its row locked): make the invoice that falls due now, or
    cancel what is no longer owed. Changes the dossier's fields in place; the transition saves
    them and writes one event whose payload names the invoice."""
    if action in ENDINGS:
        _invoices_close(dossier=dossier, moment=moment, actor=actor, payload=payload)
        return
    stage = dossier.procedure.fee_stage
    if not dossier.fee_total or action not in DUE_AT.get(stage, ()):
        return
    lines = fee_lines(dossier)
    amount = sum(line["amount"] for line in lines)
    if amount <= 0 or Invoice.objects.filter(dossier=dossier, stage=stage).exists():
        return
    invoice = Invoice.objects.create(
        dossier=dossier,
        unit=collecting_unit(dossier),
        reference=reference_new(),
        stage=stage,
        amount=amount,
        lines=lines,
        payer_name=dossier.applicant_name,
        created_at=moment,
    )
    dossier.awaiting_payment = True
    payload["invoice"] = invoice.reference
    payload["invoice_amount"] = amount


def _invoices_close(*, dossier: Dossier, moment: dt.datetime, actor, payload: dict) -> None:
    closed: dict[str, str] = {}
    for invoice in Invoice.objects.select_for_update().filter(dossier=dossier):
        if invoice.status in OPEN_INVOICE_STATES:
            invoice.status = invoice_target(invoice.status, "cancel")
        elif invoice.status == InvoiceStatus.PAID:
            invoice.status = invoice_target(invoice.status, "request_refund")
            invoice.refund_reason = "Hồ sơ không còn được giải quyết (rút, từ chối hoặc dừng)."
            invoice.refund_requested_at = moment
        else:
            continue
        invoice.version += 1
        invoice.save()
        closed[invoice.reference] = invoice.status
    dossier.awaiting_payment = False
    if closed:
        payload["invoices"] = closed


# --- Paying -----------------------------------------------------------------------------------


def payment_start(
    *,
    invoice: Invoice,
    provider: str,
    actor: User | None,
    return_url: str = "",
    client_ip: str = "",
    at: dt.datetime | None = None,
) -> Checkout:
    """The citizen chose how to pay: the invoice is pending with that provider (for the gateway
    and VietQR); the answer says where to go or what to scan."""
    if provider not in Provider.values:
        raise PaymentInvalid(details={"provider": provider})
    moment = resolve_moment(at)
    with use_case_atomic():
        dossier, locked = _lock_invoice(invoice.pk)
        if locked.status not in OPEN_INVOICE_STATES:
            raise InvoiceStateError(details={"status": locked.status, "action": "start"})
        account = account_for_invoice(invoice=locked, provider=provider)
        if account is None:
            raise NoPaymentAccount(details={"provider": provider})
        attempt = locked.attempts + 1 if provider == Provider.VNPAY else locked.attempts
        checkout = get_provider(provider).checkout(
            invoice=locked,
            account=account,
            attempt=max(attempt, 1),
            return_url=return_url,
            client_ip=client_ip,
            moment=moment,
        )
        if provider == Provider.CASH:
            return checkout  # nothing to record: the money comes to the desk
        changed = locked.provider != provider or provider == Provider.VNPAY
        locked.provider = provider
        locked.account = account
        locked.attempts = attempt
        if provider == Provider.VNPAY:
            locked.expires_at = dt.datetime.fromisoformat(checkout.details["expires_at"])
        if locked.status != InvoiceStatus.PENDING or changed:
            _move(dossier=dossier, invoice=locked, action="start", actor=actor, moment=moment)
    return checkout


@dataclass(frozen=True)
class Confirmation:
    """What a confirmation did: `paid` (now), `already` (this very payment was recorded before),
    `paid_before` (another payment paid it, or its transaction paid another invoice: `invoice`
    is then None), `amount` (does not match)."""

    outcome: str
    invoice: Invoice | None = None


def payment_confirm(
    *,
    invoice: Invoice,
    provider: str,
    amount: int,
    provider_txn: str,
    paid_at: dt.datetime | None = None,
    actor: User | None = None,
    actor_label: str = "",
    account: PaymentAccount | None = None,
    cash_receipt: str = "",
    at: dt.datetime | None = None,
) -> Confirmation:
    """Money of `amount` đồng arrived for the invoice through `provider`.

    Idempotent: the same (provider, transaction) again changes nothing. A second, different
    payment of a paid invoice changes nothing either (the caller flags it). Money for a dossier
    that was withdrawn, refused or stopped meanwhile is recorded and set for refund. `at`: when
    it is recorded (historical data, the demo; live calls leave it None: now).
    """
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise PaymentInvalid(details={"amount": str(amount)})
    moment = resolve_moment(at)
    with use_case_atomic():
        dossier, locked = _lock_invoice(invoice.pk, invoice.dossier_id)
        if locked.status not in MONEY_IN_STATES and _txn_used(provider, [provider_txn]):
            # The same bank or gateway transaction already paid another invoice (the unique
            # constraint stays the last guard against a race between two invoices).
            return Confirmation("paid_before", None)
        return _pay_locked(
            dossier=dossier,
            locked=locked,
            payment=Payment(provider, amount, provider_txn, paid_at, account, cash_receipt),
            actor=actor,
            actor_label=actor_label,
            moment=moment,
        )


@dataclass(frozen=True)
class Payment:
    """Money that arrived: through what, how much, the provider's transaction, when."""

    provider: str
    amount: int
    provider_txn: str
    paid_at: dt.datetime | None = None
    account: PaymentAccount | None = None
    cash_receipt: str = ""


def _txn_used(provider: str, txns: list[str]) -> set[str]:
    return set(
        Invoice.objects.filter(provider=provider, provider_txn__in=txns).values_list(
            "provider_txn", flat=True
        )
    )


def _pay_locked(
    *,
    dossier: Dossier,
    locked: Invoice,
    payment: Payment,
    actor: User | None,
    actor_label: str,
    moment: dt.datetime,
    owed_elsewhere: bool | None = None,
    receipt: bool = True,
) -> Confirmation:
    """The payment of a locked invoice of a locked dossier (payment_confirm's rule, also run
    for a batch whose rows were locked together). `owed_elsewhere`: whether another invoice of
    the dossier is still unpaid, when the caller knows it. `receipt`: queue its e-receipt (a
    batch queues one task for all its receipts instead)."""
    if locked.status in MONEY_IN_STATES:
        same = locked.provider == payment.provider and locked.provider_txn == payment.provider_txn
        return Confirmation("already" if same else "paid_before", locked)
    if payment.amount != locked.amount:
        return Confirmation("amount", locked)
    locked.provider = payment.provider
    if payment.account is not None:
        locked.account = payment.account
    locked.paid_at = payment.paid_at or moment
    locked.paid_amount = payment.amount
    locked.provider_txn = payment.provider_txn
    locked.cash_receipt = payment.cash_receipt
    locked.recorded_by = actor if payment.provider == Provider.CASH else None
    locked.receipt_no = f"BL{locked.paid_at.year}-{locked.pk:08d}"
    if locked.status == InvoiceStatus.CANCELLED:
        # Money for an invoice cancelled meanwhile (the dossier was withdrawn, refused or
        # stopped, or the fee waived): the state table sends it to be returned.
        locked.refund_reason = (
            "Tiền đến sau khi hồ sơ đã rút, bị từ chối, dừng xử lý hoặc miễn phí."
        )
        locked.refund_requested_at = moment
    _move(
        dossier=dossier,
        invoice=locked,
        action="pay",
        actor=actor,
        moment=moment,
        awaiting=owed_elsewhere,
        paid_online_at=locked.paid_at if payment.provider in ONLINE_PROVIDERS else None,
        actor_label=actor_label,
        txn=payment.provider_txn,
        receipt_no=locked.receipt_no,
        cash_receipt=payment.cash_receipt,
    )
    if receipt:
        _receipt_after_commit(locked.pk)
    return Confirmation("paid", locked)


def _receipt_after_commit(*invoice_ids: int) -> None:
    """The worker renders the e-receipts once the payment commits (historical loads such as the
    demo leave them to the first download, which renders them then)."""
    from .tasks import receipt_render, receipts_render

    if not invoice_ids:
        return
    if len(invoice_ids) == 1:
        enqueue_with_use_case(receipt_render, *invoice_ids)
    else:
        enqueue_with_use_case(receipts_render, list(invoice_ids))


def payment_fail(
    *,
    invoice: Invoice,
    provider: str,
    provider_txn: str,
    detail: str,
    at: dt.datetime | None = None,
) -> bool:
    """The gateway says the attempt failed; False (and nothing changes) when the invoice is no
    longer pending, e.g. a late "failed" after "paid"."""
    with use_case_atomic():
        dossier, locked = _lock_invoice(invoice.pk)
        if locked.status != InvoiceStatus.PENDING or locked.provider != provider:
            logger.info("late failure for %s ignored (status %s)", locked.reference, locked.status)
            return False
        _move(
            dossier=dossier,
            invoice=locked,
            action="fail",
            actor=None,
            moment=resolve_moment(at),
            txn=provider_txn,
            detail=detail,
        )
    return True


def cash_record(
    *, invoice: Invoice, actor: User, receipt_number: str, at: dt.datetime | None = None
) -> Confirmation:
    """The reception officer took the fee in cash at the desk, against a paper receipt."""
    receipt_number = (receipt_number or "").strip()
    if not receipt_number:
        raise PaymentInvalid(
            "Cần nhập số biên lai thu tiền.", details={"receipt_number": "required"}
        )
    if not staff_may(user=actor, invoice=invoice, roles=[Role.RECEPTION]):
        raise PaymentNotAllowed(details={"action": "cash"})
    account = account_for_invoice(invoice=invoice, provider=Provider.CASH)
    if account is None:
        raise NoPaymentAccount(details={"provider": Provider.CASH})
    done = payment_confirm(
        invoice=invoice,
        provider=Provider.CASH,
        amount=invoice.amount,
        provider_txn=f"{account.pk}:{receipt_number}",
        actor=actor,
        account=account,
        cash_receipt=receipt_number,
        at=at,
    )
    if done.outcome == "paid_before" and done.invoice is None:
        raise PaymentInvalid(
            "Số biên lai này đã dùng cho một khoản thu khác.",
            details={"receipt_number": receipt_number},
        )
    if done.outcome == "paid_before":
        raise PaymentInvalid(
            "Hoá đơn đã được thanh toán trước đó.", details={"invoice": invoice.reference}
        )
    return done


# --- The gateway's IPN ------------------------------------------------------------------------


def vnpay_ipn(*, params: Mapping[str, str]) -> tuple[str, str]:
    """Handle a vnpay IPN: (RspCode, Message) of the protocol, each callback logged.

    Order of checks: signature (constant time), then the invoice, then amount and currency, then
    its state; money is recorded once whatever arrives twice or out of order.
    """
    provider = get_provider(Provider.VNPAY)
    log = PaymentCallback(provider=Provider.VNPAY, params=dict(params))
    try:
        facts = provider.callback_read(params=params)
    except CallbackRejected as exc:
        return _answer(log, vnpay_protocol.OTHER, str(exc))
    log.reference, log.provider_txn, log.success = (
        facts.reference,
        facts.provider_txn,
        facts.success,
    )
    log.amount = facts.amount
    # The signature first: the merchant code names the account whose secret signed it (an
    # agency's own contract, or the province's default merchant).
    merchant = vnpay_merchant(facts.merchant)
    if merchant is None or not provider.callback_authentic(params=params, account=merchant):
        return _answer(log, vnpay_protocol.INVALID_SIGNATURE)
    invoice = (
        Invoice.objects.select_related("account")
        .filter(reference=facts.reference)
        .order_by()
        .first()
    )
    if invoice is None or not _same_merchant(invoice, merchant):
        return _answer(log, vnpay_protocol.NOT_FOUND)
    log.invoice = invoice
    if facts.amount != invoice.amount or facts.currency != "VND":
        return _answer(log, vnpay_protocol.INVALID_AMOUNT)
    if invoice.status in MONEY_IN_STATES:
        # Money once in stays in (paid, to refund, refunded): a repeated or late notice changes
        # nothing, so it is answered from this read, without locks.
        return _answer(log, vnpay_protocol.ALREADY_CONFIRMED, "already")
    if not facts.success:
        changed = payment_fail(
            invoice=invoice,
            provider=Provider.VNPAY,
            provider_txn=facts.provider_txn,
            detail=facts.detail,
        )
        code = vnpay_protocol.CONFIRMED if changed else vnpay_protocol.ALREADY_CONFIRMED
        return _answer(log, code, facts.detail)
    try:
        with use_case_atomic():  # the payment and its callback's log commit together
            done = payment_confirm(
                invoice=invoice,
                provider=Provider.VNPAY,
                amount=facts.amount,
                provider_txn=facts.provider_txn,
                paid_at=facts.paid_at,
                actor_label="Cổng thanh toán VNPAY",
                account=merchant if merchant.pk else None,
            )
            if done.outcome == "paid":
                return _answer(log, vnpay_protocol.CONFIRMED)
            if done.outcome == "amount":
                return _answer(log, vnpay_protocol.INVALID_AMOUNT)
            return _answer(log, vnpay_protocol.ALREADY_CONFIRMED, done.outcome)
    except IntegrityError:
        # Two invoices raced for one gateway transaction: the other one holds it.
        log.pk = None
        return _answer(log, vnpay_protocol.ALREADY_CONFIRMED, "paid_before")


def _merchant_code(account: PaymentAccount) -> str:
    return account.tmn_code or settings.MOTCUA_VNPAY_TMN_CODE


def vnpay_merchant(tmn_code: str) -> PaymentAccount | None:
    """The vnpay account of a merchant code: an agency's account with that code, else (for the
    settings' code) the default merchant, unsaved, whose secret is MOTCUA_VNPAY_HASH_SECRET."""
    if not tmn_code:
        return None
    account = (
        PaymentAccount.objects.filter(provider=Provider.VNPAY, is_active=True, tmn_code=tmn_code)
        .order_by("pk")
        .first()
    )
    if account is None and tmn_code == settings.MOTCUA_VNPAY_TMN_CODE:
        account = PaymentAccount(provider=Provider.VNPAY)
    return account


def _same_merchant(invoice: Invoice, merchant: PaymentAccount) -> bool:
    """The notice's merchant is the one the invoice's payment was started with (an invoice
    nobody started through the gateway takes any of its agencies' merchants)."""
    account = invoice.account
    if account is None or account.provider != Provider.VNPAY:
        account = account_for_invoice(invoice=invoice, provider=Provider.VNPAY)
    return account is not None and _merchant_code(account) == _merchant_code(merchant)


def _answer(log: PaymentCallback, code: str, detail: str = "") -> tuple[str, str]:
    log.code = code
    log.message = (detail or vnpay_protocol.RSP_MESSAGES[code])[:255]
    log.save()
    return code, vnpay_protocol.RSP_MESSAGES[code]


# --- Refunds ----------------------------------------------------------------------------------


def refund_request(
    *, invoice: Invoice, actor: User, reason: str, at: dt.datetime | None = None
) -> Invoice:
    """An officer of the collecting unit asks for the money to be returned (with the reason)."""
    reason = (reason or "").strip()
    if not reason:
        raise PaymentInvalid("Cần nêu lý do hoàn tiền.", details={"reason": "required"})
    if not staff_may(user=actor, invoice=invoice, roles=OFFICER_ROLES):
        raise PaymentNotAllowed(details={"action": "request_refund"})
    moment = resolve_moment(at)
    with use_case_atomic():
        dossier, locked = _lock_invoice(invoice.pk)
        locked.refund_reason = reason[:500]
        locked.refund_requested_by = actor
        locked.refund_requested_at = moment
        _move(
            dossier=dossier,
            invoice=locked,
            action="request_refund",
            actor=actor,
            moment=moment,
            reason=reason,
        )
    return locked


def refund_decide(
    *,
    invoice: Invoice,
    actor: User,
    approve: bool,
    note: str = "",
    at: dt.datetime | None = None,
) -> Invoice:
    """The unit leader approves (the money was returned) or declines a refund."""
    if not staff_may(user=actor, invoice=invoice, roles=[Role.UNIT_LEADER]):
        raise PaymentNotAllowed(details={"action": "refund"})
    moment = resolve_moment(at)
    with use_case_atomic():
        dossier, locked = _lock_invoice(invoice.pk)
        if approve:
            locked.refund_approved_by = actor
            locked.refunded_at = moment
        _move(
            dossier=dossier,
            invoice=locked,
            action="refund" if approve else "decline_refund",
            actor=actor,
            moment=moment,
            note=note.strip(),
        )
    return locked


def invoice_waive(*, invoice: Invoice, actor: User, reason: str) -> Invoice:
    """The applicant is exempt (Fee.exemptions): the officer cancels the invoice with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise PaymentInvalid("Cần nêu căn cứ miễn phí, lệ phí.", details={"reason": "required"})
    if not staff_may(user=actor, invoice=invoice, roles=[Role.RECEPTION]):
        raise PaymentNotAllowed(details={"action": "waive"})
    with use_case_atomic():
        dossier, locked = _lock_invoice(invoice.pk)
        _move(
            dossier=dossier,
            invoice=locked,
            action="cancel",
            actor=actor,
            moment=timezone.now(),
            reason=reason,
        )
    return locked


def invoices_expire(*, before: dt.datetime | None = None) -> int:
    """Expire the gateway attempts whose time ran out (the citizen may start another one)."""
    before = before or timezone.now()
    expired = 0
    due = Invoice.objects.filter(status=InvoiceStatus.PENDING, expires_at__lt=before)
    for invoice in due.only("pk"):
        with use_case_atomic():
            dossier, locked = _lock_invoice(invoice.pk)
            if locked.status != InvoiceStatus.PENDING or locked.expires_at >= before:
                continue
            _move(dossier=dossier, invoice=locked, action="expire", actor=None, moment=before)
            expired += 1
    return expired


# --- Bank statements (VietQR transfers) -------------------------------------------------------


def statement_import(
    *, account: PaymentAccount, data: bytes, filename: str, actor: User
) -> StatementImport:
    """Import a bank statement of the account: each credit line matched to an invoice by the
    reference in its note and its amount.

    One transaction: the lines are stored once per (account, bank reference), so importing the
    same file again applies nothing twice (its lines count as duplicates). Exact matches pay
    their invoice; partial and over-payments, lines for an invoice paid already and lines
    without a known reference are kept for a person to decide.
    """
    if not user_has_role(user=actor, unit=account.unit, roles=OFFICER_ROLES):
        raise PaymentNotAllowed(details={"action": "statement_import"})
    if account.provider != Provider.VIETQR:
        raise PaymentInvalid(details={"account": account.pk})
    try:
        read = statement_read(data, filename)
    except StatementError as error:
        raise PaymentInvalid(error.message, details={"file": filename}) from error
    counts: Counter[str] = Counter(skipped=len(read.skipped), lines=len(read.lines))
    refs = {line.reference for line in read.lines if line.reference}
    invoices = {
        invoice.reference: invoice
        for invoice in Invoice.objects.filter(reference__in=refs).select_related(
            "unit", "dossier__receiving_unit"
        )
    }
    try:
        with transaction.atomic():
            statement = StatementImport.objects.create(
                account=account,
                file_name=filename[:255],
                sha256=hashlib.sha256(data).hexdigest(),
                imported_by=actor,
            )
            known = _known_bank_refs(account, [line.bank_ref[:64] for line in read.lines])
            rows, to_pay = _statement_entries(statement, read.lines, known, invoices, counts)
            _entries_store(rows)
            unpaid = _statement_pay(statement, to_pay, actor)
            if unpaid:
                counts[StatementOutcome.MATCHED] -= len(unpaid)
                counts[StatementOutcome.ALREADY_PAID] += len(unpaid)
                StatementEntry.objects.filter(
                    account=account, bank_ref__in=[e.bank_ref for e in unpaid]
                ).update(outcome=StatementOutcome.ALREADY_PAID)
            statement.counts = dict(counts)
            statement.save(update_fields=["counts"])
    except IntegrityError as error:
        raise PaymentInvalid(
            "Sao kê này đang được nhập ở nơi khác; vui lòng thử lại sau ít phút.",
            details={"file": filename},
        ) from error
    return statement


def _statement_pay(
    statement: StatementImport, entries: list[StatementEntry], actor: User
) -> list[StatementEntry]:
    """Pay the invoices of the matched lines, in the import's transaction: their dossiers and
    invoices are locked in two statements (in id order, as one payment locks them), then each
    is paid by the rule of `payment_confirm`. The lines that paid nothing (the invoice was paid
    meanwhile) are returned. A line's transaction is its account and bank reference, which the
    import stores once, so no other invoice holds it."""
    if not entries:
        return []
    account = statement.account
    moment = timezone.now()
    by_invoice = {entry.invoice_id: entry for entry in entries}
    dossier_ids = dict(
        Invoice.objects.filter(pk__in=list(by_invoice)).values_list("pk", "dossier_id")
    )
    dossiers = dossiers_lock(dossier_ids=sorted(set(dossier_ids.values())))
    invoices = Invoice.objects.select_for_update().filter(pk__in=list(by_invoice)).order_by("pk")
    txn_of = {pk: statement_txn(account, entry.bank_ref) for pk, entry in by_invoice.items()}
    owed = set(
        Invoice.objects.filter(
            dossier_id__in=set(dossier_ids.values()), status__in=OPEN_INVOICE_STATES
        )
        .exclude(pk__in=list(by_invoice))
        .values_list("dossier_id", flat=True)
    )
    unpaid = []
    for invoice in invoices:
        entry = by_invoice[invoice.pk]
        done = _pay_locked(
            dossier=dossiers[invoice.dossier_id],
            locked=invoice,
            payment=Payment(
                Provider.VIETQR, entry.amount, txn_of[invoice.pk], entry.posted_at, account
            ),
            actor=actor,
            actor_label=f"Đối soát sao kê {statement.file_name}",
            moment=moment,
            owed_elsewhere=invoice.dossier_id in owed,
            receipt=False,
        )
        if done.outcome != "paid":
            unpaid.append(entry)
    paid = [pk for pk in by_invoice if pk not in {e.invoice_id for e in unpaid}]
    _receipt_after_commit(*paid)  # one task for the statement's receipts
    return unpaid


def _account_covers(account: PaymentAccount, invoice: Invoice) -> bool:
    """The account may take this invoice's money: the invoice was made out to it, or its
    agency or its desk is the account's unit or below it."""
    prefix = account.unit.path
    return (
        invoice.account_id == account.pk
        or invoice.unit.path.startswith(prefix)
        or invoice.dossier.receiving_unit.path.startswith(prefix)
    )


def statement_txn(account: PaymentAccount, bank_ref: str) -> str:
    """The transaction id of a statement line's payment: unique as (account, bank reference)."""
    return f"{account.pk}:{bank_ref}"


def _known_bank_refs(account: PaymentAccount, refs: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(refs), 5000):
        chunk = refs[start : start + 5000]
        known.update(
            StatementEntry.objects.filter(account=account, bank_ref__in=chunk).values_list(
                "bank_ref", flat=True
            )
        )
    return known


# The columns of a stored statement line, in the order of `_statement_entries`' rows.
ENTRY_COLUMNS = (
    "statement_id", "account_id", "row", "bank_ref", "posted_at", "amount", "description",
    "reference", "invoice_id", "outcome", "decision",
)  # fmt: skip


def _entries_store(rows: list[tuple[Any, ...]]) -> None:
    """Insert the statement's lines. On PostgreSQL with COPY: a statement holds up to a hundred
    thousand lines, and building as many model instances and INSERT parameters was a third of
    the import's time (bench/RESULTS.md, "Payments"); elsewhere with bulk_create."""
    from django.db import connection

    if connection.vendor == "postgresql":
        table = StatementEntry._meta.db_table
        columns = ", ".join(connection.ops.quote_name(c) for c in ENTRY_COLUMNS)
        sql = f"COPY {table} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
        return
    StatementEntry.objects.bulk_create(
        (StatementEntry(**dict(zip(ENTRY_COLUMNS, row, strict=True))) for row in rows),
        batch_size=2000,
    )


def _statement_entries(statement, lines, known, invoices, counts):
    """The rows to store (each line once, ENTRY_COLUMNS) and the lines that pay an invoice."""
    rows: list[tuple[Any, ...]] = []
    to_pay: list[StatementEntry] = []
    seen: set[str] = set()
    paying: set[str] = set()
    for line in lines:
        bank_ref = line.bank_ref[:64]
        if bank_ref in known or bank_ref in seen:
            counts[StatementOutcome.DUPLICATE] += 1
            continue
        seen.add(bank_ref)
        invoice = invoices.get(line.reference or "")
        if invoice is None or not _account_covers(statement.account, invoice):
            outcome, invoice = StatementOutcome.UNMATCHED, None
        elif invoice.status in MONEY_IN_STATES or invoice.reference in paying:
            outcome = StatementOutcome.ALREADY_PAID
        elif line.amount < invoice.amount:
            outcome = StatementOutcome.PARTIAL
        elif line.amount > invoice.amount:
            outcome = StatementOutcome.OVERPAID
        else:
            outcome = StatementOutcome.MATCHED
            paying.add(invoice.reference)
        counts[outcome] += 1
        invoice_id = invoice.pk if invoice is not None else None
        rows.append(
            (statement.pk, statement.account_id, line.row, bank_ref, line.posted_at, line.amount,
             line.description[:500], line.reference or "", invoice_id, str(outcome), "")
        )  # fmt: skip
        if outcome == StatementOutcome.MATCHED:
            to_pay.append(
                StatementEntry(
                    bank_ref=bank_ref,
                    posted_at=line.posted_at,
                    amount=line.amount,
                    invoice=invoice,
                )
            )
    return rows, to_pay


def statement_entry_decide(
    *, entry: StatementEntry, actor: User, apply_to: Invoice | None, note: str
) -> StatementEntry:
    """A person decides on a line left for them: pay `apply_to` with it (the amounts must be
    equal, or more for an over-payment whose excess is returned) or record what was done."""
    note = (note or "").strip()
    if not note:
        raise PaymentInvalid("Cần ghi cách xử lý.", details={"note": "required"})
    if not user_has_role(user=actor, unit=entry.account.unit, roles=OFFICER_ROLES):
        raise PaymentNotAllowed(details={"action": "statement_decide"})
    with transaction.atomic():
        locked = (
            StatementEntry.objects.select_for_update(of=("self",))
            .select_related("account__unit")
            .get(pk=entry.pk)
        )
        if locked.outcome not in TO_DECIDE:
            raise PaymentInvalid("Dòng sao kê này đã được xử lý.", details={"entry": entry.pk})
        if apply_to is not None:
            if not _account_covers(locked.account, apply_to):
                raise PaymentInvalid(
                    "Hoá đơn này không thu qua tài khoản của dòng sao kê.",
                    details={"invoice": apply_to.reference},
                )
            if locked.amount < apply_to.amount:
                raise PaymentInvalid(
                    "Số tiền của dòng sao kê nhỏ hơn số tiền của hoá đơn.",
                    details={"amount": locked.amount},
                )
            done = payment_confirm(
                invoice=apply_to,
                provider=Provider.VIETQR,
                amount=apply_to.amount,
                provider_txn=statement_txn(locked.account, locked.bank_ref),
                paid_at=locked.posted_at,
                actor=actor,
                actor_label="Đối soát sao kê",
                account=locked.account,
            )
            if done.outcome != "paid":
                raise PaymentInvalid(
                    "Hoá đơn đã được thanh toán hoặc không nhận được khoản này.",
                    details={"invoice": apply_to.reference},
                )
            locked.invoice = apply_to
        locked.outcome = StatementOutcome.RESOLVED
        locked.decided_by = actor
        locked.decision = note[:500]
        locked.save()
    return locked
