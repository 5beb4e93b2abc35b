"""Bulk writes of simulated rows: PostgreSQL COPY (text built here), or executemany on SQLite.

Rows are written with their own ids where other rows point at them (dossiers, steps); those ids
are taken from the table's sequence in one round trip, so live inserts and parallel simulator
processes never collide. Columns the simulator does not know (added later by another app) get
their model default, so a new field with a default does not break the loader.

On PostgreSQL the rows of a table are sent as one COPY text block (tab-separated columns, `\\N`
for NULL, backslash, tab, newline and carriage return escaped): one formatter per column chosen
from the field's type, instead of psycopg adapting value by value. The values stored are the same.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.db import connection, models

Converter = Callable[[Any], Any] | None
Formatter = Callable[[Any], str]

COPY_NULL = "\\N"
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value: Any) -> str:
    """A value as a field of COPY's text format (any type: its str, escaped)."""
    if value is None:
        return COPY_NULL
    if type(value) is not str:
        value = str(value)
    # Most values hold none of the four characters: test before translating (much cheaper).
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_COPY_ESCAPES)
    return value


def _copy_plain(value: Any) -> str:
    """Numbers and UUIDs: their str has nothing to escape."""
    return COPY_NULL if value is None else str(value)


def _copy_moment(value: dt.date | None) -> str:
    """A datetime (aware: with its offset; naive: read in the session's zone, as psycopg's) or
    a date, in ISO 8601."""
    return COPY_NULL if value is None else value.isoformat()


def _copy_bool(value: bool | None) -> str:
    if value is None:
        return COPY_NULL
    return "t" if value else "f"


def _copy_formatter(field: models.Field) -> Formatter:
    target = field.target_field if field.is_relation else field
    if isinstance(target, models.BooleanField):
        return _copy_bool
    if isinstance(target, models.DateField | models.DateTimeField):  # DateTimeField is one
        return _copy_moment
    if isinstance(
        target, models.IntegerField | models.AutoField | models.UUIDField | models.DecimalField
    ):
        return _copy_plain
    return copy_text


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")


def _sqlite_uuid(value: uuid.UUID | None) -> str | None:
    return None if value is None else value.hex


def _sqlite_decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


class Table:
    """One model's table: the column order, the defaults and the per-backend conversions."""

    def __init__(self, model: type[models.Model], *, with_id: bool) -> None:
        self.model = model
        self.name = model._meta.db_table
        postgres = connection.vendor == "postgresql"
        fields = [
            f
            for f in model._meta.concrete_fields
            if with_id or not (f.primary_key and f.auto_created)
        ]
        self.columns = [f.attname for f in fields]
        self.defaults: dict[str, Any] = {}
        self.converters: list[Converter] = []
        for f in fields:
            if f.has_default():
                default = f.get_default()
            elif f.null:
                default = None
            elif isinstance(f, models.CharField | models.TextField):
                default = ""
            else:
                default = None
            self.defaults[f.attname] = default
            if isinstance(f, models.JSONField):
                self.converters.append(_dumps)
            elif postgres:
                self.converters.append(None)
            elif isinstance(f, models.DateTimeField):
                self.converters.append(_sqlite_datetime)
            elif isinstance(f, models.UUIDField):
                self.converters.append(_sqlite_uuid)
            elif isinstance(f, models.DecimalField):
                self.converters.append(_sqlite_decimal)
            else:
                self.converters.append(None)
        self.pairs = list(zip(self.columns, self.converters, strict=True))
        self.formatters = [_copy_formatter(f) for f in fields]

    def row(self, values: dict[str, Any]) -> tuple:
        defaults = self.defaults
        return tuple(
            (conv(values.get(col, defaults[col])) if conv else values.get(col, defaults[col]))
            for col, conv in self.pairs
        )

    def tuples(
        self, columns: Sequence[str], items: Iterable[tuple], *, raw: Sequence[str] = ()
    ) -> Iterator[tuple]:
        """Rows from tuples holding `columns` in that order (the other columns get their
        defaults); a column in `raw` is written as given (e.g. JSON already encoded)."""
        given = {name: i for i, name in enumerate(columns)}
        constants = tuple(
            (conv(self.defaults[col]) if conv else self.defaults[col])
            for col, conv in self.pairs
            if col not in given
        )
        width = len(columns)
        positions, converted = [], []
        k = 0
        for col, conv in self.pairs:
            if col in given:
                positions.append(given[col])
                if conv is not None and col not in raw:
                    converted.append((len(positions) - 1, conv))
            else:
                positions.append(width + k)
                k += 1
        pick = itemgetter(*positions)
        if len(positions) == 1:
            single = pick
            pick = lambda item: (single(item),)  # noqa: E731
        for item in items:
            row = pick(item + constants)
            if converted:
                row = list(row)
                for i, conv in converted:
                    row[i] = conv(row[i])
                row = tuple(row)
            yield row

    def write(self, rows: Iterable[tuple]) -> int:
        quoted = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        table = connection.ops.quote_name(self.name)
        count = 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                formatters = self.formatters
                lines = [
                    "\t".join([fmt(value) for fmt, value in zip(formatters, row, strict=True)])
                    for row in rows
                ]
                count = len(lines)
                if lines:
                    lines.append("")
                    with cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                        copy.write("\n".join(lines))
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                batch = list(rows)
                sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"  # noqa: S608 - model names
                cursor.executemany(sql, batch)
                count = len(batch)
        return count


def reserve_ids(model: type[models.Model], count: int) -> Sequence[int]:
    """`count` fresh primary keys for `model` (call inside the transaction that inserts them)."""
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quoted}")  # noqa: S608 - a model's table
        first = cursor.fetchone()[0] + 1
        return range(first, first + count)


def upsert_sequences(rows: Sequence[tuple[int, dt.date, int]]) -> None:
    """Raise each (unit, day) code counter to at least `last` (DossierCodeSequence)."""
    if not rows:
        return
    from motcua.dossiers.models import DossierCodeSequence

    table = connection.ops.quote_name(DossierCodeSequence._meta.db_table)
    if connection.vendor == "postgresql":
        update = "last = GREATEST(t.last, EXCLUDED.last)"
        target = f"{table} AS t"
    else:
        update = "last = MAX(last, excluded.last)"
        target = table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {target} (unit_id, day, last) VALUES (%s, %s, %s) "  # noqa: S608
            f"ON CONFLICT (unit_id, day) DO UPDATE SET {update}",
            [
                (unit, day.isoformat() if connection.vendor != "postgresql" else day, last)
                for unit, day, last in rows
            ],
        )
