"""Reads behind the tracking book (form 06): a unit's dossiers received in a period, as rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Prefetch

from .words import VN_TZ, format_short_date

if TYPE_CHECKING:
    from motcua.orgs.models import Unit


@dataclass(frozen=True, kw_only=True)
class TrackingRow:
    number: int
    code: str
    procedure: str
    quantity: int
    applicant: str
    address_phone: str
    lead_agency: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    transferred_at: dt.datetime | None
    result_at: dt.datetime | None
    returned_at: dt.datetime | None
    note: str


@dataclass(frozen=True, kw_only=True)
class TrackingBook:
    unit: Unit
    start: dt.date
    end: dt.date
    rows: list[TrackingRow]
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def period_text(self) -> str:
        return (
            f"Từ ngày {format_short_date(value=self.start)} "
            f"đến ngày {format_short_date(value=self.end)}"
        )

    @property
    def summary_text(self) -> str:
        t = self.totals
        return (
            f"Tổng số hồ sơ: {t['total']}; đã trả kết quả: {t['returned']} "
            f"(trước hạn {t['early']}, đúng hạn {t['on_time']}, quá hạn {t['late']}); "
            f"đang giải quyết: {t['pending']}; từ chối, dừng, rút: {t['closed_other']}."
        )


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, end+1 00:00) in Vietnam's time: the book's days are local days."""
    low = dt.datetime.combine(start, dt.time.min, tzinfo=VN_TZ)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=VN_TZ)
    return low, high


def tracking_book(*, unit: Unit, start: dt.date, end: dt.date) -> TrackingBook:
    """Dossiers received by ``unit`` from ``start`` to ``end`` (inclusive), in receipt order.

    Two queries whatever the number of dossiers (the dossiers, then all their steps).
    """
    from motcua.dossiers.constants import DossierStatus
    from motcua.dossiers.models import Dossier, DossierStep
    from motcua.orgs.constants import UnitKind
    from motcua.workcal.constants import Timing

    if end < start:
        raise ValueError("the period ends before it starts")
    low, high = _bounds(start, end)
    dossiers = (
        Dossier.objects.filter(receiving_unit=unit, received_at__gte=low, received_at__lt=high)
        .select_related("procedure")
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=DossierStep.objects.select_related("unit__parent").order_by("order", "pk"),
            )
        )
        .order_by("received_at", "code")
    )
    rows: list[TrackingRow] = []
    totals = {
        "total": 0,
        "returned": 0,
        "early": 0,
        "on_time": 0,
        "late": 0,
        "pending": 0,
        "closed_other": 0,
    }
    for number, d in enumerate(dossiers, start=1):
        steps = list(d.steps.all())
        outside = [step for step in steps if step.unit_id != unit.pk]
        lead = unit
        if outside:
            lead = outside[-1].unit
            while lead.kind == UnitKind.OFFICE and lead.parent_id:
                lead = lead.parent
        notes: list[str] = []
        if d.status != DossierStatus.RETURNED:
            notes.append(d.get_status_display())
        if d.apologised and d.apology_due_at is not None:
            notes.append(f"Đã xin lỗi, hẹn lại {format_short_date(value=d.apology_due_at)}")
        if d.timing == Timing.LATE:
            notes.append("Quá hạn")
        contact = ", ".join(part for part in (d.applicant_address, d.applicant_phone) if part)
        rows.append(
            TrackingRow(
                number=number,
                code=d.code or "",
                procedure=d.procedure.name,
                quantity=1,
                applicant=d.applicant_organisation or d.applicant_name,
                address_phone=contact,
                lead_agency=lead.name,
                received_at=d.received_at,
                due_at=d.due_at,
                transferred_at=outside[0].started_at if outside else None,
                result_at=d.finished_at,
                returned_at=d.returned_at,
                note="; ".join(notes),
            )
        )
        totals["total"] += 1
        if d.status == DossierStatus.RETURNED:
            totals["returned"] += 1
            if d.timing in (Timing.EARLY, Timing.ON_TIME, Timing.LATE):
                totals[str(d.timing)] += 1
        elif d.status in (DossierStatus.REFUSED, DossierStatus.STOPPED, DossierStatus.WITHDRAWN):
            totals["closed_other"] += 1
        else:
            totals["pending"] += 1
    return TrackingBook(unit=unit, start=start, end=end, rows=rows, totals=totals)
