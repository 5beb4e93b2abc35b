"""Working calendar: working days and hours, receipt time, due times, early/on-time/late.

The public API (docs/ARCHITECTURE.md §4); everything else in this package is internal.
"""

from motcua.workcal.calendar import (
    PendingTiming,
    Timing,
    add_working_time,
    apology_deadline,
    classify,
    classify_national,
    classify_pending,
    compute_due,
    due_after_supplement,
    handover_deadline,
    is_due_soon,
    is_working_day,
    reappointment_check,
    receipt_time,
    working_calendar,
    working_hours_between,
)

__all__ = [
    "PendingTiming",
    "Timing",
    "add_working_time",
    "apology_deadline",
    "classify",
    "classify_national",
    "classify_pending",
    "compute_due",
    "due_after_supplement",
    "handover_deadline",
    "is_due_soon",
    "is_working_day",
    "reappointment_check",
    "receipt_time",
    "working_calendar",
    "working_hours_between",
]
