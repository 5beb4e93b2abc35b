"""Dossier codes `<receiving unit code>-YYMMDD-XXXX` (docs/DOMAIN.md §3), gap-free per unit and day.

The date is the local (Asia/Ho_Chi_Minh) calendar date of the moment the code is allocated:
- direct and postal dossiers: the moment of reception (when form 01 / the hand-over is signed);
- online dossiers: the moment of submission. The applicant needs a code to look the dossier up
  while it waits for acceptance, and the code never changes afterwards (not even after a
  supplement), so it is allocated at `submit`, not at `accept`. t0 (`received_at`) is still the
  acceptance time.

Allocation runs inside the caller's transaction (the one inserting or updating the dossier): the
per-unit-per-day counter row is incremented by one upsert, which locks it until that transaction
ends (PostgreSQL; SQLite runs IMMEDIATE transactions, which serialise writers), so two
receptions never share a number, and a rollback also rolls the counter back, leaving no gap.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import connection
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
    """Hand out the next code of `unit` for the local date of `at` (default now).

    One statement: insert the day's counter at 1, or add 1 to it (PostgreSQL and SQLite upsert).
    The updated row stays locked until the caller's transaction ends, so a concurrent reception
    of the same unit and day waits and gets the next number; a rollback takes the number back.
    """
    day = local_date(at or timezone.now())
    meta = DossierCodeSequence._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    unit_column = quote(meta.get_field("unit").column)
    day_column = quote(meta.get_field("day").column)
    last = quote(meta.get_field("last").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({unit_column}, {day_column}, {last}) VALUES (%s, %s, 1) "  # noqa: S608 - names from the model
            f"ON CONFLICT ({unit_column}, {day_column}) DO UPDATE SET {last} = {table}.{last} + 1 "
            f"WHERE {table}.{last} < %s RETURNING {last}",
            [unit.pk, connection.ops.adapt_datefield_value(day), MAX_DAILY_SEQUENCE],
        )
        row = cursor.fetchone()
    if row is None:  # the day's counter is at the maximum: the update's WHERE refused it
        raise CodeSpaceExhausted(details={"unit": unit.code, "day": day.isoformat()})
    return format_code(unit_code=unit.code, day=day, number=row[0])
