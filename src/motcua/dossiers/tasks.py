"""Background work started after a dossier changes: notifications, webhooks, portal sync."""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import Iterator

from django.db import transaction
from django.dispatch import Signal
from django_tasks import task

logger = logging.getLogger(__name__)

# Sent by the worker for every committed event (kwargs: event); webhooks, the national-portal sync
# and notifications connect to it, so this app needs to know none of them.
dossier_event_committed = Signal()

_suppressed: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "motcua_dossier_side_effects_suppressed", default=False
)


@contextlib.contextmanager
def side_effects_suppressed() -> Iterator[None]:
    """Bulk loads of historical data (the demo, imports) notify nobody."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def side_effects_are_suppressed() -> bool:
    """Inside `side_effects_suppressed` (other apps' after-commit work follows it too)."""
    return _suppressed.get()


@task()
def dossier_event_dispatch(event_id: int) -> None:
    """Fan an event out to notifications and webhooks (those apps hook in here).

    Idempotent: it only reads the event; the delivery apps keep their own per-event records so a
    second run sends nothing twice.
    """
    from .models import DossierEvent

    event = (
        DossierEvent.objects.select_related(
            "dossier__procedure", "dossier__receiving_unit", "dossier__current_step", "actor"
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        logger.warning("dossier event %s vanished before dispatch", event_id)
        return
    logger.info(
        "dossier %s: %s (%s → %s)",
        event.dossier.code or event.dossier_id,
        event.action,
        event.from_status or "-",
        event.to_status,
    )
    dossier_event_committed.send(sender=DossierEvent, event=event)


def dispatch_on_commit(event_id: int) -> None:
    """Enqueue the dispatch once the surrounding transaction commits (never for a rollback)."""
    if _suppressed.get():
        return
    transaction.on_commit(lambda: dossier_event_dispatch.enqueue(event_id))
