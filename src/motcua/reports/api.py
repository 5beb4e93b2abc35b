"""API v1 routers of the reports: `reports/monthly` (key with `reports:read`) and `stats/kpi`
(public aggregates, no personal data). Registered in motcua.integration.api."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from motcua.integration.apikit import ERRORS, require_scope
from motcua.integration.auth import api_key_auth, public_rate_limit
from motcua.integration.constants import Scope
from motcua.integration.errors import InvalidInput, NotFound, ScopeDenied
from motcua.integration.models import ApiClient
from motcua.integration.selectors import client_unit_ids
from motcua.orgs.models import Unit

from . import keeping, kpis, monthly, scope
from .constants import COLUMN_KEYS, DERIVED
from .periods import InvalidPeriod, Period, period_parse

PERIOD_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$"
PERIOD_HELP = (
    "Kỳ báo cáo: YYYY-MM (tháng, từ ngày 15 tháng trước đến ngày 14), YYYY-Qn (quý), YYYY-Hn "
    "(6 tháng) hoặc YYYY (năm) / Period"
)
DUE_HELP = "Hạn gửi báo cáo: trước ngày này (YYYY-MM-DD) / Reports are due before this day"
AGENCY_HELP = "Mã định danh cơ quan; bỏ trống: toàn tỉnh / Agency code; empty: the province"

# One integer per column (the pydantic model is built from the column list, so it never drifts).
Counts = type(
    "ReportCounts",
    (Schema,),
    {
        "__annotations__": dict.fromkeys((*COLUMN_KEYS, *DERIVED), int),
        "__doc__": "Số hồ sơ theo từng cột (DOMAIN.md §5) / Dossier counts per column",
    },
)


class ProcedureRow(Counts):  # type: ignore[misc, valid-type]
    procedure: str = Field(..., description="Mã thủ tục / Procedure code")
    procedure_name: str
    field: str


class FieldRow(Counts):  # type: ignore[misc, valid-type]
    field: str
    field_name: str
    gov_level: str


class AgencyRow(Counts):  # type: ignore[misc, valid-type]
    agency: str
    agency_name: str


class MonthlyReportOut(Schema):
    period: str
    agency: str | None
    agency_name: str | None
    start: str = Field(..., description="Đầu kỳ (gồm) / Start, inclusive")
    end: str = Field(..., description="Cuối kỳ (không gồm) / End, exclusive")
    due_before: str = Field(..., description=DUE_HELP)
    totals: Counts  # type: ignore[valid-type]
    rows: list[ProcedureRow]
    by_field: list[FieldRow]
    by_agency: list[AgencyRow]
    frozen_months: list[str] = Field(
        ...,
        description="Các tháng đọc từ số liệu đã chốt (sau hạn báo cáo) / Months read from their "
        "frozen figures",
    )
    corrected_months: list[str] = Field(
        ...,
        description="Tháng đã chốt mà khi tính lại thì khác (dữ liệu đã được điều chỉnh) / Frozen "
        "months whose recount differed",
    )


class IndicatorOut(Schema):
    id: str
    name: str
    value: float | None = Field(..., description="Phân số 0–1; null khi mẫu số bằng 0")
    target: float | None
    met: bool | None
    numerator: int
    denominator: int


class QualityIndicatorOut(IndicatorOut):
    group: int
    threshold: float
    max_points: float
    score: float | None


class QualityGroupOut(Schema):
    group: int
    name: str
    weight: int
    max_points: float
    score: float | None
    indicators: list[str]


class QualityOut(Schema):
    indicators: list[QualityIndicatorOut]
    groups: list[QualityGroupOut]


class KpiOut(Schema):
    period: str
    agency: str | None
    agency_name: str | None
    start: str = Field(..., description="Đầu kỳ (gồm) / Start, inclusive")
    end: str = Field(..., description="Cuối kỳ (không gồm) / End, exclusive")
    due_before: str = Field(..., description=DUE_HELP)
    indicators: list[IndicatorOut]
    quality: QualityOut


def _period(value: str) -> Period:
    try:
        return period_parse(value)
    except InvalidPeriod:
        raise InvalidInput(details={"period": value}) from None


def _agency(code: str) -> Unit | None:
    if not code:
        return None
    agency = scope.agency_get(code=code)
    if agency is None:
        raise NotFound(details={"agency": code})
    return agency


reports_router = Router(tags=["reports / báo cáo"], auth=api_key_auth)


@reports_router.get(
    "/monthly", response={200: MonthlyReportOut, **ERRORS}, operation_id="report_monthly"
)
def report_monthly(
    request: HttpRequest,
    period: str = Query(..., pattern=PERIOD_PATTERN, description=PERIOD_HELP),
    agency: str = Query("", max_length=32, description=AGENCY_HELP),
) -> dict[str, Any]:
    """Báo cáo tình hình giải quyết TTHC (Biểu 06 và các cột bổ sung) / The monthly report.

    Cần quyền `reports:read`; cơ quan phải thuộc phạm vi của khoá (toàn tỉnh: khoá cấp tỉnh).
    """
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    require_scope(client, Scope.REPORTS_READ)
    the_period = _period(period)
    target = _agency(agency)
    covered = client_unit_ids(client=client)
    if target is None:
        root = scope.province_root()
        if root is None or root.pk not in covered:
            raise ScopeDenied(details={"agency": ""})
    elif target.pk not in covered:
        raise ScopeDenied(details={"agency": target.code})
    keeping.report_figures_keep(period=the_period)
    report = monthly.report_monthly(period=the_period, agency=target)
    return {
        **report.as_dict(),
        "frozen_months": [f.period for f in report.frozen],
        "corrected_months": report.corrected_months,
    }


stats_router = Router(tags=["stats / thống kê"])


@stats_router.get("/kpi", response={200: KpiOut, **ERRORS}, auth=None, operation_id="stats_kpi")
def stats_kpi(
    request: HttpRequest,
    period: str = Query(..., pattern=PERIOD_PATTERN, description=PERIOD_HELP),
    agency: str = Query("", max_length=32, description=AGENCY_HELP),
) -> dict[str, Any]:
    """Chỉ số Chỉ thị 08 và Quyết định 766 (số liệu tổng hợp, công khai) / KPIs (public)."""
    public_rate_limit(request)
    the_period = _period(period)
    keeping.report_figures_keep(period=the_period)
    return kpis.kpi_indicators(period=the_period, agency=_agency(agency)).as_dict()
