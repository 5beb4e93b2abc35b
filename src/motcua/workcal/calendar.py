"""Working-calendar computations (interface; implementation in progress)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Timing(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


def is_working_day(day: dt.date) -> bool:
    """True when `day` is a working day (VN calendar plus database overrides)."""
    raise NotImplementedError


def add_working_time(start: dt.datetime, amount: int | Decimal, unit: str) -> dt.datetime:
    """Add `amount` working "days" (× 8 working hours) or "hours" to the aware `start`."""
    raise NotImplementedError


def receipt_time(moment: dt.datetime) -> dt.datetime:
    """t0: `moment` if inside working time, else the start of the next working session."""
    raise NotImplementedError


def compute_due(t0: dt.datetime, amount: int, time_unit: str) -> dt.datetime:
    """Due time for a limit in catalog.TimeUnit (working_days, calendar_days, working_hours, same_day)."""
    raise NotImplementedError


def working_hours_between(start: dt.datetime, end: dt.datetime) -> Decimal:
    """Working hours elapsed from `start` to `end` (negative if end < start)."""
    raise NotImplementedError


def classify(finished_at: dt.datetime, due_at: dt.datetime) -> Timing:
    """Early if it ends on a day before the due day; on time if not after due_at; else late."""
    raise NotImplementedError
