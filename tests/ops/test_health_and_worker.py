"""The /healthz endpoint and the task worker with its heartbeat."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus, task_backends

from motcua.ops.models import WorkerHeartbeat
from motcua.ops.selectors import HEARTBEAT_STALE_AFTER
from motcua.ops.tasks import probe

pytestmark = pytest.mark.django_db(transaction=True)

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_healthz_reports_missing_worker(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["worker"].startswith("error")


def test_healthz_ok_with_a_recent_heartbeat_and_not_with_a_stale_one(client):
    now = timezone.now()
    beat = WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="h", pid=1, started_at=now, seen_at=now
    )
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "worker": "ok"},
        "workers": 1,
    }
    beat.seen_at = now - HEARTBEAT_STALE_AFTER - dt.timedelta(seconds=1)
    beat.save()
    assert client.get("/healthz").status_code == 503


def test_worker_runs_queued_task_and_forgets_its_heartbeat():
    with override_settings(TASKS=DB_TASKS):
        task_backends._settings = None  # the handler caches its settings; rebuild for DB_TASKS
        task_backends.__dict__.pop("settings", None)
        try:
            result = probe.using(backend="default").enqueue("xin chào")
            assert result.status == TaskResultStatus.READY
            call_command("worker", "--batch", "--no-startup-delay", "--worker-id", "test-worker")
            result.refresh()
            assert result.status == TaskResultStatus.SUCCESSFUL
            assert result.return_value == "xin chào"
            # The worker deletes its heartbeat when it stops, so /healthz does not count it.
            assert not WorkerHeartbeat.objects.filter(worker_id="test-worker").exists()
        finally:
            task_backends.__dict__.pop("settings", None)


def test_metrics_counts_dossiers_by_status_for_loopback_only(client, settings):
    from tests.factories import DossierFactory

    DossierFactory.create_batch(2)
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    text = response.content.decode()
    assert "motcua_dossiers{" in text
    assert "motcua_live_workers 0.0" in text
    total = sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("motcua_dossiers{")
    )
    assert total == 2
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.5").status_code == 403
    settings.MOTCUA_METRICS_TOKEN = "s3cret"
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403
    ok = client.get("/metrics", REMOTE_ADDR="10.0.0.5", HTTP_AUTHORIZATION="Bearer s3cret")
    assert ok.status_code == 200
