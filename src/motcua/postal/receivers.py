"""The postal app's part in every dossier transition and payment (dossiers.hooks)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from motcua.dossiers.hooks import dossier_payment_recorded, dossier_transitioning


@receiver(dossier_transitioning, dispatch_uid="postal_shipments")
def shipments_due(sender: Any, *, dossier, action, actor, moment, payload, **kwargs: Any) -> None:
    # Connected after the payments app's receiver (INSTALLED_APPS order): a result that waits
    # for its fee already has `awaiting_payment` set here.
    from .services import shipments_on_transition

    shipments_on_transition(
        dossier=dossier, action=action, actor=actor, moment=moment, payload=payload
    )


@receiver(dossier_payment_recorded, dispatch_uid="postal_after_payment")
def result_paid(sender: Any, *, dossier, was_awaiting, moment, **kwargs: Any) -> None:
    from .services import shipments_on_payment

    shipments_on_payment(dossier=dossier, was_awaiting=was_awaiting, moment=moment)
