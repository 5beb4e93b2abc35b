"""Working calendar: working days and hours, receipt time, due times, early/on-time/late.

The public API (DESIGN.md §4); everything else in this package is internal.
"""

from motcua.workcal.calendar import (
    PendingTiming,
    Timing,
    add_working_time,
    classify,
    classify_pending,
    compute_due,
    due_after_supplement,
    is_working_day,
    receipt_time,
    working_calendar,
    working_hours_between,
)

__all__ = [
    "PendingTiming",
    "Timing",
    "add_working_time",
    "classify",
    "classify_pending",
    "compute_due",
    "due_after_supplement",
    "is_working_day",
    "receipt_time",
    "working_calendar",
    "working_hours_between",
]
