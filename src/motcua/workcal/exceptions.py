"""Errors of the working calendar, each with a stable code and a Vietnamese message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class WorkcalError(Exception):
    """Root of the working-calendar errors; `code` is stable, `message` is for people."""

    code = "workcal_error"
    default_message = _("Lỗi tính lịch làm việc.")

    def __init__(self, message: str | None = None) -> None:
        self.message = str(message if message is not None else self.default_message)
        super().__init__(self.message)


class NaiveDatetime(WorkcalError, ValueError):
    code = "naive_datetime"
    default_message = _("Thời điểm phải có múi giờ (aware datetime).")


class InvalidTimeUnit(WorkcalError, ValueError):
    code = "invalid_time_unit"
    default_message = _("Đơn vị thời gian không hợp lệ.")


class InvalidAmount(WorkcalError, ValueError):
    code = "invalid_amount"
    default_message = _("Thời hạn không hợp lệ.")


class InvalidPolicy(WorkcalError, ValueError):
    code = "invalid_policy"
    default_message = _("Chính sách tính thời hạn không hợp lệ.")


class InvalidOfficeHours(WorkcalError, ValueError):
    code = "invalid_office_hours"
    default_message = _(
        "Giờ làm việc phải có dạng HH:MM-HH:MM, các buổi theo thứ tự và không chồng lên nhau."
    )


class NoWorkingDays(WorkcalError):
    code = "no_working_days"
    default_message = _("Lịch không có ngày làm việc nào trong khoảng thời gian cần tính.")


class ApologyError(WorkcalError):
    code = "apology_error"
    default_message = _("Không thể hẹn lại ngày trả kết quả.")


class ApologyAlreadyIssued(ApologyError):
    code = "apology_already_issued"
    default_message = _(
        "Hồ sơ đã được hẹn lại ngày trả kết quả một lần; không được hẹn lại lần nữa."
    )


class ApologyNewDueNotLater(ApologyError):
    code = "apology_new_due_not_later"
    default_message = _("Ngày hẹn trả mới phải sau ngày hẹn trả hiện tại.")


class ApologyNewDueNotWorkingTime(ApologyError):
    code = "apology_new_due_not_working_time"
    default_message = _("Ngày hẹn trả mới phải nằm trong giờ làm việc của một ngày làm việc.")
