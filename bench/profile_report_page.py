"""In-process timing of the report page (/bao-cao/) on an existing database: CPU, wall, statements.

Run against a database that the benchmark loaded and froze (`python -m motcua report --freeze
--period 2020` first, as bench.py does; also freeze 2019, the trend's first months, as the bench's
worker does on the first view), with the bench settings and a data directory of its own (static
manifest and the file cache), e.g.:

    export DJANGO_SETTINGS_MODULE=bench.settings PYTHONPATH=.:src DEBUG=0 \
        MOTCUA_DATA_DIR=/tmp/report-page DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_x \
        SECRET_KEY=x-bench-only-0123456789abcdefghijklmnopqrstuvwxyz
    .venv/bin/python -m motcua collectstatic --noinput -v0
    .venv/bin/python bench/profile_report_page.py --requests 30 [--cold] [--profile 30]

`--cold` clears the cache before every request (the first view of a report); without it, the
first request fills the cache and the median is that of the following ones. Process CPU time is
the figure to compare on a shared machine; wall time includes waiting for PostgreSQL and the
other processes.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="/bao-cao/?period=2020-06")
    parser.add_argument("--user", default="baocao")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--cold", action="store_true", help="clear the cache before each request")
    parser.add_argument("--profile", type=int, default=0, help="print the N top cProfile lines")
    parser.add_argument("--language", default="", help="e.g. en: the English page")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from motcua.accounts.models import User
    from motcua.dossiers.models import Dossier

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=args.user))
    if args.language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = args.language

    def one() -> tuple[float, float, int, int]:
        if args.cold:
            cache.clear()
        cpu, wall = time.process_time(), time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(args.url)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        assert response.status_code == 200, response.status_code
        return cpu * 1000, wall * 1000, len(queries), len(response.content)

    first = one()
    runs = [one() for _ in range(args.requests)]
    print(f"database: {connection.settings_dict['NAME']} ({Dossier.objects.count()} dossiers)")
    print(f"url: {args.url} as {args.user}{' (cold cache)' if args.cold else ''}")
    print(f"first request: {first[0]:.1f} ms CPU, {first[1]:.1f} ms wall, {first[2]} statements")
    print(
        f"median of {len(runs)}: {statistics.median(r[0] for r in runs):.1f} ms CPU, "
        f"{statistics.median(r[1] for r in runs):.1f} ms wall, "
        f"{statistics.median(r[2] for r in runs):.0f} statements, "
        f"{runs[-1][3] / 1024:.0f} KiB"
    )
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(5):
            one()
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(args.profile)
        stats.sort_stats("tottime").print_stats(args.profile)


if __name__ == "__main__":
    main()
