"""Forms of the account pages: sign-up, sign-in, profile; Vietnamese messages next to each field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import User, UserKind
from .validators import (
    normalise_phone,
    validate_citizen_id,
    validate_tax_code,
    validate_vn_mobile,
)

REQUIRED = _("Vui lòng nhập %(field)s.")
CONTACT_REQUIRED = _("Nhập thư điện tử hoặc số điện thoại di động (ít nhất một).")
EMAIL_TAKEN = _("Thư điện tử này đã được dùng cho một tài khoản khác.")
PHONE_TAKEN = _("Số điện thoại này đã được dùng cho một tài khoản khác.")
CITIZEN_ID_TAKEN = _("Số định danh cá nhân này đã được dùng cho một tài khoản khác.")
PASSWORD_MISMATCH = _("Hai lần nhập mật khẩu không khớp nhau.")
SIGNIN_BLOCKED = _(
    "Bạn đã đăng nhập sai quá nhiều lần. Vì an toàn, vui lòng thử lại sau 15 phút "
    "hoặc dùng chức năng quên mật khẩu."
)
SIGNIN_INVALID = _(
    "Thông tin đăng nhập hoặc mật khẩu không đúng. Lưu ý mật khẩu phân biệt chữ hoa, chữ thường."
)


def _required(field: forms.Field) -> None:
    field.error_messages["required"] = REQUIRED % {"field": str(field.label).lower()}


class _ContactFieldsMixin:
    """The e-mail, phone, citizen ID and tax code checks shared by sign-up and the profile: valid,
    and not taken by another account (`own_pk`, the account being edited, is not "another")."""

    cleaned_data: dict[str, Any]
    own_pk: int | None = None

    def clean_email(self) -> str:
        email = self.cleaned_data.get("email", "").strip()
        if email and selectors.user_email_taken(email=email, exclude_pk=self.own_pk):
            raise ValidationError(EMAIL_TAKEN, code="email_taken")
        return email

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone", "").strip()
        if not phone:
            return ""
        validate_vn_mobile(phone)
        phone = normalise_phone(phone)
        if selectors.user_phone_taken(phone=phone, exclude_pk=self.own_pk):
            raise ValidationError(PHONE_TAKEN, code="phone_taken")
        return phone

    def clean_citizen_id(self) -> str:
        citizen_id = self.cleaned_data.get("citizen_id", "").strip()
        if citizen_id:
            validate_citizen_id(citizen_id)
            if selectors.user_citizen_id_taken(citizen_id=citizen_id, exclude_pk=self.own_pk):
                raise ValidationError(CITIZEN_ID_TAKEN, code="citizen_id_taken")
        return citizen_id

    def clean_tax_code(self) -> str:
        tax_code = self.cleaned_data.get("tax_code", "").strip()
        if tax_code:
            validate_tax_code(tax_code)
        return tax_code


class SignUpForm(_ContactFieldsMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Bạn đăng ký với tư cách"),
        choices=[
            (UserKind.CITIZEN, _("Công dân")),
            (UserKind.BUSINESS, _("Tổ chức, doanh nghiệp")),
        ],
        widget=forms.RadioSelect,
        initial=UserKind.CITIZEN,
    )
    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=200,
        help_text=_("Với tổ chức, doanh nghiệp: họ và tên người đại diện."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Thư điện tử không đúng định dạng, ví dụ ten@example.vn.")},
    )
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        required=False,
        max_length=20,
        help_text=_("10 chữ số, ví dụ 0912345678."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    citizen_id = forms.CharField(
        label=_("Số định danh cá nhân (CCCD)"),
        required=False,
        max_length=12,
        help_text=_("12 chữ số trên thẻ căn cước. Bắt buộc với công dân."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    organisation_name = forms.CharField(
        label=_("Tên tổ chức, doanh nghiệp"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    tax_code = forms.CharField(
        label=_("Mã số thuế"),
        required=False,
        max_length=14,
        help_text=_("10 chữ số, hoặc 10-3 chữ số với đơn vị phụ thuộc. Bắt buộc với doanh nghiệp."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    password1 = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Ít nhất 8 ký tự, không chỉ gồm chữ số, không quá phổ biến."),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _required(field)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        no_contact = not data.get("email") and not data.get("phone")
        if no_contact and not self.has_error("email") and not self.has_error("phone"):
            self.add_error("phone", ValidationError(CONTACT_REQUIRED, code="contact"))
        if (
            kind == UserKind.CITIZEN
            and not data.get("citizen_id")
            and not self.has_error("citizen_id")
        ):
            self.add_error("citizen_id", REQUIRED % {"field": _("số định danh cá nhân")})
        if kind == UserKind.BUSINESS:
            if not data.get("organisation_name"):
                self.add_error("organisation_name", REQUIRED % {"field": _("tên tổ chức")})
            if not data.get("tax_code") and not self.has_error("tax_code"):
                self.add_error("tax_code", REQUIRED % {"field": _("mã số thuế")})
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", ValidationError(PASSWORD_MISMATCH, code="mismatch"))
        elif password1:
            candidate = User(
                username=data.get("phone") or data.get("email") or "",
                email=data.get("email") or "",
                full_name=data.get("full_name") or "",
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Thư điện tử, số điện thoại hoặc tên đăng nhập"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": SIGNIN_INVALID,
        "inactive": _("Tài khoản này đã bị khoá."),
    }

    def __init__(self, *args: Any, blocked: bool = False, **kwargs: Any) -> None:
        self.blocked = blocked
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _required(field)

    def clean(self) -> dict[str, Any]:
        if self.blocked:
            raise ValidationError(SIGNIN_BLOCKED, code="rate_limited")
        return super().clean()


class ProfileForm(_ContactFieldsMixin, forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        error_messages={"invalid": _("Thư điện tử không đúng định dạng, ví dụ ten@example.vn.")},
    )
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    citizen_id = forms.CharField(
        label=_("Số định danh cá nhân (CCCD)"), required=False, max_length=12
    )
    address = forms.CharField(
        label=_("Địa chỉ liên hệ"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    organisation_name = forms.CharField(
        label=_("Tên tổ chức, doanh nghiệp"), required=False, max_length=255
    )
    tax_code = forms.CharField(label=_("Mã số thuế"), required=False, max_length=14)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        self.own_pk = user.pk
        kwargs.setdefault("initial", {name: getattr(user, name) for name in self.base_fields})
        super().__init__(*args, **kwargs)
        if user.kind != UserKind.BUSINESS:
            del self.fields["organisation_name"]
            del self.fields["tax_code"]
        for field in self.fields.values():
            _required(field)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        no_contact = not data.get("email") and not data.get("phone")
        if no_contact and not self.has_error("email") and not self.has_error("phone"):
            self.add_error("phone", ValidationError(CONTACT_REQUIRED, code="contact"))
        return data
