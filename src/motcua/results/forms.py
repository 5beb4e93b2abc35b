"""The forms of the e-results: the verification page's upload (one PDF, checked by size and
content) and the back office's correction (a reason, optionally a corrected PDF or scan)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.uploads import UploadRefused, inspect

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


CORRECTION_REASON_REQUIRED = _("Cần nêu rõ lý do đính chính kết quả.")
SIGNABLE_MAGIC = (b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
SIGNABLE_TYPES = ("application/pdf", "image/jpeg", "image/png")


class CorrectionForm(forms.Form):
    """A unit leader's correction of an issued result (results.services.result_correct): the
    reason, and optionally the corrected PDF or scan (else the template is rendered again)."""

    reason = forms.CharField(
        label=_("Lý do đính chính"),
        max_length=2000,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": CORRECTION_REASON_REQUIRED,
            "max_length": _("Lý do đính chính dài quá %(limit_value)d ký tự."),
        },
    )
    file = forms.FileField(
        label=_("Tệp kết quả đã sửa (PDF hoặc ảnh quét JPEG, PNG; không bắt buộc)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
        help_text=_("Không chọn tệp: kết quả được tạo lại từ mẫu, ghi rõ kết quả được thay thế."),
        error_messages={"empty": EMPTY},
    )

    def __init__(self, *args, result_code: str = "", **kwargs) -> None:  # type: ignore[no-untyped-def]
        # One form per result on the dossier page: its fields' ids must not clash.
        kwargs.setdefault("prefix", f"dinh-chinh-{result_code}" if result_code else None)
        super().__init__(*args, **kwargs)

    def clean_reason(self) -> str:
        reason = " ".join(str(self.cleaned_data.get("reason") or "").split())
        if not reason:
            raise forms.ValidationError(CORRECTION_REASON_REQUIRED)
        return reason

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        limit = settings.MOTCUA_MAX_UPLOAD_BYTES
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(TOO_LARGE % {"mb": limit // (1024 * 1024)})
        upload.seek(0)
        head = upload.read(8)
        upload.seek(0)
        if not head:
            raise forms.ValidationError(EMPTY)
        if not head.startswith(SIGNABLE_MAGIC):
            raise forms.ValidationError(
                _(
                    "Tệp kết quả phải là PDF hoặc ảnh quét (JPEG, PNG) để ký số; tệp Word cần "
                    "chuyển sang PDF."
                )
            )
        # The same content checks as every upload (a parser opens it; polyglots, bombs refused).
        try:
            inspect(upload, allowed=SIGNABLE_TYPES, max_pixels=settings.MOTCUA_MAX_IMAGE_PIXELS)
        except UploadRefused as refused:
            raise forms.ValidationError(refused.message) from None
        upload.seek(0)
        return upload
