"""Each agency's signing certificate: a PKCS#12 on the server's disk and where its password is.

The form opens the file with the password before saving (it holds a key and a certificate, the
certificate is in its validity) and copies the subject, issuer, serial and dates onto the row;
the password itself is never asked for, stored or shown: only the name of its variable or file.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import SigningCertificate
from .signing import (
    SigningError,
    certificate_facts,
    check_validity,
    load_identity,
    read_password,
)


class SigningCertificateForm(forms.ModelForm):
    class Meta:
        model = SigningCertificate
        fields = ("unit", "label", "pkcs12_path", "password_env", "password_file", "is_active")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        password_env = (data.get("password_env") or "").strip()
        password_file = (data.get("password_file") or "").strip()
        if bool(password_env) == bool(password_file):
            raise forms.ValidationError(
                _(
                    "Chọn đúng một nguồn mật khẩu: tên biến môi trường hoặc đường dẫn tệp chứa "
                    "mật khẩu (không nhập mật khẩu vào đây)."
                ),
                code="password_source",
            )
        path = (data.get("pkcs12_path") or "").strip()
        if not path or self.errors:
            return data
        try:
            identity = load_identity(
                pkcs12_path=path,
                password=read_password(password_env=password_env, password_file=password_file),
            )
            check_validity(certificate=identity.certificate, moments=[timezone.now()])
        except SigningError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None
        facts = certificate_facts(identity.certificate)
        for name in ("subject", "issuer", "serial", "fingerprint", "not_before", "not_after"):
            setattr(self.instance, name, getattr(facts, name))
        data.update(pkcs12_path=path, password_env=password_env, password_file=password_file)
        return data


@admin.register(SigningCertificate)
class SigningCertificateAdmin(admin.ModelAdmin):
    form = SigningCertificateForm
    list_display = ("unit", "label", "serial", "not_after", "is_active", "is_demo")
    list_filter = ("is_active", "is_demo")
    search_fields = ("unit__name", "unit__code", "label", "subject", "serial")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    readonly_fields = (
        "subject",
        "issuer",
        "serial",
        "fingerprint",
        "not_before",
        "not_after",
        "is_demo",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("unit", "label", "is_active")}),
        (
            _("Tệp chứng thư số và mật khẩu"),
            {
                "fields": ("pkcs12_path", "password_env", "password_file"),
                "description": _(
                    "Tệp PKCS#12 nằm trên máy chủ; mật khẩu đặt trong biến môi trường hoặc một "
                    "tệp quyền 0600, không bao giờ lưu trong cơ sở dữ liệu."
                ),
            },
        ),
        (
            _("Thông tin đọc từ chứng thư"),
            {"fields": readonly_fields},
        ),
    )
