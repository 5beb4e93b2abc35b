"""Time the live monthly report (counted from the dossiers) in-process, and show its plan.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_1m \\
    PYTHONPATH=.:src DJANGO_SETTINGS_MODULE=bench.settings SECRET_KEY=x-bench-only-… \\
        .venv/bin/python -m bench.profile_report_sql [--repeat 3] [--explain] [--json FILE]

For the province and one agency (`--agency`, default 000.00.01.H16), for a month and its year
(`--period`, default 2020-06), `report_monthly(period=…, agency=…, live=True)` — what the current
month costs on every view until it is frozen. Per case: its first call (cold: for the first case
a fresh connection and PostgreSQL backend; the operating system's file cache is
left as it is, the machine is shared) and the median of `--repeat` more (warm). Each figure is
wall time, the CPU time of this process, and, on PostgreSQL when /proc shows it, the CPU time of
the database backend serving the connection (parallel workers not included: wall time is what
the user waits; CPU time is what survives a busy machine).

Runs whatever code is on the path: to compare with an older commit, put that commit's `src` first
(`git archive <commit> src | tar -x -C /tmp/base` then `PYTHONPATH=.:/tmp/base/src`).
`--explain` prints `EXPLAIN (ANALYZE, BUFFERS)` of the aggregate query of each case (when the code
on the path has `_aggregate_query`). Reads only; writes nothing to the database.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import django


def backend_cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU of a local process from /proc (None when not readable)."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def backend_pid() -> int | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def timed(call: Any, pid: int | None) -> dict[str, float | None]:
    before_backend = backend_cpu_seconds(pid)
    cpu, wall = time.process_time(), time.perf_counter()
    call()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    after_backend = backend_cpu_seconds(pid)
    backend = None
    if before_backend is not None and after_backend is not None:
        backend = after_backend - before_backend
    return {"wall": wall, "cpu": cpu, "backend_cpu": backend}


def median_of(runs: list[dict[str, float | None]]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for key in runs[0]:
        values = [r[key] for r in runs if r[key] is not None]
        out[key] = statistics.median(values) if values else None
    return out


def explain(period: Any, unit_ids: list[int] | None) -> str:
    from django.db import connection

    from motcua.reports import counts

    if connection.vendor != "postgresql":
        return "(not PostgreSQL)"
    query, _positions = counts.aggregate_query(period.start, period.end, unit_ids, connection.alias)
    sql, params = query.query.sql_with_params()
    with counts.aggregate_settings(connection.alias), connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value * 1000:7.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--period", default="2020-06", help="a month; its year is timed too")
    parser.add_argument("--agency", default="000.00.01.H16")
    parser.add_argument("--repeat", type=int, default=3, help="warm calls per case (median)")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    django.setup()
    from django.db import connection

    from motcua.dossiers.models import Dossier
    from motcua.reports.monthly import report_monthly
    from motcua.reports.periods import period_parse
    from motcua.reports.scope import agency_get, subtree_ids

    month = period_parse(args.period)
    year = period_parse(str(month.year))
    pid = backend_pid()
    cases = [
        (f"{p.key} {'province' if a is None else a}", p, a)
        for a in (None, args.agency)
        for p in (month, year)
    ]
    print(f"# {connection.vendor} {connection.settings_dict['NAME']}")
    print("# ms: wall / process CPU / backend CPU (— when not measurable)")
    print(
        f"{'case':28} {'cold wall':>9} {'cpu':>7} {'db cpu':>7}   "
        f"{'warm wall':>9} {'cpu':>7} {'db cpu':>7}"
    )
    results: dict[str, Any] = {"vendor": connection.vendor, "cases": {}}
    for name, period, agency in cases:

        def call(period: Any = period, agency: Any = agency) -> None:
            report_monthly(period=period, agency=agency, live=True)

        cold = timed(call, pid)
        warm = median_of([timed(call, pid) for _ in range(args.repeat)])
        results["cases"][name] = {"cold": cold, "warm": warm}
        print(
            f"{name:28} {fmt(cold['wall']):>9} {fmt(cold['cpu'])} {fmt(cold['backend_cpu'])}   "
            f"{fmt(warm['wall']):>9} {fmt(warm['cpu'])} {fmt(warm['backend_cpu'])}",
            flush=True,
        )
        if args.explain:
            unit = None if agency is None else agency_get(code=agency)
            print(explain(period, subtree_ids(unit)), end="\n\n")
    # Counted last, so that the first case is read cold.
    results["dossiers"] = Dossier.objects.count()
    print(f"# {results['dossiers']} dossiers")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    sys.exit(main())
