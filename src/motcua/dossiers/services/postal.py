"""What the postal app may change on a dossier: an audit event for a parcel's change.

The postal app locks the dossier first (`dossier_lock`), then its shipment, inside one
`use_case_atomic` block, the order a transition takes them in (the dossier, then the hooks'
rows), so two use cases never wait for each other in a cycle.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from motcua.accounts.models import User

from ..constants import EventAction
from ..models import Dossier
from .base import record_event


def dossier_postal_record(
    *,
    dossier: Dossier,
    actor: User | None,
    moment: dt.datetime,
    payload: dict[str, Any],
    actor_label: str = "",
) -> Dossier:
    """Append a shipment's change to the locked dossier's audit chain (action `postal`)."""
    dossier.version += 1
    dossier.save(update_fields=["version", "updated_at"])
    record_event(
        dossier=dossier,
        action=EventAction.POSTAL,
        from_status=dossier.status,
        actor=actor,
        actor_label=actor_label,
        moment=moment,
        payload=payload,
    )
    return dossier
