"""Pages of /bao-cao/: the dashboard, the dossiers behind a number, exports, submissions, and
the public open-data page. Thin: parse, authorise against the report scope, keep the figures the
page reads (keeping.py), call selectors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.orgs.constants import OFFICER_ROLES, Role
from motcua.orgs.models import Membership, Unit

from . import (
    charts,
    counts,
    exports,
    indicators,
    keeping,
    kpis,
    services,
    tasks,
    trend,
)
from . import render as report_render
from .constants import COLUMN_KEYS, DERIVED, column_label
from .exceptions import ReportError
from .periods import InvalidPeriod, Period, months_back, period_last_closed, period_parse
from .scope import (
    ReportScope,
    agency_get,
    province_root,
    report_scope_for_user,
    reporting_agencies,
)
from .submissions import submission_get, submission_overview

PAGE_SIZE = 50
TREND_MONTHS = 12
TOP_PROCEDURES = 100
# The dashboard's table: form 06 columns, then the extra ones.
TABLE_KEYS: tuple[str, ...] = (
    "received_total", "carried_over", "received_online", "received_direct", "received_postal",
    "resolved", "resolved_early", "resolved_on_time", "resolved_late",
    "pending", "pending_within_deadline", "pending_overdue",
    "withdrawn", "refused", "stopped", "apologies", "late_without_apology",
    "paid_online", "postal_pickups", "postal_deliveries",
)  # fmt: skip


def _table_columns() -> list[tuple[str, str]]:
    return [(key, column_label(key)) for key in TABLE_KEYS]


def report_viewer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Report viewers and agency/province administrators; others get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        scope = report_scope_for_user(user=request.user)
        if scope is None:
            raise PermissionDenied
        request.report_scope = scope  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper


def _period(request: HttpRequest) -> Period:
    value = request.GET.get("period", "")
    if not value:
        return period_last_closed()
    try:
        return period_parse(value)
    except InvalidPeriod:
        raise Http404 from None


def _agency(request: HttpRequest, scope: ReportScope) -> Unit | None:
    """The agency asked for (?agency=CODE), which must be in the viewer's scope."""
    code = request.GET.get("agency", "")
    if not code:
        return scope.default_agency()
    unit = agency_get(code=code)
    if unit is None or not scope.covers(unit):
        raise Http404
    if scope.province_wide and unit.parent_id is None and unit == province_root():
        return None
    return unit


def _query(period: Period, agency: Unit | None) -> str:
    params = {"period": period.key}
    if agency is not None:
        params["agency"] = agency.code
    return urlencode(params)


def _agency_choices(scope: ReportScope) -> list[Unit]:
    if scope.province_wide:
        return reporting_agencies()
    units = Unit.objects.filter(pk__in=scope.unit_ids or ()).order_by("path")
    return list(units[:500])


def _kpis_kept(period: Period, agency: Unit | None) -> kpis.KpiResult:
    """The period's report and indicators, its figures kept first (frozen months, kept days)."""
    keeping.report_figures_keep(period=period)
    return kpis.kpi_indicators(period=period, agency=agency)


def _trend_kept(period: Period, agency: Unit | None) -> list[trend.TrendPoint]:
    """The trend up to the period's last month; what it reads is kept first (its due months
    not frozen yet in the background: the next view reads them)."""
    last = period.month_periods()[-1]
    tasks.trend_figures_keep(last=last, months=TREND_MONTHS)
    return trend.report_trend(last=last, months=TREND_MONTHS, agency=agency)


def _trend_charts(points: list[trend.TrendPoint]) -> dict[str, Any]:
    labels = [f"{p.period.month:02d}/{str(p.period.year)[2:]}" for p in points]
    volumes = charts.stacked_bars(
        title=_("Hồ sơ tiếp nhận mới theo tháng và kênh"),
        labels=labels,
        series=[
            charts.Series(
                _("Trực tuyến"), [p.received_online for p in points], charts.SERIES_COLOURS[0]
            ),
            charts.Series(
                _("Trực tiếp"), [p.received_direct for p in points], charts.SERIES_COLOURS[1]
            ),
            charts.Series(
                _("Bưu chính"), [p.received_postal for p in points], charts.SERIES_COLOURS[2]
            ),
        ],
    )
    rates = charts.rate_lines(
        title=_("Tỷ lệ giải quyết đúng hạn và tỷ lệ tiếp nhận trực tuyến theo tháng"),
        labels=labels,
        series=[
            charts.Series(
                _("Đúng hạn"), [p.on_time_rate for p in points], charts.SERIES_COLOURS[1]
            ),
            charts.Series(
                _("Trực tuyến (mức 3, 4)"),
                [p.online_share for p in points],
                charts.SERIES_COLOURS[0],
            ),
        ],
    )
    return {"volume_chart": volumes, "rate_chart": rates}


def _kpi_chart(indicators: list[indicators.Indicator]) -> Any:
    return charts.target_bars(
        title=_("Chỉ số Chỉ thị 08 so với chỉ tiêu"),
        bars=[charts.Bar(i.name, i.value, i.target, i.met) for i in indicators],
    )


def _dashboard_body(period: Period, agency: Unit | None, list_url: str) -> report_render.Body:
    """Everything below the heading, computed and rendered."""
    result = _kpis_kept(period, agency)
    report = result.report
    ranking = kpis.agency_ranking(report=report)
    points = _trend_kept(period, agency)
    top = sorted(report.by_procedure, key=lambda r: -r.figures()["received_total"])[:TOP_PROCEDURES]
    columns = _table_columns()
    figures = report.figures
    context = {
        "figures": figures,
        "field_rows": report_render.field_rows(report.by_field, columns, list_url),
        "total_row": report_render.total_row(figures, columns, list_url),
        "procedure_rows": report_render.procedure_rows(top, columns, list_url),
        "procedures_more": max(len(report.by_procedure) - TOP_PROCEDURES, 0),
        "ranking_rows": report_render.ranking_rows(ranking, period=period, list_url=list_url),
        "directive": result.directive,
        "quality": result.quality,
        "quality_groups": indicators.quality_groups(result.quality),
        "list_url": list_url,
        "kpi_chart": _kpi_chart(result.directive),
        "table_columns": columns,
        **_trend_charts(points),
    }
    html = render_to_string("reports/_dashboard_body.html", context)
    return report_render.Body(html, figures, report.frozen)


@report_viewer_required
def dashboard(request: HttpRequest) -> HttpResponse:
    scope: ReportScope = request.report_scope  # type: ignore[attr-defined]
    period = _period(request)
    agency = _agency(request, scope)
    query = _query(period, agency)
    list_url = f"{reverse('reports:dossiers')}?{query}"
    # Authorised above: the kept report is the same for everyone who may see this agency.
    body = report_render.body_kept(
        page="dashboard",
        period=period,
        trend=months_back(period.month_periods()[-1], TREND_MONTHS),
        agency=agency,
        build=lambda: _dashboard_body(period, agency, list_url),
    )
    months = body.frozen
    choices = _agency_choices(scope)
    context = {
        "scope": scope,
        "period": period,
        "agency": agency,
        "agency_choices": choices,
        "agency_options": report_render.agency_options(choices, agency),
        "month_choices": list(reversed(months_back(period_last_closed().following(), 24))),
        "frozen_since": months[0].closed_at if months else None,
        "corrected_months": [f.period for f in months if f.corrected],
        "figures": body.figures,
        "body": body.html,
        "query": query,
        "formats": exports.FORMATS,
    }
    return render(request, "reports/dashboard.html", context)


@report_viewer_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    """The dossiers counted in one cell of the report (same conditions as the figure)."""
    scope: ReportScope = request.report_scope  # type: ignore[attr-defined]
    period = _period(request)
    agency = _agency(request, scope)
    column = request.GET.get("column", "")
    if column not in counts.LINKABLE_COLUMNS:
        raise Http404
    unit_ids: Any = None
    unit_code = request.GET.get("unit", "")
    if unit_code:
        unit = agency_get(code=unit_code)
        if unit is None or not scope.covers(unit):
            raise Http404
        unit_ids = Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True)
    elif agency is not None:
        unit_ids = Unit.objects.filter(path__startswith=agency.path).values_list("pk", flat=True)
    elif not scope.province_wide:
        unit_ids = scope.unit_ids

    def _int(name: str) -> int | None:
        value = request.GET.get(name, "")
        return int(value) if value.isdigit() else None

    qs = counts.report_dossier_queryset(
        period=period,
        column=column,
        unit_ids=unit_ids,
        procedure_id=_int("procedure"),
        field_id=_int("field"),
        gov_level=request.GET.get("gov_level") or None,
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "reports/dossiers.html",
        {
            "period": period,
            "agency": agency,
            "column": column,
            "column_label": column_label(column),
            "page": page,
            "params": params.urlencode(),
            "back": f"{reverse('reports:dashboard')}?{_query(period, agency)}",
            # Links to the back office only for those who work there.
            "is_officer": Membership.objects.filter(
                user=request.user, role__in=OFFICER_ROLES, is_active=True
            ).exists(),
        },
    )


@report_viewer_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    scope: ReportScope = request.report_scope  # type: ignore[attr-defined]
    if fmt not in exports.FORMATS:
        raise Http404
    period = _period(request)
    agency = _agency(request, scope)
    result = _kpis_kept(period, agency)
    data = exports.RENDERERS[fmt](result=result)
    response = HttpResponse(data, content_type=exports.CONTENT_TYPES[fmt])
    filename = exports.export_filename(result=result, fmt=fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Submissions -----------------------------------------------------------------------------


def _submitting_agency(request: HttpRequest, scope: ReportScope) -> Unit | None:
    """The agency whose report an administrator prepares (?agency=CODE or their own)."""
    code = request.GET.get("agency") or request.POST.get("agency", "")
    if code:
        unit = agency_get(code=code)
        if unit is None or not scope.covers(unit):
            raise Http404
        return unit
    if scope.agencies:
        return scope.agencies[0] if scope.agencies[0].parent_id else None
    return None


@report_viewer_required
def submissions(request: HttpRequest) -> HttpResponse:
    """Agency administrators: generate, review, submit. The province: who has submitted."""
    scope: ReportScope = request.report_scope  # type: ignore[attr-defined]
    period = _period(request)
    agency = _submitting_agency(request, scope)
    context: dict[str, Any] = {
        "scope": scope,
        "period": period,
        "agency": agency,
        "month_choices": list(reversed(months_back(period_last_closed().following(), 24))),
        "can_submit": scope.can_submit and agency is not None,
    }
    if scope.province_wide:
        overview = submission_overview(period=period)
        context["overview"] = overview
        context["submitted_count"] = sum(1 for line in overview if line.submitted)
        context["deadline"] = period.submission_deadline()
    if agency is not None:
        submission = submission_get(unit=agency, period=period)
        context["submission"] = submission
        if submission is not None:
            totals = submission.data["report"]["totals"]
            context["snapshot_rows"] = [
                (column_label(k), totals.get(k, 0)) for k in (*COLUMN_KEYS, *DERIVED)
            ]
            context["snapshot_kpis"] = submission.data["kpi"]["indicators"]
    return render(request, "reports/submissions.html", context)


def _back_to_submissions(period: Period, agency: Unit | None) -> HttpResponse:
    url = f"{reverse('reports:submissions')}?{_query(period, agency)}"
    return redirect(url)


@require_POST
@report_viewer_required
def submission_action(request: HttpRequest, action: str) -> HttpResponse:
    scope: ReportScope = request.report_scope  # type: ignore[attr-defined]
    try:
        period = period_parse(request.POST.get("period", ""))
    except InvalidPeriod:
        raise Http404 from None
    agency = _submitting_agency(request, scope)
    try:
        if action in {"generate", "submit"}:
            if not scope.can_submit or agency is None:
                raise PermissionDenied
            if action == "generate":
                services.report_snapshot_generate(unit=agency, period=period, actor=request.user)
                messages.success(request, _("Đã lập báo cáo; hãy rà soát số liệu rồi gửi."))
            else:
                submission = submission_get(unit=agency, period=period)
                if submission is None:
                    raise Http404
                services.report_submit(
                    submission=submission,
                    actor=request.user,
                    digest=request.POST.get("digest", ""),
                    note=request.POST.get("note", ""),
                )
                messages.success(request, _("Đã gửi báo cáo."))
        elif action in {"remind", "check"}:
            if not (scope.province_wide and Role.PROVINCE_ADMIN in scope.roles):
                raise PermissionDenied
            if action == "remind":
                sent = services.report_reminders_send(period=period, actor=request.user)
                messages.success(
                    request, _("Đã gửi nhắc nhở tới %(n)s cơ quan.") % {"n": len(sent)}
                )
            else:
                # Recomputing every agency's report is heavy: the worker does it.
                tasks.report_snapshots_check_task.enqueue(period.key)
                messages.success(
                    request,
                    _("Đã yêu cầu đối chiếu; kết quả hiện trong cột Đối chiếu khi xong."),
                )
            agency = None
        else:
            raise Http404
    except ReportError as error:
        messages.error(request, str(error.message))
    return _back_to_submissions(period, agency)


# --- Public open data ------------------------------------------------------------------------


def _open_data_body(period: Period) -> report_render.Body:
    result = _kpis_kept(period, None)
    report = result.report
    points = _trend_kept(period, None)
    figures = report.figures
    context = {
        "figures": figures,
        "field_rows": [(r, r.figures()) for r in report.by_field],
        "agency_rows": [(r, r.figures(), r.on_time_rate) for r in report.by_agency],
        "directive": result.directive,
        "quality": result.quality,
        "quality_groups": indicators.quality_groups(result.quality),
        "kpi_chart": _kpi_chart(result.directive),
        "table_columns": _table_columns(),
        **_trend_charts(points),
    }
    return report_render.Body(render_to_string("reports/_open_data_body.html", context), figures)


def open_data(request: HttpRequest) -> HttpResponse:
    """The province's aggregate statistics for anyone: counts and rates, no personal data."""
    period = _period(request)
    if not period.is_closed():
        period = period_last_closed()
    body = report_render.body_kept(
        page="open_data",
        period=period,
        trend=months_back(period.month_periods()[-1], TREND_MONTHS),
        agency=None,
        build=lambda: _open_data_body(period),
    )
    context = {
        "period": period,
        "province": province_root(),
        "figures": body.figures,
        "body": body.html,
        "month_choices": list(reversed(months_back(period_last_closed(), 24))),
    }
    return render(request, "reports/open_data.html", context)


def open_data_file(request: HttpRequest, fmt: str) -> HttpResponse:
    """The open data as JSON or CSV (province-wide aggregates only)."""
    if fmt not in {"json", "csv"}:
        raise Http404
    period = _period(request)
    if not period.is_closed():
        raise Http404
    result = _kpis_kept(period, None)
    data = exports.RENDERERS[fmt](result=result)
    response = HttpResponse(data, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="thong-ke-{period.key}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
