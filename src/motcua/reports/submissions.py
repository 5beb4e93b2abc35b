"""Which agencies report a period to the province, what each submitted and when, and its last
reminder (the submissions page). The writes are in services.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from motcua.orgs.models import Unit

from .periods import Period
from .scope import reporting_agencies


@dataclass
class SubmissionLine:
    agency: Unit
    submission: Any  # ReportSubmission | None
    last_reminder: dt.datetime | None
    deadline: dt.datetime

    @property
    def submitted(self) -> bool:
        return self.submission is not None and self.submission.is_submitted

    @property
    def on_time(self) -> bool | None:
        if not self.submitted:
            return None
        return self.submission.submitted_at < self.deadline

    @property
    def flagged(self) -> bool:
        return bool(self.submitted and self.submission.mismatch)


def submission_overview(*, period: Period, now: dt.datetime | None = None) -> list[SubmissionLine]:
    """Every reporting agency with its report for the period (if any) and its last reminder."""
    from django.db.models import Max

    from .models import ReportReminder, ReportSubmission

    agencies = reporting_agencies()
    submissions = {
        s.unit_id: s
        for s in ReportSubmission.objects.filter(
            period=period.key, start=period.start
        ).select_related("submitted_by", "generated_by")
    }
    reminders = dict(
        ReportReminder.objects.filter(period=period.key)
        .values("unit_id")
        .annotate(last=Max("sent_at"))
        .values_list("unit_id", "last")
    )
    deadline = period.submission_deadline()
    return [
        SubmissionLine(a, submissions.get(a.pk), reminders.get(a.pk), deadline) for a in agencies
    ]


def submission_get(*, unit: Unit, period: Period) -> Any:
    from .models import ReportSubmission

    return (
        ReportSubmission.objects.filter(unit=unit, period=period.key, start=period.start)
        .select_related("generated_by", "submitted_by", "unit")
        .first()
    )
