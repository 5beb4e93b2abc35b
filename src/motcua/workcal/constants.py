"""Choices of the working calendar: override kinds and scopes, and the timing classes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OverrideKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ")
    WORKING_DAY = "working_day", _("Ngày làm việc (làm bù)")


class OverrideScope(models.TextChoices):
    NATIONAL = "national", _("Toàn quốc")
    PROVINCE = "province", _("Toàn tỉnh")
    UNIT = "unit", _("Đơn vị (và các đơn vị trực thuộc)")


class Timing(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class PendingTiming(models.TextChoices):
    WITHIN_DEADLINE = "within_deadline", _("Trong hạn")
    OVERDUE = "overdue", _("Quá hạn")


# How a due time in working days is rounded (docs/DOMAIN.md §4).
ROUNDING_EXACT = "exact"
ROUNDING_END_OF_DAY = "end_of_day"
ROUNDINGS = (ROUNDING_EXACT, ROUNDING_END_OF_DAY)

# What happens to the deadline when a supplement arrives after reception (docs/DOMAIN.md §4).
SUPPLEMENT_RESTART = "restart"
SUPPLEMENT_PAUSE = "pause"
SUPPLEMENT_POLICIES = (SUPPLEMENT_RESTART, SUPPLEMENT_PAUSE)
