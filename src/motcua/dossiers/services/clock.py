"""Deadline bookkeeping of a dossier; every computation goes through motcua.workcal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings

from motcua.catalog.constants import SupplementPolicy
from motcua.workcal import (
    add_working_time,
    classify,
    compute_due,
    receipt_time,
    working_hours_between,
)

from ..models import Dossier


def clock_start(dossier: Dossier, moment: dt.datetime) -> None:
    """t0 and the legal due time at reception (docs/DOMAIN.md §4)."""
    procedure = dossier.procedure
    unit = dossier.receiving_unit
    t0 = receipt_time(moment, org_unit=unit)
    due = compute_due(t0, procedure.processing_time, procedure.time_unit, org_unit=unit)
    dossier.received_at = t0
    dossier.due_at = due
    dossier.original_due_at = due


def clock_resume_after_supplement(dossier: Dossier, moment: dt.datetime) -> dict[str, str]:
    """Recompute the deadline when a supplement arrives after reception (restart or pause)."""
    procedure = dossier.procedure
    policy = procedure.supplement_policy or settings.MOTCUA_SUPPLEMENT_POLICY
    old_due = dossier.due_at
    unit = dossier.receiving_unit
    if policy == SupplementPolicy.PAUSE:
        waited = Decimal(0)
        if dossier.supplement_requested_at is not None:
            waited = max(
                Decimal(0),
                working_hours_between(dossier.supplement_requested_at, moment, org_unit=unit),
            )
        dossier.paused_hours = (dossier.paused_hours or Decimal(0)) + waited
        if waited:
            dossier.due_at = add_working_time(dossier.due_at, waited, "hours", org_unit=unit)
            dossier.original_due_at = add_working_time(
                dossier.original_due_at, waited, "hours", org_unit=unit
            )
            if dossier.apology_due_at is not None:
                dossier.apology_due_at = add_working_time(
                    dossier.apology_due_at, waited, "hours", org_unit=unit
                )
        extra = {"waited_hours": str(waited)}
    else:
        # Decree 61 Art 19: the whole limit runs again from the complete supplement. The new
        # due time is the legal one; an earlier apology appointment no longer applies.
        restart = receipt_time(moment, org_unit=unit)
        due = compute_due(restart, procedure.processing_time, procedure.time_unit, org_unit=unit)
        dossier.due_at = due
        dossier.original_due_at = due
        extra = {"restarted_at": restart.isoformat()}
    return {
        "policy": str(policy),
        "old_due_at": old_due.isoformat() if old_due else "",
        "due_at": dossier.due_at.isoformat() if dossier.due_at else "",
        **extra,
    }


def clock_stop(dossier: Dossier, moment: dt.datetime) -> None:
    """The clock ends (result ready, stopped): classify against the legal due time."""
    dossier.finished_at = moment
    legal_due = dossier.original_due_at or dossier.due_at
    if legal_due is not None:
        dossier.timing = classify(moment, legal_due)


def hours_left(dossier: Dossier, moment: dt.datetime) -> Decimal:
    return working_hours_between(moment, dossier.due_at, org_unit=dossier.receiving_unit)
