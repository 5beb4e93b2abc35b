"""Time left to a dossier's due time, in working days and hours, as officials read it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.dossiers.constants import CLOCK_RUNNING_STATES, DossierStatus
from motcua.dossiers.models import Dossier
from motcua.workcal import working_calendar

# Badge levels: the CSS colours them green, amber, red, grey.
OK, SOON, LATE, NEUTRAL = "ok", "soon", "late", "neutral"


@dataclass(frozen=True)
class TimeLeft:
    level: str
    text: str
    hours: Decimal | None = None


def _duration(hours: Decimal) -> str:
    """'2 ngày 3 giờ', '5 giờ 30 phút', '45 phút' (8 working hours make a working day)."""
    per_day = Decimal(settings.MOTCUA_HOURS_PER_WORKING_DAY)
    minutes_total = int((abs(hours) * 60).to_integral_value())
    days, rest = divmod(minutes_total, int(per_day * 60))
    whole_hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(_("%(n)d ngày") % {"n": days})
    if whole_hours:
        parts.append(_("%(n)d giờ") % {"n": whole_hours})
    if minutes and not days:
        parts.append(_("%(n)d phút") % {"n": minutes})
    return " ".join(parts) or _("0 phút")


MICROS_PER_HOUR = Decimal(3_600_000_000)


def _hours_left(dossier: Dossier, now: dt.datetime, calendars: dict[int, Any] | None) -> Decimal:
    # One calendar per receiving unit and page: a list of many dossiers of few units stays cheap.
    calendars = {} if calendars is None else calendars
    calendar = calendars.get(dossier.receiving_unit_id)
    if calendar is None:
        calendar = working_calendar(org_unit=dossier.receiving_unit)
        calendars[dossier.receiving_unit_id] = calendar
    micros = calendar.between(now, dossier.due_at)
    return (Decimal(micros.numerator) / Decimal(micros.denominator) / MICROS_PER_HOUR).quantize(
        Decimal("0.01")
    )


def time_left(
    dossier: Dossier, *, now: dt.datetime, calendars: dict[int, Any] | None = None
) -> TimeLeft:
    """What the deadline badge says about `dossier` at `now`.

    `calendars` (receiving unit id → working calendar) may be shared across calls.
    """
    if dossier.status == DossierStatus.AWAITING_SUPPLEMENT and dossier.received_at:
        return TimeLeft(NEUTRAL, _("Tạm dừng, chờ bổ sung"))
    if dossier.status not in CLOCK_RUNNING_STATES or dossier.due_at is None:
        if dossier.timing:
            level = LATE if dossier.timing == "late" else OK
            return TimeLeft(level, str(dossier.get_timing_display()))
        return TimeLeft(NEUTRAL, "—")
    hours = _hours_left(dossier, now, calendars)
    if hours < 0:
        return TimeLeft(LATE, _("Quá hạn %(d)s") % {"d": _duration(hours)}, hours)
    text = _("Còn %(d)s") % {"d": _duration(hours)}
    if hours <= settings.MOTCUA_HOURS_PER_WORKING_DAY:
        return TimeLeft(SOON, text, hours)
    return TimeLeft(OK, text, hours)
