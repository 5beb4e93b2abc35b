"""Forms of the back office's payment pages: cash at the desk, refunds, waivers, statements."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.payments.selectors import invoice_by_reference

MAX_STATEMENT_BYTES = 20 * 1024 * 1024


class CashForm(forms.Form):
    receipt_number = forms.CharField(
        label=_("Số biên lai thu tiền"),
        max_length=32,
        error_messages={"required": _("Cần nhập số biên lai thu tiền.")},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Cần nêu lý do.")},
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class DayForm(forms.Form):
    day = forms.DateField(
        label=_("Ngày"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": _("Nhập ngày dạng DD/MM/YYYY, ví dụ 14/07/2025.")},
    )

    def day_or_today(self) -> dt.date:
        if self.is_valid():
            return self.cleaned_data["day"]
        return timezone.localdate()


class StatementForm(forms.Form):
    account = forms.ModelChoiceField(
        label=_("Tài khoản nhận tiền"),
        queryset=None,
        error_messages={
            "required": _("Cần chọn tài khoản."),
            "invalid_choice": _("Tài khoản không hợp lệ."),
        },
    )
    file = forms.FileField(
        label=_("Tệp sao kê (CSV hoặc XLSX)"),
        error_messages={"required": _("Cần chọn tệp sao kê."), "empty": _("Tệp sao kê rỗng.")},
    )

    def __init__(self, *args: Any, accounts, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts
        self.fields["account"].label_from_instance = lambda a: (
            f"{a.unit.name} · {a.bank_name} {a.account_number}"
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_STATEMENT_BYTES:
            raise forms.ValidationError(_("Tệp sao kê lớn hơn 20 MB."))
        return upload


class DecideForm(forms.Form):
    reference = forms.CharField(
        label=_("Ghi nhận cho hoá đơn (mã thanh toán)"), max_length=16, required=False
    )
    note = forms.CharField(
        label=_("Cách xử lý"),
        max_length=500,
        error_messages={"required": _("Cần ghi cách xử lý.")},
    )

    def clean_reference(self):
        reference = (self.cleaned_data.get("reference") or "").strip().upper()
        if not reference:
            return None
        invoice = invoice_by_reference(reference=reference)
        if invoice is None:
            raise forms.ValidationError(_("Không có hoá đơn mang mã thanh toán này."))
        return invoice
