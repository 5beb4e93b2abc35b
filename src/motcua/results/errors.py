"""Errors of the e-results, in the dossier error hierarchy so pages and the API map them once."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from motcua.dossiers.exceptions import DossierError


class ResultError(DossierError):
    code = "result_error"
    message = _("Không thực hiện được thao tác với kết quả điện tử.")


class SigningFailed(ResultError):
    """The agency's signature could not be applied: the approval stops, nothing changes."""

    code = "signing_failed"
    message = _("Không ký số được kết quả giải quyết.")
    http_status = 409


class ResultNotSignable(ResultError):
    code = "result_not_signable"
    message = _(
        "Tệp kết quả phải là PDF hoặc ảnh quét (JPEG, PNG) để ký số; tệp Word cần chuyển sang PDF."
    )


class ResultNotFound(ResultError):
    code = "result_not_found"
    message = _("Không tìm thấy kết quả điện tử.")
    http_status = 404


class CorrectionNotAllowed(ResultError):
    code = "correction_not_allowed"
    message = _("Chỉ đính chính được kết quả hiện hành của hồ sơ đã có kết quả.")
    http_status = 409
