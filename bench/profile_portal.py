"""Profile the public portal pages in-process: search `/?q=`, procedure `/thu-tuc/<code>/`,
lookup `/tra-cuu/?code=`, and the bare view `/bench/bare/` as the framework floor.

The requests are the HTTP benchmark's (`bench/bench.py inputs()`): the 10 search words, every
published procedure, 2 000 lookup codes spread over the dossiers table by id; each request
carries a fresh X-Bench-Client address, as the wrk script does. Anonymous visitors, no cookies
kept between requests. For each page: median and 90th percentile of the process CPU time and
the wall time per request over N requests (after one warm pass over the inputs, so caches are
as warm as in a long wrk run), and the SQL statements per request (median and max).
`--cprofile PAGE` prints the top of a cProfile of that page's N requests.

    DJANGO_SETTINGS_MODULE=bench.settings PYTHONPATH=/work/main:/work/main/src \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_100k \\
    SECRET_KEY=x-bench-only-0123456789abcdefghijklmnopqrstuvwxyz DEBUG=0 \\
    .venv/bin/python bench/profile_portal.py [--runs 200] [--pages search,procedure,lookup]
        [--cprofile procedure] [--show-sql]

The cache is the settings' (a file cache, as in the HTTP benchmark) under a directory of its own
per database (MOTCUA_DATA_DIR). The machine may be shared: read the CPU columns first.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import os
import pstats
import statistics
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any


def _setup() -> None:
    # Run as a script, this folder comes first on sys.path and `bench` would be bench/bench.py.
    here = str(Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if str(Path(p or ".").resolve()) != here]
    name = os.environ.get("DATABASE_URL", "default").rsplit("/", 1)[-1] or "default"
    os.environ.setdefault(
        "MOTCUA_DATA_DIR", str(Path(tempfile.gettempdir()) / f"profile_portal_{name}")
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)  # as the bench does


class _Statements:
    """An execute wrapper that keeps every statement (ms, sql)."""

    def __init__(self) -> None:
        self.rows: list[tuple[float, str]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.rows.append(((time.perf_counter() - start) * 1000, sql))


def _paths() -> dict[str, list[str]]:
    from bench.bench import SEARCH_WORDS, lookup_codes
    from motcua.catalog.models import Procedure

    codes = lookup_codes()
    procedures = list(Procedure.objects.filter(published=True).values_list("code", flat=True))
    return {
        "bare": ["/bench/bare/"],
        "search": [f"/?q={w.replace(' ', '+')}" for w in SEARCH_WORDS],
        "procedure": [f"/thu-tuc/{c}/" for c in procedures],
        "lookup": [f"/tra-cuu/?code={c}" for c in codes],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--pages", default="bare,search,procedure,lookup")
    parser.add_argument("--cprofile", default="", help="page to profile with cProfile")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--callers", default="", help="with --cprofile: who calls this function")
    parser.add_argument("--show-sql", action="store_true", help="the statements of one request")
    args = parser.parse_args()
    _setup()

    from django.db import connection
    from django.test import Client

    paths = _paths()
    print(f"database {connection.settings_dict['NAME']}, {len(paths['lookup'])} lookup codes")
    print(
        f"{'page':<10}{'stmts':>6}{'max':>5}{'cpu ms':>9}{'p90':>7}{'wall ms':>9}{'p90':>7}"
        f"{'bytes':>8}"
    )
    counter = itertools.count()
    client = Client(SERVER_NAME="localhost")  # the bench's host

    def get(url: str) -> Any:
        client.cookies = SimpleCookie()  # an anonymous visitor without cookies, as wrk
        return client.get(url, headers={"X-Bench-Client": f"10.9.{next(counter) % 60000}"})

    for page in [p for p in args.pages.split(",") if p]:
        urls = paths[page]

        for url in urls:  # warm: templates, caches, connections
            assert get(url).status_code == 200, url
        cpu, wall, counts, size = [], [], [], []
        profiler = cProfile.Profile() if args.cprofile == page else None
        captured = _Statements()
        for i in range(args.runs):
            url = urls[i % len(urls)]
            captured = _Statements()
            with connection.execute_wrapper(captured):
                if profiler:
                    profiler.enable()
                c0, w0 = time.process_time(), time.perf_counter()
                response = get(url)
                cpu.append((time.process_time() - c0) * 1000)
                wall.append((time.perf_counter() - w0) * 1000)
                if profiler:
                    profiler.disable()
            assert response.status_code == 200, (url, response.status_code)
            counts.append(len(captured.rows))
            size.append(len(response.content))

        def p90(values: list[float]) -> float:
            return statistics.quantiles(values, n=10)[-1]

        print(
            f"{page:<10}{statistics.median(counts):>6.0f}{max(counts):>5}"
            f"{statistics.median(cpu):>9.2f}{p90(cpu):>7.2f}"
            f"{statistics.median(wall):>9.2f}{p90(wall):>7.2f}{statistics.median(size):>8.0f}"
        )
        if args.show_sql:
            for ms, sql in captured.rows:
                print(f"    {ms:8.2f}  {sql[:300]}")
        if profiler:
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(args.top)
            stats.sort_stats("tottime").print_stats(args.top)
            if args.callers:
                stats.print_callers(args.callers)


if __name__ == "__main__":
    main()
