"""Forms of the back office's postal pages: the hand-over of a pickup, a tracking number entered by
hand, an order withdrawn, a result's delivery address (province and ward from the national list)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from motcua.postal import services as postal
from motcua.postal.addresses import (
    PHONE_INVALID,
    address_errors,
    phone_valid,
    provinces,
    wards_of,
)
from motcua.postal.models import Shipment
from motcua.postal.tracking import s10_valid

TRACKING_INVALID = _(
    "Số hiệu bưu gửi không hợp lệ: gồm 2 chữ cái, 9 chữ số (chữ số cuối là số kiểm tra) "
    "và mã nước, ví dụ EB123456785VN."
)
TRACKING_USED = _("Số hiệu bưu gửi này đã được ghi cho một bưu gửi khác.")


def clean_tracking(value: str, *, required: bool) -> str:
    """The number without spaces, in capitals; a valid S10 number not already in use."""
    number = "".join((value or "").split()).upper()
    if not number:
        if required:
            raise forms.ValidationError(_("Nhập số hiệu bưu gửi."))
        return ""
    if not s10_valid(number):
        raise forms.ValidationError(TRACKING_INVALID)
    if Shipment.objects.filter(tracking_number=number).exists():
        raise forms.ValidationError(TRACKING_USED)
    return number


class HandoverForm(forms.Form):
    courier_name = forms.CharField(
        label=_("Họ tên nhân viên bưu chính bàn giao"),
        max_length=200,
        error_messages={"required": _("Nhập họ tên nhân viên bưu chính bàn giao hồ sơ.")},
    )
    note = forms.CharField(
        label=_("Ghi chú biên bản bàn giao"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TrackingForm(forms.Form):
    tracking_number = forms.CharField(
        label=_("Số hiệu bưu gửi"),
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "EB123456785VN", "autocomplete": "off"}),
    )

    def clean_tracking_number(self) -> str:
        return clean_tracking(self.cleaned_data["tracking_number"], required=True)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do huỷ đơn"),
        max_length=500,
        error_messages={"required": _("Nêu lý do huỷ đơn bưu gửi.")},
    )


def _province_choices() -> list[tuple[str, str]]:
    return [("", _("— Chọn tỉnh, thành phố —")), *provinces()]


def _ward_choices(province_code: str) -> list[tuple[str, str]]:
    return [("", _("— Chọn xã, phường, đặc khu —")), *wards_of(province_code)]


class AddressFieldsMixin:
    """Province, ward (of the chosen province), street, phone and name of a postal address.

    The ward list is the chosen province's: after the province changes, the page comes back
    with the new province's wards and every other value kept (no JavaScript needed)."""

    prefix_fields = ("name", "phone", "province_code", "ward_code", "street")

    def _address_fields(self, *, province_code: str, required: bool) -> None:
        fields: dict[str, forms.Field] = {
            "name": forms.CharField(
                label=_("Họ và tên người nhận"), max_length=200, required=required
            ),
            "phone": forms.CharField(
                label=_("Số điện thoại người nhận"), max_length=15, required=required
            ),
            # The portal's script (portal/postal-address.js) refills the wards on a change of
            # province from its public list; without it the server's check refreshes them.
            "province_code": forms.ChoiceField(
                label=_("Tỉnh, thành phố"),
                choices=_province_choices(),
                required=required,
                widget=forms.Select(attrs={"data-postal-province": ""}),
            ),
            "ward_code": forms.ChoiceField(
                label=_("Xã, phường, đặc khu"),
                choices=_ward_choices(province_code),
                required=required,
                widget=forms.Select(attrs={"data-wards-url": reverse_lazy("portal:postal_wards")}),
            ),
            "street": forms.CharField(
                label=_("Số nhà, đường, thôn, tổ"), max_length=300, required=required
            ),
        }
        messages = {
            "name": _("Nhập họ và tên người nhận."),
            "phone": str(PHONE_INVALID),
            "province_code": _("Chọn tỉnh, thành phố trong danh mục."),
            "ward_code": _("Chọn xã, phường, đặc khu trong danh mục."),
            "street": _("Nhập số nhà, tên đường hoặc thôn, tổ dân phố."),
        }
        for name, field in fields.items():
            field.error_messages["required"] = messages[name]
            # A ward of another province is reported by `address_errors` with its own words.
            field.error_messages["invalid_choice"] = messages[name]
            self.fields[self.address_prefix + name] = field  # type: ignore[attr-defined]

    address_prefix = ""

    def _chosen_province(self, data: Any, initial: dict[str, Any]) -> str:
        key = self.add_prefix(self.address_prefix + "province_code")  # type: ignore[attr-defined]
        if data is not None and data.get(key):
            return str(data.get(key))
        return str(initial.get(self.address_prefix + "province_code") or "")

    def address_check(self, data: dict[str, Any]) -> postal.Address | None:
        """The address entered, checked as the service checks it; errors go on the fields."""
        p = self.address_prefix
        values = {name: (data.get(p + name) or "").strip() for name in self.prefix_fields}
        if any(p + name in self.errors for name in self.prefix_fields):  # type: ignore[attr-defined]
            return None
        errors = address_errors(
            province_code=values["province_code"],
            ward_code=values["ward_code"],
            street=values["street"],
        )
        if not values["name"]:
            errors["name"] = str(_("Nhập họ và tên người nhận."))
        if not phone_valid(values["phone"]):
            errors["phone"] = str(PHONE_INVALID)
        for name, message in errors.items():
            self.add_error(p + name, message)  # type: ignore[attr-defined]
        if errors:
            return None
        return postal.Address(
            values["name"],
            values["phone"],
            values["province_code"],
            values["ward_code"],
            values["street"],
        )


class DeliveryAddressForm(AddressFieldsMixin, forms.Form):
    """Where the desk sends a ready result (an in-person dossier, or again after a return)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._address_fields(
            province_code=self._chosen_province(self.data if self.is_bound else None, self.initial),
            required=True,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.address = self.address_check(data)
        return data


def address_initial(*, address: Any) -> dict[str, str]:
    """The form's values from a DossierAddress or a shipment's recipient (`person_*`)."""
    if address is None:
        return {}
    if isinstance(address, Shipment):
        return {
            "name": address.person_name,
            "phone": address.person_phone,
            "province_code": address.person_province_code,
            "ward_code": address.person_ward_code,
            "street": address.person_street,
        }
    return {
        "name": address.name,
        "phone": address.phone,
        "province_code": address.province_code,
        "ward_code": address.ward_code,
        "street": address.street,
    }
