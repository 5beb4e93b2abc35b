"""Writes of the reports: generate and submit an agency's snapshot, check it later, reminders."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from motcua.orgs.constants import Role
from motcua.orgs.models import Membership, Unit

from . import keeping, kpis, submissions
from .constants import SubmissionStatus
from .exceptions import AlreadySubmitted, NotSubmittable, PeriodNotClosed
from .models import ReportReminder, ReportSubmission
from .periods import Period, period_of


def report_snapshot_data(
    *, unit: Unit | None, period: Period | str, live: bool = False
) -> dict[str, Any]:
    """The report and its indicators as JSON-ready data (what a snapshot freezes); `live`
    recounts every month from the dossiers (frozen months included)."""
    period = period_of(period)
    if not live:
        keeping.report_figures_keep(period=period)
    result = kpis.kpi_indicators(period=period, agency=unit, live=live)
    return {"report": result.report.as_dict(), "kpi": result.as_dict()}


def _digest(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def report_snapshot_generate(
    *, unit: Unit, period: Period | str, actor: Any, now: dt.datetime | None = None
) -> ReportSubmission:
    """Compute the agency's report for the period and keep it as a draft for review.

    Generating again refreshes the draft; a submitted report is frozen and cannot be replaced.
    """
    period = period_of(period)
    now = now or timezone.now()
    data = report_snapshot_data(unit=unit, period=period)
    with transaction.atomic():
        submission = (
            ReportSubmission.objects.select_for_update()
            .filter(unit=unit, period=period.key, start=period.start)
            .first()
        )
        if submission is not None and submission.is_submitted:
            raise AlreadySubmitted(details={"period": period.key, "agency": unit.code})
        if submission is None:
            submission = ReportSubmission(
                unit=unit, period=period.key, start=period.start, end=period.end
            )
        submission.status = SubmissionStatus.DRAFT
        submission.data = data
        submission.digest = _digest(data)
        submission.generated_at = now
        submission.generated_by = actor
        submission.mismatch = {}
        submission.checked_at = None
        submission.save()
    return submission


def report_submit(
    *,
    submission: ReportSubmission,
    actor: Any,
    digest: str | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> ReportSubmission:
    """Submit the reviewed draft: it is frozen with who and when.

    `digest` is the one the reviewer saw; if the draft was regenerated since, nothing is
    submitted. A period can be submitted once it has ended.
    """
    now = now or timezone.now()
    period = submission.reporting_period
    if not period.is_closed(now):
        raise PeriodNotClosed(details={"period": submission.period})
    with transaction.atomic():
        locked = ReportSubmission.objects.select_for_update().get(pk=submission.pk)
        if locked.is_submitted:
            raise AlreadySubmitted(details={"period": locked.period, "agency": locked.unit.code})
        if digest is not None and digest != locked.digest:
            raise NotSubmittable(details={"digest": digest})
        locked.status = SubmissionStatus.SUBMITTED
        locked.submitted_at = now
        locked.submitted_by = actor
        locked.note = note.strip()
        locked.save(update_fields=["status", "submitted_at", "submitted_by", "note"])
    return locked


# Names and labels, and what follows from the period's bounds, are not figures: a snapshot made
# before such a key was added to the report is not "corrected" for lacking it.
_NOT_FIGURES = frozenset({"name", "agency_name", "procedure_name", "field_name", "due_before"})


def _differences(old: Any, new: Any, path: str = "") -> dict[str, Any]:
    """Leaf-by-leaf differences between two JSON values (names and labels ignored)."""
    out: dict[str, Any] = {}
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            if key in _NOT_FIGURES:
                continue
            out.update(_differences(old.get(key), new.get(key), f"{path}.{key}" if path else key))
        return out
    if isinstance(old, list) and isinstance(new, list):
        keyed_old = {_row_key(x, i): x for i, x in enumerate(old)}
        keyed_new = {_row_key(x, i): x for i, x in enumerate(new)}
        for key in sorted(set(keyed_old) | set(keyed_new), key=str):
            out.update(_differences(keyed_old.get(key), keyed_new.get(key), f"{path}[{key}]"))
        return out
    if old != new:
        out[path] = {"submitted": old, "now": new}
    return out


def _row_key(item: Any, index: int) -> str:
    if isinstance(item, dict):
        for key in ("procedure", "field", "agency", "id", "group"):
            if key in item:
                return f"{item[key]}"
    return str(index)


def report_snapshot_check(
    *, submission: ReportSubmission, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Recompute the report and compare it with the frozen data; store and return what differs.

    Empty when the recomputation equals the snapshot; otherwise the data were corrected after
    the report was made, and the differences are flagged.
    """
    fresh = report_snapshot_data(
        unit=submission.unit, period=submission.reporting_period, live=True
    )
    differences = _differences(submission.data, fresh)
    submission.mismatch = differences
    submission.checked_at = now or timezone.now()
    submission.save(update_fields=["mismatch", "checked_at"])
    return differences


def report_snapshots_check_period(*, period: Period | str) -> int:
    """Check every submitted report of the period; the number that differ."""
    period = period_of(period)
    flagged = 0
    submitted = ReportSubmission.objects.filter(
        period=period.key, status=SubmissionStatus.SUBMITTED
    ).select_related("unit")
    for submission in submitted:
        if report_snapshot_check(submission=submission):
            flagged += 1
    return flagged


def report_reminders_send(
    *, period: Period | str, actor: Any = None, now: dt.datetime | None = None
) -> list[ReportReminder]:
    """Remind the administrators of every reporting agency that has not submitted yet, on the
    channels they chose (the reminder cannot be turned off). At most once a day per agency:
    the scheduler's run and a province administrator's click on the same day send one."""
    from motcua.notifications.constants import Event
    from motcua.notifications.services import Recipient, notify
    from motcua.public_url import public_base_url

    period = period_of(period)
    now = now or timezone.now()
    overview = submissions.submission_overview(period=period, now=now)
    deadline = timezone.localtime(period.submission_deadline() - dt.timedelta(days=1))
    link = public_base_url() + reverse("reports:submissions") + f"?period={period.key}"
    sent: list[ReportReminder] = []
    for line in overview:
        if line.submission is not None and line.submission.is_submitted:
            continue
        admins = Membership.objects.filter(
            unit=line.agency, role=Role.AGENCY_ADMIN, is_active=True, user__is_active=True
        ).select_related("user")
        users = {m.user_id: m.user for m in admins}.values()
        with transaction.atomic():
            written = notify(
                event=Event.REPORT_DUE,
                source=f"report_due:{period.key}:{line.agency.pk}:{timezone.localdate(now):%Y%m%d}",
                recipients=[
                    Recipient(name=u.full_name or u.get_username(), user=u, email=u.email)
                    for u in users
                ],
                values={
                    "co_quan": line.agency.name,
                    "ky_bao_cao": period.label.lower(),
                    "han_nop": deadline.strftime("%d/%m/%Y"),
                    "duong_dan": link,
                },
                now=now,
            )
            if not written and users:
                continue  # already reminded today
            sent.append(
                ReportReminder.objects.create(
                    unit=line.agency,
                    period=period.key,
                    sent_at=now,
                    recipients=sorted({m.recipient for m in written if m.channel == "email"}),
                    sent_by=actor,
                )
            )
    return sent
