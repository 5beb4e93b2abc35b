"""`python -m motcua worker`: the django-tasks database worker, plus a heartbeat for /healthz and
(settings.MOTCUA_SCHEDULER, on by default) the scheduler of the periodic jobs (ops/scheduler.py)."""

import logging
import os
import threading
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from motcua.ops.scheduler import scheduler_start, scheduler_stop
from motcua.ops.selectors import HEARTBEAT_SECONDS
from motcua.ops.services import heartbeat_beat, heartbeat_forget

logger = logging.getLogger(__name__)


class Command(DbWorkerCommand):
    help = "Chạy tiến trình xử lý tác vụ nền (run the background task worker)."

    def handle(self, *args: Any, **options: Any) -> None:
        reloading = options.get("reload") and not options.get("batch")
        if reloading and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            # The --reload parent (the default with DEBUG) only watches the files and restarts
            # a child that runs this again: the child beats and schedules, the parent not.
            super().handle(*args, **options)
            return
        worker_id = options.get("worker_id") or f"worker-{timezone.now():%Y%m%d%H%M%S%f}"
        options["worker_id"] = worker_id
        started_at = timezone.now()
        stop = threading.Event()

        # The first beat is written here, before the worker loop starts; the thread then beats
        # every HEARTBEAT_SECONDS, so its writes never race the worker's start-up.
        heartbeat_beat(worker_id=worker_id, started_at=started_at)

        def beat() -> None:
            while not stop.wait(HEARTBEAT_SECONDS):
                try:
                    heartbeat_beat(worker_id=worker_id, started_at=started_at)
                except Exception:  # a missed beat must not kill the worker
                    logger.warning("Không ghi được nhịp hoạt động của worker", exc_info=True)
                finally:
                    close_old_connections()
            connection.close()  # this thread's own connection

        thread = threading.Thread(target=beat, name="motcua-heartbeat", daemon=True)
        thread.start()
        scheduler = None
        try:
            if settings.MOTCUA_SCHEDULER:
                scheduler = scheduler_start(worker_id=worker_id)
            super().handle(*args, **options)
        finally:
            if scheduler is not None:
                scheduler_stop(scheduler)
            stop.set()
            thread.join(timeout=5)
            try:
                heartbeat_forget(worker_id=worker_id)
            finally:
                close_old_connections()
