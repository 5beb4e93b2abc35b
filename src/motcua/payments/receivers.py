"""The payments app's part in every dossier transition (dossiers.hooks)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from motcua.dossiers.hooks import dossier_transitioning


@receiver(dossier_transitioning, dispatch_uid="payments_invoices")
def invoices_due(sender: Any, *, dossier, action, actor, moment, payload, **kwargs: Any) -> None:
    from .services import invoices_on_transition

    invoices_on_transition(
        dossier=dossier, action=action, actor=actor, moment=moment, payload=payload
    )
