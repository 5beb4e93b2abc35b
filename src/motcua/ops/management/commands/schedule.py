"""`python -m motcua schedule [--run NAME]`: the periodic jobs, their next and last runs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from motcua.ops.schedule import JobConfigError, job_configured, jobs_configured
from motcua.ops.selectors import JobStatus, job_statuses
from motcua.ops.services import job_run_execute

RESULT_SHOWN = 60


def _when(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else "—"


def _last(status: JobStatus) -> tuple[str, str]:
    run = status.last_run
    if run is None:
        return "chưa chạy (never)", ""
    if run.ok is None:
        return f"{_when(run.started_at)} đang chạy (running)", run.worker_id
    outcome = "thành công (ok)" if run.ok else "lỗi (failed)"
    text = run.result if run.ok else (run.error.strip().splitlines() or [""])[-1]
    if len(text) > RESULT_SHOWN:
        text = text[: RESULT_SHOWN - 1] + "…"
    return f"{_when(run.started_at)} {outcome}", text


class Command(BaseCommand):
    help = (
        "Liệt kê các tác vụ định kỳ: lịch, lần chạy tới, lần chạy trước và kết quả; --run TÊN "
        "chạy ngay một tác vụ (list the periodic jobs; --run NAME runs one now)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--run",
            metavar="NAME",
            default="",
            help="Chạy ngay tác vụ này, ghi lại như một lần chạy (run this job now, recorded).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["run"]:
                self._run(options["run"])
            else:
                self._list()
        except JobConfigError as exc:
            raise CommandError(f"MOTCUA_JOBS: {exc}") from None

    def _list(self) -> None:
        statuses = job_statuses()
        state = "bật (on)" if settings.MOTCUA_SCHEDULER else "tắt (off)"
        self.stdout.write(
            f"Tác vụ định kỳ (periodic jobs): {len(statuses)}; múi giờ (time zone) "
            f"{settings.TIME_ZONE}; bộ lập lịch trong worker (scheduler in the worker): {state}"
        )
        header = (
            "Tác vụ (job)",
            "Lịch (schedule)",
            "Lần tới (next run)",
            "Lần trước (last run)",
            "Kết quả (result)",
        )
        rows = [header]
        for status in statuses:
            last, result = _last(status)
            rows.append(
                (status.spec.name, status.spec.schedule, _when(status.next_run), last, result)
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  ".join([*cells, row[-1]]).rstrip())

    def _run(self, name: str) -> None:
        spec = job_configured(name)
        if spec is None:
            known = ", ".join(spec.name for spec in jobs_configured())
            raise CommandError(
                f"Không có tác vụ định kỳ {name!r} (no such job). Các tác vụ (jobs): {known}"
            )
        worker_id = f"schedule-{timezone.now():%Y%m%d%H%M%S}"
        run = job_run_execute(
            spec=spec, scheduled_for=timezone.now(), worker_id=worker_id, manual=True
        )
        if run is None:  # a manual run is outside the once-per-period rule; kept for safety
            raise CommandError(f"{name}: đang được chạy (already running)")
        seconds = (run.finished_at - run.started_at).total_seconds()
        if not run.ok:
            self.stderr.write(run.error.rstrip())
            raise CommandError(f"{name}: lỗi sau {seconds:.1f} s (failed)")
        self.stdout.write(f"{name}: thành công (ok) sau {seconds:.1f} s — {run.result}")
