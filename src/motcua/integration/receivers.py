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


def _scope_changed(sender: Any, **kwargs: Any) -> None:
    """A client, its account, memberships or agencies/procedures, a unit, a procedure or a fee
    changed: processes reload what they keep (selectors.api_client_get_by_key). At once for this
    process, and again once the change commits, so no process keeps what it read before."""
    from django.db import transaction

    from .selectors import api_client_scope_changed

    api_client_scope_changed()
    transaction.on_commit(api_client_scope_changed)


def _user_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Only technical accounts of API clients matter (citizens sign in every minute).
    if getattr(instance, "username", "").startswith("api-"):
        _scope_changed(sender)


def _connect_scope_signals() -> None:
    from django.contrib.auth import get_user_model
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from motcua.catalog.models import Fee, Procedure
    from motcua.orgs.models import Membership, Unit

    from .models import ApiClient

    for model in (ApiClient, Membership, Unit, Procedure, Fee):
        uid = f"integration_scope_{model.__name__}"
        post_save.connect(_scope_changed, sender=model, dispatch_uid=f"{uid}_save")
        post_delete.connect(_scope_changed, sender=model, dispatch_uid=f"{uid}_delete")
    for through in (ApiClient.agencies.through, ApiClient.procedures.through):
        m2m_changed.connect(
            _scope_changed, sender=through, dispatch_uid=f"scope_{through.__name__}"
        )
    user = get_user_model()
    post_save.connect(_user_changed, sender=user, dispatch_uid="integration_scope_user_save")
    post_delete.connect(_user_changed, sender=user, dispatch_uid="integration_scope_user_delete")


_connect_scope_signals()
