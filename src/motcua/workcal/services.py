"""Writes of the working calendar: overrides and office hours (one transaction each)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction

from motcua.workcal.constants import OverrideScope
from motcua.workcal.models import CalendarOverride, OfficeHours

if TYPE_CHECKING:
    from motcua.orgs.models import Unit


@transaction.atomic
def calendar_override_set(
    *,
    date: dt.date,
    kind: str,
    scope: str = OverrideScope.NATIONAL,
    unit: Unit | None = None,
    title: str = "",
    source_document: str = "",
    note: str = "",
) -> CalendarOverride:
    """Create or replace the override of `date` in `scope` (and `unit`); validated first."""
    if scope != OverrideScope.UNIT:
        unit = None
    existing = (
        CalendarOverride.objects.select_for_update()
        .filter(date=date, scope=scope, unit=unit)
        .first()
    )
    override = existing or CalendarOverride(date=date, scope=scope, unit=unit)
    override.kind = kind
    override.title = title
    override.source_document = source_document
    override.note = note
    override.full_clean(validate_unique=False)
    override.save()
    return override


@transaction.atomic
def calendar_override_delete(
    *, date: dt.date, scope: str = OverrideScope.NATIONAL, unit: Unit | None = None
) -> bool:
    """Remove the override of `date` in `scope` (and `unit`); False when there was none."""
    if scope != OverrideScope.UNIT:
        unit = None
    deleted = 0
    # Deleting instance by instance sends post_delete, which clears the cached calendars.
    for override in CalendarOverride.objects.filter(date=date, scope=scope, unit=unit):
        override.delete()
        deleted += 1
    return deleted > 0


@transaction.atomic
def office_hours_set(
    *, unit: Unit, sessions: str, source_document: str = "", note: str = ""
) -> OfficeHours:
    """Give `unit` (and the units below it without their own) office sessions, validated first."""
    hours = OfficeHours.objects.select_for_update().filter(unit=unit).first()
    hours = hours or OfficeHours(unit=unit)
    hours.sessions = sessions
    hours.source_document = source_document
    hours.note = note
    hours.full_clean(validate_unique=False)
    hours.save()
    return hours


@transaction.atomic
def office_hours_delete(*, unit: Unit) -> bool:
    """Let `unit` follow its parent's (or the default) office hours again."""
    hours = OfficeHours.objects.filter(unit=unit).first()
    if hours is None:
        return False
    hours.delete()
    return True
