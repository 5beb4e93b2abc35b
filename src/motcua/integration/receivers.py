"""Hooks into the dossier pipeline: every committed event fans out to webhooks and the national
portal sync (dossiers.tasks sends `dossier_event_committed` from the worker)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from motcua.dossiers.tasks import dossier_event_committed

from . import services


@receiver(dossier_event_committed, dispatch_uid="integration_fan_out")
def fan_out(sender: Any, event: Any, **kwargs: Any) -> None:
    from .tasks import national_sync_push_task, webhook_delivery_send_task

    for created in services.webhook_deliveries_create(event=event):
        webhook_delivery_send_task.enqueue(created.pk)
    if services.national_sync_mark(dossier=event.dossier) is not None:
        national_sync_push_task.enqueue(event.dossier_id)
