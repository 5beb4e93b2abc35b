"""Operational state: task-worker heartbeats for /healthz and /metrics."""

from django.db import models
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
