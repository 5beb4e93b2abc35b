"""The periodic jobs as data: settings.MOTCUA_JOBS read, checked and turned into triggers.

A job is a dict {name, schedule, callable, kwargs}: `schedule` is a crontab line in the
installation's time zone (settings.TIME_ZONE) — five fields "minute hour day month weekday", or
six with the second first — and `callable` the dotted path of a plain function (or a django-tasks
task, called in the worker's thread) that returns a short result. The path is imported only when
the job is checked or run, so this app imports no other app for its schedule.

Weekdays are read as crontab reads them (0 or 7 = Sunday, 1 = Monday, names allowed), not as
APScheduler 3's `from_crontab` does (0 = Monday), so "0 3 * * 0" is Sunday 03:00 as an operator
reading it expects.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,99}$")
# Crontab's numbering (Sunday = 0); the names are the same words in APScheduler, which is why
# a weekday field is handed to it as names, never as numbers (it counts from Monday = 0).
_WEEKDAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


class JobConfigError(ValueError):
    """A job of settings.MOTCUA_JOBS that cannot be scheduled; the message says which and why."""


@dataclass(frozen=True)
class JobSpec:
    name: str
    schedule: str
    callable: str
    kwargs: dict[str, Any] = field(default_factory=dict)

    def trigger(self) -> CronTrigger:
        return cron_trigger(self.schedule)

    def next_run(self, now: dt.datetime | None = None) -> dt.datetime | None:
        return self.trigger().get_next_fire_time(None, now or timezone.now())

    def target(self) -> Callable[..., Any]:
        """The function the job runs (a django-tasks task is run in this thread, not enqueued)."""
        found = import_string(self.callable)
        call = getattr(found, "call", None)
        if call is not None and hasattr(found, "enqueue"):
            return call
        if not callable(found):
            raise TypeError(self.callable)
        return found


def _weekdays(expr: str) -> str:
    """A crontab weekday field as the explicit list of day names APScheduler reads."""
    days: set[int] = set()
    for item in expr.lower().split(","):
        part, _slash, step_text = item.partition("/")
        step = int(step_text) if step_text else 1
        if step < 1:
            raise ValueError(expr)
        if part == "*":
            low, high = 0, 6
        else:
            ends = [_weekday_number(p) for p in part.split("-")]
            if len(ends) == 1:
                low = high = ends[0]
                if step_text:
                    high = 6
            elif len(ends) == 2:
                low, high = ends
            else:
                raise ValueError(expr)
            if high == 0 and low > 0:  # "5-0" or "5-7": up to Sunday
                high = 7
            if low > high:
                raise ValueError(expr)
        days.update(day % 7 for day in range(low, high + 1, step))
    return ",".join(_WEEKDAY_NAMES[day] for day in sorted(days))


def _weekday_number(text: str) -> int:
    if text in _WEEKDAY_NAMES:
        return _WEEKDAY_NAMES.index(text)
    if not text.isdigit() or not 0 <= int(text) <= 7:
        raise ValueError(text)
    return int(text)


def _zone() -> dt.tzinfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def cron_trigger(schedule: str) -> CronTrigger:
    """The trigger of a crontab line (5 fields, or 6 with the second first); ValueError if bad."""
    fields = schedule.split()
    if len(fields) == 5:
        fields.insert(0, "0")
    if len(fields) != 6:
        raise ValueError(schedule)
    second, minute, hour, day, month, weekday = fields
    return CronTrigger(
        second=second,
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=_weekdays(weekday) if weekday != "*" else "*",
        timezone=_zone(),
    )


def job_spec(raw: Any) -> JobSpec:
    """One entry of MOTCUA_JOBS checked: JobConfigError with a Vietnamese message if it is bad."""
    if not isinstance(raw, dict):
        raise JobConfigError(
            _("Mỗi tác vụ định kỳ phải là một dict, không phải %(value)r.") % {"value": raw}
        )
    name = raw.get("name")
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise JobConfigError(
            _("Tên tác vụ %(name)r không hợp lệ: chữ thường, số, '_', '-', '.', tối đa 100 ký tự.")
            % {"name": name}
        )
    unknown = set(raw) - {"name", "schedule", "callable", "kwargs"}
    if unknown:
        raise JobConfigError(
            _("Tác vụ %(name)s có khoá không biết: %(keys)s.")
            % {"name": name, "keys": ", ".join(sorted(map(str, unknown)))}
        )
    schedule = raw.get("schedule")
    try:
        if not isinstance(schedule, str):
            raise ValueError(schedule)
        cron_trigger(schedule)
    except ValueError:
        raise JobConfigError(
            _(
                "Lịch của tác vụ %(name)s không hợp lệ: %(schedule)r (cần dạng crontab "
                "'phút giờ ngày tháng thứ', ví dụ '*/15 * * * *')."
            )
            % {"name": name, "schedule": schedule}
        ) from None
    path = raw.get("callable")
    kwargs = raw.get("kwargs") or {}
    if not isinstance(kwargs, dict) or not all(isinstance(k, str) for k in kwargs):
        raise JobConfigError(
            _("Tham số (kwargs) của tác vụ %(name)s phải là một dict.") % {"name": name}
        )
    spec = JobSpec(name=name, schedule=schedule, callable=str(path), kwargs=dict(kwargs))
    try:
        if not isinstance(path, str) or "." not in path:
            raise ImportError(path)
        spec.target()
    except (ImportError, TypeError):
        raise JobConfigError(
            _("Tác vụ %(name)s: không tìm thấy hàm %(path)r để chạy.")
            % {"name": name, "path": path}
        ) from None
    return spec


def jobs_configured(raw: Any = None) -> list[JobSpec]:
    """Every job of settings.MOTCUA_JOBS (or `raw`), checked; JobConfigError at the first bad."""
    entries = settings.MOTCUA_JOBS if raw is None else raw
    if not isinstance(entries, list | tuple):
        raise JobConfigError(_("MOTCUA_JOBS phải là một danh sách các tác vụ."))
    specs: list[JobSpec] = []
    seen: set[str] = set()
    for entry in entries:
        spec = job_spec(entry)
        if spec.name in seen:
            raise JobConfigError(_("Tác vụ %(name)s khai báo hai lần.") % {"name": spec.name})
        seen.add(spec.name)
        specs.append(spec)
    return specs


def job_configured(name: str) -> JobSpec | None:
    return next((spec for spec in jobs_configured() if spec.name == name), None)
