"""The benchmark driver (see README.md): `python bench/bench.py size|data|http|sqlite-reports N`.

For one data size it makes (or reuses) the database `motcua_bench_<label>`, loads the demo
province and N simulated dossiers (timed: the simulator's rate), then serves the project with
gunicorn and drives each page with wrk on loopback, in the same run as the bare baseline view,
then times the monthly report and the KPIs in-process, and reads the peak memory of a web worker
and of a task worker. Everything measured goes to bench/out/<label>.json; bench/tables.py turns
those files into the tables of RESULTS.md.
"""

from __future__ import annotations

import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = str(ROOT / ".venv" / "bin" / "python")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
THREADS, CONNECTIONS = 2, int(os.environ.get("BENCH_CONNECTIONS", "8"))
DURATION = os.environ.get("BENCH_DURATION", "10s")
BARE_DURATION = os.environ.get("BENCH_BARE_DURATION", "5s")
GUNICORN_WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "2"))
PERIOD = os.environ.get("BENCH_PERIOD", "2020-06")
SIM_FROM, SIM_TO = "2020-01-01", "2020-12-31"
# One agency for the per-agency figures: the province's public administration service centre.
AGENCY = os.environ.get("BENCH_AGENCY", "000.00.01.H16")
# Warm calls per report timing after the cold one (the median is kept); 1 at 10 M, where a live
# year costs tens of seconds a call.
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))


def label_of(n: int) -> str:
    return f"{n // 1_000_000}m" if n % 1_000_000 == 0 else f"{n // 1000}k"


def env_for(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=env.get("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789"),
        DJANGO_SETTINGS_MODULE="bench.settings",
        PYTHONPATH=f"{ROOT}:{ROOT / 'src'}",
        MOTCUA_API_RATE_LIMIT_PER_MINUTE="100000000",
        MOTCUA_API_PUBLIC_RATE_LIMIT_PER_MINUTE="100000000",
        DEBUG="0",
        # The periodic jobs would run in the bench's task worker during the measured runs.
        MOTCUA_SCHEDULER="0",
    )
    return env


def run(cmd: list[str], env: dict[str, str], **kw: Any) -> subprocess.CompletedProcess:
    print("$", " ".join(cmd), flush=True)
    return subprocess.run(cmd, env=env, check=True, cwd=ROOT, **kw)


def psql(db: str, sql: str) -> str:
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-tAc", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def load_and_simulate(n: int, env: dict[str, str]) -> dict:
    """Migrate, load the demo province, then simulate n dossiers of 2020 (timed: the rate)."""
    run([PY, "-m", "motcua", "migrate", "-v0"], env)
    run([PY, "-m", "motcua", "demo"], env, stdout=subprocess.DEVNULL)
    started = time.monotonic()
    cmd = [PY, "-m", "motcua", "simulate", "--dossiers", str(n), "--from", SIM_FROM]
    # A fresh bench database nobody else uses: build the indexes once after the load.
    cmd += ["--to", SIM_TO, "--seed", "1", "--defer-indexes"]
    run(cmd, env)
    seconds = time.monotonic() - started
    return {
        "command": " ".join(cmd[1:]),
        "dossiers": n,
        "seconds": round(seconds, 1),
        "rate": round(n / seconds),
    }


def prepare_database(n: int, results: dict[str, Any]) -> str:
    """The database holding the demo province and n simulated dossiers (reused when it does)."""
    db = f"motcua_bench_{label_of(n)}"
    url = f"postgres://postgres@127.0.0.1:5432/{db}"
    env = env_for(url)
    exists = psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{db}'") == "1"
    count = -1
    if exists:
        try:
            count = int(psql(db, "SELECT count(*) FROM dossiers_dossier"))
        except (subprocess.CalledProcessError, ValueError):
            count = -1
    if count < n:
        if exists:
            psql("postgres", f'DROP DATABASE "{db}"')
        psql("postgres", f'CREATE DATABASE "{db}"')
        results["simulate"] = load_and_simulate(n, env)
        results["simulate"]["events"] = int(psql(db, "SELECT count(*) FROM dossiers_dossierevent"))
    else:
        # A reused database gets the migrations committed since it was loaded (new indexes).
        started = time.monotonic()
        run([PY, "-m", "motcua", "migrate", "-v0"], env)
        results["migrate_s"] = round(time.monotonic() - started, 1)
    # A bulk-loaded table has no page marked all-visible until vacuumed, so every index-only
    # scan (the queue's capped counts) reads the heap too; a province's tables are vacuumed by
    # autovacuum long before they reach this size, so the bench vacuums once after loading.
    started = time.monotonic()
    tables = ", ".join(f"dossiers_{t}" for t in ("dossier", "dossierstep", "dossierevent"))
    psql(db, f"VACUUM (ANALYZE) {tables}")
    results["vacuum_s"] = round(time.monotonic() - started, 1)
    results["database"] = {
        "name": db,
        "dossiers": int(psql(db, "SELECT count(*) FROM dossiers_dossier")),
        "events": int(psql(db, "SELECT count(*) FROM dossiers_dossierevent")),
        "size": psql(db, "SELECT pg_size_pretty(pg_database_size(current_database()))"),
    }
    return url


def django_setup(url: str) -> None:
    for key, value in env_for(url).items():
        os.environ[key] = value
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    import django

    django.setup()


# The portal searches the bench drives (accents left out, as people type them).
SEARCH_WORDS = [
    "dang ky",
    "khai sinh",
    "giay phep",
    "dat dai",
    "ho kinh doanh",
    "xay dung",
    "chung thuc",
    "ket hon",
    "cap doi",
    "moi truong",
]


def lookup_codes(count: int = 2000) -> list[str]:
    """Dossier codes spread over the whole table (by id), not only the newest."""
    from motcua.dossiers.models import Dossier

    total = Dossier.objects.count()
    step = max(total // count, 1)
    return list(
        Dossier.objects.filter(id__in=range(1, total * 2, step), code__isnull=False).values_list(
            "code", flat=True
        )[:count]
    )


def create_request(name: str) -> tuple[str, dict[str, Any]]:
    """A new API key allowed to create dossiers, and the body of a desk reception through the
    API (an online one also needs its documents uploaded)."""
    from motcua.catalog.models import Procedure
    from motcua.integration.services import api_client_create, parse_scope_arguments
    from motcua.orgs.models import Unit

    centre = Unit.objects.get(code="000.00.01.H16")
    procedure = (
        Procedure.objects.filter(
            published=True, online_level__gte=3, performing_units__isnull=False
        )
        .order_by("code")
        .first()
    )
    agency = procedure.performing_units.order_by("code").first()
    scopes, actions = parse_scope_arguments(["dossiers:create", "dossiers:read"])
    _client, key = api_client_create(
        name=f"{name}-{time.time():.0f}",
        agencies=[centre, agency],
        scopes=scopes,
        allowed_actions=actions,
    )
    body = {
        "procedure": procedure.code,
        "agency": agency.code,
        "channel": "direct",
        "applicant": {"name": "Nguyễn Văn Bench", "citizen_id": "066090001234"},
        "form_data": {},
        "result_delivery": "in_person",
        "documents": [],
    }
    return key, body


def inputs() -> dict[str, Any]:
    """Lookup codes, procedure pages, search words, an officer's session, an API key."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from motcua.accounts.models import User
    from motcua.catalog.models import Procedure
    from motcua.dossiers.models import Dossier

    OUT.mkdir(parents=True, exist_ok=True)
    codes = lookup_codes()
    procedures = list(Procedure.objects.filter(published=True).values_list("code", flat=True))
    files = {
        "search": [f"/?q={w.replace(' ', '+')}" for w in SEARCH_WORDS],
        "procedure": [f"/thu-tuc/{c}/" for c in procedures],
        "lookup_page": [f"/tra-cuu/?code={c}" for c in codes],
        "lookup_api": [f"/api/v1/lookup/{c}" for c in codes],
    }
    paths = {}
    for name, lines in files.items():
        path = OUT / f"paths-{name}.txt"
        path.write_text("\n".join(lines) + "\n")
        paths[name] = str(path)

    def cookie_of(username: str) -> str:
        user = User.objects.get(username=username)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    key, body = create_request("bench")
    return {
        "paths": paths,
        "cookie": cookie_of(os.environ.get("BENCH_OFFICER", "tiepnhan.ttpvhcc")),
        # The demo's provincial report viewer (the officer above has no report role).
        "report_cookie": cookie_of(os.environ.get("BENCH_REPORT_VIEWER", "baocao")),
        "api_key": key,
        "create_body": json.dumps(body, ensure_ascii=False),
        "dossiers": Dossier.objects.count(),
    }


def start_servers(url: str) -> tuple[subprocess.Popen, subprocess.Popen]:
    env = env_for(url)
    run([PY, "-m", "motcua", "collectstatic", "--noinput", "-v0"], env)
    log = open(OUT / "gunicorn.log", "ab")  # noqa: SIM115 - closed with the process
    web = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "motcua.wsgi:application",
            "-w",
            str(GUNICORN_WORKERS),
            "-b",
            f"127.0.0.1:{PORT}",
            "--access-logfile",
            "-",
            "--access-logformat",
            "%(s)s %(m)s %(U)s",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    worker = subprocess.Popen(
        [PY, "-m", "motcua", "worker"], env=env, cwd=ROOT, stdout=log, stderr=log
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/bench/bare/", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    return web, worker


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer of its own: the officer's queue must not count the login page."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def status_of(path: str, headers: dict[str, str], body: str | None = None) -> int:
    """The status of one request, redirects not followed (a 302 to the login page is a 302)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}{path}",
        data=body.encode() if body else None,
        headers=headers,
        method="POST" if body else "GET",
    )
    try:
        with _OPENER.open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def wrk(
    name: str,
    path: str,
    *,
    paths: str = "",
    headers: dict[str, str] | None = None,
    body: str = "",
    key: str = "",
    duration: str = DURATION,
    quiet: bool = False,
    script: str = "bench.lua",
    warmup_paths: str = "",
) -> dict[str, Any]:
    """One wrk run after a 2 s warm-up on the same paths (or on `warmup_paths`: the IPN runs
    warm up on invoices of their own, so the measured run still finds its invoices unpaid)."""
    env = dict(os.environ, BENCH_PATHS=paths, BENCH_BODY=body, BENCH_KEY=key)
    env["BENCH_THREADS"] = str(THREADS)
    cmd = [
        "wrk",
        "-t",
        str(THREADS),
        "-c",
        str(CONNECTIONS),
        "-d",
        duration,
        "-s",
        str(ROOT / "bench" / "lua" / script),
    ]
    for header, value in (headers or {}).items():
        cmd += ["-H", f"{header}: {value}"]
    cmd.append(f"http://127.0.0.1:{PORT}{path}")
    # Warm-up (connections, caches, lazy imports), then the measured run.
    warmup_env = dict(env, BENCH_PATHS=warmup_paths) if warmup_paths else env
    subprocess.run([*cmd[:5], "2s", *cmd[7:]], env=warmup_env, capture_output=True, check=False)
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("{"))
    figures = json.loads(line)
    figures["command"] = " ".join(cmd).replace(key, "<key>") if key else " ".join(cmd)
    if quiet:
        return figures
    print(
        f"  {name:14} {figures['rps']:>9.1f} req/s  p50 {figures['p50_ms']:.1f} ms  "
        f"p95 {figures['p95_ms']:.1f}  p99 {figures['p99_ms']:.1f}  errors {figures['errors']}  "
        f"not 2xx {figures.get('not_2xx', '?')}",
        flush=True,
    )
    return figures


def peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def peak_memory(web: subprocess.Popen, worker: subprocess.Popen) -> dict[str, int]:
    return {
        "web_worker_peak": max((peak_rss_kib(pid) for pid in children(web.pid)), default=0),
        "task_worker_peak": peak_rss_kib(worker.pid),
    }


def stop_servers(*processes: subprocess.Popen) -> None:
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def http_benchmarks(url: str, data: dict[str, Any], results: dict[str, Any]) -> None:
    # A province's steady state: the months whose reports are due are frozen (else the report
    # page's first request would freeze its month and the worker the trend's, during the runs).
    freeze = [PY, "-m", "motcua", "report", "--freeze", "--period", PERIOD[:4]]
    started = time.monotonic()
    run(freeze, env_for(url), stdout=subprocess.DEVNULL)
    results["freeze_year"] = {
        "command": " ".join(freeze[1:]),
        "seconds": round(time.monotonic() - started, 1),
    }
    web, worker = start_servers(url)
    try:
        cookie = {"Cookie": data["cookie"]}
        first_code = Path(data["paths"]["lookup_api"]).read_text().split()[0]
        pages: list[tuple[str, str, dict[str, Any]]] = [
            ("bare", "/bench/bare/", {}),
            ("search", "/", {"paths": data["paths"]["search"]}),
            ("procedure", "/", {"paths": data["paths"]["procedure"]}),
            ("lookup_page", "/", {"paths": data["paths"]["lookup_page"]}),
            ("lookup_api", "/", {"paths": data["paths"]["lookup_api"]}),
            ("officer_queue", "/can-bo/", {"headers": cookie}),
            (
                "report_page",
                f"/bao-cao/?period={PERIOD}",
                {"headers": {"Cookie": data["report_cookie"]}},
            ),
            (
                "create_api",
                "/api/v1/dossiers",
                {"body": data["create_body"], "key": data["api_key"]},
            ),
            ("bare_again", "/bench/bare/", {}),
        ]
        http: dict[str, Any] = {}
        for name, path, options in pages:
            probe = path if path != "/" else Path(options["paths"]).read_text().split()[0]
            headers = dict(options.get("headers", {}))
            if options.get("body"):
                headers.update(
                    {
                        "Authorization": f"Bearer {options['key']}",
                        "Content-Type": "application/json",
                        "Idempotency-Key": f"probe-{time.time()}",
                    }
                )
            status = status_of(probe, headers, options.get("body"))
            if status not in (200, 201):
                print(f"  {name:14} skipped: {probe} answers {status}", flush=True)
                http[name] = {"skipped": f"{probe} answers HTTP {status}"}
                continue
            if name not in ("bare", "bare_again"):
                # The machine's speed drifts over a run (the first and last baselines have
                # differed by 40 % even on an idle machine), so each page also gets the bare
                # view measured just before it: its ratio is read against that neighbour.
                neighbour = wrk("bare", "/bench/bare/", duration=BARE_DURATION, quiet=True)
            http[name] = wrk(name, path, **options)
            http[name]["probe"] = probe
            if name not in ("bare", "bare_again"):
                http[name]["bare_before_rps"] = neighbour["rps"]
                print(
                    f"  {'':14} ratio {http[name]['rps'] / neighbour['rps']:.3f} to the bare view"
                    f" just before ({neighbour['rps']:.1f} req/s)",
                    flush=True,
                )
        _ = first_code
        results["http"] = http
        results["memory_kib"] = peak_memory(web, worker)
    finally:
        stop_servers(web, worker)


def _timed(call: Any, repeat: int) -> dict[str, float]:
    seconds = []
    for _ in range(repeat + 1):
        started = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - started)
    out = {"cold_s": round(seconds[0], 3)}
    if repeat:
        out["median_s"] = round(statistics.median(seconds[1:]), 3)
    return out


def report_timings(results: dict[str, Any], *, repeat: int = REPEAT) -> None:
    """The monthly report, the KPIs and the 12-month trend for the province and one agency,
    in-process: counted from the dossiers (`live`), the cost of freezing the months, then read
    from the frozen months (what a closed month costs once its reports are due)."""
    from motcua.reports import keeping
    from motcua.reports.kpis import kpi_indicators
    from motcua.reports.models import MonthFigures
    from motcua.reports.monthly import report_monthly
    from motcua.reports.periods import period_parse
    from motcua.reports.trend import report_trend

    year = PERIOD[:4]
    last = period_parse(f"{year}-12")

    def calls(live: bool) -> dict[str, tuple[str, Any]]:
        """Each read; not live, as the pages make it: the period's figures kept first (a due
        month's frozen figures, a year's sum of them), then read."""
        flag = ", live=True" if live else ""

        def kept(period: str, read: Any) -> Any:
            if not live:
                keeping.report_figures_keep(period=period)
            return read()

        return {
            "monthly_report_province": (
                f"report_monthly(period={PERIOD!r}{flag})",
                lambda: kept(PERIOD, lambda: report_monthly(period=PERIOD, live=live)),
            ),
            "annual_report_province": (
                f"report_monthly(period={year!r}{flag})",
                lambda: kept(year, lambda: report_monthly(period=year, live=live)),
            ),
            "monthly_report_agency": (
                f"report_monthly(period={PERIOD!r}, agency={AGENCY!r}{flag})",
                lambda: kept(
                    PERIOD, lambda: report_monthly(period=PERIOD, agency=AGENCY, live=live)
                ),
            ),
            "kpis_province": (
                f"kpi_indicators(period={PERIOD!r}{flag})",
                lambda: kept(PERIOD, lambda: kpi_indicators(period=PERIOD, live=live)),
            ),
            "kpis_agency": (
                f"kpi_indicators(period={PERIOD!r}, agency={AGENCY!r}{flag})",
                lambda: kept(
                    PERIOD, lambda: kpi_indicators(period=PERIOD, agency=AGENCY, live=live)
                ),
            ),
        }

    timings: dict[str, Any] = {"live": {}, "freeze": {}, "frozen": {}}
    MonthFigures.objects.all().delete()
    for name, (expression, call) in calls(live=True).items():
        timings["live"][name] = {**_timed(call, repeat), "call": expression}
    trend = "report_trend(last=" + repr(last.key) + ", months=12)"
    # With no frozen month the trend counts the 12 months from the dossiers.
    timings["live"]["trend_province"] = {
        **_timed(lambda: report_trend(last=last), 0),
        "call": trend,
    }
    for month in period_parse(year).month_periods():
        started = time.perf_counter()
        keeping.month_figures_freeze(period=month)
        timings["freeze"][month.key] = round(time.perf_counter() - started, 3)
    for name, (expression, call) in calls(live=False).items():
        timings["frozen"][name] = {**_timed(call, repeat), "call": expression}
    timings["frozen"]["trend_province"] = {
        **_timed(lambda: report_trend(last=last), repeat),
        "call": trend,
    }
    for kind in ("live", "frozen"):
        for name, t in timings[kind].items():
            print(
                f"  {kind:6} {name:26} cold {t['cold_s']:.3f} s, warm {t.get('median_s', 0):.3f} s"
            )
    freeze = timings["freeze"]
    print(
        f"  freeze: {sum(freeze.values()):.1f} s for 12 months (max {max(freeze.values()):.2f} s)"
    )
    results["reports"] = timings


def machine() -> dict[str, Any]:
    def first_line(cmd: list[str]) -> str:
        try:
            return (
                subprocess.run(cmd, capture_output=True, text=True, check=False)
                .stdout.strip()
                .splitlines()[0]
            )
        except (OSError, IndexError):
            return "?"

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "?",
    )
    mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    import django

    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "cpu": f"{cpu} × {os.cpu_count()}",
        "memory_gib": round(int(mem) / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": first_line(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "SHOW server_version"]
        ),
        "wrk": first_line(["wrk", "-v"]),
        "gunicorn": first_line([str(ROOT / ".venv" / "bin" / "gunicorn"), "--version"]),
        "git": first_line(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]),
    }


def main_size(n: int, *, http: bool, reports: bool = True) -> None:
    label = label_of(n)
    results: dict[str, Any] = {"label": label, "dossiers": n}
    url = prepare_database(n, results)
    django_setup(url)
    results["machine"] = machine()
    if http:
        data = inputs()
        results["http_settings"] = {
            "threads": THREADS,
            "connections": CONNECTIONS,
            "duration": DURATION,
            "gunicorn_workers": GUNICORN_WORKERS,
        }
        http_benchmarks(url, data, results)
    if reports:
        report_timings(results)
    path = OUT / f"pg-{label}.json"
    old = json.loads(path.read_text()) if path.exists() else {}
    if "simulate" not in results and "simulate" in old:
        results["simulate"] = old["simulate"]
    if not reports and "reports" in old:
        results["reports"] = old["reports"]
    if not http and "http" in old:
        results["http"], results["memory_kib"] = old["http"], old.get("memory_kib")
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"wrote {path}")


def main_sqlite_reports(n: int) -> None:
    """The report and KPI times on the embedded database (SQLite) at n dossiers."""
    label = label_of(n)
    data_dir = OUT / f"sqlite-{label}"
    db = data_dir / "motcua.sqlite3"
    url = f"sqlite:///{db}"
    env = env_for(url)
    results: dict[str, Any] = {"label": label, "dossiers": n, "engine": "sqlite"}
    count = -1
    if db.exists():
        out = subprocess.run(
            ["sqlite3", str(db), "SELECT count(*) FROM dossiers_dossier"],
            capture_output=True,
            text=True,
            check=False,
        )
        count = int(out.stdout.strip() or -1)
    if count < n:
        data_dir.mkdir(parents=True, exist_ok=True)
        db.unlink(missing_ok=True)
        results["simulate"] = load_and_simulate(n, env)
    django_setup(url)
    results["machine"] = machine()
    report_timings(results)
    path = OUT / f"sqlite-{label}.json"
    old = json.loads(path.read_text()) if path.exists() else {}
    if "simulate" not in results and "simulate" in old:
        results["simulate"] = old["simulate"]
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"wrote {path}")


def main_reports_only(db: str) -> None:
    """The report timings on an existing PostgreSQL database as it is (nothing loaded or dropped)."""
    django_setup(f"postgres://postgres@127.0.0.1:5432/{db}")
    results: dict[str, Any] = {
        "database": {
            "name": db,
            "dossiers": int(psql(db, "SELECT count(*) FROM dossiers_dossier")),
            "events": int(psql(db, "SELECT count(*) FROM dossiers_dossierevent")),
        },
        "machine": machine(),
    }
    report_timings(results)
    path = OUT / f"reports-{db}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"wrote {path}")


# --- Payments: the gateway's notices (IPN) and the bank statement import ---------------------

PAY_DB = os.environ.get("BENCH_PAY_DB", "motcua_bench_pay")
# The unit whose invoices are paid (the province centre: it receives for the departments) and its
# reception officer, who receives the dossiers at the desk and imports the statements.
PAY_UNIT = os.environ.get("BENCH_PAY_UNIT", "000.00.01.H16")
PAY_OFFICER = os.environ.get("BENCH_PAY_OFFICER", "tiepnhan.ttpvhcc")
# Open invoices kept for the notices (a warm-up slice first) and for the statement lines.
PAY_IPN_INVOICES = int(os.environ.get("BENCH_PAY_INVOICES", "20000"))
PAY_WARMUP_INVOICES = 3000
PAY_STATEMENT_INVOICES = 2500
STATEMENT_LINES = int(os.environ.get("BENCH_STATEMENT_LINES", "100000"))
STATEMENT_PAYING = 2000
STATEMENT_ROUNDS = int(os.environ.get("BENCH_STATEMENT_ROUNDS", "2"))
IPN_PATH = "/api/v1/payments/callback/vnpay"


def demo_database(db: str, results: dict[str, Any]) -> str:
    """The database `db`: migrate + demo (both idempotent), made if missing (the payments and
    postal modes)."""
    url = f"postgres://postgres@127.0.0.1:5432/{db}"
    env = env_for(url)
    if psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{db}'") != "1":
        psql("postgres", f'CREATE DATABASE "{db}"')
    started = time.monotonic()
    run([PY, "-m", "motcua", "migrate", "-v0"], env)
    # On a database that holds it already, `demo` says so and loads nothing.
    run([PY, "-m", "motcua", "demo"], env, stdout=subprocess.DEVNULL)
    results["migrate_demo_s"] = round(time.monotonic() - started, 1)
    return url


def pay_accounts() -> dict[str, Any]:
    """The unit's vnpay (merchant code of the settings, secret from the settings) and VietQR
    accounts: the demo makes none."""
    from django.conf import settings

    from motcua.orgs.models import Unit
    from motcua.payments.constants import Provider
    from motcua.payments.models import PaymentAccount

    unit = Unit.objects.get(code=PAY_UNIT)
    vnpay, _ = PaymentAccount.objects.get_or_create(
        unit=unit, provider=Provider.VNPAY, defaults={"tmn_code": settings.MOTCUA_VNPAY_TMN_CODE}
    )
    vietqr, _ = PaymentAccount.objects.get_or_create(
        unit=unit,
        provider=Provider.VIETQR,
        defaults={
            "bank_bin": "970436",
            "bank_name": "Vietcombank",
            "account_number": "0011001234567",
            "account_name": "TRUNG TAM PHUC VU HANH CHINH CONG TINH DAK LAK",
            "is_demo": True,
        },
    )
    if not vnpay.secret:
        raise SystemExit("MOTCUA_VNPAY_HASH_SECRET is empty (bench.settings sets it)")
    return {"unit": unit, "vnpay": vnpay, "vietqr": vietqr}


def open_invoices(unit: Any) -> list[tuple[int, str, int]]:
    """(id, reference, amount) of the unit's invoices still waiting (status created), by id."""
    from motcua.payments.constants import InvoiceStatus
    from motcua.payments.models import Invoice

    return list(
        Invoice.objects.filter(unit=unit, status=InvoiceStatus.CREATED)
        .order_by("id")
        .values_list("id", "reference", "amount")
    )


def pay_load(unit: Any, results: dict[str, Any]) -> None:
    """Enough open invoices, made the way the desk makes them: a dossier of a fee-bearing
    procedure received at the desk (`dossier_receive_direct`; the payments hook makes its
    invoice: status created, the fee lines and their sum, the dossier awaiting payment)."""
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from motcua.accounts.models import User
    from motcua.catalog.models import Procedure
    from motcua.dossiers.services import Applicant, dossier_receive_direct

    have = len(open_invoices(unit))
    need = PAY_IPN_INVOICES + PAY_STATEMENT_INVOICES - have
    results["load"] = {"open_before": have, "created": max(need, 0)}
    if need <= 0:
        return
    officer = User.objects.get(username=PAY_OFFICER)
    procedures = list(
        Procedure.objects.filter(published=True, fees__amount__gt=0).distinct().order_by("code")
    )
    with connection.cursor() as cursor:  # bench data only, as the simulator does
        cursor.execute("SET synchronous_commit = off")
    started = time.monotonic()
    made = attempts = 0
    # A unit's daily code counter stops at 9 999: 5 000 receptions a day, over the days before
    # the load (each day one second apart), none today.
    today = timezone.localtime().replace(hour=7, minute=30, second=0, microsecond=0)
    first_day = int(psql(PAY_DB, "SELECT count(*) FROM dossiers_dossier")) // 5000 + 1
    while made < need:
        procedure = procedures[attempts % len(procedures)]
        at = today - dt.timedelta(days=first_day + attempts // 5000, seconds=-(attempts % 5000))
        attempts += 1
        dossier = dossier_receive_direct(
            actor=officer,
            procedure=procedure,
            receiving_unit=unit,
            applicant=Applicant(name=f"Nguyễn Thị Bench {attempts}", citizen_id="066090001234"),
            at=at,
        )
        made += 1 if dossier.awaiting_payment else 0
        if attempts % 2000 == 0:
            print(f"  {made} invoices, {made / (time.monotonic() - started):.0f}/s", flush=True)
    seconds = time.monotonic() - started
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = on")
    results["load"].update(
        dossiers=attempts,
        seconds=round(seconds, 1),
        rate=round(attempts / seconds),
        how="dossier_receive_direct (desk reception; the payments hook makes the invoice)",
    )
    print(f"  loaded {made} invoices in {seconds:.0f} s ({attempts / seconds:.0f} dossiers/s)")


def ipn_path(reference: str, amount: int, transaction_no: str, secret: str, tmn: str) -> str:
    """A successful payment notice of the gateway for one invoice, signed as vnpay signs (hex
    HMAC-SHA512 over the sorted, form-encoded vnp_* pairs), written here independently of the
    project's implementation."""
    import hashlib
    import hmac
    from urllib.parse import quote_plus

    params = {
        "vnp_Amount": str(amount * 100),
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": f"VNP{transaction_no}",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": f"Thanh toan phi ho so ma {reference}",
        "vnp_PayDate": time.strftime("%Y%m%d%H%M%S", time.gmtime(time.time() + 7 * 3600)),
        "vnp_ResponseCode": "00",
        "vnp_TmnCode": tmn,
        "vnp_TransactionNo": transaction_no,
        "vnp_TransactionStatus": "00",
        "vnp_TxnRef": reference,
    }
    data = "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in sorted(params.items()))
    signature = hmac.new(secret.encode(), data.encode(), hashlib.sha512).hexdigest()
    return f"{IPN_PATH}?{data}&vnp_SecureHash={signature}"


def ipn_files(invoices: list[tuple[int, str, int]], account: Any) -> dict[str, Any]:
    """The warm-up and first-notice path files (one signed notice per invoice, in id order)."""
    from django.conf import settings

    secret, tmn = settings.MOTCUA_VNPAY_HASH_SECRET, account.tmn_code
    assert account.secret == secret
    paths = {
        ref: ipn_path(ref, amount, f"{7 * 10**8 + pk}", secret, tmn) for pk, ref, amount in invoices
    }
    refs = [ref for _, ref, _ in invoices]
    files = {"warmup": refs[:PAY_WARMUP_INVOICES], "first": refs[PAY_WARMUP_INVOICES:]}
    out: dict[str, Any] = {"paths": paths}
    for name, chosen in files.items():
        path = OUT / f"paths-ipn-{name}.txt"
        path.write_text("\n".join(paths[ref] for ref in chosen) + "\n")
        out[name] = str(path)
        out[f"{name}_invoices"] = len(chosen)
    return out


def tasks_waiting(db: str) -> int:
    """Tasks of the database queue not finished yet (READY or RUNNING)."""
    return int(
        psql(
            db,
            "SELECT count(*) FROM django_tasks_database_dbtaskresult"
            " WHERE status IN ('READY', 'RUNNING')",
        )
    )


def tasks_drain(
    db: str, timeout: float = float(os.environ.get("BENCH_DRAIN_SECONDS", "60"))
) -> dict:
    """Let the task worker do the tasks a run enqueued (each paid invoice: its receipt PDF, the
    event dispatch, the national sync push; each postal callback: its apply) for at most
    `timeout` seconds: how many it did in how long; what is left then is dropped (bench data),
    so the next run starts quiet."""
    started, waiting = time.monotonic(), tasks_waiting(db)
    left = waiting
    while left and time.monotonic() - started < timeout:
        time.sleep(0.5)
        left = tasks_waiting(db)
    seconds = time.monotonic() - started
    out = {"tasks": waiting, "done": waiting - left, "seconds": round(seconds, 1)}
    if waiting - left:
        out["tasks_per_s"] = round((waiting - left) / seconds, 1)
    if left:
        out["dropped"] = tasks_drop(db)
    return out


def tasks_drop(db: str) -> int:
    return int(
        psql(
            db,
            "WITH gone AS (DELETE FROM django_tasks_database_dbtaskresult"
            " WHERE status = 'READY' RETURNING 1) SELECT count(*) FROM gone",
        )
    )


def measured_run(
    http: dict[str, Any],
    worker: subprocess.Popen,
    db: str,
    name: str,
    files: Any,
    *,
    script: str,
    url_path: str = "/",
    pause_worker: bool = False,
) -> None:
    """One measured wrk run of a signed callback (the payments' IPN, the postal callbacks): the
    previous run's tasks drained first, then `files()` gives the (paths, warm-up paths) files
    (made now: signatures with a time window), the bare view measured just before, the run,
    the tasks it left. With `pause_worker` the task worker is stopped (SIGSTOP) for the bare
    view and the run: the web side alone."""
    http[f"{name}_drain_before"] = tasks_drain(db)
    paths, warmup = files()
    if pause_worker:
        worker.send_signal(signal.SIGSTOP)
    try:
        neighbour = wrk("bare", "/bench/bare/", duration=BARE_DURATION, quiet=True)
        figures = wrk(name, url_path, paths=paths, script=script, warmup_paths=warmup)
    finally:
        if pause_worker:
            worker.send_signal(signal.SIGCONT)
    figures["bare_before_rps"] = neighbour["rps"]
    figures["ratio"] = round(figures["rps"] / neighbour["rps"], 3)
    figures["tasks_after"] = tasks_waiting(db)
    figures["load_average"] = os.getloadavg()
    http[name] = figures
    print(
        f"  {'':14} answers {figures.get('rsp_codes', figures.get('answers'))}, wrapped"
        f" {figures['wrapped']}, tasks left {figures['tasks_after']}; ratio"
        f" {figures['ratio']:.3f} to the bare view just before ({neighbour['rps']:.1f} req/s);"
        f" load {' '.join(f'{x:.2f}' for x in figures['load_average'])}",
        flush=True,
    )


def ipn_benchmarks(url: str, unit: Any, account: Any, results: dict[str, Any]) -> None:
    """First notices (each pays an unpaid invoice: 00) with the task worker rendering their
    receipts beside the web workers, then first notices with the worker paused (the web side
    alone; its backlog done afterwards, timed), then the same notices repeated (02), each with
    the bare view measured just before it."""
    from motcua.payments.constants import InvoiceStatus
    from motcua.payments.models import Invoice

    invoices = open_invoices(unit)[PAY_STATEMENT_INVOICES:]
    files = ipn_files(invoices, account)
    # The load's own backlog (the event dispatch of every reception) is not what is measured.
    results["load_tasks_dropped"] = tasks_drop(PAY_DB)
    web, worker = start_servers(url)
    http: dict[str, Any] = {}
    try:
        probe = Path(files["warmup"]).read_text().split()[-1]
        status = status_of(probe, {"X-Bench-Client": "10.9.9.9"})
        if status != 200:
            raise SystemExit(f"the IPN answers HTTP {status} to {probe}")
        http["bare"] = wrk("bare", "/bench/bare/")

        def measured(name: str, paths: str, warmup: str, *, pause_worker: bool = False) -> None:
            measured_run(
                http,
                worker,
                PAY_DB,
                name,
                lambda: (paths, warmup),
                script="ipn.lua",
                pause_worker=pause_worker,
            )

        first = Path(files["first"]).read_text().splitlines()
        half = len(first) // 2
        second = OUT / "paths-ipn-first-paused.txt"
        second.write_text("\n".join(first[half:]) + "\n")
        Path(files["first"]).write_text("\n".join(first[:half]) + "\n")
        warm2 = OUT / "paths-ipn-warmup-paused.txt"
        warm2.write_text("\n".join(first[half - PAY_WARMUP_INVOICES // 2 : half]) + "\n")
        Path(files["first"]).write_text("\n".join(first[: half - PAY_WARMUP_INVOICES // 2]) + "\n")
        measured("ipn_first", files["first"], files["warmup"])
        measured("ipn_first_worker_paused", str(second), str(warm2), pause_worker=True)
        http["drain_after_paused"] = tasks_drain(PAY_DB)
        print(f"  tasks left by the paused run: {http['drain_after_paused']}", flush=True)
        # The notices of every invoice paid so far, again: each answers 02 and changes nothing.
        refs = set(
            Invoice.objects.filter(
                reference__in=list(files["paths"]), status=InvoiceStatus.PAID
            ).values_list("reference", flat=True)
        )
        repeat = OUT / "paths-ipn-repeat.txt"
        repeat.write_text("\n".join(p for r, p in files["paths"].items() if r in refs) + "\n")
        http["repeat_invoices"] = len(refs)
        measured("ipn_repeat", str(repeat), str(repeat))
        http["bare_again"] = wrk("bare_again", "/bench/bare/")
        results["memory_kib"] = peak_memory(web, worker)
    finally:
        stop_servers(web, worker)
    results["ipn"] = http


# Noise of a bank account's month: transfers without an invoice reference and the bank's debits.
_NOISE_CREDITS = [
    "CHUYEN TIEN",
    "Chuyển tiền học phí con",
    "NOP TIEN MAT TAI QUAY",
    "Hoàn ứng tạm ứng công tác",
    "IBFT CHUYEN KHOAN NGUYEN VAN AN",
    "KINH PHI HOAT DONG QUY {n}",
    "MBVCB.{n}.CHUYEN KHOAN.CT tu 0071000{n} LE THI BICH toi 0011001234567",
    "Thu ho phi dich vu so {n}",
    "REM Tfr Ac: 1903{n} Ctk",
    "Nộp tiền vào tài khoản",
]
_NOISE_DEBITS = [
    "Phí quản lý tài khoản",
    "Phi SMS Banking thang",
    "Chuyển trả kinh phí về ngân sách",
    "THANH TOAN LUONG THANG",
    "Rút tiền mặt",
]
# How citizens and their banks write the reference in the note.
_PAYING_NOTES = [
    "{ref}",
    "{ref} nop le phi ho so",
    "MBVCB.{n}.{ref}.CT tu 0071000{n} NGUYEN VAN BINH toi 0011001234567",
    "IBFT {a} {b} Nguyen Thi Hoa nop phi",
    "Nộp lệ phí mã {a}-{b}",
    "REM Tfr Ac: 1903{n} {ref} Ctk",
]


def statement_csv(
    pool: list[tuple[int, str, int]], paid: list[tuple[str, int]], *, seed: int = 1
) -> tuple[bytes, dict[str, int]]:
    """A month's CSV export of the VietQR account, as banks give it: title rows, the header
    "Ngày giao dịch,Số tham chiếu,Ghi nợ,Ghi có,Nội dung", STATEMENT_LINES lines (mostly noise:
    credits without a reference, debits), STATEMENT_PAYING exact payments of open invoices of
    `pool`, a few partial and over-payments, lines for invoices paid already (`paid`), a few
    lines the bank repeated (same reference), and the totals row."""
    import csv
    import io
    import random

    rng = random.Random(seed)
    special: list[tuple[str, int, str]] = []  # (kind, amount, note)

    def note_of(ref: str) -> str:
        return rng.choice(_PAYING_NOTES).format(
            ref=ref, a=ref[:6], b=ref[6:], n=rng.randrange(10**6, 10**7)
        )

    for _, ref, amount in pool[:STATEMENT_PAYING]:
        special.append(("matched", amount, note_of(ref)))
    for _, ref, amount in pool[STATEMENT_PAYING : STATEMENT_PAYING + 20]:
        special.append(("partial", amount // 2, note_of(ref)))
    for _, ref, amount in pool[STATEMENT_PAYING + 20 : STATEMENT_PAYING + 40]:
        special.append(("overpaid", amount + 10_000, note_of(ref)))
    for ref, amount in paid[:20]:
        special.append(("already_paid", amount, note_of(ref)))
    duplicates = 30
    noise = STATEMENT_LINES - len(special) - duplicates
    kinds = special + [("noise", 0, "")] * noise
    rng.shuffle(kinds)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM"])
    writer.writerow(["SAO KÊ TÀI KHOẢN / ACCOUNT STATEMENT"])
    writer.writerow(
        ["Số tài khoản: 0011001234567", "TRUNG TAM PHUC VU HANH CHINH CONG TINH DAK LAK"]
    )
    writer.writerow(["Từ ngày 01/11/2026 đến ngày 30/11/2026"])
    writer.writerow([])
    writer.writerow(["Ngày giao dịch", "Số tham chiếu", "Ghi nợ", "Ghi có", "Nội dung"])
    counts: dict[str, int] = {}
    rows: list[list[str]] = []
    debit_total = credit_total = 0
    for number, (kind, amount, note) in enumerate(kinds):
        moment = (
            f"{1 + number * 30 // len(kinds):02d}/11/2026 "
            f"{rng.randrange(7, 18):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"
        )
        debit = ""
        if kind == "noise":
            if rng.random() < 0.35:
                kind, debit = "debit", f"{rng.randrange(1, 5000) * 1000:,}".replace(",", ".")
                note, credit = rng.choice(_NOISE_DEBITS), ""
                debit_total += int(debit.replace(".", ""))
            else:
                kind, amount = "unmatched", rng.randrange(1, 20000) * 1000
                note = rng.choice(_NOISE_CREDITS).format(n=rng.randrange(10**6, 10**7))
        if kind != "debit":
            # Banks write amounts grouped with dots, some plain.
            credit = f"{amount:,}".replace(",", ".") if number % 3 else str(amount)
            credit_total += amount
        counts[kind] = counts.get(kind, 0) + 1
        rows.append(
            [moment, f"FT26{305 + number * 30 // len(kinds):03d}{number:08d}", debit, credit, note]
        )
    for row in rng.sample([r for r in rows if r[3]], duplicates):  # the bank sent them twice
        rows.insert(rng.randrange(rows.index(row) + 1, len(rows) + 1), list(row))
    counts["duplicate"] = duplicates
    writer.writerows(rows)
    writer.writerow(
        [
            "",
            "",
            f"{debit_total:,}".replace(",", "."),
            f"{credit_total:,}".replace(",", "."),
            "Tổng cộng",
        ]
    )
    return buffer.getvalue().encode("utf-8"), counts


def statement_timings(unit: Any, account: Any, results: dict[str, Any]) -> None:
    """`statement_import` of a generated statement, then of the same file again (every line a
    duplicate), in one transaction rolled back: each round finds the same open invoices."""
    from django.db import transaction

    from motcua.accounts.models import User
    from motcua.payments.constants import InvoiceStatus
    from motcua.payments.models import Invoice
    from motcua.payments.services import statement_import
    from motcua.payments.statements import statement_read

    class Rollback(Exception):
        pass

    pool = open_invoices(unit)[:PAY_STATEMENT_INVOICES]
    paid = list(
        Invoice.objects.filter(unit=unit, status=InvoiceStatus.PAID)
        .order_by("id")
        .values_list("reference", "amount")[:20]
    )
    data, written = statement_csv(pool, paid)
    (OUT / "statement-100k.csv").write_bytes(data)
    officer = User.objects.get(username=PAY_OFFICER)
    rounds = []
    for _ in range(STATEMENT_ROUNDS):
        started = time.perf_counter()
        read = statement_read(data, "sao-ke.csv")
        read_s = time.perf_counter() - started
        try:
            with transaction.atomic():
                cpu, started = time.process_time(), time.perf_counter()
                first = statement_import(
                    account=account, data=data, filename="sao-ke-thang-11.csv", actor=officer
                )
                first_s, first_cpu = time.perf_counter() - started, time.process_time() - cpu
                cpu, started = time.process_time(), time.perf_counter()
                again = statement_import(
                    account=account, data=data, filename="sao-ke-thang-11.csv", actor=officer
                )
                again_s, again_cpu = time.perf_counter() - started, time.process_time() - cpu
                paid_now = Invoice.objects.filter(
                    pk__in=[pk for pk, _, _ in pool], status=InvoiceStatus.PAID
                ).count()
                raise Rollback
        except Rollback:
            pass
        one = {
            "read_s": round(read_s, 3),
            "read_lines": len(read.lines),
            "read_skipped": len(read.skipped),
            "import_s": round(first_s, 3),
            "import_cpu_s": round(first_cpu, 3),
            "counts": first.counts,
            "invoices_paid": paid_now,
            "reimport_s": round(again_s, 3),
            "reimport_cpu_s": round(again_cpu, 3),
            "reimport_counts": again.counts,
        }
        rounds.append(one)
        print(
            f"  statement: read {read_s:.2f} s; import {first_s:.2f} s (CPU {first_cpu:.2f}),"
            f" {one['counts']}; again {again_s:.2f} s, {one['reimport_counts']}",
            flush=True,
        )
    results["statement"] = {
        "file": {"lines": STATEMENT_LINES, "bytes": len(data), "written": written},
        "rounds": rounds,
    }


def main_payments() -> None:
    """`bench.py payments`: the IPN over HTTP and the statement import in-process."""
    results: dict[str, Any] = {"label": "payments"}
    url = demo_database(PAY_DB, results)
    django_setup(url)
    results["machine"] = machine()
    accounts = pay_accounts()
    pay_load(accounts["unit"], results)
    started = time.monotonic()
    psql(PAY_DB, "VACUUM (ANALYZE) payments_invoice, payments_paymentcallback, dossiers_dossier")
    results["vacuum_s"] = round(time.monotonic() - started, 1)
    results["http_settings"] = {
        "threads": THREADS,
        "connections": CONNECTIONS,
        "duration": DURATION,
        "gunicorn_workers": GUNICORN_WORKERS,
    }
    if os.environ.get("BENCH_PAY_SKIP_HTTP") != "1":
        ipn_benchmarks(url, accounts["unit"], accounts["vnpay"], results)
    if os.environ.get("BENCH_PAY_SKIP_STATEMENT") != "1":
        statement_timings(accounts["unit"], accounts["vietqr"], results)
    path = OUT / "payments.json"
    old = json.loads(path.read_text()) if path.exists() else {}
    for kept in ("ipn", "statement", "load"):  # a partial run keeps the other figures
        if kept not in results and kept in old:
            results[kept] = old[kept]
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    print(f"wrote {path}")


# --- Postal: the operators' signed status callbacks ------------------------------------------

POSTAL_DB = os.environ.get("BENCH_POSTAL_DB", "motcua_bench_postal")
# The desk the parcels are for (the province centre: it receives for the departments), the
# citizen who submits the dossiers by post, and how many parcels (a warm-up slice first).
POSTAL_UNIT = os.environ.get("BENCH_POSTAL_UNIT", "000.00.01.H16")
POSTAL_CITIZEN = os.environ.get("BENCH_POSTAL_CITIZEN", "congdan1")
POSTAL_SHIPMENTS = int(os.environ.get("BENCH_POSTAL_SHIPMENTS", "20000"))
POSTAL_WARMUP = int(os.environ.get("BENCH_POSTAL_WARMUP", "2000"))
CALLBACK_PATH = "/api/v1/postal/callback/sandbox"
# Đắk Lắk (66), Phường Buôn Ma Thuột (24133): the citizen's pickup address.
POSTAL_HOME = ("Nguyễn Văn Hùng", "0905123456", "66", "24133", "12 Lê Duẩn")


def postal_account() -> tuple[Any, Any]:
    """The desk's unit and its sandbox postal account with postage (the demo makes none)."""
    from motcua.orgs.models import Unit
    from motcua.postal.constants import Provider, Zone
    from motcua.postal.models import PostageRate, PostalAccount

    unit = Unit.objects.get(code=POSTAL_UNIT)
    account, _ = PostalAccount.objects.get_or_create(
        unit=unit,
        provider=Provider.SANDBOX,
        defaults={
            "contact_name": "Bộ phận một cửa",
            "phone": "02623812345",
            "address": "Số 9 Ngô Quyền, Phường Buôn Ma Thuột, Đắk Lắk",
            "is_demo": True,
        },
    )
    for zone, amount in ((Zone.INTRA, 22_000), (Zone.INTER, 35_000)):
        PostageRate.objects.get_or_create(unit=unit, zone=zone, defaults={"amount": amount})
    return unit, account


def postal_procedure() -> Any:
    """A published online procedure that takes dossiers by post, fewest mandatory papers first."""
    from django.db.models import Count, Q

    from motcua.catalog.models import Procedure

    return (
        Procedure.objects.filter(published=True, accepts_postal_pickup=True, online_level__gte=3)
        .annotate(papers=Count("required_documents", filter=Q(required_documents__mandatory=True)))
        .order_by("papers", "code")
        .first()
    )


def postal_open(unit: Any) -> list[tuple[int, str, str]]:
    """(id, tracking number, status) of the desk's sandbox parcels with an order, by id."""
    from motcua.postal.models import Shipment

    return list(
        Shipment.objects.filter(unit=unit, provider="sandbox")
        .exclude(tracking_number="")
        .order_by("id")
        .values_list("id", "tracking_number", "status")
    )


def postal_load(unit: Any, results: dict[str, Any]) -> None:
    """Enough parcels with an order placed, made the way a citizen makes them: an online draft,
    its mandatory papers attached, the pickup address kept (`address_save`), submitted by post
    (`dossier_submit(by_post=True)`: the postal hook orders the pickup in that transaction),
    then the order placed with the sandbox operator (`moves.order_place`, what the worker's
    task does: the S10 tracking number recorded on the dossier's audit chain)."""
    have = len(postal_open(unit))
    need = POSTAL_SHIPMENTS - have
    results["load"] = {"shipments_before": have, "created": max(need, 0)}
    if need <= 0:
        return
    seconds = postal_make(unit, need, first_day=postal_first_day())
    results["load"].update(
        seconds=round(seconds, 1),
        rate=round(need / seconds, 1),
        procedure=postal_procedure().code,
        how="dossier_create_draft + attachment_add + address_save(pickup) +"
        " dossier_submit(by_post=True) + moves.order_place (sandbox S10 number), one by one",
        # Each submission queued its order task (done here, in-process) and its event dispatch.
        tasks_dropped=tasks_drop(POSTAL_DB),
    )
    print(f"  loaded {need} parcels in {seconds:.0f} s ({need / seconds:.1f}/s)", flush=True)


def postal_first_day() -> int:
    """The first day back from today free for the load's codes (a unit's daily counter stops
    at 9 999: 5 000 submissions a day, as pay_load)."""
    return int(psql(POSTAL_DB, "SELECT count(*) FROM dossiers_dossier")) // 5000 + 1


def postal_make(unit: Any, count: int, *, first_day: int) -> float:
    """`count` parcels through the services (see postal_load), submitted on the days from
    `first_day` back; the seconds it took."""
    import datetime as dt
    import io

    from django.db import IntegrityError, connection
    from django.utils import timezone

    from motcua.accounts.models import User
    from motcua.dossiers import services as ds
    from motcua.dossiers.demo import _PDF
    from motcua.postal import services as postal
    from motcua.postal.constants import AddressPurpose
    from motcua.postal.moves import order_place

    citizen = User.objects.get(username=POSTAL_CITIZEN)
    procedure = postal_procedure()
    papers = list(procedure.required_documents.filter(mandatory=True).order_by("order"))
    home = postal.Address(*POSTAL_HOME)
    today = timezone.localtime().replace(hour=7, minute=30, second=0, microsecond=0)
    with connection.cursor() as cursor:  # bench data only, as the simulator does
        cursor.execute("SET synchronous_commit = off")
    started = time.monotonic()
    for made in range(count):
        at = today - dt.timedelta(days=first_day + made // 5000, seconds=-(made % 5000) * 4)
        dossier = ds.dossier_create_draft(
            actor=citizen, procedure=procedure, receiving_unit=unit, at=at
        )
        for paper in papers:
            ds.attachment_add(
                dossier=dossier,
                actor=citizen,
                kind="application",
                file=io.BytesIO(_PDF),
                name=f"{paper.pk}.pdf",
                required_document=paper,
                at=at + dt.timedelta(seconds=1),
            )
        postal.address_save(dossier=dossier, purpose=AddressPurpose.PICKUP, address=home)
        dossier = ds.dossier_submit(
            dossier=dossier, actor=citizen, by_post=True, at=at + dt.timedelta(seconds=2)
        )
        shipment_id = dossier.shipments.values_list("pk", flat=True).get()
        for attempt in range(3):  # as the worker retries the task
            try:
                order_place(shipment_id=shipment_id)
                break
            except IntegrityError:
                # The sandbox draws its S10 numbers at random (1 in 10^8 each): by a few
                # thousand parcels two draws meet and the order is refused; drawn again.
                if attempt == 2:
                    raise
        if (made + 1) % 1000 == 0:
            rate = (made + 1) / (time.monotonic() - started)
            print(f"  {made + 1} parcels, {rate:.0f}/s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = on")
    return time.monotonic() - started


def callback_line(tracking_number: str, status: str, secret: str, t: int) -> str:
    """One line of bench/lua/postal_callback.lua: the X-Postal-Signature header of a status
    callback (hex HMAC-SHA256 over "<t>.<raw body>", written here independently of the
    project's implementation), a tab, the body."""
    import datetime as dt
    import hashlib
    import hmac

    at = dt.datetime.fromtimestamp(t, dt.timezone(dt.timedelta(hours=7))).isoformat()
    body = json.dumps({"tracking_number": tracking_number, "status": status, "at": at})
    mac = hmac.new(secret.encode(), f"{t}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}\t{body}"


def callback_file(name: str, rows: list[tuple[str, str]]) -> str:
    """A file of callbacks (tracking number, status) signed now, for one wrk run."""
    from django.conf import settings

    secret, t = settings.MOTCUA_POSTAL_SANDBOX_SECRET, int(time.time())
    path = OUT / f"postal-{name}.txt"
    path.write_text("".join(callback_line(n, st, secret, t) + "\n" for n, st in rows))
    return str(path)


def postal_benchmarks(url: str, unit: Any, results: dict[str, Any]) -> None:
    """First callbacks (each a new status of a parcel: 202, kept for the worker) with the task
    worker applying them beside the web workers, then first callbacks with the worker paused
    (the web side alone; its backlog done afterwards, timed), then callbacks repeating the
    status each parcel has now (200 duplicate), each with the bare view measured just before.
    The parcels are the load's (status created); the warm-up has parcels of its own. The first
    run reports "accepted", the paused one "picked_up" (reachable from created and accepted), so
    both find a new status on every parcel of the measured slice."""
    from motcua.postal.constants import ShipmentStatus as S

    pool = postal_open(unit)
    warm, measured_pool = pool[:POSTAL_WARMUP], pool[POSTAL_WARMUP:]
    half = POSTAL_WARMUP // 2
    ids = [pk for pk, _, _ in measured_pool]

    def now_status(statuses: set[str]) -> list[tuple[str, str]]:
        """(tracking number, status now) of the measured parcels whose status is in `statuses`."""
        from motcua.postal.models import Shipment

        rows = Shipment.objects.filter(pk__in=ids, status__in=sorted(statuses)).order_by("id")
        return list(rows.values_list("tracking_number", "status"))

    def first_files(status: str, sources: set[str], warm_slice: list) -> Any:
        def make() -> tuple[str, str]:
            rows = [(n, status) for n, _ in now_status(sources)]
            warmup = [(n, status) for _, n, _ in warm_slice]
            return callback_file(f"{status}", rows), callback_file(f"{status}-warmup", warmup)

        return make

    def repeat_files() -> tuple[str, str]:
        rows = now_status({S.ACCEPTED, S.PICKED_UP})
        http["repeat_shipments"] = len(rows)
        path = callback_file("repeat", rows)
        return path, path

    # The load's own backlog (the event dispatch of every submission) is not what is measured.
    results["load_tasks_dropped"] = tasks_drop(POSTAL_DB)
    web, worker = start_servers(url)
    http: dict[str, Any] = {}
    try:
        # A callback of the status the parcel has (created): 200 duplicate, nothing changes.
        probe = Path(callback_file("probe", [(warm[-1][1], S.CREATED)])).read_text()
        signature, body = probe.rstrip("\n").split("\t")
        headers = {
            "X-Postal-Signature": signature,
            "Content-Type": "application/json",
            "X-Bench-Client": "10.9.9.9",
        }
        status = status_of(CALLBACK_PATH, headers, body)
        if status != 200:
            raise SystemExit(f"the postal callback answers HTTP {status} to {body}")
        http["bare"] = wrk("bare", "/bench/bare/")

        def measured(name: str, files: Any, *, pause_worker: bool = False) -> None:
            measured_run(
                http,
                worker,
                POSTAL_DB,
                name,
                files,
                script="postal_callback.lua",
                url_path=CALLBACK_PATH,
                pause_worker=pause_worker,
            )

        measured("callback_first", first_files(S.ACCEPTED, {S.CREATED}, warm[:half]))
        measured(
            "callback_first_worker_paused",
            first_files(S.PICKED_UP, {S.CREATED, S.ACCEPTED}, warm[half:]),
            pause_worker=True,
        )
        http["drain_after_paused"] = tasks_drain(POSTAL_DB)
        print(f"  tasks left by the paused run: {http['drain_after_paused']}", flush=True)
        measured("callback_repeat", repeat_files)
        http["bare_again"] = wrk("bare_again", "/bench/bare/")
        results["memory_kib"] = peak_memory(web, worker)
    finally:
        stop_servers(web, worker)
    results["callbacks"] = http


def main_postal() -> None:
    """`bench.py postal`: the postal operators' signed status callbacks over HTTP."""
    results: dict[str, Any] = {"label": "postal"}
    url = demo_database(POSTAL_DB, results)
    django_setup(url)
    results["machine"] = machine()
    unit, _account = postal_account()
    postal_load(unit, results)
    started = time.monotonic()
    psql(POSTAL_DB, "VACUUM (ANALYZE) postal_shipment, postal_shipmentevent, postal_postalcallback")
    results["vacuum_s"] = round(time.monotonic() - started, 1)
    results["shipments"] = dict(
        Counter(status for _, _, status in postal_open(unit))  # before the runs
    )
    results["http_settings"] = {
        "threads": THREADS,
        "connections": CONNECTIONS,
        "duration": DURATION,
        "gunicorn_workers": GUNICORN_WORKERS,
    }
    postal_benchmarks(url, unit, results)
    path = OUT / "postal.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    print(f"wrote {path}")


if __name__ == "__main__":
    if sys.argv[1] == "esign":
        OUT.mkdir(parents=True, exist_ok=True)
        sys.path.insert(0, str(ROOT))
        from bench.esign import main_esign

        main_esign()
        raise SystemExit(0)
    if sys.argv[1] == "notify":
        OUT.mkdir(parents=True, exist_ok=True)
        sys.path.insert(0, str(ROOT))
        from bench.notify import main_notify

        main_notify()
        raise SystemExit(0)
    if sys.argv[1] == "postal":
        OUT.mkdir(parents=True, exist_ok=True)
        main_postal()
        raise SystemExit(0)
    if sys.argv[1] == "payments":
        OUT.mkdir(parents=True, exist_ok=True)
        main_payments()
        raise SystemExit(0)
    if sys.argv[1] == "reports":
        OUT.mkdir(parents=True, exist_ok=True)
        main_reports_only(sys.argv[2])
        raise SystemExit(0)
    OUT.mkdir(parents=True, exist_ok=True)
    mode, size = sys.argv[1], int(sys.argv[2])
    if mode == "size":
        main_size(size, http=True)
    elif mode == "data":
        main_size(size, http=False)
    elif mode == "http":
        main_size(size, http=True, reports=False)
    elif mode == "sqlite-reports":
        main_sqlite_reports(size)
    else:
        raise SystemExit(f"unknown mode {mode}")
