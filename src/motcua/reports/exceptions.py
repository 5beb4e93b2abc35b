"""Errors of the report submission workflow, each with a stable code and a Vietnamese message."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from motcua.errors import MotcuaError


class ReportError(MotcuaError):
    code: str = "report_error"
    message: Any = _("Không thực hiện được thao tác với báo cáo.")
    http_status: int = 422


class AlreadySubmitted(ReportError):
    code = "report_already_submitted"
    message = _("Báo cáo kỳ này đã được gửi; số liệu đã gửi không thể thay đổi.")
    http_status = 409


class PeriodNotClosed(ReportError):
    code = "report_period_not_closed"
    message = _("Kỳ báo cáo chưa kết thúc, chưa thể gửi báo cáo.")


class NotSubmittable(ReportError):
    code = "report_changed"
    message = _("Báo cáo vừa được lập lại; vui lòng xem lại số liệu trước khi gửi.")
    http_status = 409
