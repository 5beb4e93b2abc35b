"""Forms of the online submission steps (the e-form itself is portal.eform), and of the pages of
a submitted dossier: supplement, withdrawal, rating, tracking lookup."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from motcua.accounts.validators import (
    normalise_phone,
    validate_citizen_id,
    validate_tax_code,
    validate_vn_mobile,
)
from motcua.catalog.models import Procedure
from motcua.dossiers.constants import ApplicantKind, ResultDelivery, Satisfaction
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import Applicant
from motcua.postal.addresses import provinces, ward_name, wards_of
from motcua.postal.errors import AddressInvalid
from motcua.postal.services import Address

from .renderers import portal_form_renderer

REQUIRED = _("Không được để trống.")


class ApplicantForm(forms.Form):
    """Step 1: who files the dossier; pre-filled from the account's profile."""

    use_required_attribute = False

    organisation = forms.CharField(label=_("Tên tổ chức, doanh nghiệp"), max_length=255)
    tax_code = forms.CharField(label=_("Mã số thuế"), max_length=14)
    name = forms.CharField(
        label=_("Họ và tên người nộp"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    citizen_id = forms.CharField(
        label=_("Số định danh cá nhân"),
        max_length=12,
        help_text=_("12 chữ số trên thẻ căn cước."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        max_length=20,
        help_text=_("Để nhận tin báo về hồ sơ và tra cứu hồ sơ."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label=_("Địa chỉ liên hệ"),
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )

    def __init__(self, *args: Any, kind: str = ApplicantKind.PERSON, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        for form_field in self.fields.values():
            form_field.error_messages["required"] = REQUIRED
        if kind == ApplicantKind.BUSINESS:
            self.fields["name"].label = _("Họ và tên người đại diện, người nộp")
            self.fields["citizen_id"].required = False
        else:
            del self.fields["organisation"]
            del self.fields["tax_code"]

    @classmethod
    def initial_for(cls, dossier: Dossier) -> dict[str, str]:
        return {
            "organisation": dossier.applicant_organisation,
            "tax_code": dossier.applicant_tax_code,
            "name": dossier.applicant_name,
            "citizen_id": dossier.applicant_citizen_id,
            "phone": dossier.applicant_phone,
            "email": dossier.applicant_email,
            "address": dossier.applicant_address,
        }

    def clean_citizen_id(self) -> str:
        value = self.cleaned_data.get("citizen_id", "").strip()
        if value:
            validate_citizen_id(value)
        return value

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "")
        validate_vn_mobile(value)
        return normalise_phone(value)

    def clean_tax_code(self) -> str:
        value = self.cleaned_data.get("tax_code", "").strip()
        validate_tax_code(value)
        return value

    def applicant(self) -> Applicant:
        data = self.cleaned_data
        return Applicant(
            name=data["name"].strip(),
            kind=self.kind,
            citizen_id=data.get("citizen_id", ""),
            phone=data["phone"],
            email=data.get("email", ""),
            address=data["address"].strip(),
            tax_code=data.get("tax_code", ""),
            organisation=(data.get("organisation") or "").strip(),
        )


def delivery_choices(procedure: Procedure, *, postal: bool = True) -> list[tuple[str, str]]:
    """In person always; by post where the procedure returns by post and a postal account serves
    the receiving unit (`postal`); online at level 4 only."""
    choices = [(ResultDelivery.IN_PERSON.value, _("Nhận trực tiếp tại nơi nộp hồ sơ"))]
    if procedure.accepts_postal_return and postal:
        choices.append(
            (
                ResultDelivery.POSTAL.value,
                _("Qua dịch vụ bưu chính công ích (người nhận trả cước)"),
            )
        )
    if procedure.online_level >= 4:
        choices.append((ResultDelivery.ONLINE.value, _("Trực tuyến: tải kết quả điện tử")))
    return choices


class DeliveryForm(forms.Form):
    """Step 4: how the result reaches the applicant (and, PostalAddressForm, where by post)."""

    use_required_attribute = False

    result_delivery = forms.ChoiceField(
        label=_("Hình thức nhận kết quả"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Vui lòng chọn hình thức nhận kết quả."),
            "invalid_choice": _("Hình thức nhận kết quả này không áp dụng cho thủ tục."),
        },
    )

    def __init__(
        self, *args: Any, procedure: Procedure, postal: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # The address of a result by post is a structured one (PostalAddressForm).
        self.fields["result_delivery"].choices = delivery_choices(procedure, postal=postal)


class PostalAddressForm(forms.Form):
    """A postal address: the province and ward from the national list (the ward list follows the
    province: portal/postal-address.js, or the "update" button without JavaScript). Every check
    is postal.services.Address.cleaned(): its messages are shown next to the fields."""

    use_required_attribute = False

    name = forms.CharField(
        label=_("Họ và tên"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    province_code = forms.CharField(
        label=_("Tỉnh, thành phố"), max_length=3, required=False, widget=forms.Select
    )
    ward_code = forms.CharField(
        label=_("Xã, phường, đặc khu"), max_length=6, required=False, widget=forms.Select
    )
    street = forms.CharField(
        label=_("Số nhà, tên đường, thôn, tổ dân phố"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        province = self.value_of("province_code")
        ward = self.value_of("ward_code")
        self.fields["province_code"].widget.choices = [
            ("", _("— Chọn tỉnh, thành phố —")),
            *provinces(),
        ]
        wards = list(wards_of(province)) if province else []
        if ward and ward not in {code for code, _name in wards} and ward_name(ward):
            # A ward of another province stays shown (with its error), not silently dropped.
            wards.insert(0, (ward, ward_name(ward)))
        self.fields["ward_code"].widget.choices = [("", _("— Chọn xã, phường, đặc khu —")), *wards]
        self.fields["ward_code"].widget.attrs["data-wards-url"] = reverse("portal:postal_wards")
        self.fields["province_code"].widget.attrs["data-postal-province"] = ""

    def value_of(self, name: str) -> str:
        if self.is_bound:
            return str(self.data.get(self.add_prefix(name), "") or "").strip()
        return str(self.initial.get(name, "") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            self.checked = Address(
                name=data.get("name", ""),
                phone=data.get("phone", ""),
                province_code=data.get("province_code", ""),
                ward_code=data.get("ward_code", ""),
                street=data.get("street", ""),
            ).cleaned()
        except AddressInvalid as error:
            for field_name, message in error.details.items():
                self.add_error(field_name if field_name in self.fields else None, str(message))
        return data

    @staticmethod
    def initial_for(
        *, saved: Any = None, name: str = "", phone: str = "", province: str = ""
    ) -> dict[str, str]:
        """A saved address as it is, else the profile's name and phone and the agency's
        province."""
        if saved is not None:
            return {
                "name": saved.name,
                "phone": saved.phone,
                "province_code": saved.province_code,
                "ward_code": saved.ward_code,
                "street": saved.street,
            }
        return {"name": name, "phone": phone, "province_code": province}


class SubmitForm(forms.Form):
    """Step 5: the version the applicant reviewed (a change elsewhere makes it stale)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class SupplementForm(forms.Form):
    note = forms.CharField(
        label=_("Ghi chú cho cán bộ (không bắt buộc)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WithdrawForm(forms.Form):
    use_required_attribute = False

    reason = forms.CharField(
        label=_("Lý do rút hồ sơ"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Vui lòng nêu lý do rút hồ sơ.")},
    )
    confirm = forms.BooleanField(
        label=_("Tôi hiểu rằng hồ sơ đã rút sẽ không được tiếp tục giải quyết."),
        error_messages={"required": _("Vui lòng xác nhận để rút hồ sơ.")},
    )


_OPTIONAL_LEVELS = [("", _("Không đánh giá")), *Satisfaction.choices]


class RatingForm(forms.Form):
    use_required_attribute = False

    overall = forms.ChoiceField(
        label=_("Mức độ hài lòng chung"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vui lòng chọn mức độ hài lòng chung.")},
    )
    convenience = forms.ChoiceField(
        label=_("Sự thuận tiện khi nộp hồ sơ"),
        choices=_OPTIONAL_LEVELS,
        required=False,
        widget=forms.RadioSelect,
    )
    timeliness = forms.ChoiceField(
        label=_("Thời gian giải quyết"),
        choices=_OPTIONAL_LEVELS,
        required=False,
        widget=forms.RadioSelect,
    )
    attitude = forms.ChoiceField(
        label=_("Thái độ của cán bộ"),
        choices=_OPTIONAL_LEVELS,
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Góp ý (không bắt buộc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LookupForm(forms.Form):
    default_renderer = portal_form_renderer

    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=48,
        help_text=_("In trên giấy tiếp nhận, ví dụ 000.00.21.H16-250714-0001."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    factor = forms.CharField(
        label=_("4 số cuối số điện thoại hoặc số định danh của người nộp (không bắt buộc)"),
        required=False,
        max_length=4,
        help_text=_("Nhập để xem quá trình xử lý hồ sơ."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()

    def clean_factor(self) -> str:
        return self.cleaned_data["factor"].strip()
