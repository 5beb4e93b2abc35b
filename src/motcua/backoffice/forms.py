"""Forms of the back office: queue filters, one small form per dossier action, the intake screen."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.catalog.models import Procedure
from motcua.dossiers.constants import (
    Action,
    ApplicantKind,
    Channel,
    ResultDelivery,
)
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import Applicant
from motcua.orgs.constants import Role
from motcua.workcal import reappointment_check
from motcua.workcal.exceptions import ApologyError

from . import eform, selectors
from .postal_forms import AddressFieldsMixin, clean_tracking
from .selectors import SORT_LABELS, OfficerScope, QueueFilters

DATE_WIDGET = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.get_full_name() or obj.username


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        depth = max(obj.path.count("/") - 2, 0)
        return "\u00a0\u00a0" * depth + obj.name


# --- queues ------------------------------------------------------------------------------


def _optional_id(value: str) -> int | None:
    return int(value) if value else None


class QueueFilterForm(forms.Form):
    """The queue's search and filters. The selects' choices come from cached lists
    (`selectors.filter_choices`): no query, no model instances for a page of the queue."""

    q = forms.CharField(
        label=_("Tìm theo mã hồ sơ, tên hoặc số định danh người nộp"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    procedure = forms.ChoiceField(label=_("Thủ tục"), required=False)
    field = forms.TypedChoiceField(
        label=_("Lĩnh vực"), required=False, coerce=_optional_id, empty_value=None
    )
    channel = forms.ChoiceField(
        label=_("Kênh"), choices=[("", _("Tất cả")), *Channel.choices], required=False
    )
    unit = forms.TypedChoiceField(
        label=_("Đơn vị"), required=False, coerce=_optional_id, empty_value=None
    )
    assignee = forms.TypedChoiceField(
        label=_("Cán bộ xử lý"), required=False, coerce=_optional_id, empty_value=None
    )
    date_from = forms.DateField(label=_("Nộp từ ngày"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("đến ngày"), required=False, widget=DATE_WIDGET)
    sort = forms.ChoiceField(label=_("Sắp xếp"), choices=list(SORT_LABELS.items()), required=False)

    def __init__(self, *args: Any, scope: OfficerScope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = selectors.filter_choices(scope=scope)
        empty = [("", "---------")]
        self.fields["procedure"].choices = empty + self.choices.procedures
        self.fields["field"].choices = empty + self.choices.fields
        self.fields["unit"].choices = empty + self.choices.units
        self.fields["assignee"].choices = empty + self.choices.officers

    def filters(self) -> QueueFilters:
        if not self.is_valid():
            return QueueFilters()
        data = self.cleaned_data
        return QueueFilters(
            q=data["q"],
            procedure_id=self.choices.procedure_ids.get(data["procedure"]),
            field_id=data["field"],
            channel=data["channel"],
            unit_path=self.choices.unit_paths.get(data["unit"], "") if data["unit"] else "",
            assignee_id=data["assignee"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            sort=data["sort"] or "due",
        )


# --- dossier actions ---------------------------------------------------------------------


class ActionForm(forms.Form):
    """Base of every action form: carries the dossier version the officer saw."""

    action: str = ""
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, dossier: Dossier, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("version", dossier.version)
        kwargs.setdefault("prefix", self.action)
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        self.user = user

    def service_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of the action's service (besides dossier, actor, expected_version)."""
        return {}


def _reason_field(label: Any, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


def _note_field() -> forms.CharField:
    return forms.CharField(
        label=_("Ghi chú"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AcceptForm(ActionForm):
    action = Action.ACCEPT
    checklist = forms.MultipleChoiceField(
        label=_("Thành phần hồ sơ đã kiểm tra, đủ và hợp lệ"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = _note_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        docs = list(self.dossier.procedure.required_documents.order_by("order", "pk"))
        self.mandatory = {str(doc.pk): doc.name for doc in docs if doc.mandatory}
        self.fields["checklist"].choices = [
            (str(doc.pk), f"{doc.name}{'' if doc.mandatory else ' ' + str(_('(nếu có)'))}")
            for doc in docs
        ]

    def clean_checklist(self) -> list[str]:
        ticked = set(self.cleaned_data["checklist"])
        missing = [name for pk, name in self.mandatory.items() if pk not in ticked]
        if missing:
            raise ValidationError(
                _("Chưa đủ thành phần bắt buộc: %(names)s. Hãy yêu cầu bổ sung hoặc từ chối.")
                % {"names": "; ".join(missing)}
            )
        return list(ticked)

    def service_kwargs(self) -> dict[str, Any]:
        return {"note": self.cleaned_data["note"]}


class RequestSupplementForm(ActionForm):
    action = Action.REQUEST_SUPPLEMENT
    documents = forms.MultipleChoiceField(
        label=_("Thành phần hồ sơ còn thiếu hoặc chưa hợp lệ"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_items = forms.CharField(
        label=_("Nội dung khác cần bổ sung, hoàn thiện (mỗi mục một dòng)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = _reason_field(_("Lý do, hướng dẫn"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        docs = self.dossier.procedure.required_documents.order_by("order", "pk")
        self.fields["documents"].choices = [(doc.name, doc.name) for doc in docs]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        lines = [line.strip() for line in data.get("other_items", "").splitlines()]
        data["items"] = list(data.get("documents") or []) + [line for line in lines if line]
        if not data["items"]:
            raise ValidationError(_("Cần liệt kê đầy đủ các nội dung phải bổ sung."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        return {"items": self.cleaned_data["items"], "reason": self.cleaned_data["reason"]}


class RefuseForm(ActionForm):
    action = Action.REFUSE
    reason = _reason_field(_("Lý do từ chối"))

    def service_kwargs(self) -> dict[str, Any]:
        return {"reason": self.cleaned_data["reason"]}


class DenyForm(RefuseForm):
    action = Action.DENY
    reason = _reason_field(_("Lý do không giải quyết (văn bản trả lời)"))


class StopForm(RefuseForm):
    action = Action.STOP
    reason = _reason_field(_("Lý do dừng xử lý"))


class WithdrawForm(RefuseForm):
    action = Action.WITHDRAW
    reason = _reason_field(_("Nội dung đề nghị rút hồ sơ của người nộp"))


class StartForm(ActionForm):
    action = Action.START
    assignee = UserChoiceField(
        label=_("Giao cho cán bộ (để trống: người có vai trò của bước tự nhận)"),
        queryset=None,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        first = (
            self.dossier.procedure.process_steps.select_related("unit").order_by("order").first()
        )
        unit = (first.unit if first else None) or self.dossier.receiving_unit
        self.step_hint = first
        roles = frozenset({first.role}) if first and first.role else frozenset({Role.SPECIALIST})
        self.fields["assignee"].queryset = selectors.officers_for_units(units=[unit], roles=roles)

    def service_kwargs(self) -> dict[str, Any]:
        return {"assignee": self.cleaned_data["assignee"]}


class ForwardForm(ActionForm):
    action = Action.FORWARD
    NEXT, COLLEAGUE, UNIT = "next", "colleague", "unit"
    target = forms.ChoiceField(
        label=_("Chuyển đến"),
        choices=[
            (NEXT, _("Bước tiếp theo của quy trình")),
            (COLLEAGUE, _("Cán bộ khác (cùng bước)")),
            (UNIT, _("Đơn vị khác (liên thông, phối hợp)")),
        ],
        initial=NEXT,
        widget=forms.RadioSelect,
    )
    assignee = UserChoiceField(label=_("Cán bộ nhận"), queryset=None, required=False)
    to_unit = UnitChoiceField(label=_("Đơn vị nhận"), queryset=None, required=False)
    hours = forms.DecimalField(
        label=_("Thời gian cho bước (giờ làm việc)"),
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=1,
    )
    note = _note_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        d = self.dossier
        units = [d.receiving_unit]
        if d.current_step is not None:
            units.append(d.current_step.unit)
        for step in d.procedure.process_steps.select_related("unit"):
            if step.unit is not None:
                units.append(step.unit)
        self.fields["assignee"].queryset = selectors.officers_for_units(units=units)
        self.fields["to_unit"].queryset = selectors.units_for_forward()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        target = data.get("target")
        if target == self.COLLEAGUE and not data.get("assignee"):
            self.add_error("assignee", _("Hãy chọn cán bộ nhận hồ sơ."))
        if target == self.UNIT and not data.get("to_unit"):
            self.add_error("to_unit", _("Hãy chọn đơn vị nhận hồ sơ."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        kwargs: dict[str, Any] = {"note": data["note"], "assignee": data["assignee"]}
        if data["target"] == self.UNIT:
            kwargs["to_unit"] = data["to_unit"]
            kwargs["role"] = Role.SPECIALIST
        if data["hours"] is not None:
            kwargs["hours"] = data["hours"]
        if data["target"] == self.COLLEAGUE and self.dossier.current_step is not None:
            # Hand over within the same step: the colleague works in the current step's unit.
            kwargs["to_unit"] = self.dossier.current_step.unit
            kwargs["step_name"] = self.dossier.current_step.name
            kwargs["role"] = self.dossier.current_step.role
        return kwargs


class SupplementForm(ActionForm):
    action = Action.SUPPLEMENT
    note = forms.CharField(
        label=_("Hồ sơ bổ sung đã nhận (nội dung, số bản)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def service_kwargs(self) -> dict[str, Any]:
        return {"note": self.cleaned_data["note"]}


class ApproveForm(ActionForm):
    action = Action.APPROVE
    result_file = forms.FileField(
        label=_("Kết quả giải quyết đã ký (PDF, ảnh)"),
        required=False,
        help_text=_("Tệp kết quả điện tử gửi cho người nộp."),
    )
    note = _note_field()

    def service_kwargs(self) -> dict[str, Any]:
        file = self.cleaned_data["result_file"]
        return {"note": self.cleaned_data["note"], "result_files": [file] if file else []}


class ApologiseForm(ActionForm):
    action = Action.APOLOGISE
    reason = _reason_field(_("Lý do chậm trễ"))
    new_date = forms.DateField(label=_("Ngày hẹn trả kết quả mới"), widget=DATE_WIDGET)
    new_time = forms.TimeField(
        label=_("Giờ hẹn"),
        initial=dt.time(16, 0),
        widget=forms.TimeInput(attrs={"placeholder": "HH:MM"}, format="%H:%M"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day, time = data.get("new_date"), data.get("new_time")
        if day is None or time is None:
            return data
        new_due = timezone.make_aware(dt.datetime.combine(day, time))
        try:
            reappointment_check(
                current_due=self.dossier.due_at,
                new_due=new_due,
                apologies_so_far=int(self.dossier.apologised),
                org_unit=self.dossier.receiving_unit,
            )
        except ApologyError as exc:
            raise ValidationError(exc.message) from exc
        data["new_due_at"] = new_due
        return data

    def service_kwargs(self) -> dict[str, Any]:
        return {
            "reason": self.cleaned_data["reason"],
            "new_due_at": self.cleaned_data["new_due_at"],
        }


class ReturnResultForm(ActionForm):
    action = Action.RETURN_RESULT
    delivery = forms.ChoiceField(
        label=_("Hình thức trả"), choices=ResultDelivery.choices, widget=forms.RadioSelect
    )
    collector = forms.CharField(
        label=_("Người nhận kết quả (họ tên, giấy tờ)"), required=False, max_length=200
    )
    note = _note_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delivery"].initial = self.dossier.result_delivery
        self.fields["collector"].initial = self.dossier.applicant_name

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("delivery") == ResultDelivery.IN_PERSON
            and not data.get("collector", "").strip()
        ):
            self.add_error("collector", _("Cần ghi người nhận kết quả tại bộ phận một cửa."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"delivery": data["delivery"], "collector": data["collector"], "note": data["note"]}


class QuickStartForm(ActionForm):
    """Start from a queue row: the first step goes to me when I hold its role, else to its role."""

    action = Action.START

    def __init__(self, *args: Any, assign_me: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assign_me = assign_me

    def service_kwargs(self) -> dict[str, Any]:
        return {"assignee": self.user if self.assign_me else None}


class QuickReturnForm(ActionForm):
    """Return the result at the desk from a queue row: who collected it (the applicant by default)."""

    action = Action.RETURN_RESULT
    collector = forms.CharField(
        label=_("Người nhận kết quả"),
        max_length=200,
        error_messages={"required": _("Cần ghi người nhận kết quả tại bộ phận một cửa.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        super().__init__(*args, **kwargs)
        self.fields["collector"].initial = self.dossier.applicant_name

    def service_kwargs(self) -> dict[str, Any]:
        return {"delivery": ResultDelivery.IN_PERSON, "collector": self.cleaned_data["collector"]}


ACTION_FORMS: dict[str, type[ActionForm]] = {
    form.action: form
    for form in (
        AcceptForm,
        RequestSupplementForm,
        RefuseForm,
        StartForm,
        ForwardForm,
        SupplementForm,
        ApproveForm,
        DenyForm,
        ApologiseForm,
        StopForm,
        ReturnResultForm,
        WithdrawForm,
    )
}

# The one-click actions of a queue row (selectors.quick_actions says which a row shows).
QUICK_FORMS: dict[str, type[ActionForm]] = {
    QuickStartForm.action: QuickStartForm,
    QuickReturnForm.action: QuickReturnForm,
}


# --- the intake screen -------------------------------------------------------------------


class IntakeForm(AddressFieldsMixin, forms.Form):
    """An in-person or postal dossier: applicant, e-form, checklist and scans, in one screen;
    a parcel's tracking number, and where the result goes when it is returned by post."""

    address_prefix = "delivery_"

    channel = forms.ChoiceField(
        label=_("Hình thức nộp"),
        choices=[
            (Channel.DIRECT, _("Trực tiếp tại bộ phận một cửa")),
            (Channel.POSTAL, _("Qua bưu chính")),
        ],
        initial=Channel.DIRECT,
        widget=forms.RadioSelect,
    )
    receiving_unit = UnitChoiceField(label=_("Cơ quan tiếp nhận"), queryset=None)
    applicant_kind = forms.ChoiceField(
        label=_("Người nộp là"), choices=ApplicantKind.choices, initial=ApplicantKind.PERSON
    )
    applicant_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=200)
    applicant_citizen_id = forms.RegexField(
        label=_("Số định danh cá nhân"),
        regex=r"^[0-9]{12}$",
        required=False,
        error_messages={"invalid": _("Số định danh cá nhân gồm 12 chữ số.")},
    )
    applicant_phone = forms.RegexField(
        label=_("Số điện thoại"),
        regex=r"^(0|\+84)[0-9]{9}$",
        required=False,
        error_messages={"invalid": _("Số điện thoại không hợp lệ.")},
    )
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    applicant_organisation = forms.CharField(
        label=_("Tên tổ chức (nếu nộp cho tổ chức)"), max_length=255, required=False
    )
    applicant_tax_code = forms.CharField(label=_("Mã số thuế"), max_length=14, required=False)
    result_delivery = forms.ChoiceField(
        label=_("Nhận kết quả"), choices=ResultDelivery.choices, initial=ResultDelivery.IN_PERSON
    )
    extra_files = forms.FileField(
        label=_("Tệp quét khác (nếu có)"), required=False, widget=forms.ClearableFileInput
    )
    tracking_number = forms.CharField(
        label=_("Số hiệu bưu gửi (nếu nhận qua bưu chính)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "EB123456785VN", "autocomplete": "off"}),
    )

    def __init__(
        self, *args: Any, procedure: Procedure, scope: OfficerScope, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        units = selectors.reception_units(scope=scope)
        self.fields["receiving_unit"].queryset = units
        performing = set(procedure.performing_units.values_list("pk", flat=True))
        preferred = [u for u in units if u.pk in performing]
        if preferred or units:
            self.fields["receiving_unit"].initial = (preferred or list(units))[0].pk
        if not procedure.accepts_postal_return:
            self.fields["result_delivery"].choices = [
                c for c in ResultDelivery.choices if c[0] != ResultDelivery.POSTAL
            ]
        self.documents = list(procedure.required_documents.all())
        self.document_fields: list[tuple[Any, str, str]] = []
        for doc in self.documents:
            check, scan = f"doc_{doc.pk}_checked", f"doc_{doc.pk}_scan"
            self.fields[check] = forms.BooleanField(label=_("Đã kiểm tra bản giấy"), required=False)
            self.fields[scan] = forms.FileField(label=_("Bản quét"), required=False)
            self.document_fields.append((doc, check, scan))
        self.schema = procedure.form_schema or {}
        self.eform_fields = eform.add_fields(self, self.schema)
        # The ward list starts with the desk's own province (most results stay in it).
        home = ""
        if not self.is_bound and units:
            from motcua.postal.selectors import home_province_code

            home = home_province_code((preferred or list(units))[0])
            self.initial.setdefault("delivery_province_code", home)
        self._address_fields(
            province_code=self._chosen_province(
                self.data if self.is_bound else None, {"delivery_province_code": home}
            ),
            required=False,
        )
        self.delivery_address = None

    def eform_groups(self) -> list[tuple[str, list[Any]]]:
        groups: list[tuple[str, list[Any]]] = []
        for field in self.eform_fields:
            if not groups or groups[-1][0] != field.group:
                groups.append((field.group, []))
            groups[-1][1].append(self[field.name])
        return groups

    def document_rows(self) -> list[tuple[Any, Any, Any]]:
        return [(doc, self[check], self[scan]) for doc, check, scan in self.document_fields]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self._clean_postal(data)
        if data.get("channel") == Channel.POSTAL and not self.procedure.accepts_postal_pickup:
            self.add_error("channel", _("Thủ tục này không nhận hồ sơ qua bưu chính."))
        missing = [
            doc.name
            for doc, check, scan in self.document_fields
            if doc.mandatory and not data.get(check) and not data.get(scan)
        ]
        if missing:
            raise ValidationError(
                _("Chưa đủ thành phần bắt buộc: %(names)s.") % {"names": "; ".join(missing)}
            )
        form_data = eform.collect(self.schema, data)
        for name, messages in eform.validate(self.schema, form_data).items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
        data["form_data"] = form_data
        return data

    def _clean_postal(self, data: dict[str, Any]) -> None:
        """The parcel's number (postal channel only) and, for a result sent by post, the
        delivery address: the applicant's name and phone unless others are given."""
        if data.get("channel") != Channel.POSTAL:
            data["tracking_number"] = ""
        else:
            try:
                data["tracking_number"] = clean_tracking(
                    data.get("tracking_number") or "", required=False
                )
            except ValidationError as error:
                self.add_error("tracking_number", error)
        if data.get("result_delivery") != ResultDelivery.POSTAL:
            return
        values = dict(data)
        values["delivery_name"] = data.get("delivery_name") or data.get("applicant_name") or ""
        values["delivery_phone"] = data.get("delivery_phone") or data.get("applicant_phone") or ""
        self.delivery_address = self.address_check(values)

    def delivery_fields(self) -> list[Any]:
        return [self[self.address_prefix + name] for name in self.prefix_fields]

    def applicant(self) -> Applicant:
        d = self.cleaned_data
        return Applicant(
            name=d["applicant_name"],
            kind=d["applicant_kind"],
            citizen_id=d["applicant_citizen_id"],
            phone=d["applicant_phone"],
            email=d["applicant_email"],
            address=d["applicant_address"],
            tax_code=d["applicant_tax_code"],
            organisation=d["applicant_organisation"],
        )

    def scans(self) -> list[tuple[Any, Any]]:
        """(required document or None, uploaded file) pairs."""
        files = [
            (doc, self.cleaned_data[scan])
            for doc, _check, scan in self.document_fields
            if self.cleaned_data.get(scan)
        ]
        if self.cleaned_data.get("extra_files"):
            files.append((None, self.cleaned_data["extra_files"]))
        return files


class ProcedureSearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm thủ tục (tên hoặc mã)"), required=False, max_length=200)


class UnitPeriodForm(forms.Form):
    """A unit and a period: the tracking book (form 06)."""

    unit = UnitChoiceField(label=_("Đơn vị"), queryset=None)
    start = forms.DateField(label=_("Từ ngày"), widget=DATE_WIDGET)
    end = forms.DateField(label=_("Đến ngày"), widget=DATE_WIDGET)
    output = forms.ChoiceField(
        label=_("Định dạng"), choices=[("pdf", "PDF"), ("xlsx", "Excel (XLSX)")], initial="pdf"
    )

    def __init__(self, *args: Any, scope: OfficerScope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.units_for_filter(scope=scope).order_by("path")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu."))
            if (end - start).days > 366:
                raise ValidationError(_("Mỗi lần in sổ tối đa một năm."))
        return data


class UnitMonthForm(forms.Form):
    """A unit and a month: the apology register."""

    unit = UnitChoiceField(label=_("Đơn vị"), queryset=None)
    month = forms.RegexField(
        label=_("Tháng (MM/YYYY)"),
        regex=r"^(0?[1-9]|1[0-2])/[0-9]{4}$",
        error_messages={"invalid": _("Nhập tháng dạng MM/YYYY, ví dụ 07/2025.")},
    )

    def __init__(self, *args: Any, scope: OfficerScope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.units_for_filter(scope=scope).order_by("path")

    def period(self) -> tuple[int, int]:
        month, year = self.cleaned_data["month"].split("/")
        return int(year), int(month)
