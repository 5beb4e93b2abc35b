"""Working-calendar computations: working days, t0, due times, elapsed time, classification.

Rules: docs/DOMAIN.md §4. The arithmetic is in `engine.py`; this module picks the calendar that
applies (the VN calendar of the `holidays` package, then the database overrides of the nation,
the province and the unit with its ancestors; the office hours of the nearest unit that has
its own, else settings.MOTCUA_OFFICE_HOURS) and caches it per process. Every public function
takes an optional keyword `org_unit` (an `orgs.Unit`) for unit-scoped overrides and hours.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from motcua.catalog.constants import TimeUnit
from motcua.workcal import engine
from motcua.workcal.constants import (
    ROUNDING_END_OF_DAY,
    ROUNDINGS,
    SUPPLEMENT_PAUSE,
    SUPPLEMENT_POLICIES,
    SUPPLEMENT_RESTART,
    OverrideKind,
    OverrideScope,
    PendingTiming,
    Timing,
)
from motcua.workcal.exceptions import (
    ApologyAlreadyIssued,
    ApologyNewDueNotLater,
    ApologyNewDueNotWorkingTime,
    InvalidAmount,
    InvalidPolicy,
    InvalidTimeUnit,
)

if TYPE_CHECKING:
    from motcua.orgs.models import Unit

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

ADD_UNITS = ("days", "hours")

# Seconds a process trusts its cached overrides before it asks the database again; writes
# made through this process clear the cache at once. Tests always ask (rolled-back rows).
_DEFAULT_TTL = 0.0 if getattr(settings, "TESTING", False) else 30.0


Rows = tuple[tuple[dt.date, str, str, int | None], ...]


@dataclass
class _Entry:
    checked_at: float
    state: tuple[Rows, str]
    calendar: engine.WorkingCalendar


_cache: dict[tuple, _Entry] = {}
_shared: dict[tuple, engine.WorkingCalendar] = {}
_lock = threading.Lock()


def clear_cache() -> None:
    """Forget every cached calendar (called when an override or office hours change)."""
    with _lock:
        _cache.clear()
        _shared.clear()


def ancestor_ids(org_unit: Unit | None) -> tuple[int, ...]:
    if org_unit is None:
        return ()
    ids = tuple(int(part) for part in (org_unit.path or "").strip("/").split("/") if part)
    return ids or ((org_unit.pk,) if org_unit.pk else ())


def overrides_filter(ancestors: tuple[int, ...]) -> Q:
    """The overrides that apply to a unit with these ancestor ids (itself last)."""
    general = Q(scope__in=[OverrideScope.NATIONAL, OverrideScope.PROVINCE])
    if not ancestors:
        return general
    return general | Q(scope=OverrideScope.UNIT, unit_id__in=ancestors)


def _load_rows(ancestors: tuple[int, ...]) -> Rows:
    from motcua.workcal.models import CalendarOverride

    rows = CalendarOverride.objects.filter(overrides_filter(ancestors)).values_list(
        "date", "kind", "scope", "unit_id"
    )
    return tuple(sorted(rows, key=lambda row: (row[0], row[2], row[3] or 0)))


def _load_office_hours(ancestors: tuple[int, ...]) -> str:
    """The sessions of the nearest unit (itself first, then upwards) that has its own, or ""."""
    if not ancestors:
        return ""
    from motcua.workcal.models import OfficeHours

    found = dict(
        OfficeHours.objects.filter(unit_id__in=ancestors).values_list("unit_id", "sessions")
    )
    return next((found[unit_id] for unit_id in reversed(ancestors) if unit_id in found), "")


def _resolve(rows: Rows, ancestors: tuple[int, ...]) -> dict[dt.date, bool]:
    """One status per day: the most specific override wins."""
    rank_of_unit = {unit_id: 2 + depth for depth, unit_id in enumerate(ancestors)}
    best: dict[dt.date, tuple[int, bool]] = {}
    for day, kind, scope, unit_id in rows:
        if scope == OverrideScope.NATIONAL:
            rank = 0
        elif scope == OverrideScope.PROVINCE:
            rank = 1
        else:
            rank = rank_of_unit.get(unit_id, -1)
            if rank < 0:
                continue
        if day not in best or rank > best[day][0]:
            best[day] = (rank, kind == OverrideKind.WORKING_DAY)
    return {day: working for day, (_, working) in best.items()}


def working_calendar(*, org_unit: Unit | None = None) -> engine.WorkingCalendar:
    """The calendar for `org_unit` (or the province as a whole), for many computations in a row.

    One query (two with a unit: its office hours); the object answers the rest from memory.
    """
    default_sessions = tuple(settings.MOTCUA_OFFICE_HOURS)
    hours_per_day = int(settings.MOTCUA_HOURS_PER_WORKING_DAY)
    tz = timezone.get_default_timezone()
    ancestors = ancestor_ids(org_unit)
    key = (ancestors, default_sessions, hours_per_day, str(tz))
    ttl = float(getattr(settings, "MOTCUA_WORKCAL_CACHE_SECONDS", _DEFAULT_TTL))
    now = time.monotonic()
    entry = _cache.get(key)
    if entry is not None and now - entry.checked_at < ttl:
        return entry.calendar
    state = (_load_rows(ancestors), _load_office_hours(ancestors))
    if entry is not None and entry.state == state:
        entry.checked_at = now
        return entry.calendar
    rows, unit_sessions = state
    from motcua.workcal.models import split_sessions

    sessions = split_sessions(unit_sessions) if unit_sessions else default_sessions
    overrides = _resolve(rows, ancestors)
    # Units without their own overrides or hours share one calendar (and its per-year lists).
    shared_key = (frozenset(overrides.items()), _parse_sessions(sessions), hours_per_day, str(tz))
    with _lock:
        calendar = _shared.get(shared_key)
        if calendar is None:
            calendar = engine.WorkingCalendar(
                sessions=_parse_sessions(sessions),
                hours_per_day=hours_per_day,
                tz=tz,
                overrides=overrides,
            )
            _shared[shared_key] = calendar
        _cache[key] = _Entry(checked_at=now, state=state, calendar=calendar)
    return calendar


@functools.lru_cache(maxsize=64)
def _parse_sessions(spec: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    return engine.parse_sessions(spec)


def _amount(amount: int | Decimal) -> int | Decimal:
    if isinstance(amount, float):
        amount = Decimal(str(amount))
    if isinstance(amount, bool) or not isinstance(amount, int | Decimal | Fraction):
        raise InvalidAmount()
    if isinstance(amount, Decimal) and not amount.is_finite():
        raise InvalidAmount()
    return amount


def is_working_day(day: dt.date, *, org_unit: Unit | None = None) -> bool:
    """True when `day` is a working day (VN calendar plus database overrides)."""
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return working_calendar(org_unit=org_unit).is_working_day(day)


def add_working_time(
    start: dt.datetime, amount: int | Decimal, unit: str, *, org_unit: Unit | None = None
) -> dt.datetime:
    """Add `amount` working "days" (× 8 working hours) or "hours" to the aware `start`.

    A start outside working time counts from the next working session; a negative amount goes
    back. The result is an aware datetime in the local time zone, inside office hours.
    """
    if unit not in ADD_UNITS:
        raise InvalidTimeUnit()
    calendar = working_calendar(org_unit=org_unit)
    per_unit = calendar.day_micros if unit == "days" else engine.MICROS_PER_HOUR
    return calendar.add(start, engine.to_micros(_amount(amount), per_unit))


def receipt_time(moment: dt.datetime, *, org_unit: Unit | None = None) -> dt.datetime:
    """t0: `moment` if inside working time, else the start of the next working session."""
    return working_calendar(org_unit=org_unit).next_session_start(moment)


def compute_due(
    t0: dt.datetime,
    amount: int | Decimal,
    time_unit: str,
    *,
    rounding: str | None = None,
    org_unit: Unit | None = None,
) -> dt.datetime:
    """Due time for a limit in catalog.TimeUnit (working_days, calendar_days, working_hours, same_day).

    working_days: N × 8 working hours from t0 (`rounding` "exact", or "end_of_day" = when the
    due day's last session closes; default settings.MOTCUA_DUE_ROUNDING). calendar_days: the
    Civil Code count (day 1 is the day after t0), ending when the office closes on the last day,
    or on the next working day when the last day is not one. working_hours: working hours.
    same_day: when t0's working day closes.
    """
    rounding = rounding or settings.MOTCUA_DUE_ROUNDING
    if rounding not in ROUNDINGS:
        raise InvalidPolicy()
    amount = _amount(amount)
    if amount < 0:
        raise InvalidAmount()
    calendar = working_calendar(org_unit=org_unit)
    if time_unit == TimeUnit.WORKING_DAYS:
        due = calendar.add(t0, engine.to_micros(amount, calendar.day_micros))
        if rounding == ROUNDING_END_OF_DAY:
            due = calendar.end_of_working_day(due.date())
        return due
    if time_unit == TimeUnit.WORKING_HOURS:
        return calendar.add(t0, engine.to_micros(amount, engine.MICROS_PER_HOUR))
    if time_unit == TimeUnit.SAME_DAY:
        return calendar.end_of_working_day(calendar.next_session_start(t0).date())
    if time_unit == TimeUnit.CALENDAR_DAYS:
        days = int(-(-Fraction(amount) // 1))  # part of a day counts as a whole day
        last = calendar.local(t0).date() + dt.timedelta(days=days)
        return calendar.end_of_working_day(calendar.next_working_day(last))
    raise InvalidTimeUnit()


def working_hours_between(
    start: dt.datetime, end: dt.datetime, *, org_unit: Unit | None = None
) -> Decimal:
    """Working hours elapsed from `start` to `end` (negative if end < start), to the second."""
    micros = working_calendar(org_unit=org_unit).between(start, end)
    hours = Decimal(micros.numerator) / Decimal(micros.denominator) / engine.MICROS_PER_HOUR
    return hours.quantize(Decimal("0.000001"))


def classify(finished_at: dt.datetime, due_at: dt.datetime) -> Timing:
    """Early if it ends on a day before the due day; on time if not after due_at; else late."""
    if timezone.localtime(finished_at).date() < timezone.localtime(due_at).date():
        return Timing.EARLY
    if finished_at <= due_at:
        return Timing.ON_TIME
    return Timing.LATE


def classify_national(
    *,
    finished_at: dt.datetime,
    due_at: dt.datetime,
    supplements: Sequence[tuple[dt.datetime, dt.datetime]] = (),
) -> Timing:
    """Decision 766 indicator 2.1: the time waiting for supplements is not counted.

    `supplements` are (requested_at, completed_at) pairs; the finish is moved back by the time
    they took, and more than one supplement request makes the dossier late (docs/DOMAIN.md §6).
    """
    if len(supplements) > 1:
        return Timing.LATE
    waited = sum(
        (max(completed - requested, dt.timedelta(0)) for requested, completed in supplements),
        dt.timedelta(0),
    )
    return classify(finished_at - waited, due_at)


def classify_pending(at: dt.datetime, due_at: dt.datetime) -> PendingTiming:
    """An open dossier at `at` (a period's end) is within its deadline or overdue."""
    return PendingTiming.WITHIN_DEADLINE if at <= due_at else PendingTiming.OVERDUE


def due_after_supplement(
    *,
    due_at: dt.datetime,
    requested_at: dt.datetime,
    completed_at: dt.datetime,
    amount: int | Decimal,
    time_unit: str,
    policy: str | None = None,
    org_unit: Unit | None = None,
) -> dt.datetime:
    """The new due time once the complete supplement arrives (docs/DOMAIN.md §4).

    `restart` (default, settings.MOTCUA_SUPPLEMENT_POLICY): the whole limit again from the
    receipt of the complete supplement. `pause`: the old due time moved by the working time
    the dossier waited (from the request to the supplement).
    """
    policy = policy or settings.MOTCUA_SUPPLEMENT_POLICY
    if policy not in SUPPLEMENT_POLICIES:
        raise InvalidPolicy()
    if policy == SUPPLEMENT_RESTART:
        t0 = receipt_time(completed_at, org_unit=org_unit)
        return compute_due(t0, amount, time_unit, org_unit=org_unit)
    assert policy == SUPPLEMENT_PAUSE
    calendar = working_calendar(org_unit=org_unit)
    waited = max(calendar.between(requested_at, completed_at), Fraction(0))
    if waited == 0:
        return timezone.localtime(due_at)
    return calendar.add(due_at, waited)


def apology_deadline(due_at: dt.datetime, *, org_unit: Unit | None = None) -> dt.datetime:
    """The latest moment for the apology and new appointment (form 04): 1 working day before."""
    return add_working_time(due_at, -1, "days", org_unit=org_unit)


def is_due_soon(
    due_at: dt.datetime, *, at: dt.datetime | None = None, org_unit: Unit | None = None
) -> bool:
    """Due soon ("sắp quá hạn"): `at` (default now) is in the last working day before `due_at`."""
    at = at or timezone.now()
    return apology_deadline(due_at, org_unit=org_unit) <= at <= due_at


def reappointment_check(
    *,
    current_due: dt.datetime,
    new_due: dt.datetime,
    apologies_so_far: int,
    org_unit: Unit | None = None,
) -> None:
    """Raise an ApologyError unless `new_due` may replace `current_due` (one apology per dossier).

    The law sets the apology at the latest 1 working day before the due time but still wants
    one when that moment has passed, so lateness is reported (apology_deadline), not refused.
    """
    if apologies_so_far >= 1:
        raise ApologyAlreadyIssued()
    if new_due <= current_due:
        raise ApologyNewDueNotLater()
    if not working_calendar(org_unit=org_unit).is_office_moment(new_due):
        raise ApologyNewDueNotWorkingTime()


def handover_deadline(t0: dt.datetime, *, org_unit: Unit | None = None) -> dt.datetime:
    """When a direct dossier must reach the processing unit (docs/DOMAIN.md §2).

    The same working day, or the next morning (by the close of its first session) when received
    after settings.MOTCUA_DIRECT_HANDOVER_CUTOFF.
    """
    calendar = working_calendar(org_unit=org_unit)
    start = calendar.next_session_start(t0)
    hours, minutes = (int(part) for part in settings.MOTCUA_DIRECT_HANDOVER_CUTOFF.split(":"))
    cutoff = start.replace(hour=hours, minute=minutes, second=0, microsecond=0)
    if start <= cutoff:
        return calendar.end_of_working_day(start.date())
    return calendar.end_of_first_session(calendar.next_working_day(start.date(), inclusive=False))
