"""Working calendar: working days and hours, receipt time, due times, early/on-time/late.

The public API (DESIGN.md §4); everything else in this package is internal.
"""

from motcua.workcal.calendar import (
    Timing,
    add_working_time,
    classify,
    compute_due,
    is_working_day,
    receipt_time,
    working_hours_between,
)

__all__ = [
    "Timing",
    "add_working_time",
    "classify",
    "compute_due",
    "is_working_day",
    "receipt_time",
    "working_hours_between",
]
