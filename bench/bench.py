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
) -> dict[str, Any]:
    env = dict(os.environ, BENCH_PATHS=paths, BENCH_BODY=body, BENCH_KEY=key)
    cmd = [
        "wrk",
        "-t",
        str(THREADS),
        "-c",
        str(CONNECTIONS),
        "-d",
        duration,
        "-s",
        str(ROOT / "bench" / "lua" / "bench.lua"),
    ]
    for header, value in (headers or {}).items():
        cmd += ["-H", f"{header}: {value}"]
    cmd.append(f"http://127.0.0.1:{PORT}{path}")
    # Warm-up (connections, caches, lazy imports), then the measured run.
    subprocess.run([*cmd[:5], "2s", *cmd[7:]], env=env, capture_output=True, check=False)
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
        results["memory_kib"] = {
            "web_worker_peak": max((peak_rss_kib(pid) for pid in children(web.pid)), default=0),
            "task_worker_peak": peak_rss_kib(worker.pid),
        }
    finally:
        for process in (web, worker):
            process.send_signal(signal.SIGTERM)
        for process in (web, worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


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


if __name__ == "__main__":
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
