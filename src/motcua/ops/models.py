"""Operational state: task-worker heartbeats for /healthz and /metrics, and the runs of the
periodic jobs (one row per job and period: the row is the lock that makes a period run once)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    worker_id = models.CharField(_("mã tiến trình"), max_length=64, unique=True)
    hostname = models.CharField(_("máy chủ"), max_length=255)
    pid = models.PositiveIntegerField(_("PID"))
    started_at = models.DateTimeField(_("khởi động lúc"))
    seen_at = models.DateTimeField(_("lần cuối hoạt động"), db_index=True)
    tasks_run = models.PositiveBigIntegerField(_("số tác vụ đã chạy"), default=0)

    class Meta:
        verbose_name = _("tiến trình xử lý nền")
        verbose_name_plural = _("tiến trình xử lý nền")

    def __str__(self) -> str:
        return f"{self.worker_id}@{self.hostname}"


class JobRun(models.Model):
    """One run of a periodic job (settings.MOTCUA_JOBS).

    A worker whose scheduler fires a job first inserts the row for (job, period); the unique
    constraint lets exactly one worker in, the others get an IntegrityError and skip the period.
    `ok` stays empty while the job runs (or when its worker died during it). A run started by
    hand (`schedule --run`) is `manual` and outside the once-per-period rule.
    """

    job = models.CharField(_("tác vụ"), max_length=100)
    scheduled_for = models.DateTimeField(_("kỳ chạy"))
    manual = models.BooleanField(_("chạy thủ công"), default=False)
    worker_id = models.CharField(_("mã tiến trình"), max_length=64)
    started_at = models.DateTimeField(_("bắt đầu lúc"))
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    ok = models.BooleanField(_("thành công"), null=True)
    result = models.TextField(_("kết quả"), blank=True)
    error = models.TextField(_("lỗi"), blank=True)

    class Meta:
        verbose_name = _("lần chạy tác vụ định kỳ")
        verbose_name_plural = _("lần chạy tác vụ định kỳ")
        constraints = [
            models.UniqueConstraint(
                fields=["job", "scheduled_for"],
                condition=Q(manual=False),
                name="ops_jobrun_once_per_period",
            )
        ]
        indexes = [models.Index(fields=["job", "-started_at"], name="ops_jobrun_job_started")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.scheduled_for:%Y-%m-%d %H:%M:%S}"
