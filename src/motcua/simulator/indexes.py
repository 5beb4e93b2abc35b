"""`simulate --defer-indexes`: load the tables bare, then build their indexes and checks once.

Every row COPY'd into an indexed table updates each index (the dossier table has 26, one of them a
trigram GIN) and queues a foreign-key check per reference. For a bulk load into a bench database
it is much cheaper to drop them first and build them after the load, sorted, in one pass each:

- secondary indexes are dropped and re-created from their own definition (`pg_get_indexdef`);
  partial ones (a WHERE clause, such as the queues' open dossiers) stay: they hold a small share
  of the rows, and PostgreSQL prints an `IN` predicate back in a form that re-parses to a
  differently written (if equivalent) one, so the schema would no longer be the migrations';
- unique constraints (other than primary keys, and not referenced by a foreign key) are dropped;
  their index is re-built the same way and the constraint re-attached to it (`UNIQUE USING
  INDEX`): building a unique index checks every row, so a duplicate fails the restore;
- foreign keys leaving these tables are dropped and re-added: `ADD CONSTRAINT … FOREIGN KEY`
  validates every row, so a dangling reference fails the restore too.

Primary keys and CHECK constraints stay. The index builds run in parallel sessions (one per core,
at most 4) when the caller is not inside a transaction. On SQLite the secondary indexes are
dropped and re-created, and foreign keys are switched off for the load and checked after it
(`PRAGMA foreign_key_check`); unique constraints are part of a SQLite table and stay.

Only for databases nobody else uses during the load: while it runs the tables have no indexes
and nothing stops a bad reference. If the process is killed, the statements printed at the start
re-create what was dropped.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection, connections, models

MAINTENANCE_WORK_MEM = "256MB"


class RestoreError(RuntimeError):
    """Re-creating an index or re-validating a constraint after the load failed."""


@dataclass
class Deferred:
    """What was dropped, as the statements that re-create it (in order of the phases)."""

    indexes: list[str] = field(default_factory=list)  # CREATE [UNIQUE] INDEX …, run in parallel
    attach: list[str] = field(default_factory=list)  # ALTER TABLE … ADD CONSTRAINT … USING INDEX
    foreign_keys: list[str] = field(default_factory=list)  # ALTER TABLE … ADD CONSTRAINT … FK
    tables: list[str] = field(default_factory=list)  # to analyse (SQLite: and to check)
    checks_off: bool = False  # SQLite: foreign keys were switched off for the load

    @property
    def statements(self) -> list[str]:
        return [*self.indexes, *self.attach, *self.foreign_keys]


def indexes_defer(*, tables: Sequence[type[models.Model]]) -> Deferred:
    """Drop the secondary indexes and the unique and foreign-key constraints of `tables`."""
    names = [model._meta.db_table for model in tables]
    if connection.vendor == "postgresql":
        return _postgres_defer(names)
    if connection.vendor == "sqlite":
        return _sqlite_defer(names)
    raise NotImplementedError(connection.vendor)


def indexes_restore(deferred: Deferred, *, workers: int | None = None) -> None:
    """Re-create what `indexes_defer` dropped; every row is checked again on the way."""
    if connection.vendor == "postgresql":
        _postgres_restore(deferred, workers=workers)
    else:
        _sqlite_restore(deferred)


# --- PostgreSQL ----------------------------------------------------------------------------------
_SECONDARY = """
SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
FROM pg_index i
WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND i.indpred IS NULL
  AND NOT EXISTS (
    SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid
  )
ORDER BY 1
"""
# Unique constraints no foreign key relies on (a referenced index cannot be dropped).
_UNIQUE = """
SELECT c.conname, c.conindid::regclass::text, pg_get_indexdef(c.conindid),
       c.condeferrable, c.condeferred
FROM pg_constraint c
WHERE c.conrelid = %s::regclass AND c.contype = 'u'
  AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid)
ORDER BY 1
"""
_FOREIGN = """
SELECT c.conname, pg_get_constraintdef(c.oid)
FROM pg_constraint c
WHERE c.conrelid = %s::regclass AND c.contype = 'f'
ORDER BY 1
"""


def _postgres_defer(names: list[str]) -> Deferred:
    quote = connection.ops.quote_name
    deferred = Deferred(tables=names)
    drops: list[str] = []
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            # Rows this transaction already wrote have their foreign-key checks queued until
            # commit, and a table with queued checks cannot be altered: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in names:
            cursor.execute(_FOREIGN, [table])
            for name, definition in cursor.fetchall():
                deferred.foreign_keys.append(
                    f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
                )
                drops.append(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
            cursor.execute(_UNIQUE, [table])
            for name, index, definition, deferrable, initially_deferred in cursor.fetchall():
                timing = (" DEFERRABLE" if deferrable else "") + (
                    " INITIALLY DEFERRED" if initially_deferred else ""
                )
                deferred.indexes.append(definition)
                deferred.attach.append(
                    f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} "
                    f"UNIQUE USING INDEX {index}{timing}"
                )
                drops.append(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
            cursor.execute(_SECONDARY, [table])
            for index, definition in cursor.fetchall():
                deferred.indexes.append(definition)
                drops.append(f"DROP INDEX {index}")
        for statement in drops:
            cursor.execute(statement)
    # The biggest builds first (the trigram index of the search column takes longest).
    deferred.indexes.sort(key=lambda sql: (" USING gin " not in sql, " UNIQUE " not in sql))
    return deferred


def _postgres_restore(deferred: Deferred, *, workers: int | None) -> None:
    if workers is None:
        workers = min(os.cpu_count() or 1, 4)
    if connection.in_atomic_block or workers <= 1:
        # Inside a transaction other sessions would wait for its locks: build them one by one.
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
            for statement in deferred.indexes:
                _run(cursor, statement)
    else:
        _parallel(deferred.indexes, workers)
    with connection.cursor() as cursor:
        for statement in (*deferred.attach, *deferred.foreign_keys):
            _run(cursor, statement)
        for table in deferred.tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        if connection.in_atomic_block:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's foreign keys: as before


def _run(cursor: object, statement: str) -> None:
    try:
        cursor.execute(statement)  # type: ignore[attr-defined]
    except Exception as exc:
        raise RestoreError(f"Không tạo lại được sau khi nạp: {statement}\n{exc}") from exc


def _parallel(statements: list[str], workers: int) -> None:
    """Run the index builds in `workers` sessions of their own (CREATE INDEX only needs a SHARE
    lock, so builds on one table run side by side)."""
    todo: queue.Queue[str] = queue.Queue()
    for statement in statements:
        todo.put(statement)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute(f"SET maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
                while not errors:
                    try:
                        statement = todo.get_nowait()
                    except queue.Empty:
                        return
                    _run(cursor, statement)
        except BaseException as exc:  # reported by the caller's thread
            errors.append(exc)
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=work) for _ in range(min(workers, len(statements)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


# --- SQLite --------------------------------------------------------------------------------------
def _sqlite_defer(names: list[str]) -> Deferred:
    deferred = Deferred(tables=names)
    marks = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master "  # noqa: S608 - placeholders only
            f"WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks}) ORDER BY name",
            names,
        )
        for name, sql in cursor.fetchall():
            deferred.indexes.append(sql)
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    # Outside a transaction only (inside one SQLite ignores it and checks at commit as usual).
    deferred.checks_off = connection.disable_constraint_checking()
    return deferred


def _sqlite_restore(deferred: Deferred) -> None:
    with connection.cursor() as cursor:
        for statement in deferred.indexes:
            _run(cursor, statement)
    if deferred.checks_off:
        connection.enable_constraint_checking()
    try:
        connection.check_constraints(table_names=deferred.tables)
    except Exception as exc:
        raise RestoreError(f"Sau khi nạp có tham chiếu không tồn tại: {exc}") from exc
    with connection.cursor() as cursor:
        for table in deferred.tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
