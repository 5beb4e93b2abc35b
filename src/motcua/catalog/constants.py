"""Online levels, modes and time-limit units of procedures."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OnlineLevel(models.IntegerChoices):
    LEVEL_1 = 1, _("Mức độ 1 (cung cấp thông tin)")
    LEVEL_2 = 2, _("Mức độ 2 (tải biểu mẫu)")
    LEVEL_3 = 3, _("Mức độ 3 (nộp trực tuyến một phần)")
    LEVEL_4 = 4, _("Mức độ 4 (trực tuyến toàn trình)")


class OnlineMode(models.TextChoices):
    INFO = "info", _("Cung cấp thông tin")
    PARTIAL = "partial", _("Dịch vụ công trực tuyến một phần")
    FULL = "full", _("Dịch vụ công trực tuyến toàn trình")


def mode_for_level(level: int) -> str:
    if level >= OnlineLevel.LEVEL_4:
        return OnlineMode.FULL
    if level == OnlineLevel.LEVEL_3:
        return OnlineMode.PARTIAL
    return OnlineMode.INFO


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    SAME_DAY = "same_day", _("trong ngày")


class FeeStage(models.TextChoices):
    """When a procedure's fees fall due (docs/PAYMENTS.md)."""

    SUBMISSION = "submission", _("Khi nộp hồ sơ (nộp phí trước khi hồ sơ đến bộ phận một cửa)")
    ACCEPTANCE = "acceptance", _("Khi tiếp nhận hồ sơ")
    RESULT = "result", _("Khi có kết quả (trả kết quả sau khi nộp phí)")


class SupplementPolicy(models.TextChoices):
    RESTART = "restart", _("Tính lại từ đầu khi nhận đủ hồ sơ bổ sung")
    PAUSE = "pause", _("Không tính thời gian chờ bổ sung")
