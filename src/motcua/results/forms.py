"""The verification page's upload form: one PDF, checked by size and content."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

NOT_PDF = _("Chỉ kiểm tra được tệp PDF (tệp kết quả điện tử đã ký số).")
TOO_LARGE = _("Tệp vượt quá dung lượng cho phép (%(mb)s MB).")
EMPTY = _("Tệp rỗng.")


def read_pdf_upload(upload) -> bytes:  # type: ignore[no-untyped-def]
    """The bytes of an uploaded PDF, or a ValidationError with a Vietnamese reason."""
    limit = settings.MOTCUA_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise forms.ValidationError(TOO_LARGE % {"mb": limit // (1024 * 1024)})
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise forms.ValidationError(TOO_LARGE % {"mb": limit // (1024 * 1024)})
    if not content:
        raise forms.ValidationError(EMPTY)
    if not content.startswith(b"%PDF-"):
        raise forms.ValidationError(NOT_PDF)
    return content


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp kết quả cần kiểm tra (PDF)"),
        error_messages={"required": _("Chọn tệp PDF cần kiểm tra."), "empty": EMPTY},
    )

    def clean_file(self) -> bytes:
        return read_pdf_upload(self.cleaned_data["file"])
