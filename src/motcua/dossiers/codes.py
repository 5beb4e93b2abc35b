"""Dossier codes `<receiving unit code>-YYMMDD-XXXX` (DOMAIN.md §3), gap-free per unit and day.

The date is the local (Asia/Ho_Chi_Minh) calendar date of the moment the code is allocated:
- direct and postal dossiers: the moment of reception (when form 01 / the hand-over is signed);
- online dossiers: the moment of submission. The applicant needs a code to look the dossier up
  while it waits for acceptance, and the code never changes afterwards (not even after a
  supplement), so it is allocated at `submit`, not at `accept`. t0 (`received_at`) is still the
  acceptance time.

Allocation runs inside the caller's transaction (the one inserting or updating the dossier): the
per-unit-per-day counter row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite runs IMMEDIATE
transactions, which serialise writers), so two receptions never share a number, and a rollback
also rolls the counter back, leaving no gap.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.orgs.models import Unit

from .exceptions import CodeSpaceExhausted
from .models import DossierCodeSequence

MAX_DAILY_SEQUENCE = 9999


def local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()


def format_code(*, unit_code: str, day: dt.date, number: int) -> str:
    return f"{unit_code}-{day:%y%m%d}-{number:04d}"


def code_allocate(*, unit: Unit, at: dt.datetime | None = None) -> str:
    """Hand out the next code of `unit` for the local date of `at` (default now)."""
    day = local_date(at or timezone.now())
    with transaction.atomic():
        sequence, _created = DossierCodeSequence.objects.select_for_update().get_or_create(
            unit=unit, day=day, defaults={"last": 0}
        )
        if sequence.last >= MAX_DAILY_SEQUENCE:
            raise CodeSpaceExhausted(details={"unit": unit.code, "day": day.isoformat()})
        sequence.last += 1
        sequence.save(update_fields=["last"])
    return format_code(unit_code=unit.code, day=day, number=sequence.last)
