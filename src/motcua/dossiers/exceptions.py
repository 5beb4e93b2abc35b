"""Domain errors of the dossier aggregate, each with a stable code and a Vietnamese message."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from motcua.errors import MotcuaError


class DossierError(MotcuaError):
    """Root of every dossier error. The API maps it to 4xx JSON, pages to a message."""

    code: str = "dossier_error"
    message: Any = _("Không thực hiện được thao tác trên hồ sơ.")
    http_status: int = 422


class IllegalTransition(DossierError):
    code = "illegal_transition"
    message = _("Thao tác này không được phép ở trạng thái hiện tại của hồ sơ.")
    http_status = 409


class StaleDossier(DossierError):
    code = "stale_dossier"
    message = _("Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại và thực hiện lại.")
    http_status = 409


class PermissionDenied(DossierError):
    code = "permission_denied"
    message = _("Bạn không có quyền thực hiện thao tác này trên hồ sơ.")
    http_status = 403


class MissingDocuments(DossierError):
    code = "missing_documents"
    message = _("Hồ sơ còn thiếu thành phần bắt buộc.")


class InvalidAttachment(DossierError):
    code = "invalid_attachment"
    message = _("Tệp đính kèm không hợp lệ.")


class ApologyNotAllowed(DossierError):
    code = "apology_not_allowed"
    message = _(
        "Chỉ được xin lỗi, hẹn lại một lần khi hồ sơ đã quá hạn hoặc còn không quá 1 ngày làm việc."
    )
    http_status = 409


class ValidationFailed(DossierError):
    code = "validation_failed"
    message = _("Dữ liệu không hợp lệ.")


class CodeSpaceExhausted(DossierError):
    code = "code_space_exhausted"
    message = _("Đã hết số thứ tự hồ sơ trong ngày của cơ quan (tối đa 9999).")
    http_status = 409


class PaymentDue(DossierError):
    code = "payment_due"
    message = _("Hồ sơ chưa nộp phí, lệ phí: cần thanh toán trước khi thực hiện thao tác này.")
    http_status = 409
