"""Scale-out on one machine: several gunicorn processes and task workers on one PostgreSQL.

Drives concurrent dossier creation (with idempotent replays) and concurrent actions on the same
dossiers over HTTP for a bounded time, then checks what a multi-node deployment must guarantee:
no duplicate dossier code, no lost update (versions equal event counts; of two actions sent with
the same expected version exactly one wins), every task run exactly once and none lost.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
DRIVE_SECONDS = 10
DRIVE_SECONDS_MAX = 90
MIN_CREATED = 20
WEB_PROCESSES, TASK_WORKERS = 2, 2


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _call(
    port: int, method: str, path: str, key: str, body: dict | None = None, idem: str | None = None
) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    if idem:
        headers["Idempotency-Key"] = idem
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body).encode() if body is not None else None,
        headers=headers,
        method=method,
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


@pytest.fixture
def scale_database():
    base = settings.DATABASES["default"]
    name = f"motcua_scale_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = psycopg.connect(
        host=base["HOST"] or "127.0.0.1",
        port=base["PORT"] or 5432,
        user=base["USER"],
        password=base["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgres://{base['USER']}@{base['HOST'] or '127.0.0.1'}:{base['PORT'] or 5432}/{name}"
    try:
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_web_processes_and_task_workers_share_one_postgresql(scale_database: str) -> None:
    env = dict(
        os.environ,
        DATABASE_URL=scale_database,
        DJANGO_SETTINGS_MODULE="motcua.settings",
        SECRET_KEY="scale-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        DEBUG="0",
        MOTCUA_API_RATE_LIMIT_PER_MINUTE="1000000",
        TASK_BACKEND="django_tasks_db.DatabaseBackend",
        # The periodic jobs stay out of this test's counts (tests/ops tests the scheduler).
        MOTCUA_SCHEDULER="0",
    )
    env.pop("PYTEST_XDIST_WORKER", None)
    python = sys.executable
    subprocess.run([python, "-m", "motcua", "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [python, "-m", "motcua", "demo", "--dossiers", "0"],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    out = subprocess.run(
        [
            python,
            "-m",
            "motcua",
            "create_api_client",
            "--name",
            "scale",
            "--agency",
            "000.01.50.H16",
            "--scope",
            "dossiers:create",
            "dossiers:read",
            "actions:all",
        ],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    key = out.strip().splitlines()[-1].strip()
    ports = [_free_port() for _ in range(WEB_PROCESSES)]
    gunicorn = str(Path(python).with_name("gunicorn"))
    processes = [
        subprocess.Popen(
            [
                gunicorn,
                "motcua.wsgi:application",
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        for port in ports
    ] + [
        subprocess.Popen(
            [python, "-m", "motcua", "worker"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(TASK_WORKERS)
    ]
    try:
        for port in ports:
            for _ in range(150):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                    break
                except urllib.error.HTTPError:
                    break
                except OSError:
                    time.sleep(0.2)
        body = {
            "procedure": "1.000656",
            "agency": "000.01.50.H16",
            "channel": "direct",
            "applicant": {"name": "Nguyễn Văn Tải", "citizen_id": "066090001234"},
            "form_data": {},
            "result_delivery": "in_person",
            "documents": [],
        }
        created: dict[str, str] = {}
        races: list[tuple[int, int]] = []
        started = time.monotonic()

        def driving() -> bool:
            # DRIVE_SECONDS at least, longer on a busy machine until enough dossiers exist.
            elapsed = time.monotonic() - started
            return elapsed < DRIVE_SECONDS or (
                len(created) < MIN_CREATED and elapsed < DRIVE_SECONDS_MAX
            )

        def client(n: int) -> None:
            i = 0
            while driving():
                i += 1
                idem = f"scale-{n}-{i}"
                port = ports[i % len(ports)]
                status, answer = _call(port, "POST", "/api/v1/dossiers", key, body, idem)
                if status not in (200, 201):
                    continue
                # The same request replayed on the other process: the same dossier, not a second.
                status2, again = _call(
                    ports[(i + 1) % len(ports)], "POST", "/api/v1/dossiers", key, body, idem
                )
                assert status2 in (200, 201), again
                assert again["code"] == answer["code"]
                created[idem] = answer["code"]
                # Two officers act on the same version at once through different processes.
                action = "accept" if answer.get("status") == "submitted" else "start"
                payload = {"expected_version": answer["version"]}
                path = f"/api/v1/dossiers/{answer['code']}/actions/{action}"
                with concurrent.futures.ThreadPoolExecutor(2) as pair:
                    results = list(
                        pair.map(lambda p, u=path, b=payload: _call(p, "POST", u, key, b)[0], ports)
                    )
                races.append(tuple(sorted(results)))

        with concurrent.futures.ThreadPoolExecutor(6) as pool:
            list(pool.map(client, range(6)))
        assert len(created) >= MIN_CREATED, "too few dossiers created to say anything"
        for outcome in races:
            assert outcome[0] == 200 and outcome[1] == 409, outcome

        with psycopg.connect(scale_database) as conn:
            # Every committed event enqueued one task; wait for the workers to drain the queue.
            for _ in range(200):
                open_tasks = conn.execute(
                    "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')"
                ).fetchone()[0]
                if open_tasks == 0:
                    break
                time.sleep(0.2)
            assert open_tasks == 0
            codes = conn.execute(
                "SELECT code FROM dossiers_dossier WHERE code IS NOT NULL"
            ).fetchall()
            all_codes = [c for (c,) in codes]
            assert len(all_codes) == len(set(all_codes))  # no duplicate code anywhere
            assert set(created.values()) <= set(all_codes)
            assert len(set(created.values())) == len(created)  # one dossier per request
            mismatched = conn.execute(
                "SELECT d.id FROM dossiers_dossier d LEFT JOIN dossiers_dossierevent e "
                "ON e.dossier_id = d.id GROUP BY d.id, d.version HAVING count(e.id) <> d.version"
            ).fetchall()
            assert mismatched == []
            events = conn.execute("SELECT count(*) FROM dossiers_dossierevent").fetchone()[0]
            tasks = conn.execute(
                "SELECT status, jsonb_array_length(worker_ids::jsonb) FROM django_tasks_database_dbtaskresult"
            ).fetchall()
            assert tasks and all(status == "SUCCESSFUL" for status, _n in tasks), tasks[:5]
            assert all(n == 1 for _s, n in tasks), "a task ran more than once"
            # None lost, none doubled: exactly one dispatch task per committed event.
            per_event = dict(
                conn.execute(
                    "SELECT (args_kwargs::jsonb -> 'args' ->> 0)::bigint, count(*) "
                    "FROM django_tasks_database_dbtaskresult "
                    "WHERE task_path LIKE %s GROUP BY 1",
                    ["%dossier_event_dispatch"],
                ).fetchall()
            )
            event_ids = {i for (i,) in conn.execute("SELECT id FROM dossiers_dossierevent")}
            assert set(per_event) == event_ids and len(event_ids) == events
            assert set(per_event.values()) == {1}
        subprocess.run(
            [python, "-m", "motcua", "verify_audit"],
            env=env,
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
