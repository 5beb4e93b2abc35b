"""Runs a simulation: spreads the dossiers over the days, generates each day, bulk-loads it.

Days are independent (a code's sequence is per unit and day), so on PostgreSQL several processes
load different days at once; each day is one transaction. The same seed gives the same dossiers
whatever the number of processes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
import random
import time
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from django.conf import settings
from django.db import connection, connections, transaction
from django.test.utils import override_settings

from motcua.dossiers.models import (
    Apology,
    Dossier,
    DossierCodeSequence,
    DossierEvent,
    DossierRating,
    DossierStep,
    SupplementRequest,
)
from motcua.reports.keeping import month_figures_forget
from motcua.workcal import working_calendar

from .fast import search_text
from .indexes import Deferred, indexes_defer, indexes_restore
from .life import DayGenerator, DayRows
from .world import World, world_load
from .writer import Table, reserve_ids, upsert_sequences

# SQLite's page cache while loading, in KiB (a per-connection setting).
SQLITE_CACHE_KIB = 256 * 1024
# A non-working day gets this share of a working day's arrivals (online only).
NON_WORKING_DAY_WEIGHT = 0.12

try:  # the officers' search column, when the dossiers app has it
    from motcua.dossiers.search import SEARCH_FIELDS
except ImportError:  # pragma: no cover - older dossiers app
    SEARCH_FIELDS = None


@dataclass
class Summary:
    dossiers: int = 0
    events: int = 0
    skipped: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.dossiers / self.seconds if self.seconds else 0.0


def day_counts(*, world: World, total: int, seed: int) -> list[tuple[dt.date, int]]:
    """How many dossiers arrive each day: working days weigh 1, others a little (online)."""
    clock = next(iter(world.clocks.values()))
    days = [world.first + dt.timedelta(days=i) for i in range((world.last - world.first).days + 1)]
    weights = [1.0 if day in clock.index else NON_WORKING_DAY_WEIGHT for day in days]
    scale = total / sum(weights)
    exact = [w * scale for w in weights]
    counts = [int(x) for x in exact]
    # Largest remainders first (ties broken by a seeded shuffle) so the counts add up to `total`.
    order = list(range(len(days)))
    random.Random(f"days-{seed}").shuffle(order)  # noqa: S311 - simulation
    order.sort(key=lambda i: exact[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return [(day, n) for day, n in zip(days, counts, strict=True) if n]


# The tables the simulator bulk-loads (what --defer-indexes strips for the load).
LOADED_MODELS = (Dossier, DossierStep, DossierEvent, SupplementRequest, Apology, DossierRating)


class _Tables:
    def __init__(self) -> None:
        self.dossier = Table(Dossier, with_id=True)
        self.step = Table(DossierStep, with_id=True)
        self.event = Table(DossierEvent, with_id=False)
        self.supplement = Table(SupplementRequest, with_id=False)
        self.apology = Table(Apology, with_id=False)
        self.rating = Table(DossierRating, with_id=False)


def write_day(rows: DayRows, tables: _Tables) -> None:
    """One day's rows in one transaction."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        ids = reserve_ids(Dossier, len(rows.dossiers))
        step_ids = reserve_ids(DossierStep, len(rows.steps))
        for d, pk in zip(rows.dossiers, ids, strict=True):
            d["id"] = pk
        for step, pk in zip(rows.steps, step_ids, strict=True):
            step["id"] = pk
            step["dossier_id"] = rows.dossiers[step["_dossier"]]["id"]
        dossier_rows = []
        for d in rows.dossiers:
            current = d.get("current_step")
            d["current_step_id"] = current["id"] if current else None
            d["current_unit_id"] = current["unit_id"] if current else None
            if SEARCH_FIELDS is not None:
                d["search_text"] = search_text(d, SEARCH_FIELDS)
            dossier_rows.append(tables.dossier.row(d))
        tables.dossier.write(dossier_rows)
        tables.step.write(tables.step.row(step) for step in rows.steps)
        dossiers = rows.dossiers
        columns = ("dossier_id", "seq", "action", "from_status", "to_status", "actor_id",
                   "actor_label", "created_at", "payload", "prev_hash", "hash")  # fmt: skip
        ids = [d["id"] for d in dossiers]
        tables.event.write(
            tables.event.tuples(
                columns, ((ids[e[0]], *e[1:]) for e in rows.events), raw=("payload",)
            )
        )
        for table, items in (
            (tables.supplement, rows.supplements),
            (tables.apology, rows.apologies),
            (tables.rating, rows.ratings),
        ):
            for item in items:
                item["dossier_id"] = dossiers[item["_dossier"]]["id"]
            table.write(table.row(item) for item in items)
        upsert_sequences([(unit, rows.day, last) for unit, last in sorted(rows.sequences.items())])


# The state a forked worker process inherits (set by the parent just before the pool starts).
_job: dict[str, Any] = {}


def _run_day(task: tuple[dt.date, int]) -> tuple[dt.date, int, int, int]:
    day, count = task
    generator: DayGenerator = _job["generator"]
    tables = _job.get("tables")
    if tables is None:
        tables = _job["tables"] = _Tables()
    rows = generator.day(day, count, _job["sequences"].get(day))
    write_day(rows, tables)
    return day, len(rows.dossiers), len(rows.events), rows.skipped


def _existing_sequences(first: dt.date, last: dt.date) -> dict[dt.date, dict[int, int]]:
    found: dict[dt.date, dict[int, int]] = {}
    for unit, day, n in DossierCodeSequence.objects.filter(day__range=(first, last)).values_list(
        "unit_id", "day", "last"
    ):
        found.setdefault(day, {})[unit] = n
    return found


def simulate(
    *,
    dossiers: int,
    first: dt.date,
    last: dt.date,
    seed: int = 1,
    workers: int | None = None,
    defer_indexes: bool = False,
    stdout: TextIO | None = None,
    verbosity: int = 1,
) -> Summary:
    """Load `dossiers` simulated dossiers arriving from `first` to `last` (local dates).

    `defer_indexes` (bench databases only, see `indexes`): drop the loaded tables' secondary
    indexes and unique and foreign-key constraints for the load, re-create and re-check them
    after it.
    """
    from motcua.demo.loader import load_demo
    from motcua.orgs.models import Unit

    started = time.monotonic()
    if not Unit.objects.exists():
        if stdout:
            stdout.write("Chưa có dữ liệu tỉnh: nạp tỉnh minh hoạ (đơn vị, cán bộ, thủ tục)...\n")
        load_demo(dossiers=0)
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    now = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=tz) - dt.timedelta(
        microseconds=1
    )
    world = world_load(first=first, last=last, seed=seed)
    if not world.plans:
        raise ValueError("Không có thủ tục công khai nào có đơn vị tiếp nhận.")
    tasks = day_counts(world=world, total=dossiers, seed=seed)
    _job.clear()
    _job.update(
        generator=DayGenerator(world=world, seed=seed, now=now),
        sequences=_existing_sequences(first, last),
    )
    if workers is None:
        workers = min(os.cpu_count() or 1, 4)
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        # SQLite has one writer; inside a caller's transaction other processes see nothing.
        workers = 1
    summary = Summary()
    deferred = _defer(stdout, verbosity) if defer_indexes else None
    try:
        _load(tasks, workers, summary, dossiers, started, world, stdout)
    finally:
        if deferred is not None:
            _restore(deferred, stdout)
    if connection.vendor == "postgresql" and deferred is None:
        with connection.cursor() as cursor:
            for model in (Dossier, DossierEvent, DossierStep):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    # Past months got new dossiers (their lives run past `last`): their frozen figures are stale.
    month_figures_forget(
        start=dt.datetime.combine(first, dt.time(0), tzinfo=tz),
        end=dt.datetime(9999, 1, 1, tzinfo=tz),
    )
    summary.seconds = time.monotonic() - started
    return summary


def _defer(stdout: TextIO | None, verbosity: int) -> Deferred:
    deferred = indexes_defer(tables=LOADED_MODELS)
    if stdout:
        stdout.write(
            f"Tạm bỏ {len(deferred.indexes)} chỉ mục và {len(deferred.foreign_keys)} khoá ngoại "
            "của các bảng hồ sơ trong khi nạp; tạo lại và kiểm tra lại sau khi nạp xong.\n"
        )
        if verbosity >= 2:
            stdout.write("Nếu tiến trình bị dừng giữa chừng, các lệnh tạo lại là:\n")
            stdout.write("".join(f"{statement};\n" for statement in deferred.statements))
    return deferred


def _restore(deferred: Deferred, stdout: TextIO | None) -> None:
    started = time.monotonic()
    indexes_restore(deferred)
    if stdout:
        stdout.write(
            f"Đã tạo lại chỉ mục và kiểm tra lại ràng buộc trong {time.monotonic() - started:.1f} s.\n"
        )


def _load(
    tasks: list[tuple[dt.date, int]],
    workers: int,
    summary: Summary,
    dossiers: int,
    started: float,
    world: World,
    stdout: TextIO | None,
) -> None:
    # The calendars were read once (world_load) and the whole run works from that snapshot, so
    # workcal's own calendar cache (compute_due's slow path) need not re-query it every few seconds.
    with override_settings(MOTCUA_WORKCAL_CACHE_SECONDS=365 * 86400), _sqlite_cache():
        for unit in world.units.values():  # loaded once here, inherited by forked workers
            working_calendar(org_unit=unit)
        for _ in _results_reported(tasks, workers, summary, dossiers, started, stdout):
            pass


@contextlib.contextmanager
def _sqlite_cache() -> Iterator[None]:
    """On SQLite, a page cache of SQLITE_CACHE_KIB for the load (the default 2 MB makes every
    insert into the unique hash index read its pages back from the OS); as before after it."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _results_reported(
    tasks: list[tuple[dt.date, int]],
    workers: int,
    summary: Summary,
    dossiers: int,
    started: float,
    stdout: TextIO | None,
) -> Iterator[None]:
    for day, n, events, skipped in _results(tasks, workers):
        summary.dossiers += n
        summary.events += events
        summary.skipped += skipped
        if stdout:
            elapsed = time.monotonic() - started
            stdout.write(
                f"{day:%Y-%m-%d}: {summary.dossiers:>10,} / {dossiers:,} hồ sơ, "
                f"{summary.events:,} sự kiện, {summary.dossiers / max(elapsed, 1e-9):,.0f} hồ sơ/s\n"
            )
            stdout.flush()
        yield None


def _results(tasks: list[tuple[dt.date, int]], workers: int) -> Iterator[tuple]:
    if workers <= 1:
        for task in tasks:
            yield _run_day(task)
        return
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=connections.close_all) as pool:
        yield from pool.imap_unordered(_run_day, tasks, chunksize=1)
