"""The e-results' part in the dossier transitions (dossiers.hooks): approve, deny and the
refusal at reception issue signed results inside the transition's transaction."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.dispatch import receiver

from motcua.dossiers.hooks import dossier_transitioning

from .constants import ISSUING_ACTIONS


@receiver(dossier_transitioning, dispatch_uid="results_issue")
def results_issue(sender: Any, *, dossier, action, actor, moment, payload, **kwargs: Any) -> None:
    if action not in ISSUING_ACTIONS or not settings.MOTCUA_E_RESULTS:
        return
    from motcua.dossiers.tasks import _suppressed

    # Bulk and historical loads (the demo's past years) replay transitions without side effects.
    if _suppressed.get():
        return
    from .services import results_issue_on_transition

    results_issue_on_transition(
        dossier=dossier, action=action, actor=actor, moment=moment, payload=payload
    )
