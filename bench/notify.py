"""`bench/bench.py notify`: how fast one worker empties the outbox, and that nothing goes twice.

On a fresh PostgreSQL database (`BENCH_NOTIFY_DB`, default `motcua_bench_notify`, made by
`migrate`), for each e-mail provider in turn — the sandbox (rows in a table, one per reference)
and SMTP to a local sink (bench/smtp_sink.py, aiosmtpd in its own process) — it writes
`BENCH_NOTIFY_MESSAGES` (default 20 000) messages through `notify()` (their delivery tasks
left out), then times `messages_deliver()` in this process, batch after batch as the worker's
task does, until the outbox is empty. Then it counts: messages sent, copies the sink or the
sandbox received (each Message-ID / reference once), duplicates.
"""

from __future__ import annotations

import json
import os
import resource
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.bench import OUT, PY, ROOT, django_setup, env_for, machine, psql, run

DB = os.environ.get("BENCH_NOTIFY_DB", "motcua_bench_notify")
MESSAGES = int(os.environ.get("BENCH_NOTIFY_MESSAGES", "20000"))
# Recipients per notify() call while loading (a scan or a report reminder writes many at once).
PER_CALL = 200


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fresh_database() -> str:
    psql("postgres", f'DROP DATABASE IF EXISTS "{DB}"')
    psql("postgres", f'CREATE DATABASE "{DB}"')
    url = f"postgres://postgres@127.0.0.1:5432/{DB}"
    run([PY, "-m", "motcua", "migrate", "-v0"], env_for(url))
    return url


def load(run_name: str, count: int) -> float:
    """`count` messages of a 'received' event to distinct addresses, queued (seconds taken)."""
    from django.db import transaction

    from motcua.dossiers.tasks import side_effects_suppressed
    from motcua.notifications.constants import Event
    from motcua.notifications.services import Recipient, notify

    values = {
        "ma_ho_so": "000.00.01.H16-261207-0001",
        "ten_thu_tuc": "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "nguoi_nop": "Nguyễn Thị Hương",
        "co_quan": "Trung tâm Phục vụ hành chính công tỉnh",
        "trang_thai": "Đã tiếp nhận",
        "duong_dan": "http://127.0.0.1:8000/tra-cuu/?code=000.00.01.H16-261207-0001",
        "hen_tra": "16:30 ngày 14/12/2026",
    }
    started = time.monotonic()
    for first in range(0, count, PER_CALL):
        recipients = [
            Recipient(name=f"Người nhận {n}", email=f"nguoi-nhan-{n}@example.vn")
            for n in range(first, min(first + PER_CALL, count))
        ]
        # The delivery tasks are left out: the bench calls the delivery itself, timed.
        with side_effects_suppressed(), transaction.atomic():
            notify(
                event=Event.RECEIVED,
                source=f"bench:{run_name}:{first}",
                recipients=recipients,
                values=values,
            )
    return time.monotonic() - started


def deliver() -> dict[str, Any]:
    """Empty the outbox as one worker does: batch after batch (the task's own limit)."""
    from motcua.notifications.delivery import messages_deliver

    counts: dict[str, int] = {}
    batches = 0
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.monotonic()
    while True:
        done = messages_deliver()
        if not done:
            break
        batches += 1
        for key, value in done.items():
            counts[key] = counts.get(key, 0) + value
    seconds = time.monotonic() - started
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    total = sum(counts.values())
    return {
        "counts": counts,
        "batches": batches,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "messages_per_s": round(total / seconds, 1) if seconds else None,
        "load_average": os.getloadavg(),
    }


def bench_provider(name: str, settings: Any, sink_file: Path | None) -> dict[str, Any]:
    from motcua.notifications.models import Message, SandboxDelivery

    provider = "sandbox" if name == "sandbox" else "smtp"
    settings.MOTCUA_NOTIFY_PROVIDERS = {"email": provider, "sms": "", "zalo": "", "inapp": ""}
    Message.objects.all().delete()
    SandboxDelivery.objects.all().delete()
    out: dict[str, Any] = {"provider": provider, "messages": MESSAGES}
    out["load_seconds"] = round(load(name, MESSAGES), 1)
    psql(DB, "VACUUM (ANALYZE) notifications_message, notifications_messageevent")
    print(f"{name}: {MESSAGES} messages queued in {out['load_seconds']} s", flush=True)
    out["delivery"] = deliver()
    references = {str(r) for r in Message.objects.values_list("reference", flat=True)}
    out["sent"] = Message.objects.filter(status__in=["sent", "delivered"]).count()
    if sink_file is not None:
        ids = [line.strip() for line in sink_file.read_text().splitlines() if line.strip()]
        received = [i.strip("<>").split("@", 1)[0] for i in ids]
        out["received"] = len(received)
        out["duplicates"] = len(received) - len(set(received))
        out["unknown"] = len(set(received) - references)
    else:
        out["received"] = SandboxDelivery.objects.count()
        out["duplicates"] = sum(SandboxDelivery.objects.values_list("copies_refused", flat=True))
        out["unknown"] = SandboxDelivery.objects.exclude(
            reference__in=Message.objects.values("reference")
        ).count()
    print(
        f"{name}: {out['delivery']['messages_per_s']} messages/s "
        f"({out['delivery']['seconds']} s, CPU {out['delivery']['cpu_seconds']} s), "
        f"sent {out['sent']}, received {out['received']}, duplicates {out['duplicates']}",
        flush=True,
    )
    return out


def main_notify() -> None:
    results: dict[str, Any] = {"label": "notify"}
    url = fresh_database()
    port = _free_port()
    os.environ.update(EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(port))
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.smtp.EmailBackend"
    django_setup(url)
    from django.conf import settings

    results["machine"] = machine()
    results["commit"] = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    results["sandbox"] = bench_provider("sandbox", settings, None)
    sink_file = OUT / "notify-sink.txt"
    sink_file.write_text("")
    sink = subprocess.Popen([PY, str(ROOT / "bench" / "smtp_sink.py"), str(port), str(sink_file)])
    try:
        time.sleep(1.0)
        results["smtp"] = bench_provider("smtp", settings, sink_file)
    finally:
        sink.terminate()
        sink.wait(timeout=10)
    path = OUT / "notify.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    print(f"wrote {path}")
