"""Fees in the back office (/can-bo/thanh-toan/): the unit's unpaid, paid and to-refund invoices;
cash taken at the desk and the officer's daily cash list; bank statements imported and the lines
left for a person; the day's reconciliation per provider.

Every list is limited to the units the officer may read; every action is checked again by the
payments service (the reception officer takes cash, the unit leader approves refunds).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.orgs.models import Unit
from motcua.payments import selectors as reads
from motcua.payments import services as payments
from motcua.payments.constants import OPEN_INVOICE_STATES, InvoiceStatus
from motcua.payments.demo import demo_statement_csv
from motcua.payments.errors import PaymentError
from motcua.payments.models import StatementEntry

from ..access import officer_required
from ..payment_forms import CashForm, DayForm, DecideForm, NoteForm, ReasonForm, StatementForm
from ..selectors import units_for_filter

TABS = {
    "unpaid": (gettext_lazy("Chờ thanh toán"), sorted(OPEN_INVOICE_STATES)),
    "paid": (gettext_lazy("Đã thanh toán"), [InvoiceStatus.PAID]),
    "refund": (gettext_lazy("Chờ hoàn tiền"), [InvoiceStatus.REFUND_REQUESTED]),
}
PAGE_SIZE = 50


def _units(request: HttpRequest) -> frozenset[int]:
    return request.officer.visible  # type: ignore[attr-defined]


def _chosen_units(request: HttpRequest) -> tuple[frozenset[int], Any]:
    """The officer's units, or the one chosen in the list's filter (`?unit=`) with its subtree."""
    units = _units(request)
    chosen = request.GET.get("unit", "")
    unit = Unit.objects.filter(pk=int(chosen), pk__in=units).first() if chosen.isdigit() else None
    if unit is None:
        return units, None
    subtree = set(unit.subtree().values_list("pk", flat=True))
    return frozenset(subtree & units), unit


def _report(request: HttpRequest, error: PaymentError) -> None:
    messages.error(request, str(error.message))


def _report_form(request: HttpRequest, form: Any) -> None:
    """Each of a form's errors as a message on the page it returns to (nothing was changed)."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@officer_required
def payments_home(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab", "unpaid")
    units, unit = _chosen_units(request)
    context: dict[str, Any] = {
        "tab": tab,
        "tabs": [(key, label) for key, (label, _states) in TABS.items()]
        + [
            ("statements", gettext_lazy("Sao kê ngân hàng")),
            ("cash", gettext_lazy("Sổ thu tiền mặt")),
            ("reconcile", gettext_lazy("Đối soát trong ngày")),
        ],
        "unit": unit,
        "units": units_for_filter(scope=request.officer).order_by("path"),  # type: ignore[attr-defined]
    }
    if tab in TABS:
        invoices = reads.invoices_for_units(unit_ids=units, statuses=TABS[tab][1])
        page = Paginator(invoices, PAGE_SIZE).get_page(request.GET.get("page"))
        context |= {"page": page, "cash_form": CashForm(), "reason_form": ReasonForm()}
    elif tab == "statements":
        accounts = reads.vietqr_accounts(unit_ids=units)
        context |= {
            "statement_form": StatementForm(accounts=accounts),
            "demo_accounts": [a for a in accounts if a.is_demo],
            "statements": reads.statements_recent(unit_ids=units),
            "entries": list(reads.statement_entries_to_decide(unit_ids=units)[:200]),
            "decide_form": DecideForm(),
        }
    elif tab == "cash":
        form = DayForm(request.GET or None)
        day = form.day_or_today()
        mine = request.GET.get("who") != "unit"
        rows, total = reads.cash_day(
            unit_ids=units, day=day, officer_id=request.user.pk if mine else None
        )
        context |= {"day_form": form, "day": day, "rows": rows, "total": total, "mine": mine}
    elif tab == "reconcile":
        form = DayForm(request.GET or None)
        day = form.day_or_today()
        context |= {
            "day_form": form,
            "day": day,
            **reads.reconciliation_day(unit_ids=units, day=day),
        }
    else:
        raise Http404(tab)
    return render(request, "backoffice/payments.html", context)


def _invoice_in_scope(request: HttpRequest, reference: str):
    invoice = reads.invoice_by_reference(reference=reference)
    units = _units(request)
    if invoice is None or not (
        invoice.unit_id in units or invoice.dossier.receiving_unit_id in units
    ):
        raise Http404(reference)
    return invoice


@officer_required
@require_POST
def invoice_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    invoice = _invoice_in_scope(request, reference)
    back = request.POST.get("next") or ""
    forms = {"cash": CashForm, "waive": ReasonForm, "refund_request": ReasonForm}
    form = forms.get(action, NoteForm)(request.POST)
    if action not in {"cash", "waive", "refund_request", "refund_approve", "refund_decline"}:
        raise Http404(action)
    if not form.is_valid():
        _report_form(request, form)
    else:
        data = form.cleaned_data
        try:
            if action == "cash":
                payments.cash_record(
                    invoice=invoice, actor=request.user, receipt_number=data["receipt_number"]
                )
                messages.success(
                    request,
                    _("Đã ghi nhận thu tiền mặt %(ref)s; biên lai điện tử đã được lập.")
                    % {"ref": invoice.reference},
                )
            elif action == "waive":
                payments.invoice_waive(invoice=invoice, actor=request.user, reason=data["reason"])
                messages.success(request, _("Đã miễn phí, lệ phí cho hồ sơ."))
            elif action == "refund_request":
                payments.refund_request(invoice=invoice, actor=request.user, reason=data["reason"])
                messages.success(request, _("Đã đề nghị hoàn tiền; chờ lãnh đạo đơn vị duyệt."))
            else:
                payments.refund_decide(
                    invoice=invoice,
                    actor=request.user,
                    approve=action == "refund_approve",
                    note=data.get("note", ""),
                )
                messages.success(request, _("Đã xử lý đề nghị hoàn tiền."))
        except PaymentError as error:
            _report(request, error)
    if back.startswith("/can-bo/"):
        return redirect(back)
    return redirect("backoffice:payments")


@officer_required
@require_POST
def statement_upload(request: HttpRequest) -> HttpResponse:
    accounts = reads.vietqr_accounts(unit_ids=_units(request))
    form = StatementForm(request.POST, request.FILES, accounts=accounts)
    if not form.is_valid():
        _report_form(request, form)
        return redirect(f"{_payments_url()}?tab=statements")
    upload = form.cleaned_data["file"]
    try:
        statement = payments.statement_import(
            account=form.cleaned_data["account"],
            data=upload.read(),
            filename=upload.name,
            actor=request.user,
        )
    except PaymentError as error:
        _report(request, error)
    else:
        c = statement.counts
        messages.success(
            request,
            _(
                "Đã nhập %(lines)s dòng: %(matched)s khớp, %(unmatched)s không tìm thấy hoá đơn, "
                "%(partial)s chuyển thiếu, %(over)s chuyển thừa, %(twice)s trùng hoá đơn đã thanh "
                "toán, %(dup)s dòng đã nhập trước đó (bỏ qua), %(skipped)s dòng không phải tiền vào."
            )
            % {
                "lines": c.get("lines", 0),
                "matched": c.get("matched", 0),
                "unmatched": c.get("unmatched", 0),
                "partial": c.get("partial", 0),
                "over": c.get("overpaid", 0),
                "twice": c.get("already_paid", 0),
                "dup": c.get("duplicate", 0),
                "skipped": c.get("skipped", 0),
            },
        )
    return redirect(f"{_payments_url()}?tab=statements")


@officer_required
@require_POST
def statement_decide(request: HttpRequest, pk: int) -> HttpResponse:
    entry = (
        StatementEntry.objects.select_related("account__unit")
        .filter(pk=pk, account__unit_id__in=_units(request))
        .first()
    )
    if entry is None:
        raise Http404(pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        _report_form(request, form)
    else:
        try:
            payments.statement_entry_decide(
                entry=entry,
                actor=request.user,
                apply_to=form.cleaned_data["reference"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Đã xử lý dòng sao kê."))
        except PaymentError as error:
            _report(request, error)
    return redirect(f"{_payments_url()}?tab=statements")


def _payments_url() -> str:
    from django.urls import reverse

    return reverse("backoffice:payments")


@officer_required
def demo_statement(request: HttpRequest, pk: int) -> HttpResponse:
    """A bank statement of a demo account, as its bank would export it, to try the import."""
    account = reads.vietqr_accounts(unit_ids=_units(request)).filter(pk=pk, is_demo=True).first()
    if account is None:
        raise Http404(pk)
    response = HttpResponse(
        demo_statement_csv(account=account), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="sao-ke-minh-hoa-{account.pk}.csv"'
    return response
