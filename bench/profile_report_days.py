"""Time the report of a month not yet due: counted from the dossiers (before) and from its kept
days plus today (after), first call (no day kept) and warm, in-process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_1m \\
    PYTHONPATH=.:src DJANGO_SETTINGS_MODULE=bench.settings SECRET_KEY=x-bench-only-… \\
        .venv/bin/python -m bench.profile_report_days [--now 2020-12-15T14:30:00+07:00] \\
        [--agency 000.00.01.H16] [--repeat 3] [--json FILE]

`--now` is the moment the reports are made at: its month is the current one, and the previous
month is not due before the 22nd, so both are read from their days (the simulator loads 2020:
pass a moment inside 2020-12). Cases, for the province then `--agency`: the current month, the
previous month (before the 22nd: all its days over, no live part), and the quarter ending in the
current month (its due months frozen before timing). "live" is `report_monthly(…, live=True)`,
what such a month cost on every view before (the months not due were counted from the
dossiers); "first" is the first call with no day kept (the province's case counts and keeps the
days, the agency's then finds them); "warm" the median of `--repeat` more calls; then the first
view of the next day (the day that ended is added) when it is in the same month. The simulator's
dossiers run to the end of 2020: with `--now` before the end of December, "today's" part also
counts the dossiers received after `--now` (a production month has none); the last days of
December show what a production month costs.

Everything runs in one transaction rolled back at the end, so the database is left as it was
(the kept days are written and read inside it, as they would be). Inside a transaction the
report does not set its own PostgreSQL settings (counts.aggregate_settings): the same ones
(JIT off, 64 MB work memory) are set for the whole transaction here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import django


def timed(call: Any, pid: int | None) -> tuple[float, float]:
    """Wall time, and CPU time of this process plus the database backend (parallel workers
    not included): the machine is shared, CPU time is what survives a busy one."""
    from bench.profile_report_sql import backend_cpu_seconds

    backend = backend_cpu_seconds(pid)
    cpu, wall = time.process_time(), time.perf_counter()
    call()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    after = backend_cpu_seconds(pid)
    if backend is not None and after is not None:
        cpu += after - backend
    return wall, cpu


def median_pair(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _c in runs), statistics.median(c for _w, c in runs)


def ms(pair: tuple[float, float]) -> str:
    return f"{pair[0] * 1000:6.0f}/{pair[1] * 1000:<5.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--now", default="2020-12-15T14:30:00+07:00")
    parser.add_argument("--agency", default="000.00.01.H16")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    django.setup()
    from django.db import connection, transaction

    from bench.profile_report_sql import backend_pid
    from motcua.dossiers.models import Dossier
    from motcua.reports import counts, frozen, keeping
    from motcua.reports.models import DayFigures
    from motcua.reports.monthly import report_monthly
    from motcua.reports.periods import period_containing

    now = dt.datetime.fromisoformat(args.now)
    current = period_containing(now)
    previous = current.previous()
    quarter = current.__class__(current.year, (current.month - 1) // 3 * 3 + 1, months=3)
    results: dict[str, Any] = {"vendor": connection.vendor, "now": args.now, "cases": {}}
    print(f"# {connection.vendor} {connection.settings_dict['NAME']}, now {now.isoformat()}")
    print(f"# previous month {previous.key} due: {frozen.is_due(previous, now)}")
    pid = backend_pid()
    print("# ms, wall/CPU (this process + database backend)")
    print(f"{'case':30} {'live':>12} {'first':>12} {'warm':>12}")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('jit', 'off', true), set_config('work_mem', %s, true)",
                    [counts.REPORT_WORK_MEM],
                )
        DayFigures.objects.all().delete()
        # The due months of the quarter are frozen first: that is not what is measured here.
        keeping.months_freeze_due(quarter.month_periods(), now=now)
        for agency in (None, args.agency):
            for period in (current, previous, quarter):
                name = f"{period.key} {'province' if agency is None else agency}"

                def call(period: Any = period, agency: Any = agency) -> None:
                    keeping.report_figures_keep(period=period, now=now)
                    report_monthly(period=period, agency=agency, now=now)

                def live(period: Any = period, agency: Any = agency) -> None:
                    report_monthly(period=period, agency=agency, live=True)

                before = median_pair([timed(live, pid) for _ in range(args.repeat)])
                first = timed(call, pid)
                warm = median_pair([timed(call, pid) for _ in range(args.repeat)])
                results["cases"][name] = {"live": before, "first": first, "warm": warm}
                print(f"{name:30} {ms(before)} {ms(first)} {ms(warm)}", flush=True)
        # The first view of the next day adds the day that has ended (one day counted).
        tomorrow = now + dt.timedelta(days=1)
        if period_containing(tomorrow) == current:

            def next_day() -> None:
                keeping.report_figures_keep(period=current, now=tomorrow)
                report_monthly(period=current, now=tomorrow)

            first = timed(next_day, pid)
            warm = median_pair([timed(next_day, pid) for _ in range(args.repeat)])
            name = f"{current.key} province, next day"
            results["cases"][name] = {"first": first, "warm": warm}
            print(f"{name:30} {'':12} {ms(first)} {ms(warm)}", flush=True)
        results["kept"] = [
            {"kept": str(f), "days": f.days, "seconds": f.seconds, "lines": f.lines}
            for f in DayFigures.objects.order_by("start")
        ]
        for row in results["kept"]:
            print(f"# kept {row['kept']}: {row['days']} days, {row['lines']} lines")
        results["dossiers"] = Dossier.objects.count()
        print(f"# {results['dossiers']} dossiers; rolled back")
        transaction.set_rollback(True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    sys.exit(main())
