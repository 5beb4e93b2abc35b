"""In-process profile of the payments hot paths, the way `bench/bench.py payments` calls them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_pay \
        .venv/bin/python bench/profile_payments.py [--notices 200] [--profile] [--statement]

The gateway's notice `GET /api/v1/payments/callback/vnpay?<signed>` through django.test.Client
(routing, the middleware stack, ninja, the database): first notices of open invoices of the bench
unit (each pays its invoice, RspCode 00, and commits), then the same notices again (02). Per
request: process CPU time, wall time, SQL statements with their time, commits (as
bench/profile_api.py). `--profile` adds a cProfile of each (CPU clock); `--statement` a cProfile
of `statement_import` of the bench's generated statement (bench/out/statement-100k.csv, written by
`bench.py payments`), in a transaction rolled back.

Pays invoices of the database it is given (the last open ones, not the statement's): run it on
motcua_bench_pay after the bench, never beside it.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from bench.profile_api import (  # noqa: E402
    Recorder,
    _commit_counter,
    measure,
    print_results,
    setup,
)


def cprofile(call: Any, calls: int, lines: int) -> str:
    profiler = cProfile.Profile(time.process_time)  # CPU, not the neighbours
    profiler.enable()
    for i in range(calls):
        call(i)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(lines)
    stats.sort_stats("cumulative").print_stats(lines)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notices", type=int, default=200)
    parser.add_argument("--profile", action="store_true", help="cProfile the notices")
    parser.add_argument("--statement", action="store_true", help="cProfile statement_import")
    parser.add_argument("--profile-lines", type=int, default=40, help="functions shown")
    parser.add_argument("--json", help="also write the figures to this file")
    options = parser.parse_args()
    setup()

    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client

    from bench.bench import (
        OUT,
        PAY_OFFICER,
        PAY_STATEMENT_INVOICES,
        ipn_path,
        open_invoices,
        pay_accounts,
    )

    accounts = pay_accounts()
    secret, tmn = settings.MOTCUA_VNPAY_HASH_SECRET, accounts["vnpay"].tmn_code
    wanted = options.notices * (3 if options.profile else 1) + 20
    pool = open_invoices(accounts["unit"])[PAY_STATEMENT_INVOICES:]
    if len(pool) < wanted:
        sys.exit(f"{len(pool)} open invoices, {wanted} needed: run bench/bench.py payments first")
    # Transaction numbers of their own (the bench's are 7…, these 8…).
    paths = [ipn_path(r, a, f"{8 * 10**8 + pk}", secret, tmn) for pk, r, a in pool[-wanted:]]
    http = Client(HTTP_HOST="127.0.0.1")

    def notice(path: str, expect: str) -> int:
        response = http.get(path, HTTP_X_BENCH_CLIENT="10.7.0.1")
        code = json.loads(response.content)["RspCode"]
        if code != expect:
            sys.exit(f"RspCode {code}, expected {expect}: {path[:80]}")
        return response.status_code

    n = options.notices
    first = paths[20 : 20 + n]
    recorder = Recorder()
    _commit_counter(recorder)
    results: dict[str, Any] = {}
    with connection.execute_wrapper(recorder):
        for path in paths[:20]:  # warm-up: imports, caches
            notice(path, "00")
            notice(path, "02")
        results["bare"] = measure(
            "bare", n, lambda i: http.get("/bench/bare/").status_code, recorder, 200
        )
        results["ipn_first"] = measure(
            "ipn_first", n, lambda i: notice(first[i], "00"), recorder, 200
        )
        results["ipn_repeat"] = measure(
            "ipn_repeat", n, lambda i: notice(first[i], "02"), recorder, 200
        )
        if options.profile:
            more = paths[20 + n : 20 + 3 * n]
            results["ipn_first"]["cprofile"] = cprofile(
                lambda i: notice(more[i], "00"), len(more), options.profile_lines
            )
            results["ipn_repeat"]["cprofile"] = cprofile(
                lambda i: notice(more[i], "02"), len(more), options.profile_lines
            )
    print_results(results)

    if options.statement:
        from motcua.accounts.models import User
        from motcua.payments.services import statement_import

        data = (OUT / "statement-100k.csv").read_bytes()
        officer = User.objects.get(username=PAY_OFFICER)

        class Rollback(Exception):
            pass

        recorder.reset()
        profiler = cProfile.Profile(time.process_time)
        started = time.perf_counter()
        try:
            with connection.execute_wrapper(recorder), transaction.atomic():
                profiler.enable()
                statement = statement_import(
                    account=accounts["vietqr"], data=data, filename="sao-ke.csv", actor=officer
                )
                profiler.disable()
                raise Rollback
        except Rollback:
            pass
        wall = time.perf_counter() - started
        sql_ms = sum(ms for _, ms in recorder.statements)
        kinds: dict[str, list[float]] = {}
        for sql, ms in recorder.statements:
            kinds.setdefault(" ".join(sql.split()[:3])[:60], []).append(ms)
        top = sorted(kinds.items(), key=lambda kv: -sum(kv[1]))[:15]
        print(f"\n--- statement_import: {wall:.2f} s wall, SQL {sql_ms / 1000:.2f} s in")
        print(f"{len(recorder.statements)} statements; {statement.counts}")
        for head, times in top:
            print(f"{sum(times) / 1000:8.2f} s  {len(times):7d} ×  {head}")
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(options.profile_lines)
        stats.sort_stats("cumulative").print_stats(options.profile_lines)
        print(out.getvalue())
        results["statement"] = {
            "wall_s": round(wall, 2),
            "sql_s": round(sql_ms / 1000, 2),
            "statements": len(recorder.statements),
            "by_kind": [(head, len(t), round(sum(t) / 1000, 2)) for head, t in top],
        }
    if options.json:
        Path(options.json).write_text(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
