"""The periodic jobs: crontab schedules read as crontab reads them, one run per job and period
whatever the number of workers (the JobRun row), errors recorded without stopping the others,
`schedule` listing next and last runs, /metrics with the last success, the worker starting it.

The tests where scheduler threads write while another thread or process does run on PostgreSQL:
the SQLite test database lives in memory with a shared cache, whose table locks fail at once
("database table is locked") where a file database, as installations use, waits (30 s)."""

from __future__ import annotations

import datetime as dt
import threading
import time
import zoneinfo
from io import StringIO

import pytest
from apscheduler.events import EVENT_JOB_EXECUTED
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus, task_backends
from django_tasks_db.models import DBTaskResult

from motcua.ops.checks import jobs_check
from motcua.ops.models import JobRun, WorkerHeartbeat
from motcua.ops.schedule import JobConfigError, JobSpec, cron_trigger, jobs_configured
from motcua.ops.scheduler import (
    last_fire_time,
    scheduler_create,
    scheduler_start,
    scheduler_stop,
)
from motcua.ops.services import job_run_execute
from motcua.orgs.constants import Role, UnitKind
from tests.factories import MembershipFactory, StaffFactory, UnitFactory
from tests.ops import scheduled

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
EVERY_SECOND = "* * * * * *"
RECORD = "tests.ops.scheduled.record"


def job(name: str, schedule: str = EVERY_SECOND, callable: str = RECORD, **kwargs) -> dict:
    return {"name": name, "schedule": schedule, "callable": callable, "kwargs": kwargs}


@pytest.fixture(autouse=True)
def _fresh_calls():
    scheduled.calls.clear()
    yield
    scheduled.calls.clear()


def wait_for(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


# --- Schedules as data ---------------------------------------------------------------------------


def test_weekdays_are_read_as_crontab_reads_them():
    monday_noon = dt.datetime(2026, 12, 7, 12, 0, tzinfo=VN)
    assert monday_noon.weekday() == 0
    sunday = cron_trigger("0 3 * * 0").get_next_fire_time(None, monday_noon)
    assert sunday == dt.datetime(2026, 12, 13, 3, 0, tzinfo=VN)  # not Monday, as APScheduler 3
    assert cron_trigger("0 3 * * 7").get_next_fire_time(None, monday_noon) == sunday
    weekdays = cron_trigger("30 7 * * 1-5")
    friday = dt.datetime(2026, 12, 11, 12, 0, tzinfo=VN)
    assert weekdays.get_next_fire_time(None, friday) == dt.datetime(2026, 12, 14, 7, 30, tzinfo=VN)
    every_15 = cron_trigger("*/15 * * * *")
    assert every_15.get_next_fire_time(None, monday_noon + dt.timedelta(minutes=1)) == (
        monday_noon + dt.timedelta(minutes=15)
    )


def test_last_fire_time_finds_the_period_a_late_start_missed():
    now = dt.datetime(2026, 12, 7, 2, 10, 30, tzinfo=VN)
    nightly = cron_trigger("0 2 * * *")
    assert last_fire_time(nightly, now, dt.timedelta(hours=1)) == now.replace(minute=0, second=0)
    assert last_fire_time(nightly, now, dt.timedelta(minutes=5)) is None
    every_5 = cron_trigger("*/5 * * * *")
    assert last_fire_time(every_5, now, dt.timedelta(hours=1)) == now.replace(second=0)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (job("Bad Name"), "Tên tác vụ 'Bad Name' không hợp lệ"),
        (job("x", schedule="mỗi ngày"), "Lịch của tác vụ x không hợp lệ"),
        (job("x", schedule="61 * * * *"), "Lịch của tác vụ x không hợp lệ"),
        (job("x", schedule="0 3 * * 8"), "Lịch của tác vụ x không hợp lệ"),
        (job("x", callable="motcua.ops.jobs.no_such_function"), "không tìm thấy hàm"),
        (job("x", callable="motcua.ops.jobs.GRACE"), "không tìm thấy hàm"),
        ({**job("x"), "kwargs": [1]}, "phải là một dict"),
        ({**job("x"), "when": "daily"}, "có khoá không biết: when"),
    ],
)
def test_a_bad_job_is_refused_with_a_clear_message(entry, message):
    with pytest.raises(JobConfigError, match=message):
        jobs_configured([entry])


def test_a_job_listed_twice_is_refused_and_the_check_reports_it(settings):
    with pytest.raises(JobConfigError, match="Tác vụ a khai báo hai lần"):
        jobs_configured([job("a"), job("a")])
    assert jobs_check() == []
    settings.MOTCUA_JOBS = [job("a", schedule="every day")]
    [error] = jobs_check()
    assert error.id == "motcua.ops.E001" and "Lịch của tác vụ a" in error.msg


def test_the_default_jobs_name_functions_that_exist():
    names = {spec.name for spec in jobs_configured()}
    assert {
        "notifications_recover",
        "payments_expire",
        "postal_catch_up",
        "integration_retry",
        "report_days_freeze",
        "report_months_freeze",
        "report_reminders",
        "report_submissions_check",
        "media_orphans_delete",
        "idempotency_purge",
        "task_results_prune",
        "job_runs_purge",
    } <= names


@pytest.mark.django_db
def test_every_default_job_runs_on_an_empty_installation():
    """Each adapter calls its app's function with the arguments it takes (a renamed function
    or argument shows here, not at 3 a.m. in production)."""
    at = timezone.now()
    for spec in jobs_configured():
        run = job_run_execute(spec=spec, scheduled_for=at, worker_id="t")
        assert run is not None
        assert run.ok, f"{spec.name}: {run.error}"


# --- Once per period --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_period_runs_once_whoever_fires_it():
    spec = JobSpec(name="dem", schedule=EVERY_SECOND, callable=RECORD)
    period = dt.datetime(2026, 12, 7, 7, 0, tzinfo=VN)
    first = job_run_execute(spec=spec, scheduled_for=period, worker_id="a")
    assert first is not None and first.ok and first.result == "1"
    assert job_run_execute(spec=spec, scheduled_for=period, worker_id="b") is None
    assert scheduled.calls == ["run"]
    later = job_run_execute(
        spec=spec, scheduled_for=period + dt.timedelta(minutes=1), worker_id="b"
    )
    assert later is not None and later.worker_id == "b"
    # A run started by hand is outside the rule: it never takes a period from the scheduler.
    manual = job_run_execute(spec=spec, scheduled_for=period, worker_id="c", manual=True)
    assert manual is not None and manual.manual
    assert JobRun.objects.filter(job="dem", manual=False).count() == 2
    assert scheduled.calls == ["run", "run", "run"]


def _race(worker_ids: list[str], seconds: float) -> tuple[list[tuple[str, str, str]], list]:
    """Schedulers of several workers firing the same every-second job for a while: what each
    of them did with each period (ran it, or found it taken)."""
    spec = JobSpec(name="dua", schedule=EVERY_SECOND, callable=RECORD)
    outcomes: list[tuple[str, str, str]] = []
    lock = threading.Lock()
    schedulers = []
    for worker_id in worker_ids:
        scheduler = scheduler_create(worker_id=worker_id, jobs=[spec])

        def seen(event, worker_id=worker_id):
            with lock:
                outcomes.append((worker_id, event.scheduled_run_time.isoformat(), event.retval))

        scheduler.add_listener(seen, EVENT_JOB_EXECUTED)
        schedulers.append(scheduler)
    for scheduler in schedulers:
        scheduler.start()
    time.sleep(seconds)
    for scheduler in schedulers:
        scheduler_stop(scheduler)
    return outcomes, list(JobRun.objects.filter(job="dua"))


def _assert_each_period_ran_once(outcomes, runs, workers: int) -> None:
    by_period: dict[str, list[str]] = {}
    for _worker, period, outcome in outcomes:
        by_period.setdefault(period, []).append(outcome)
    # Periods every scheduler fired (the first and last may have been seen by some only).
    raced = [p for p, seen in by_period.items() if len(seen) == workers]
    assert len(raced) >= 2, by_period
    for period in raced:
        assert sorted(by_period[period]) == ["ok"] + ["skipped"] * (workers - 1), period
    assert len(runs) == len(scheduled.calls) == len({run.scheduled_for for run in runs})
    assert all(run.ok for run in runs)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_run_each_period_once():
    outcomes, runs = _race(["worker-a", "worker-b"], seconds=3.5)
    _assert_each_period_ran_once(outcomes, runs, workers=2)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_three_schedulers_on_postgresql_run_each_period_once():
    outcomes, runs = _race(["worker-a", "worker-b", "worker-c"], seconds=3.5)
    _assert_each_period_ran_once(outcomes, runs, workers=3)
    assert {run.worker_id for run in runs} <= {"worker-a", "worker-b", "worker-c"}


@pytest.mark.django_db
def test_a_failing_job_records_its_error_and_raises_nothing():
    failing = JobSpec(name="hong", schedule=EVERY_SECOND, callable="tests.ops.scheduled.fail")
    run = job_run_execute(spec=failing, scheduled_for=timezone.now(), worker_id="w")
    assert run is not None and run.ok is False and run.finished_at is not None
    assert "RuntimeError: Tác vụ thử nghiệm lỗi có chủ ý" in run.error
    assert run.result == "" and scheduled.calls == ["fail"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_failing_job_is_recorded_and_the_scheduler_goes_on():
    specs = [
        JobSpec(name="hong", schedule=EVERY_SECOND, callable="tests.ops.scheduled.fail"),
        JobSpec(name="tot", schedule=EVERY_SECOND, callable=RECORD),
    ]
    scheduler = scheduler_start(worker_id="w", jobs=specs)
    try:
        assert wait_for(
            lambda: (
                JobRun.objects.filter(job="hong", ok=False).count() >= 2
                and JobRun.objects.filter(job="tot", ok=True).count() >= 2
            )
        )
    finally:
        scheduler_stop(scheduler)
    failed = JobRun.objects.filter(job="hong").first()
    assert failed.ok is False and failed.finished_at is not None
    assert "RuntimeError: Tác vụ thử nghiệm lỗi có chủ ý" in failed.error
    assert failed.result == ""


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_period_missed_while_no_worker_ran_is_run_once_on_start():
    now = timezone.localtime(timezone.now(), VN)
    missed = (now - dt.timedelta(minutes=2)).replace(second=0, microsecond=0)
    spec = JobSpec(name="bu", schedule=f"{missed.minute} {missed.hour} * * *", callable=RECORD)
    events: list[str] = []
    first = scheduler_create(worker_id="sang", jobs=[spec])
    first.add_listener(lambda e: events.append(e.retval), EVENT_JOB_EXECUTED)
    first.start()
    try:
        assert wait_for(lambda: events == ["ok"])
    finally:
        scheduler_stop(first)
    [run] = JobRun.objects.filter(job="bu")
    assert run.scheduled_for == missed and run.worker_id == "sang"
    # A second worker starting now finds the period taken and does not run it again.
    second = scheduler_create(worker_id="chieu", jobs=[spec])
    second.add_listener(lambda e: events.append(e.retval), EVENT_JOB_EXECUTED)
    second.start()
    try:
        assert wait_for(lambda: len(events) == 2)
    finally:
        scheduler_stop(second)
    assert events == ["ok", "skipped"]
    assert scheduled.calls == ["run"]


# --- The schedule command --------------------------------------------------------------------


@pytest.mark.django_db
def test_schedule_lists_next_run_and_last_result(settings, django_assert_max_num_queries):
    settings.MOTCUA_JOBS = [
        job("bao_cao_sang", schedule="0 7 * * *"),
        job("quet", schedule="*/15 * * * *"),
    ]
    now = timezone.localtime(timezone.now(), VN)
    seven = now.replace(hour=7, minute=0, second=0, microsecond=0)
    next_seven = seven if seven > now else seven + dt.timedelta(days=1)
    JobRun.objects.create(
        job="bao_cao_sang",
        scheduled_for=seven - dt.timedelta(days=1),
        worker_id="w",
        started_at=seven - dt.timedelta(days=1),
        finished_at=seven - dt.timedelta(days=1),
        ok=True,
        result='{"sent": 3}',
    )
    out = StringIO()
    with django_assert_max_num_queries(2):  # the last runs, the last successes
        call_command("schedule", stdout=out)
    lines = out.getvalue().splitlines()
    assert "Tác vụ định kỳ (periodic jobs): 2" in lines[0]
    assert "Lần tới (next run)" in lines[1] and "Kết quả (result)" in lines[1]
    [morning] = [line for line in lines if line.startswith("bao_cao_sang")]
    assert f"{next_seven:%d/%m/%Y %H:%M}" in morning
    assert f"{seven - dt.timedelta(days=1):%d/%m/%Y} 07:00 thành công (ok)" in morning
    assert morning.endswith('{"sent": 3}')
    [scan] = [line for line in lines if line.startswith("quet")]
    assert "chưa chạy (never)" in scan


@pytest.mark.django_db
def test_schedule_run_runs_a_job_now_and_records_it(settings):
    settings.MOTCUA_JOBS = [job("dem"), job("hong", callable="tests.ops.scheduled.fail")]
    out = StringIO()
    call_command("schedule", "--run", "dem", stdout=out)
    assert "dem: thành công (ok)" in out.getvalue() and out.getvalue().strip().endswith("— 1")
    [run] = JobRun.objects.filter(job="dem")
    assert run.manual and run.ok and run.result == "1"
    with pytest.raises(CommandError, match="hong: lỗi"):
        call_command("schedule", "--run", "hong", stdout=StringIO(), stderr=StringIO())
    assert JobRun.objects.get(job="hong").ok is False
    with pytest.raises(CommandError, match=r"Không có tác vụ định kỳ 'khong_co'.*dem, hong"):
        call_command("schedule", "--run", "khong_co")
    settings.MOTCUA_JOBS = [job("x", schedule="hằng ngày")]
    with pytest.raises(CommandError, match="MOTCUA_JOBS: Lịch của tác vụ x không hợp lệ"):
        call_command("schedule")


# --- /metrics --------------------------------------------------------------------------------


def _gauges(text: str, name: str) -> dict[str, float]:
    found = {}
    for line in text.splitlines():
        if line.startswith(name + "{"):
            labels, value = line.rsplit(" ", 1)
            found[labels.split('job="', 1)[1].split('"', 1)[0]] = float(value)
    return found


@pytest.mark.django_db
def test_metrics_expose_each_jobs_last_success(client, settings, django_assert_max_num_queries):
    settings.MOTCUA_JOBS = [job("tot"), job("hong"), job("moi")]
    success = dt.datetime(2026, 12, 7, 7, 0, 5, tzinfo=VN)
    for at, name, ok in [
        (success - dt.timedelta(days=1), "tot", True),
        (success, "tot", True),
        (success - dt.timedelta(days=1), "hong", True),
        (success, "hong", False),
    ]:
        JobRun.objects.create(
            job=name, scheduled_for=at, worker_id="w", started_at=at, finished_at=at, ok=ok
        )
    # Dossiers, tasks, workers, then two grouped queries for the jobs, whatever their number.
    with django_assert_max_num_queries(5):
        text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    last_success = _gauges(text, "motcua_job_last_success_timestamp_seconds")
    assert last_success == {
        "tot": success.timestamp(),
        "hong": (success - dt.timedelta(days=1)).timestamp(),
        "moi": 0.0,  # never succeeded: an alert on the age of the last success fires
    }
    assert _gauges(text, "motcua_job_last_run_ok") == {"tot": 1.0, "hong": 0.0}


# --- The worker starts it ----------------------------------------------------------------------


# On PostgreSQL only: the worker's heartbeat thread writes while the worker begins its own
# transaction, and SQLite's in-memory test database fails such a write at once ("database table
# is locked", seen in a clean-clone run) instead of waiting, as the other concurrent tests here.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_worker_starts_and_stops_the_scheduler_only_when_it_is_on(settings, caplog):
    settings.MOTCUA_JOBS = [job("a", schedule="0 7 * * *"), job("b", schedule="0 8 * * *")]
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        task_backends._settings = None
        task_backends.__dict__.pop("settings", None)
        try:
            with caplog.at_level("INFO", logger="motcua.ops.scheduler"):
                settings.MOTCUA_SCHEDULER = False
                call_command("worker", "--batch", "--no-startup-delay", "--worker-id", "tat")
                assert "Bộ lập lịch" not in caplog.text
                settings.MOTCUA_SCHEDULER = True
                call_command("worker", "--batch", "--no-startup-delay", "--worker-id", "bat")
        finally:
            task_backends.__dict__.pop("settings", None)
    assert "Bộ lập lịch chạy 2 tác vụ định kỳ (scheduler started)" in caplog.text
    # Its threads are gone with the worker: nothing of the scheduler outlives the command.
    assert not [t for t in threading.enumerate() if t.name.startswith("APScheduler")]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_scheduler_when_it_is_on(settings):
    """A worker with MOTCUA_SCHEDULER on fires a job (which queues a task); the same worker
    then runs that task and stops (--max-tasks 1)."""
    settings.MOTCUA_SCHEDULER = True
    settings.MOTCUA_JOBS = [job("xep_hang", callable="tests.ops.scheduled.enqueue_probe")]
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        task_backends._settings = None
        task_backends.__dict__.pop("settings", None)
        stop = threading.Event()

        def rescue() -> None:  # never leave the worker waiting if the scheduler did not start
            if not stop.wait(20):
                from motcua.ops.tasks import probe

                probe.using(backend="default").enqueue("cứu")

        watchdog = threading.Thread(target=rescue, daemon=True)
        watchdog.start()
        try:
            call_command(
                "worker",
                "--max-tasks",
                "1",
                "--interval",
                "0.1",
                "--no-startup-delay",
                "--worker-id",
                "lap-lich",
            )
        finally:
            stop.set()
            watchdog.join()
            task_backends.__dict__.pop("settings", None)
    runs = list(JobRun.objects.filter(job="xep_hang"))
    assert runs and all(run.ok and run.worker_id == "lap-lich" for run in runs)
    # One of the tasks the job queued is the one task the worker ran before stopping.
    done = DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL)
    assert [(str(t.id) in {r.result for r in runs}, t.worker_ids) for t in done] == [
        (True, ["lap-lich"])
    ]


# --- The adapters ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_report_reminders_are_sent_in_the_week_before_the_due_day_only():
    from motcua.ops.jobs import report_reminders

    province = UnitFactory(kind=UnitKind.PROVINCE, code="000.00.00.H16", name="Tỉnh thử")
    agency = UnitFactory(parent=province, code="000.00.21.H16")
    admin = StaffFactory(username="quantri", email="quantri@example.vn")
    MembershipFactory(user=admin, unit=agency, role=Role.AGENCY_ADMIN)
    # Month 2020-05 runs 15/04–14/05; its reports are due before 22/05/2020.
    early = report_reminders(now=dt.datetime(2020, 5, 14, 8, 0, tzinfo=VN))
    assert early["sent"] == 0 and not mail.outbox
    late = report_reminders(now=dt.datetime(2020, 5, 22, 8, 0, tzinfo=VN))
    assert late == {"period": "2020-05", "sent": 0, "due_before": "22/05/2020"}
    assert not mail.outbox
    sent = report_reminders(now=dt.datetime(2020, 5, 15, 8, 0, tzinfo=VN))
    assert sent == {"period": "2020-05", "sent": 1}
    from motcua.notifications.models import Message

    told = Message.objects.filter(event="report_due", channel="email")
    assert list(told.values_list("recipient", flat=True)) == ["quantri@example.vn"]
    assert report_reminders(now=dt.datetime(2020, 5, 21, 8, 0, tzinfo=VN))["sent"] == 1
    assert told.count() == 2  # one a day


@pytest.mark.django_db
def test_job_runs_purge_keeps_each_jobs_last_success():
    from motcua.ops.services import job_runs_purge

    old = timezone.now() - dt.timedelta(days=200)
    for i, ok in enumerate([True, True, False]):
        at = old + dt.timedelta(minutes=i)
        JobRun.objects.create(
            job="cu", scheduled_for=at, worker_id="w", started_at=at, finished_at=at, ok=ok
        )
    assert job_runs_purge(older_than=dt.timedelta(days=90)) == 2
    [kept] = JobRun.objects.all()
    assert kept.ok and kept.scheduled_for == old + dt.timedelta(minutes=1)


@pytest.mark.django_db
def test_report_submissions_are_checked_on_the_due_day_only():
    from motcua.ops.jobs import report_submissions_check

    before = report_submissions_check(now=dt.datetime(2020, 5, 21, 2, 0, tzinfo=VN))
    assert before == {"period": "2020-05", "checked": False}
    on_the_day = report_submissions_check(now=dt.datetime(2020, 5, 22, 2, 0, tzinfo=VN))
    assert on_the_day == {"period": "2020-05", "checked": True, "differ": 0}
    after = report_submissions_check(now=dt.datetime(2020, 5, 23, 2, 0, tzinfo=VN))
    assert after == {"period": "2020-05", "checked": False}


@pytest.mark.django_db
def test_the_nightly_freezes_keep_the_figures_of_past_months():
    from motcua.ops.jobs import report_days_freeze, report_months_freeze
    from motcua.reports.models import MonthFigures
    from tests.factories import DossierFactory

    DossierFactory(received_at=timezone.now() - dt.timedelta(days=100))
    frozen = report_months_freeze()["frozen"]
    assert frozen and set(frozen) == set(MonthFigures.objects.values_list("period", flat=True))
    assert report_months_freeze() == {"frozen": []}  # frozen once, not every night
    days = report_days_freeze()
    assert days["months"] >= 1 and days["days"] >= 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_on_postgresql_run_each_period_once(tmp_path):
    """Two `python -m motcua worker` processes, each with its scheduler firing the same
    every-second job: each period runs in one of them only."""
    import json
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    from django.db import connection

    root = Path(__file__).resolve().parents[2]
    db = connection.settings_dict
    runs_file = tmp_path / "runs.txt"
    env = dict(
        os.environ,
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{db['NAME']}",
        PYTHONPATH=os.pathsep.join([str(root / "src"), str(root)]),
        DJANGO_SETTINGS_MODULE="motcua.settings",
        SECRET_KEY="scheduler-test-secret-key-0123456789-abcdefghijklmnop",
        DEBUG="0",
        TASK_BACKEND="django_tasks_db.DatabaseBackend",
        MOTCUA_SCHEDULER="1",
        LOG_LEVEL="DEBUG",  # a period found taken is logged at debug
        MOTCUA_JOBS_OFF=",".join(spec.name for spec in jobs_configured()),
        MOTCUA_JOBS_EXTRA=json.dumps(
            [
                job(
                    "hai_tien_trinh",
                    callable="tests.ops.scheduled.append_pid",
                    path=str(runs_file),
                )
            ]
        ),
    )
    env.pop("PYTEST_XDIST_WORKER", None)
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "motcua", "worker", "--no-reload", "--worker-id", name],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for name in ("tien-trinh-1", "tien-trinh-2")
    ]
    done = JobRun.objects.filter(job="hai_tien_trinh", ok=True)
    try:
        # Both are up (each beats before its scheduler starts); then three periods more.
        assert wait_for(
            lambda: (
                WorkerHeartbeat.objects.filter(worker_id__startswith="tien-trinh-").count() == 2
            ),
            90,
        )
        started = done.count()
        assert wait_for(lambda: done.count() >= started + 3, 30)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        logs = [worker.communicate(timeout=60)[0] for worker in workers]
    for log in logs:
        assert "Bộ lập lịch chạy 1 tác vụ định kỳ" in log, log
    assert "another worker has it" in "".join(logs)  # they raced for the same periods
    runs = list(JobRun.objects.filter(job="hai_tien_trinh"))
    lines = runs_file.read_text().split()
    assert len(lines) == len(runs) == len({run.scheduled_for for run in runs})
    assert all(run.ok for run in runs)
    assert {run.worker_id for run in runs} <= {"tien-trinh-1", "tien-trinh-2"}
    assert set(lines) <= {str(worker.pid) for worker in workers}
