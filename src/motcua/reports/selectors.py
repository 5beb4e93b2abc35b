"""Monthly report, Directive 08 KPIs and Decision 766 indicators, from aggregate queries.

Every figure is a conditional ``COUNT(*) FILTER (WHERE …)`` over the dossiers of the scope, grouped
by (receiving unit, procedure) in **one** query, then summed in Python over those groups (a few
thousand at most: units × procedures, never dossiers). The conditions use only the stored
timestamps, so a closed period is recomputable later whatever the dossiers' current status is.

Definitions for a period ``[s, e)`` (local midnights in Asia/Ho_Chi_Minh, half-open):

- **entered** (t_in): ``received_at`` (t0, DOMAIN.md §4). A dossier refused at reception never gets
  a t0; it enters and leaves the books at its refusal, so its t_in is its ``finished_at``. Drafts,
  dossiers waiting for reception and dossiers withdrawn before reception are not counted.
- **ended**: ``finished_at`` — the end of the clock: result ready (approve/deny), stopped,
  withdrawn, refused. (A later return of the result does not move it.)
- **open at x**: ``t_in < x`` and (``finished_at`` is null or ``finished_at >= x``).
- ``carried_over`` = open at ``s``.
- ``received_online|direct|postal`` = ``s <= t_in < e``, by channel.
- **ended in the period** = ``t_in < e`` and ``finished_at < e`` and not (``t_in < s`` and
  ``finished_at < s``) — i.e. it ended by ``e`` but was still on the books at ``s`` or arrived
  after it (this also keeps the rare dossier whose t0 was moved past its own end in the books).
- ``resolved_early|on_time|late`` = ended in the period with status result_ready or returned,
  split by the ``timing`` classified against the legal due time when the clock stopped (a blank
  timing counts as on time). ``late_with_apology`` / ``late_without_apology`` split the late ones.
- ``withdrawn``, ``refused``, ``stopped`` = ended in the period with that status.
- ``pending_within_deadline|overdue`` = open at ``e``, compared with the due time in force at
  ``e``: ``due_at``, unless the apology letter came at or after ``e`` (then its
  ``original_due_at``); overdue when that due time is before ``e``.
- ``apologies`` = apology letters (form 04) dated in the period.
- ``paid_online`` = received in the period and paid online (payment has no time of its own yet).
- ``postal_pickups`` = received in the period by post; ``postal_deliveries`` = results returned
  in the period with delivery by post (``returned_at``).

Identity (tested): carried_over + received_online + received_direct + received_postal =
resolved + pending + withdrawn + refused + stopped.

Months whose reports are due are read from their frozen figures (frozen.py) instead of the
dossiers, the months not due yet from their kept complete days plus today counted from the
dossiers; `live=True` counts from the dossiers whatever the period (the check of a snapshot).

Limits: a supplement that restarts the clock after ``e`` moves ``due_at`` of a dossier open at ``e``
(the old due time lives only in the event log); the catalogue (levels, postal, fees) is read as it
is now. Both are why a submitted report is a frozen snapshot (services.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from operator import add
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from motcua.catalog.models import Fee, Procedure
from motcua.dbrouters import reports_database
from motcua.dossiers.constants import Channel, DossierStatus, ResultDelivery, Satisfaction
from motcua.dossiers.models import Dossier, DossierRating
from motcua.orgs.constants import GovLevel, Role
from motcua.orgs.models import Membership, Unit
from motcua.workcal import Timing

from . import frozen
from .constants import (
    ALL_AGGREGATES,
    COLUMN_KEYS,
    DERIVED,
    DIRECTIVE_INDICATORS,
    GROUP_NAMES,
    GROUP_WEIGHTS,
    QUALITY_INDICATORS,
)
from .models import MonthFigures
from .periods import Period, months_back, period_parse

RESOLVED_STATES = (DossierStatus.RESULT_READY, DossierStatus.RETURNED)
REPORT_ROLES = (Role.REPORT_VIEWER, Role.AGENCY_ADMIN, Role.PROVINCE_ADMIN)
# Work memory of the aggregate query (PostgreSQL): its hash table holds one line of ~25 counters
# per (unit, procedure) per worker, a few MB even at 10 M dossiers.
REPORT_WORK_MEM = "64MB"


# --- Conditions ------------------------------------------------------------------------------


def _entered_before(x: dt.datetime) -> Q:
    return Q(received_at__lt=x) | Q(
        received_at__isnull=True, status=DossierStatus.REFUSED, finished_at__lt=x
    )


def _entered_from(x: dt.datetime) -> Q:
    return Q(received_at__gte=x) | Q(
        received_at__isnull=True, status=DossierStatus.REFUSED, finished_at__gte=x
    )


def _open_at(x: dt.datetime) -> Q:
    return _entered_before(x) & (Q(finished_at__isnull=True) | Q(finished_at__gte=x))


def population(start: dt.datetime, end: dt.datetime) -> Q:
    """Dossiers that may count in [start, end), as a union of index range scans.

    On the books at some moment of the period = received in it, or open at its start; plus the
    results returned in it. "Open at the start" is split so that each part has an index:
    still unfinished (``finished_at IS NULL``), finished in the period, or finished after it,
    each received before the start (the composite index ``(finished_at, received_at)``). The
    last two are one condition (``finished_at >= start``) written as two bounded ranges: as one,
    the planner reads every dossier finished after the start (for a month a year back, most of
    the table) through the ``received_at < start`` index instead of the few still open then.
    """
    return (
        Q(received_at__gte=start, received_at__lt=end)
        | Q(
            received_at__isnull=True,
            status=DossierStatus.REFUSED,
            finished_at__gte=start,
            finished_at__lt=end,
        )
        | Q(received_at__lt=start, finished_at__isnull=True)
        | Q(finished_at__gte=start, finished_at__lt=end, received_at__lt=start)
        | Q(finished_at__gte=end, received_at__lt=start)
        | Q(returned_at__gte=start, returned_at__lt=end)
    )


def conditions(start: dt.datetime, end: dt.datetime) -> dict[str, Q]:
    """The condition of every aggregate (and derived column) for the period [start, end).

    The dossier's own fields come first: the database evaluates an AND from the left and stops
    at the first false part, so most dossiers are set aside by a status or a channel before the
    period's timestamps are compared (8–13 % less database CPU for the aggregate at 1 M).
    """
    s, e = start, end
    received = _entered_from(s) & _entered_before(e)
    ended = _entered_before(e) & Q(finished_at__lt=e) & (_entered_from(s) | Q(finished_at__gte=s))
    resolved_status = Q(status__in=RESOLVED_STATES)
    resolved = ended & resolved_status
    late_resolved = resolved_status & Q(timing=Timing.LATE)
    pending = _open_at(e)
    overdue = Q(due_at__lt=e) | Q(apology__created_at__gte=e, apology__original_due_at__lt=e)
    within = (Q(due_at__isnull=True) | Q(due_at__gte=e)) & (
        Q(apology__isnull=True) | Q(apology__created_at__lt=e) | Q(apology__original_due_at__gte=e)
    )
    in_time = Q(timing__in=[Timing.EARLY, Timing.ON_TIME, ""])
    at_most_one_supplement = Q(supplement_count__lte=1)
    by_post = Q(channel=Channel.POSTAL) | Q(result_delivery=ResultDelivery.POSTAL)
    fee = Q(fee_total__gt=0)
    base: dict[str, Q] = {
        "carried_over": _open_at(s),
        "received_online": Q(channel=Channel.ONLINE) & received,
        "received_direct": Q(channel=Channel.DIRECT) & received,
        "received_postal": Q(channel=Channel.POSTAL) & received,
        "resolved_early": resolved_status & Q(timing=Timing.EARLY) & ended,
        "resolved_on_time": resolved_status & Q(timing__in=[Timing.ON_TIME, ""]) & ended,
        "resolved_late": late_resolved & ended,
        "pending_within_deadline": pending & within,
        "pending_overdue": pending & overdue,
        "withdrawn": Q(status=DossierStatus.WITHDRAWN) & ended,
        "refused": Q(status=DossierStatus.REFUSED) & ended,
        "stopped": Q(status=DossierStatus.STOPPED) & ended,
        "apologies": Q(apology__created_at__gte=s, apology__created_at__lt=e),
        "late_with_apology": late_resolved & Q(apologised=True) & ended,
        "late_without_apology": late_resolved & Q(apologised=False) & ended,
        "paid_online": Q(paid_online=True) & received,
        "postal_pickups": Q(channel=Channel.POSTAL) & received,
        "postal_deliveries": Q(
            result_delivery=ResultDelivery.POSTAL, returned_at__gte=s, returned_at__lt=e
        ),
        "postal_any": by_post & received,
        "fee_dossiers": fee & received,
        "fee_paid_online": fee & Q(paid_online=True) & received,
        "e_results": resolved_status & Q(has_e_result=True) & ended,
        "digitised": Q(is_digitised=True) & received,
        "national_ok_finished": Q(status__in=(*RESOLVED_STATES, DossierStatus.STOPPED))
        & in_time
        & at_most_one_supplement
        & ended,
        "national_ok_pending": at_most_one_supplement & pending & within,
    }
    base["received_new"] = received
    base["received_total"] = base["carried_over"] | received
    base["resolved"] = resolved
    base["pending"] = pending
    return base


# --- Scope -----------------------------------------------------------------------------------


def province_root() -> Unit | None:
    """The top of the tree (the province); the first root when a database holds several."""
    return (
        Unit.objects.filter(parent__isnull=True)
        .order_by(Case(When(kind="province", then=0), default=1), "path")
        .first()
    )


def agency_get(*, code: str) -> Unit | None:
    return Unit.objects.filter(code=code).first()


def _subtree_ids(agency: Unit | None) -> list[int] | None:
    """Unit ids of the agency's subtree; None means every unit (the whole database)."""
    if agency is None:
        return None
    if (
        agency.parent_id is None
        and not Unit.objects.filter(parent__isnull=True).exclude(pk=agency.pk).exists()
    ):
        return None
    return list(Unit.objects.filter(path__startswith=agency.path).values_list("pk", flat=True))


def _scoped(qs: QuerySet[Any], unit_ids: list[int] | None, prefix: str = "") -> QuerySet[Any]:
    if unit_ids is None:
        return qs
    return qs.filter(**{f"{prefix}receiving_unit_id__in": unit_ids})


@dataclass(frozen=True)
class ReportScope:
    """What a staff member may see in the reports: unit ids (None = all) and where they start."""

    unit_ids: frozenset[int] | None
    agencies: tuple[Unit, ...]
    roles: frozenset[str]

    @property
    def province_wide(self) -> bool:
        return self.unit_ids is None

    def covers(self, unit: Unit | None) -> bool:
        if self.unit_ids is None:
            return True
        return unit is not None and unit.pk in self.unit_ids

    def default_agency(self) -> Unit | None:
        return None if self.province_wide else self.agencies[0]

    @property
    def can_submit(self) -> bool:
        return bool(self.roles & {Role.AGENCY_ADMIN, Role.PROVINCE_ADMIN})

    @property
    def sees_submissions(self) -> bool:
        return bool(self.roles & {Role.PROVINCE_ADMIN, Role.REPORT_VIEWER}) and self.province_wide


def report_scope_for_user(*, user: Any) -> ReportScope | None:
    """Report viewers and administrators: the units their memberships cover; else None."""
    if user is None or not user.is_authenticated:
        return None
    memberships = list(
        Membership.objects.filter(user=user, is_active=True, role__in=REPORT_ROLES)
        .select_related("unit")
        .order_by("unit__path")
    )
    if user.is_superuser and not memberships:
        return ReportScope(None, (), frozenset({Role.PROVINCE_ADMIN}))
    if not memberships:
        return None
    roles = frozenset(m.role for m in memberships)
    tops: list[Unit] = []
    for m in memberships:
        if not any(m.unit.path.startswith(t.path) for t in tops) and m.unit not in tops:
            tops = [t for t in tops if not t.path.startswith(m.unit.path)] + [m.unit]
    roots = Unit.objects.filter(parent__isnull=True).count()
    if roots == 1 and any(t.parent_id is None for t in tops):
        return ReportScope(None, tuple(tops), roles)
    condition = Q()
    for t in tops:
        condition |= Q(path__startswith=t.path)
    ids = frozenset(Unit.objects.filter(condition).values_list("pk", flat=True))
    return ReportScope(ids, tuple(tops), roles)


# --- The monthly report ----------------------------------------------------------------------


def _empty() -> dict[str, int]:
    return dict.fromkeys(ALL_AGGREGATES, 0)


def _named(row: Iterable[int]) -> dict[str, int]:
    return dict(zip(ALL_AGGREGATES, row, strict=True))


def _add(into: dict[str, int], counts: Mapping[str, int]) -> None:
    for key in ALL_AGGREGATES:
        into[key] += counts[key]


def with_derived(counts: Mapping[str, int]) -> dict[str, int]:
    out = dict(counts)
    for key, parts in DERIVED.items():
        out[key] = sum(counts[p] for p in parts)
    return out


@dataclass(frozen=True)
class ProcedureInfo:
    id: int
    code: str
    name: str
    field_id: int
    field_code: str
    field_name: str
    gov_level: str
    online_level: int
    accepts_postal: bool
    published: bool


@dataclass
class ReportRow:
    """A line of the report: a procedure, a field, an agency or the total."""

    key: str
    label: str
    counts: dict[str, int]
    kind: str = "procedure"
    ref: int | None = None  # procedure id, field id or unit id (for the links)
    extra: dict[str, Any] = field(default_factory=dict)

    def figures(self) -> dict[str, int]:
        return with_derived(self.counts)

    @property
    def on_time_rate(self) -> float | None:
        resolved = self.counts["resolved_early"] + self.counts["resolved_on_time"]
        total = resolved + self.counts["resolved_late"]
        return resolved / total if total else None


@dataclass
class MonthlyReport:
    period: Period
    agency: Unit | None
    totals: dict[str, int]
    by_procedure: list[ReportRow]
    by_field: list[ReportRow]
    by_agency: list[ReportRow]
    procedures: dict[int, ProcedureInfo]
    pair_rows: frozen.Rows
    unit_ids: list[int] | None
    computed_at: dt.datetime
    frozen: list[MonthFigures] = field(default_factory=list)

    @cached_property
    def pair_counts(self) -> dict[tuple[int, int], dict[str, int]]:
        """The counts per (receiving unit, procedure), by aggregate name."""
        return {
            key: dict(zip(ALL_AGGREGATES, row, strict=True)) for key, row in self.pair_rows.items()
        }

    @property
    def figures(self) -> dict[str, int]:
        return with_derived(self.totals)

    @property
    def corrected_months(self) -> list[str]:
        """Frozen months whose recount from the dossiers differed (data corrected since)."""
        return [f.period for f in self.frozen if f.corrected]

    def as_dict(self) -> dict[str, Any]:
        """The API / JSON shape (DESIGN.md §4): totals and one row per procedure."""
        return {
            "period": self.period.key,
            "agency": self.agency.code if self.agency else None,
            "agency_name": self.agency.name if self.agency else None,
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "totals": _public_counts(self.totals),
            "rows": [
                {
                    "procedure": row.key,
                    "procedure_name": row.label,
                    "field": row.extra.get("field_code", ""),
                    **_public_counts(row.counts),
                }
                for row in self.by_procedure
            ],
            "by_field": [
                {
                    "field": row.key,
                    "field_name": row.label,
                    "gov_level": row.extra.get("gov_level", ""),
                    **_public_counts(row.counts),
                }
                for row in self.by_field
            ],
            "by_agency": [
                {"agency": row.key, "agency_name": row.label, **_public_counts(row.counts)}
                for row in self.by_agency
            ],
        }


def _public_counts(counts: Mapping[str, int]) -> dict[str, int]:
    full = with_derived(counts)
    return {key: full[key] for key in (*COLUMN_KEYS, *DERIVED)}


def _aggregate_query(
    start: dt.datetime, end: dt.datetime, unit_ids: list[int] | None, using: str
) -> tuple[QuerySet[Any], list[int]]:
    """The aggregate over the dossiers as rows (receiving unit, procedure, counts…), and for each
    aggregate of ALL_AGGREGATES the position of its count in a row.

    One pass: every count is a ``COUNT(*) FILTER (WHERE …)`` over the population, which the
    indexes bound to the period (population()). Aggregates with the same condition
    (received_postal and postal_pickups) share one count.
    """
    conds = conditions(start, end)
    aggregates: dict[str, Count] = {}
    positions = []
    for key in ALL_AGGREGATES:
        twin = next((name for name in aggregates if conds[name[2:]] == conds[key]), None)
        if twin is None:
            twin = f"n_{key}"  # aliased: some keys (paid_online) are also field names
            aggregates[twin] = Count("pk", filter=conds[key])
        positions.append(2 + list(aggregates).index(twin))
    dossiers = Dossier.objects.using(using)
    rows = (
        _scoped(dossiers.filter(population(start, end)), unit_ids)
        .values("receiving_unit_id", "procedure_id")
        .annotate(**aggregates)
        .values_list("receiving_unit_id", "procedure_id", *aggregates)
        .order_by()
    )
    return rows, positions


@contextmanager
def _aggregate_settings(using: str) -> Iterator[None]:
    """PostgreSQL settings for the one big aggregate, in a transaction of its own (SET LOCAL).

    Without them the planner compiles the ~25 counting expressions to machine code in each
    parallel worker (JIT: 0.2–0.7 s of compilation for a query that runs in about as long) and,
    with the default 4 MB of work memory, sorts the rows on disk instead of hashing the few
    thousand (unit, procedure) groups in memory. Inside a caller's transaction nothing is set:
    SET LOCAL would last until that transaction ends.
    """
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('jit', 'off', true), set_config('work_mem', %s, true)",
            [REPORT_WORK_MEM],
        )
        yield


def _raw_pair_counts(
    start: dt.datetime, end: dt.datetime, unit_ids: list[int] | None
) -> frozen.Rows:
    """The one aggregate query over the dossiers: counts per (receiving unit, procedure), in the
    order of ALL_AGGREGATES."""
    # A replica when one is configured (docs/DEPLOYMENT.md): the desks keep the primary.
    using = reports_database()
    query, positions = _aggregate_query(start, end, unit_ids, using)
    # Through the cursor: the queryset would pass each of the ~150 000 counts of a month at 1 M
    # dossiers through a converter (int(int)), a third of this process's time.
    sql, params = query.query.sql_with_params()
    with _aggregate_settings(using), connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    out: frozen.Rows = {}
    for row in rows:
        counts = [row[i] for i in positions]
        if any(counts):
            out[(row[0], row[1])] = counts
    return out


def province_pair_counts(period: Period) -> frozen.Rows:
    """The period counted from the dossiers for the whole province (what a month freezes)."""
    return _raw_pair_counts(period.start, period.end, None)


def province_span_counts(start: dt.datetime, end: dt.datetime) -> frozen.Rows:
    """The interval [start, end) counted from the dossiers for the whole province (what a kept
    day holds)."""
    return _raw_pair_counts(start, end, None)


def _recent_parts(
    months: list[Period], unit_ids: list[int] | None, now: dt.datetime | None
) -> list[frozen.Rows]:
    """The parts of consecutive months not due yet: each month's complete days from their kept
    figures (kept, or extended by the days ended since, on first use), then the rest from
    today's midnight counted from the dossiers."""
    parts = []
    rest, end = months[0].start, months[-1].end
    for month in months:
        kept = frozen.days_kept(month.start, month.end, compute=province_span_counts, now=now)
        if kept is None:
            break
        parts.append(frozen.figures_rows(kept, unit_ids))
        rest = kept.end
        if rest < month.end:
            break
    if rest < end:
        parts.append(_raw_pair_counts(rest, end, unit_ids))
    return parts


def _pair_counts(
    period: Period,
    unit_ids: list[int] | None,
    *,
    live: bool = False,
    now: dt.datetime | None = None,
) -> tuple[frozen.Rows, list[MonthFigures]]:
    """Counts per (receiving unit, procedure) and the frozen months they were read from.

    The period's months whose reports are due come from their frozen figures (frozen.py, frozen
    on first use); the months after them from their kept days and today counted from the
    dossiers. `live` counts everything from the dossiers (the recomputation that checks a
    snapshot).
    """
    if live:
        return _raw_pair_counts(period.start, period.end, unit_ids), []
    months = period.month_periods()
    used = frozen.months_frozen(months, compute=province_pair_counts, now=now)
    if used and len(used) == len(months) > 1:  # a quarter or a year of frozen months
        kept = frozen.period_figures(period, used, now=now)
        return frozen.figures_rows(kept, unit_ids), used
    frozen.load_data(used)
    parts = [frozen.figures_rows(f, unit_ids) for f in used]
    rest = months[len(used) :]
    if rest:
        parts.extend(_recent_parts(rest, unit_ids, now))
    return frozen.combine(parts), used


def _procedure_infos(ids: Iterable[int]) -> dict[int, ProcedureInfo]:
    rows = Procedure.objects.filter(pk__in=list(ids)).values(
        "pk",
        "code",
        "name",
        "field_id",
        "field__code",
        "field__name",
        "gov_level",
        "online_level",
        "accepts_postal_pickup",
        "accepts_postal_return",
        "published",
    )
    return {
        r["pk"]: ProcedureInfo(
            id=r["pk"],
            code=r["code"],
            name=r["name"],
            field_id=r["field_id"],
            field_code=r["field__code"],
            field_name=r["field__name"],
            gov_level=r["gov_level"],
            online_level=r["online_level"],
            accepts_postal=r["accepts_postal_pickup"] or r["accepts_postal_return"],
            published=r["published"],
        )
        for r in rows
    }


def _agency_of_units(agency: Unit | None, unit_ids: Iterable[int]) -> dict[int, Unit]:
    """Each unit → the reporting agency it belongs to: the child of `agency` above it (or, for
    the province, the unit at depth 1), or the agency itself for its own dossiers."""
    units = {u.pk: u for u in Unit.objects.filter(pk__in=list(unit_ids))}
    depth = (agency.depth + 1) if agency is not None else 1
    wanted: dict[int, int] = {}
    for unit in units.values():
        ids = [int(p) for p in unit.path.strip("/").split("/") if p]
        wanted[unit.pk] = ids[depth] if len(ids) > depth else unit.pk
    heads = {u.pk: u for u in Unit.objects.filter(pk__in=set(wanted.values()))}
    return {unit_id: heads[head] for unit_id, head in wanted.items()}


GOV_LEVEL_ORDER = {GovLevel.PROVINCE: 0, GovLevel.DISTRICT: 1, GovLevel.COMMUNE: 2}


def report_monthly(
    *,
    period: Period | str,
    agency: Unit | str | None = None,
    live: bool = False,
    now: dt.datetime | None = None,
) -> MonthlyReport:
    """The report of `agency` (its whole subtree; None = the province) for a month/quarter/year.

    Queries: the unit subtree, the frozen months and kept days (or one aggregate over the
    dossiers), today's aggregate when the period is not over, the procedures and units that
    appear. Rows with no figure are left out. `live`: count every month from the dossiers,
    frozen or not. `now`: the moment the report is made at (what is due, which days are over).
    """
    if isinstance(period, str):
        period = period_parse(period)
    if isinstance(agency, str):
        code = agency
        agency = agency_get(code=code)
        if agency is None:
            raise Unit.DoesNotExist(code)
    unit_ids = _subtree_ids(agency)
    pairs, used = _pair_counts(period, unit_ids, live=live, now=now)
    procedures = _procedure_infos({p for _u, p in pairs})
    heads = _agency_of_units(agency, {u for u, _p in pairs})

    # Summed per procedure and per unit (two additions a line), then those few sums per field,
    # agency and in total.
    size = len(ALL_AGGREGATES)
    by_procedure_rows: dict[int, list[int]] = defaultdict(lambda: [0] * size)
    by_unit_rows: dict[int, list[int]] = defaultdict(lambda: [0] * size)
    for (unit_id, procedure_id), row in pairs.items():
        into = by_procedure_rows[procedure_id]
        into[:] = map(add, into, row)
        into = by_unit_rows[unit_id]
        into[:] = map(add, into, row)
    total = [0] * size
    by_field_rows: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0] * size)
    for procedure_id, row in by_procedure_rows.items():
        info = procedures[procedure_id]
        into = by_field_rows[(info.gov_level, info.field_id)]
        into[:] = map(add, into, row)
        total[:] = map(add, total, row)
    by_agency_rows: dict[int, list[int]] = defaultdict(lambda: [0] * size)
    for unit_id, row in by_unit_rows.items():
        into = by_agency_rows[heads[unit_id].pk]
        into[:] = map(add, into, row)
    totals = _named(total)
    per_procedure = {k: _named(v) for k, v in by_procedure_rows.items()}
    per_field = {k: _named(v) for k, v in by_field_rows.items()}
    per_agency = {k: _named(v) for k, v in by_agency_rows.items()}

    by_procedure = sorted(
        (
            ReportRow(
                key=procedures[pid].code,
                label=procedures[pid].name,
                counts=counts,
                ref=pid,
                extra={"field_code": procedures[pid].field_code},
            )
            for pid, counts in per_procedure.items()
        ),
        key=lambda r: r.key,
    )
    fields = {(i.gov_level, i.field_id): i for i in procedures.values()}
    by_field = sorted(
        (
            ReportRow(
                key=fields[k].field_code,
                label=fields[k].field_name,
                counts=counts,
                kind="field",
                ref=k[1],
                extra={"gov_level": k[0]},
            )
            for k, counts in per_field.items()
        ),
        key=lambda r: (GOV_LEVEL_ORDER.get(r.extra["gov_level"], 9), r.label),
    )
    agencies = {u.pk: u for u in heads.values()}
    by_agency = sorted(
        (
            ReportRow(
                key=agencies[uid].code,
                label=agencies[uid].name,
                counts=counts,
                kind="agency",
                ref=uid,
            )
            for uid, counts in per_agency.items()
        ),
        key=lambda r: agencies[r.ref].path if r.ref else "",
    )
    return MonthlyReport(
        period=period,
        agency=agency,
        totals=totals,
        by_procedure=by_procedure,
        by_field=by_field,
        by_agency=by_agency,
        procedures=procedures,
        pair_rows=pairs,
        unit_ids=unit_ids,
        computed_at=timezone.now(),
        frozen=used,
    )


# --- The dossiers behind a number ------------------------------------------------------------

LINKABLE_COLUMNS: tuple[str, ...] = (*COLUMN_KEYS, *DERIVED)


def report_dossier_queryset(
    *,
    period: Period,
    column: str,
    unit_ids: Iterable[int] | None,
    procedure_id: int | None = None,
    field_id: int | None = None,
    gov_level: str | None = None,
) -> QuerySet[Dossier]:
    """Exactly the dossiers counted in `column` (same conditions as the aggregate)."""
    if column not in LINKABLE_COLUMNS:
        raise KeyError(column)
    s, e = period.start, period.end
    qs = Dossier.objects.filter(population(s, e)).filter(conditions(s, e)[column])
    qs = _scoped(qs, None if unit_ids is None else list(unit_ids))
    if procedure_id is not None:
        qs = qs.filter(procedure_id=procedure_id)
    if field_id is not None:
        qs = qs.filter(procedure__field_id=field_id)
    if gov_level:
        qs = qs.filter(procedure__gov_level=gov_level)
    return qs.select_related("procedure", "receiving_unit").order_by("received_at", "pk")


# --- Indicators ------------------------------------------------------------------------------


@dataclass
class Indicator:
    id: str
    name: str
    numerator: int
    denominator: int
    target: float | None = None
    group: int | None = None
    threshold: float | None = None
    max_points: float | None = None
    column: str | None = None  # the report column whose dossiers explain the numerator

    @property
    def value(self) -> float | None:
        if not self.denominator:
            return None
        return self.numerator / self.denominator

    @property
    def met(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return round(self.value, 4) >= self.target

    @property
    def score(self) -> float | None:
        """Decision 766: full points at or above the threshold, else rate × max ÷ threshold."""
        if self.value is None or self.max_points is None or self.threshold is None:
            return None
        if self.value >= self.threshold:
            return round(self.max_points, 2)
        return round(self.value * self.max_points / self.threshold, 2)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "value": None if self.value is None else round(self.value, 4),
            "target": self.target,
            "met": self.met,
            "numerator": self.numerator,
            "denominator": self.denominator,
        }
        if self.group is not None:
            data.update(
                {
                    "group": self.group,
                    "threshold": self.threshold,
                    "max_points": self.max_points,
                    "score": self.score,
                }
            )
        return data


def kpi_targets(*, year: int) -> dict[str, float]:
    targets = settings.MOTCUA_KPI_TARGETS
    return {**targets["default"], **targets.get(str(year), {})}


@dataclass(frozen=True)
class CatalogueFacts:
    """Published procedures of a scope and their flags (the catalogue side of the KPIs)."""

    published: frozenset[int]
    level34: frozenset[int]
    level4: frozenset[int]
    fee_bearing: frozenset[int]
    specialised: frozenset[int]
    integrated: frozenset[int]


def _catalogue_rows(unit_ids: list[int] | None) -> list[dict[str, Any]]:
    qs = Procedure.objects.filter(published=True)
    if unit_ids is not None:
        qs = qs.filter(performing_units__in=unit_ids).distinct()
    paid = Fee.objects.filter(procedure=OuterRef("pk"), amount__gt=0)
    return list(
        qs.annotate(has_fee=Exists(paid)).values(
            "pk",
            "online_level",
            "has_fee",
            "handled_in_specialised_software",
            "specialised_software_integrated",
        )
    )


def _facts(rows: Iterable[dict[str, Any]]) -> CatalogueFacts:
    rows = list(rows)
    return CatalogueFacts(
        published=frozenset(r["pk"] for r in rows),
        level34=frozenset(r["pk"] for r in rows if r["online_level"] >= 3),
        level4=frozenset(r["pk"] for r in rows if r["online_level"] >= 4),
        fee_bearing=frozenset(r["pk"] for r in rows if r["has_fee"]),
        specialised=frozenset(r["pk"] for r in rows if r["handled_in_specialised_software"]),
        integrated=frozenset(
            r["pk"]
            for r in rows
            if r["handled_in_specialised_software"] and r["specialised_software_integrated"]
        ),
    )


def catalogue_facts(*, agency: Unit | None) -> CatalogueFacts:
    return _facts(_catalogue_rows(_subtree_ids(agency)))


def _per_procedure(
    pairs: Mapping[tuple[int, int], Mapping[str, int]], units: set[int] | None = None
) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = defaultdict(_empty)
    for (unit_id, procedure_id), counts in pairs.items():
        if units is None or unit_id in units:
            _add(out[procedure_id], counts)
    return out


def directive_indicators(
    *,
    period: Period,
    totals: Mapping[str, int],
    per_procedure: Mapping[int, Mapping[str, int]],
    procedures: Mapping[int, ProcedureInfo],
    facts: CatalogueFacts,
) -> list[Indicator]:
    """Directive 08 indicators from report figures and catalogue facts (DOMAIN.md §6)."""
    targets = kpi_targets(year=period.year)
    names = dict(DIRECTIVE_INDICATORS)
    online_num = online_den = postal_num = postal_den = 0
    paid_online_procedures: set[int] = set()
    for pid, counts in per_procedure.items():
        info = procedures[pid]
        new = counts["received_online"] + counts["received_direct"] + counts["received_postal"]
        if info.online_level >= 3:
            online_den += new
            online_num += counts["received_online"]
        if info.accepts_postal:
            postal_den += new
            postal_num += counts["postal_any"]
        if counts["fee_paid_online"]:
            paid_online_procedures.add(pid)
    fee34 = facts.fee_bearing & facts.level34
    paying = {p for p in fee34 if p in facts.level4 or p in paid_online_procedures}
    resolved = totals["resolved_early"] + totals["resolved_on_time"] + totals["resolved_late"]
    values = {
        "procedures_level34_share": (len(facts.level34), len(facts.published), None),
        "procedures_level4_share": (len(facts.level4), len(facts.published), None),
        "dossiers_online_share": (online_num, online_den, "received_online"),
        "dossiers_postal_share": (postal_num, postal_den, None),
        "online_payment_coverage": (len(paying), len(fee34), None),
        "integration_coverage": (len(facts.integrated), len(facts.specialised), None),
        "on_time_rate": (
            totals["resolved_early"] + totals["resolved_on_time"],
            resolved,
            "resolved",
        ),
        "late_apology_rate": (
            totals["late_with_apology"],
            totals["resolved_late"],
            "late_with_apology",
        ),
    }
    return [
        Indicator(
            id=key,
            name=str(names[key]),
            numerator=num,
            denominator=den,
            target=targets.get(key),
            column=column,
        )
        for key, (num, den, column) in values.items()
    ]


def quality_indicators(
    *,
    totals: Mapping[str, int],
    per_procedure: Mapping[int, Mapping[str, int]],
    facts: CatalogueFacts,
    not_satisfied: int,
) -> list[Indicator]:
    """Decision 766 indicators that our data supports, with scores (DOMAIN.md §6)."""
    t = with_derived(totals)
    fee_paid = {p for p, c in per_procedure.items() if c["fee_paid_online"]} & facts.fee_bearing
    processed = t["resolved"] + t["pending"]
    bad = t["resolved_late"] + t["pending_overdue"] + not_satisfied
    values = {
        "2.1": (
            t["national_ok_finished"] + t["national_ok_pending"],
            t["resolved"] + t["stopped"] + t["pending"],
        ),
        "3.1": (len(facts.level34), len(facts.published)),
        "3.3": (t["received_online"], t["received_new"]),
        "3.5": (len(fee_paid), len(facts.fee_bearing)),
        "3.6": (t["fee_paid_online"], t["fee_dossiers"]),
        "4.1": (t["e_results"], t["resolved"]),
        "4.2": (t["digitised"], t["received_new"]),
        "5.4": (max(processed - bad, 0), processed),
    }
    return [
        Indicator(
            id=key,
            name=str(name),
            numerator=values[key][0],
            denominator=values[key][1],
            group=group,
            threshold=threshold,
            max_points=points,
        )
        for key, group, name, threshold, points in QUALITY_INDICATORS
    ]


def quality_groups(indicators: Iterable[Indicator]) -> list[dict[str, Any]]:
    """Points per group of Decision 766 (only the supported indicators are scored)."""
    out = []
    for group, weight in GROUP_WEIGHTS.items():
        members = [i for i in indicators if i.group == group]
        scored = [i.score for i in members if i.score is not None]
        out.append(
            {
                "group": group,
                "name": str(GROUP_NAMES[group]),
                "weight": weight,
                "max_points": round(sum(i.max_points or 0 for i in members), 2),
                "score": round(sum(scored), 2) if scored else None,
                "indicators": [i.id for i in members],
            }
        )
    return out


def _not_satisfied(period: Period, unit_ids: list[int] | None) -> int:
    qs = DossierRating.objects.filter(
        created_at__gte=period.start,
        created_at__lt=period.end,
        overall=Satisfaction.NOT_SATISFIED,
    )
    return _scoped(qs, unit_ids, prefix="dossier__").count()


@dataclass
class KpiResult:
    period: Period
    agency: Unit | None
    directive: list[Indicator]
    quality: list[Indicator]
    report: MonthlyReport

    def as_dict(self) -> dict[str, Any]:
        """The `GET /api/v1/stats/kpi` shape (DESIGN.md §4) plus the Decision 766 block."""
        return {
            "period": self.period.key,
            "agency": self.agency.code if self.agency else None,
            "agency_name": self.agency.name if self.agency else None,
            "indicators": [i.as_dict() for i in self.directive],
            "quality": {
                "indicators": [i.as_dict() for i in self.quality],
                "groups": quality_groups(self.quality),
            },
        }


def kpi_indicators(
    *,
    period: Period | str,
    agency: Unit | str | None = None,
    report: MonthlyReport | None = None,
    live: bool = False,
) -> KpiResult:
    """Directive 08 and Decision 766 indicators of `agency` (None = the province).

    Pass `report` when it is already computed for the same period and agency (saves the
    aggregate query).
    """
    if report is None:
        report = report_monthly(period=period, agency=agency, live=live)
    per_procedure = _per_procedure(report.pair_counts)
    facts = _facts(_catalogue_rows(report.unit_ids))
    directive = directive_indicators(
        period=report.period,
        totals=report.totals,
        per_procedure=per_procedure,
        procedures=report.procedures,
        facts=facts,
    )
    quality = quality_indicators(
        totals=report.totals,
        per_procedure=per_procedure,
        facts=facts,
        not_satisfied=_not_satisfied(report.period, report.unit_ids),
    )
    return KpiResult(report.period, report.agency, directive, quality, report)


@dataclass
class AgencyKpis:
    agency: Unit
    row: ReportRow
    indicators: list[Indicator]

    @property
    def met_count(self) -> int:
        return sum(1 for i in self.indicators if i.met)

    @property
    def measured_count(self) -> int:
        return sum(1 for i in self.indicators if i.met is not None)

    def indicator(self, key: str) -> Indicator:
        return next(i for i in self.indicators if i.id == key)


def agency_ranking(*, report: MonthlyReport) -> list[AgencyKpis]:
    """Directive 08 indicators of each agency of the report, best first (targets met, then
    on-time rate, then online share). Two catalogue queries, whatever the number of agencies."""
    heads = _agency_of_units(report.agency, {u for u, _p in report.pair_rows})
    rows = {r.ref: r for r in report.by_agency}
    # Each agency's counts per procedure, in one pass over the lines (not one pass per agency).
    sums: dict[int, dict[int, list[int]]] = defaultdict(dict)
    for (unit_id, procedure_id), counts in report.pair_rows.items():
        into = sums[heads[unit_id].pk]
        acc = into.get(procedure_id)
        into[procedure_id] = list(counts) if acc is None else list(map(add, acc, counts))
    per_agency = {
        agency_id: {procedure_id: _named(counts) for procedure_id, counts in procs.items()}
        for agency_id, procs in sums.items()
    }
    # Published procedures per agency through `performing_units`, mapped to the agency heads.
    through = Procedure.performing_units.through
    links = through.objects.filter(procedure__published=True)
    if report.unit_ids is not None:
        links = links.filter(unit_id__in=report.unit_ids)
    link_rows = list(links.values_list("unit_id", "procedure_id"))
    head_of_link = _agency_of_units(report.agency, {u for u, _p in link_rows})
    catalogue = {r["pk"]: r for r in _catalogue_rows(report.unit_ids)}
    per_agency_procs: dict[int, set[int]] = defaultdict(set)
    for unit_id, procedure_id in link_rows:
        per_agency_procs[head_of_link[unit_id].pk].add(procedure_id)
    agencies = {u.pk: u for u in [*heads.values(), *head_of_link.values()]}
    out = []
    for agency_id, agency in agencies.items():
        row = rows.get(agency_id) or ReportRow(
            key=agency.code, label=agency.name, counts=_empty(), kind="agency", ref=agency_id
        )
        facts = _facts(catalogue[p] for p in per_agency_procs.get(agency_id, ()) if p in catalogue)
        per_procedure = per_agency.get(agency_id, {})
        indicators = directive_indicators(
            period=report.period,
            totals=row.counts,
            per_procedure=per_procedure,
            procedures=report.procedures,
            facts=facts,
        )
        out.append(AgencyKpis(agency, row, indicators))

    def rank_key(a: AgencyKpis) -> tuple[float, float, float, str]:
        on_time = a.indicator("on_time_rate").value
        online = a.indicator("dossiers_online_share").value
        share = a.met_count / a.measured_count if a.measured_count else 0.0
        return (-share, -(on_time or 0.0), -(online or 0.0), a.agency.path)

    return sorted(out, key=rank_key)


# --- Trend by month --------------------------------------------------------------------------


@dataclass
class TrendPoint:
    period: Period
    received_online: int = 0
    received_direct: int = 0
    received_postal: int = 0
    received_level34: int = 0
    received_online_level34: int = 0
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0

    @property
    def received(self) -> int:
        return self.received_online + self.received_direct + self.received_postal

    @property
    def resolved(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def on_time_rate(self) -> float | None:
        return (
            (self.resolved_early + self.resolved_on_time) / self.resolved if self.resolved else None
        )

    @property
    def online_share(self) -> float | None:
        if not self.received_level34:
            return None
        return self.received_online_level34 / self.received_level34


def _bucket(expression: Any, periods: list[Period]) -> Case:
    whens = [When(Q(**{f"{expression}__lt": p.end}), then=Value(i)) for i, p in enumerate(periods)]
    return Case(*whens, default=Value(-1), output_field=IntegerField())


_TREND_KEYS = (
    "received_online",
    "received_direct",
    "received_postal",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
)


def _trend_from_figures(
    point: TrendPoint, figures: MonthFigures, unit_ids: list[int] | None, levels: Mapping[int, int]
) -> None:
    units, procedure_ids, columns = frozen.figures_columns(figures, _TREND_KEYS)
    wanted = None if unit_ids is None else set(unit_ids)
    lines = [i for i, u in enumerate(units) if wanted is None or u in wanted]
    level34 = [i for i in lines if levels.get(procedure_ids[i], 0) >= 3]
    for key in _TREND_KEYS:
        column = columns[key]
        setattr(point, key, getattr(point, key) + sum(column[i] for i in lines))
    online = columns["received_online"]
    point.received_online_level34 += sum(online[i] for i in level34)
    point.received_level34 += sum(
        columns[key][i]
        for key in ("received_online", "received_direct", "received_postal")
        for i in level34
    )


def _trend_from_rows(point: TrendPoint, rows: frozen.Rows, levels: Mapping[int, int]) -> None:
    index = {key: ALL_AGGREGATES.index(key) for key in _TREND_KEYS}
    received = [index["received_online"], index["received_direct"], index["received_postal"]]
    for (_unit_id, procedure_id), row in rows.items():
        for key, i in index.items():
            setattr(point, key, getattr(point, key) + row[i])
        if levels.get(procedure_id, 0) >= 3:
            point.received_level34 += sum(row[i] for i in received)
            point.received_online_level34 += row[index["received_online"]]


def report_trend(
    *,
    last: Period | str,
    months: int = 12,
    agency: Unit | None = None,
    now: dt.datetime | None = None,
) -> list[TrendPoint]:
    """Received (by channel) and resolved (by timing) per month for `months` months up to
    `last`, with the same definitions as the monthly report: the frozen months from their
    figures, the months not due yet from their kept days and today (as the report), the others
    from two grouped queries over the dossiers. Due months not frozen yet are frozen in the
    background (a task), so the next view reads them."""
    if isinstance(last, str):
        last = period_parse(last)
    periods = months_back(last, months)
    unit_ids = _subtree_ids(agency)
    points = [TrendPoint(p) for p in periods]

    due = [p for p in periods if frozen.is_due(p, now)]
    stored = {
        f.period: f for f in MonthFigures.objects.filter(period__in=[p.key for p in due], months=1)
    }
    figures = {
        p.key: stored[p.key] for p in due if p.key in stored and frozen.is_current(stored[p.key], p)
    }
    recent = [point for point in points if point.period not in due]
    if figures or recent:
        levels = dict(Procedure.objects.values_list("pk", "online_level"))
        for point in points:
            if point.period.key in figures:
                _trend_from_figures(point, figures[point.period.key], unit_ids, levels)
        for point in recent:
            rows = frozen.combine(_recent_parts([point.period], unit_ids, now))
            _trend_from_rows(point, rows, levels)
    missing = [i for i, p in enumerate(periods) if p.key not in figures and p in due]
    if not missing:
        return points
    to_freeze = [p.key for p in due if p.key not in figures]
    if to_freeze:
        from .tasks import month_figures_close_task

        for key in to_freeze:
            month_figures_close_task.enqueue(key)
    span = periods[missing[0] : missing[-1] + 1]
    start, end = span[0].start, span[-1].end
    wanted = {i - missing[0] for i in missing}

    entered = Coalesce(F("received_at"), F("finished_at"))
    dossiers = Dossier.objects.using(reports_database())
    received = _scoped(dossiers.filter(_entered_from(start) & _entered_before(end)), unit_ids)
    received_rows = (
        received.annotate(t_in=entered)
        .annotate(bucket=_bucket("t_in", span))
        .values("bucket", "channel", "procedure__online_level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in received_rows:
        if row["bucket"] not in wanted:
            continue
        point = points[missing[0] + row["bucket"]]
        key = f"received_{row['channel']}"
        setattr(point, key, getattr(point, key) + row["n"])
        if row["procedure__online_level"] >= 3:
            point.received_level34 += row["n"]
            if row["channel"] == Channel.ONLINE:
                point.received_online_level34 += row["n"]

    ended = _scoped(
        dossiers.filter(
            _entered_before(end),
            Q(finished_at__lt=end),
            Q(finished_at__gte=start) | _entered_from(start),
            status__in=RESOLVED_STATES,
        ),
        unit_ids,
    )
    ended_rows = (
        ended.annotate(t_end=Greatest(entered, F("finished_at")))
        .annotate(bucket=_bucket("t_end", span))
        .values("bucket", "timing")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in ended_rows:
        if row["bucket"] not in wanted:
            continue
        point = points[missing[0] + row["bucket"]]
        if row["timing"] == Timing.EARLY:
            point.resolved_early += row["n"]
        elif row["timing"] == Timing.LATE:
            point.resolved_late += row["n"]
        else:
            point.resolved_on_time += row["n"]
    return points


# --- Submissions -----------------------------------------------------------------------------


def reporting_agencies() -> list[Unit]:
    """The agencies that report to the province: the active units right below it, by code
    (the path orders ids as text: "/1/12/" before "/1/9/")."""
    root = province_root()
    if root is None:
        return []
    return list(Unit.objects.filter(parent=root, is_active=True).order_by("code"))


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
        for s in ReportSubmission.objects.filter(period=period.key).select_related(
            "submitted_by", "generated_by"
        )
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
        ReportSubmission.objects.filter(unit=unit, period=period.key)
        .select_related("generated_by", "submitted_by", "unit")
        .first()
    )
