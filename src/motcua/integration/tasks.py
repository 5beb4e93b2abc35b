"""Thin task wrappers for the worker: load by id, call delivery.py. Each is idempotent."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import default_task_backend, task

from . import delivery

logger = logging.getLogger(__name__)


def _later(task_obj, arg: int, when: dt.datetime) -> None:
    """Enqueue now, or at `when` when the backend can defer (the database backend can).

    A backend that cannot defer (the immediate one of the tests) leaves future retries to
    `integration_send_due` (the `integration_retry` command, or a test calling it).
    """
    if when <= timezone.now():
        task_obj.enqueue(arg)
    elif default_task_backend.supports_defer:
        task_obj.using(run_after=when).enqueue(arg)


def schedule_webhook(delivery_id: int, when: dt.datetime) -> None:
    _later(webhook_delivery_send_task, delivery_id, when)


def schedule_national_sync(dossier_id: int, when: dt.datetime) -> None:
    _later(national_sync_push_task, dossier_id, when)


@task()
def webhook_delivery_send_task(delivery_id: int) -> None:
    delivery.webhook_delivery_send(delivery_id=delivery_id, schedule=schedule_webhook)


@task()
def national_sync_push_task(dossier_id: int) -> None:
    delivery.national_sync_push(dossier_id=dossier_id, schedule=schedule_national_sync)


def integration_send_due(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Send every webhook delivery and national push that is due (catches anything missed)."""
    now = now or timezone.now()
    sent = synced = 0
    for delivery_id in delivery.webhook_deliveries_due(now=now):
        if delivery.webhook_delivery_send(
            delivery_id=delivery_id, now=now, schedule=schedule_webhook
        ):
            sent += 1
    for dossier_id in delivery.national_sync_due_ids(now=now):
        if delivery.national_sync_push(
            dossier_id=dossier_id, now=now, schedule=schedule_national_sync
        ):
            synced += 1
    return {"webhooks": sent, "national": synced}


@task()
def integration_send_due_task() -> dict[str, int]:
    return integration_send_due()
