"""In-process profile of the integration API's hot paths, the way bench/bench.py calls them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a copy of motcua_bench_100k> \
        .venv/bin/python bench/profile_api.py [--lookups 200] [--creates 50] [--profile]

Runs `GET /api/v1/lookup/{code}` (codes spread over the table, a fresh X-Bench-Client per
request like bench/lua/bench.lua) and `POST /api/v1/dossiers` (the bench's body: a direct
reception, a fresh Idempotency-Key each) through django.test.Client, so routing, the whole
middleware stack, ninja and the database all count. Per request it measures the process CPU
time (time.process_time: the machine is shared, wall time would measure the neighbours), the
wall time, the SQL statements with their time, and the commits: COMMIT statements plus writes
run outside any transaction (each of those commits on its own). Prints medians and, for one
request of each kind, every statement with its time; `--profile` adds a cProfile of each path.

Creates dossiers and an API client in the database it is given: never point it at a database
that others measure (copy one: createdb -T motcua_bench_100k motcua_<name>).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WRITES = ("INSERT", "UPDATE", "DELETE")


def setup() -> None:
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("SECRET_KEY", "x-bench-only-0123456789abcdefghijklmnopqrstuvwxyz")
    os.environ.setdefault("DEBUG", "0")
    # As bench.py's servers: the limiters count every call but never refuse one.
    os.environ.setdefault("MOTCUA_API_RATE_LIMIT_PER_MINUTE", "100000000")
    os.environ.setdefault("MOTCUA_API_PUBLIC_RATE_LIMIT_PER_MINUTE", "100000000")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL copy of a bench database")
    import django

    django.setup()


class Recorder:
    """Every statement of the connection with its time, and the commits."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, float]] = []
        self.commits = 0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        from django.db import connection

        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append((sql, (time.perf_counter() - started) * 1000))
            if not connection.in_atomic_block and sql.lstrip().upper().startswith(WRITES):
                self.commits += 1

    def reset(self) -> None:
        self.statements, self.commits = [], 0


def _commit_counter(recorder: Recorder):  # type: ignore[no-untyped-def]
    """Wrap the connection's commit() (Django's COMMIT does not pass through execute)."""
    from django.db import connection

    original = connection.commit

    def commit() -> None:
        started = time.perf_counter()
        original()
        recorder.statements.append(("COMMIT", (time.perf_counter() - started) * 1000))
        recorder.commits += 1

    connection.commit = commit  # type: ignore[method-assign]


def inputs() -> dict[str, Any]:
    """The bench's inputs: codes spread over the table, an API key and the create body."""
    from bench.bench import create_request, lookup_codes

    key, body = create_request("profile")
    return {"codes": lookup_codes(), "key": key, "body": json.dumps(body, ensure_ascii=False)}


def measure(name: str, calls: int, call: Any, recorder: Recorder, expect: int) -> dict[str, Any]:
    cpu: list[float] = []
    wall: list[float] = []
    counts: list[int] = []
    commits: list[int] = []
    sql_ms: list[float] = []
    sample: list[tuple[str, float]] = []
    for i in range(calls):
        recorder.reset()
        c0, w0 = time.process_time(), time.perf_counter()
        status = call(i)
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
        if status != expect:
            sys.exit(f"{name}: HTTP {status}, expected {expect}")
        counts.append(sum(1 for sql, _ in recorder.statements if sql != "COMMIT"))
        commits.append(recorder.commits)
        sql_ms.append(sum(ms for _, ms in recorder.statements))
        if i == calls // 2:
            sample = list(recorder.statements)
    return {
        "requests": calls,
        "cpu_ms_median": round(statistics.median(cpu), 2),
        "wall_ms_median": round(statistics.median(wall), 2),
        "sql_ms_median": round(statistics.median(sql_ms), 2),
        "statements": statistics.median(counts),
        "commits": statistics.median(commits),
        "sample": [(round(ms, 3), sql[:160]) for sql, ms in sample],
    }


def print_results(results: dict[str, Any]) -> None:
    """Each path's medians against the bare view (adds `cpu_vs_bare`), then its statements and
    cProfile."""
    bare_cpu = results["bare"]["cpu_ms_median"]
    for name, figures in results.items():
        figures["cpu_vs_bare"] = round(bare_cpu / figures["cpu_ms_median"], 3)
        print(
            f"{name:11} CPU {figures['cpu_ms_median']:6.2f} ms  wall {figures['wall_ms_median']:6.2f}"
            f" ms  SQL {figures['sql_ms_median']:5.2f} ms  statements {figures['statements']:g}"
            f"  commits {figures['commits']:g}  bare/CPU {figures['cpu_vs_bare']:.3f}"
            f"  (median of {figures['requests']})"
        )
    for name, figures in results.items():
        print(f"\n--- {name}: the statements of one request (ms, SQL)")
        for ms, sql in figures["sample"]:
            print(f"{ms:8.3f}  {sql}")
        if "cprofile" in figures:
            print(f"\n--- {name}: cProfile\n{figures['cprofile']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lookups", type=int, default=200)
    parser.add_argument("--creates", type=int, default=50)
    parser.add_argument("--profile", action="store_true", help="cProfile each path")
    parser.add_argument("--profile-lines", type=int, default=60, help="functions shown")
    parser.add_argument("--json", help="also write the figures to this file")
    options = parser.parse_args()
    setup()

    from django.db import connection
    from django.test import Client

    data = inputs()
    http = Client(HTTP_HOST="127.0.0.1")  # the bench's host (ALLOWED_HOSTS)
    codes = data["codes"]
    create_headers = {"Authorization": f"Bearer {data['key']}"}
    run_id = f"{time.time():.0f}"

    def lookup(i: int) -> int:
        return http.get(
            f"/api/v1/lookup/{codes[i % len(codes)]}", HTTP_X_BENCH_CLIENT=f"10.9.{i // 250}.{i}"
        ).status_code

    def bare(i: int) -> int:
        return http.get("/bench/bare/", HTTP_X_BENCH_CLIENT=f"10.8.{i // 250}.{i}").status_code

    def create(i: int) -> int:
        return http.post(
            "/api/v1/dossiers",
            data["body"],
            content_type="application/json",
            headers={**create_headers, "Idempotency-Key": f"profile-{run_id}-{i}"},
        ).status_code

    recorder = Recorder()
    _commit_counter(recorder)
    results: dict[str, Any] = {}
    with connection.execute_wrapper(recorder):
        for i in range(20):  # warm-up: imports, caches, the workday calendar
            lookup(i)
            create(10_000_000 + i)
        results["bare"] = measure("bare", options.lookups, bare, recorder, 200)
        results["lookup_api"] = measure("lookup", options.lookups, lookup, recorder, 200)
        results["create_api"] = measure(
            "create", options.creates, lambda i: create(i), recorder, 201
        )
        if options.profile:
            for name, call in (("lookup_api", lookup), ("create_api", create)):
                profiler = cProfile.Profile(time.process_time)  # CPU, not the neighbours
                profiler.enable()
                for i in range(200 if name == "lookup_api" else 50):
                    call(20_000_000 + i)
                profiler.disable()
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(
                    options.profile_lines
                )
                results[name]["cprofile"] = out.getvalue()
    print_results(results)
    if options.json:
        Path(options.json).write_text(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
