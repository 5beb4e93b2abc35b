"""Profile the officer queue page `/can-bo/` in-process: every tab, default sort.

For each tab: median process CPU and wall time of N requests (after warm-up), the number of
SQL statements and their summed time, and the slowest statement. `--explain` runs
`EXPLAIN (ANALYZE, BUFFERS)` on the queue's statements of each tab (read-only) and prints
their execution time (`--verbose`: the plans).

    DJANGO_SETTINGS_MODULE=bench.settings PYTHONPATH=/work/main:/work/main/src \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_100k \\
    SECRET_KEY=x-bench-only-0123456789abcdefghijklmnopqrstuvwxyz DEBUG=0 \\
    .venv/bin/python bench/profile_queue.py [--runs 30] [--officer tiepnhan.ttpvhcc] [--explain]

The officer is the one `bench/bench.py inputs()` signs in (BENCH_OFFICER, else
tiepnhan.ttpvhcc). The cache is the settings' (a file cache, as in the HTTP benchmark) under a
directory of its own per database (CACHE_URL), static files collected under
$TMPDIR/profile_queue (MOTCUA_DATA_DIR), so that runs against different databases
do not read each other's scopes. The machine may be shared: read the CPU column first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _setup() -> None:
    # Run as a file, this folder comes first on sys.path and `bench` would be bench.py.
    here = str(Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if str(Path(p or ".").resolve()) != here]
    name = os.environ.get("DATABASE_URL", "default").rsplit("/", 1)[-1] or "default"
    scratch = Path(tempfile.gettempdir()) / "profile_queue"
    # Static files collected once into a folder of this script (the pages need the manifest).
    os.environ.setdefault("MOTCUA_DATA_DIR", str(scratch))
    os.environ.setdefault("CACHE_URL", f"file://{scratch / f'cache-{name}'}")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)


_SUMMARY = "Execution Time"


class _Statements:
    """An execute wrapper that keeps every statement with its time (ms)."""

    def __init__(self) -> None:
        self.rows: list[tuple[float, str, Any]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.rows.append(((time.perf_counter() - start) * 1000, sql, params))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warm", type=int, default=3)
    parser.add_argument("--officer", default=os.environ.get("BENCH_OFFICER", "tiepnhan.ttpvhcc"))
    parser.add_argument("--tabs", default="", help="comma-separated tab keys (default: all)")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN the slowest statements")
    parser.add_argument("--verbose", action="store_true", help="print the whole plans")
    parser.add_argument("--show-sql", action="store_true", help="print each statement once")
    args = parser.parse_args()
    _setup()

    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from motcua.accounts.models import User
    from motcua.backoffice import selectors
    from motcua.dossiers.models import Dossier

    setup_test_environment()  # the test client's response.context; DEBUG stays off
    user = User.objects.get(username=args.officer)
    client = Client()
    client.force_login(user)
    total = Dossier.objects.count()
    print(f"database {connection.settings_dict['NAME']}: {total} dossiers, officer {user}")
    tabs = [t for t in args.tabs.split(",") if t] or list(selectors.TAB_KEYS)
    header = f"{'tab':<11}{'stmts':>6}{'sql ms':>9}{'cpu ms':>9}{'wall ms':>9}{'slowest ms':>11}"
    print(header)
    explain: list[tuple[str, str, Any]] = []
    for tab in tabs:
        url = f"/can-bo/?tab={tab}"
        for _ in range(args.warm):
            assert client.get(url).status_code == 200
        cpu, wall, sql_ms, counts = [], [], [], []
        slowest: tuple[float, str, Any] = (0.0, "", None)
        captured: _Statements | None = None
        for _ in range(args.runs):
            captured = _Statements()
            with connection.execute_wrapper(captured):
                c0, w0 = time.process_time(), time.perf_counter()
                response = client.get(url)
                cpu.append((time.process_time() - c0) * 1000)
                wall.append((time.perf_counter() - w0) * 1000)
            assert response.status_code == 200, response.status_code
            sql_ms.append(sum(ms for ms, _s, _p in captured.rows))
            counts.append(len(captured.rows))
            top = max(captured.rows, default=(0.0, "", None), key=lambda r: r[0])
            if top[0] > slowest[0]:
                slowest = top
        print(
            f"{tab:<11}{statistics.median(counts):>6.0f}{statistics.median(sql_ms):>9.2f}"
            f"{statistics.median(cpu):>9.2f}{statistics.median(wall):>9.2f}{slowest[0]:>11.2f}"
        )
        if args.show_sql and captured is not None:
            for ms, sql, _params in captured.rows:
                print(f"    {ms:8.2f}  {sql[:400]}")
        if captured is not None:
            # The queue's own statements (those reading the dossiers) of the last request.
            for _ms, sql, params in captured.rows:
                if "dossiers_dossier" in sql and sql.lstrip().upper().startswith(
                    ("SELECT", "WITH")
                ):
                    explain.append((tab, sql, params))
    if args.explain and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for tab, sql, params in explain:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                lines = [line for (line,) in cursor.fetchall()]
                summary = [line.strip() for line in lines if _SUMMARY in line or "JIT" in line]
                print(f"\n--- {tab}: {sql[:160]}\n    {' | '.join(summary)}")
                if args.verbose:
                    print("\n".join(f"    {line}" for line in lines))


if __name__ == "__main__":
    main()
