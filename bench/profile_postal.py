"""In-process profile of the postal callback, the way `bench/bench.py postal` calls it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_postal \
        .venv/bin/python bench/profile_postal.py [--callbacks 200] [--profile]

An operator's status callback `POST /api/v1/postal/callback/sandbox` through django.test.Client
(routing, the middleware stack, ninja, the database), signed by the bench's own HMAC code
(bench.bench.callback_line): first callbacks (a new status, "accepted", of parcels of the bench
unit still created: 202, the callback kept and its task queued in one commit), then callbacks
of the status each parcel has (created: 200 duplicate, nothing written). Per request: process
CPU time, wall time, SQL statements with their time, commits (as bench/profile_api.py).
`--profile` adds a cProfile of each (CPU clock).

Uses the last parcels of the unit still created (the bench's measured slice ends there) and
deletes what it wrote when done (its callbacks and their tasks, which no worker applied), so the
parcels stay as they were; never run it beside the bench.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
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
from bench.profile_payments import cprofile  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--callbacks", type=int, default=200)
    parser.add_argument("--profile", action="store_true", help="cProfile the callbacks")
    parser.add_argument("--profile-lines", type=int, default=40, help="functions shown")
    parser.add_argument("--json", help="also write the figures to this file")
    options = parser.parse_args()
    setup()

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django_tasks_db.models import DBTaskResult

    from bench.bench import CALLBACK_PATH, callback_line, postal_account, postal_open
    from motcua.postal.constants import ShipmentStatus as S
    from motcua.postal.models import PostalCallback

    unit, _account = postal_account()
    secret = settings.MOTCUA_POSTAL_SANDBOX_SECRET
    n = options.callbacks
    wanted = n * (2 if options.profile else 1) + 20
    created = [number for _, number, status in postal_open(unit) if status == S.CREATED]
    if len(created) < wanted:
        sys.exit(f"{len(created)} parcels still created, {wanted} needed: run bench.py postal")
    numbers = created[-wanted:]
    http = Client(HTTP_HOST="127.0.0.1")

    def callback(number: str, status: str, expect: str) -> int:
        signature, body = callback_line(number, status, secret, int(time.time())).split("\t")
        response = http.post(
            CALLBACK_PATH,
            body,
            content_type="application/json",
            headers={"X-Postal-Signature": signature, "X-Bench-Client": "10.7.0.1"},
        )
        answer = json.loads(response.content)
        if answer.get("result") != expect:
            sys.exit(f"{response.status_code} {answer}, expected {expect}: {body}")
        return response.status_code

    last_callback = PostalCallback.objects.order_by("-pk").values_list("pk", flat=True).first()
    started_at = time.time()
    first = numbers[20 : 20 + n]
    recorder = Recorder()
    _commit_counter(recorder)
    results: dict[str, Any] = {}
    try:
        with connection.execute_wrapper(recorder):
            for number in numbers[:20]:  # warm-up: imports, caches
                callback(number, S.ACCEPTED, "accepted")
                callback(number, S.CREATED, "duplicate")
            results["bare"] = measure(
                "bare", n, lambda i: http.get("/bench/bare/").status_code, recorder, 200
            )
            results["callback_first"] = measure(
                "callback_first",
                n,
                lambda i: callback(first[i], S.ACCEPTED, "accepted"),
                recorder,
                202,
            )
            results["callback_repeat"] = measure(
                "callback_repeat",
                n,
                lambda i: callback(first[i], S.CREATED, "duplicate"),
                recorder,
                200,
            )
            if options.profile:
                more = numbers[20 + n : 20 + 2 * n]
                results["callback_first"]["cprofile"] = cprofile(
                    lambda i: callback(more[i], S.ACCEPTED, "accepted"),
                    len(more),
                    options.profile_lines,
                )
                results["callback_repeat"]["cprofile"] = cprofile(
                    lambda i: callback(more[i], S.CREATED, "duplicate"),
                    len(more),
                    options.profile_lines,
                )
    finally:
        # What it wrote: the callbacks (never applied) and their queued tasks.
        mine = PostalCallback.objects.filter(pk__gt=last_callback or 0)
        kept = mine.count()
        mine.delete()
        DBTaskResult.objects.filter(
            status="READY",
            task_path__endswith="callback_apply_task",
            enqueued_at__gte=dt.datetime.fromtimestamp(started_at - 1, dt.UTC),
        ).delete()
        print(f"(deleted the {kept} callbacks it kept and their tasks)")
    print_results(results)
    if options.json:
        Path(options.json).write_text(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
