"""The counts behind every report (the monthly report, the Directive 08 KPIs, the Decision 766
indicators, the trend): what each column counts, and the one aggregate query that counts it.

Every figure is a conditional ``COUNT(*) FILTER (WHERE …)`` over the dossiers of the scope, grouped
by (receiving unit, procedure) in **one** query, then summed in Python over those groups (a few
thousand at most: units × procedures, never dossiers). The conditions use only the stored
timestamps, so a closed period is recomputable later whatever the dossiers' current status is.

Definitions for a period ``[s, e)`` (local midnights in Asia/Ho_Chi_Minh, half-open):

- **entered** (t_in): ``received_at`` (t0, docs/DOMAIN.md §4). A dossier refused at reception never gets
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
- ``paid_online`` = a fee paid online (gateway or VietQR transfer) in the period, by the time of
  the first such payment (``paid_online_at``, written by the payments app in the transaction that
  records the invoice's payment); ``fee_paid_online`` = fee-bearing, received in the period and
  paid online by its end.
- ``postal_pickups`` = received in the period (t_in in ``[s, e)``) through a pickup shipment
  that was handed over at the desk (``postal.Shipment``, kind pickup, ``handed_over_at`` set: the
  hand-over record that is t0, or a parcel recorded at the desk with its tracking number).
- ``postal_deliveries`` = results delivered by post in the period: a delivery shipment with
  ``delivered_at`` in ``[s, e)`` (each dossier once, however many parcels). A delivered result is
  returned at that moment (postal.moves), so ``returned_at`` bounds these to the population.
- ``postal_any`` (the numerator of CT 08's dossiers_postal_share) = received in the period, and
  either came through a handed-over pickup or has a delivery shipment in any state but
  cancelled created before ``e``. The channel and ``result_delivery`` flags are not read: a
  dossier only asked to go by post, with no parcel, is not counted. Unlike the other flows it is
  not a sum over days (a delivery created on the 20th counts a dossier received on the 3rd), so
  a period of several months sums its months, each with its own end (as the frozen months do),
  and a month not frozen yet counts it over the whole month, not from its kept days
  (months_postal_any).

Identity (tested): carried_over + received_online + received_direct + received_postal =
resolved + pending + withdrawn + refused + stopped.

Months whose reports are due are read from their frozen figures (frozen.py) instead of the
dossiers, the months not due yet from their kept complete days plus today counted from the
dossiers; `live=True` counts from the dossiers whatever the period (the check of a snapshot).

Limits: a supplement that restarts the clock after ``e`` moves ``due_at`` of a dossier open at ``e``
(the old due time lives only in the event log); the catalogue (levels, postal, fees) is read as it
is now. Both are why a submitted report is a frozen snapshot (services.py).

This module only reads: keeping a month or its days is a service (keeping.py), which the pages
and commands call before they read; what is not kept is counted here from the dossiers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.db import connections, transaction
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
)

from motcua.dbrouters import reports_database
from motcua.dossiers.constants import Channel, DossierStatus
from motcua.dossiers.models import Dossier
from motcua.postal.constants import ShipmentKind, ShipmentStatus
from motcua.postal.models import Shipment
from motcua.workcal import Timing

from . import frozen
from .constants import (
    ALL_AGGREGATES,
    COLUMN_KEYS,
    DERIVED,
    LISTED_AGGREGATE_LABELS,
)
from .models import MonthFigures
from .periods import Period
from .scope import scoped

RESOLVED_STATES = (DossierStatus.RESULT_READY, DossierStatus.RETURNED)
# Work memory of the aggregate query (PostgreSQL): its hash table holds one line of ~25 counters
# per (unit, procedure) per worker, a few MB even at 10 M dossiers.
REPORT_WORK_MEM = "64MB"

# --- Conditions ------------------------------------------------------------------------------


def entered_before(x: dt.datetime) -> Q:
    return Q(received_at__lt=x) | Q(
        received_at__isnull=True, status=DossierStatus.REFUSED, finished_at__lt=x
    )


def entered_from(x: dt.datetime) -> Q:
    return Q(received_at__gte=x) | Q(
        received_at__isnull=True, status=DossierStatus.REFUSED, finished_at__gte=x
    )


def _open_at(x: dt.datetime) -> Q:
    return entered_before(x) & (Q(finished_at__isnull=True) | Q(finished_at__gte=x))


def _shipments(kind: str, **conditions: Any) -> Q:
    """The dossier has a shipment of `kind` that meets `conditions`: one EXISTS subquery per
    dossier of the population, on the shipments' (dossier_id) index, never a query per dossier."""
    parcels = Shipment.objects.filter(dossier_id=OuterRef("pk"), kind=kind, **conditions)
    return Q(Exists(parcels))


def picked_up(before: dt.datetime) -> Q:
    """Came to the desk through a pickup shipment that was handed over (postal_pickups), for a
    dossier received before `before`: the hand-over is at or before its t0 (a t0 outside working
    time moves later, never earlier), so the subquery needs only the pickups handed over before
    it — the database hashes those once instead of every pickup there is."""
    return _shipments(ShipmentKind.PICKUP, handed_over_at__lt=before)


def delivered_in(start: dt.datetime, end: dt.datetime) -> Q:
    """Its result was delivered by post in [start, end) (postal_deliveries)."""
    return _shipments(ShipmentKind.DELIVERY, delivered_at__gte=start, delivered_at__lt=end)


def delivery_sent_in(start: dt.datetime, end: dt.datetime) -> Q:
    """A delivery shipment, in any state but cancelled, was created before `end` (postal_any),
    for a dossier received in [start, end): a delivery is made for a result, after the receipt,
    so "created in [start, end)" is the same set and keeps the subquery to the period's parcels
    (the created_at index)."""
    parcels = Shipment.objects.filter(
        dossier_id=OuterRef("pk"),
        kind=ShipmentKind.DELIVERY,
        created_at__gte=start,
        created_at__lt=end,
    ).exclude(status=ShipmentStatus.CANCELLED)
    return Q(Exists(parcels))


def by_post_in(start: dt.datetime, end: dt.datetime) -> Q:
    """For a dossier received in [start, end): came through a handed-over pickup, or has a
    delivery shipment (not cancelled) created before `end` (postal_any)."""
    return picked_up(end) | delivery_sent_in(start, end)


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
        | Q(paid_online_at__gte=start, paid_online_at__lt=end)
    )


def conditions(start: dt.datetime, end: dt.datetime) -> dict[str, Q]:
    """The condition of every aggregate (and derived column) for the period [start, end).

    The dossier's own fields come first: the database evaluates an AND from the left and stops
    at the first false part, so most dossiers are set aside by a status or a channel before the
    period's timestamps are compared (8–13 % less database CPU for the aggregate at 1 M).
    """
    s, e = start, end
    received = entered_from(s) & entered_before(e)
    ended = entered_before(e) & Q(finished_at__lt=e) & (entered_from(s) | Q(finished_at__gte=s))
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
    by_post = by_post_in(s, e)
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
        "paid_online": Q(paid_online_at__gte=s, paid_online_at__lt=e),
        # The timestamps first here: the EXISTS subqueries run only for the dossiers they keep.
        "postal_pickups": received & picked_up(e),
        "postal_deliveries": Q(returned_at__gte=s, returned_at__lt=e) & delivered_in(s, e),
        "postal_any": received & by_post,
        "fee_dossiers": fee & received,
        "fee_paid_online": fee & Q(paid_online_at__lt=e) & received,
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


# --- The monthly report ----------------------------------------------------------------------


def empty_counts() -> dict[str, int]:
    return dict.fromkeys(ALL_AGGREGATES, 0)


def named_counts(row: Iterable[int]) -> dict[str, int]:
    return dict(zip(ALL_AGGREGATES, row, strict=True))


def add_counts(into: dict[str, int], counts: Mapping[str, int]) -> None:
    for key in ALL_AGGREGATES:
        into[key] += counts[key]


def with_derived(counts: Mapping[str, int]) -> dict[str, int]:
    out = dict(counts)
    for key, parts in DERIVED.items():
        out[key] = sum(counts[p] for p in parts)
    return out


def aggregate_query(
    start: dt.datetime, end: dt.datetime, unit_ids: list[int] | None, using: str
) -> tuple[QuerySet[Any], list[int]]:
    """The aggregate over the dossiers as rows (receiving unit, procedure, counts…), and for each
    aggregate of ALL_AGGREGATES the position of its count in a row.

    One pass: every count is a ``COUNT(*) FILTER (WHERE …)`` over the population, which the
    indexes bound to the period (population()). Aggregates with the same condition share one
    count.
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
        scoped(dossiers.filter(population(start, end)), unit_ids)
        .values("receiving_unit_id", "procedure_id")
        .annotate(**aggregates)
        .values_list("receiving_unit_id", "procedure_id", *aggregates)
        .order_by()
    )
    return rows, positions


@contextmanager
def aggregate_settings(using: str) -> Iterator[None]:
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


def raw_pair_counts(
    start: dt.datetime, end: dt.datetime, unit_ids: list[int] | None
) -> frozen.Rows:
    """The one aggregate query over the dossiers: counts per (receiving unit, procedure), in the
    order of ALL_AGGREGATES."""
    # A replica when one is configured (docs/DEPLOYMENT.md): the desks keep the primary.
    using = reports_database()
    query, positions = aggregate_query(start, end, unit_ids, using)
    # Through the cursor: the queryset would pass each of the ~150 000 counts of a month at 1 M
    # dossiers through a converter (int(int)), a third of this process's time.
    sql, params = query.query.sql_with_params()
    with aggregate_settings(using), connections[using].cursor() as cursor:
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
    return raw_pair_counts(period.start, period.end, None)


def province_span_counts(start: dt.datetime, end: dt.datetime) -> frozen.Rows:
    """The interval [start, end) counted from the dossiers for the whole province (what a kept
    day holds)."""
    return raw_pair_counts(start, end, None)


def recent_parts(
    months: list[Period], unit_ids: list[int] | None, now: dt.datetime | None
) -> list[frozen.Rows]:
    """The parts of consecutive months read without their frozen figures: each month's complete
    days from their kept figures while there are, then the rest (the days ended since they were
    kept, and today) counted from the dossiers."""
    parts = []
    rest, end = months[0].start, months[-1].end
    for month in months:
        kept = frozen.days_stored(month.start, month.end, now=now)
        if kept is None:
            break
        parts.append(frozen.figures_rows(kept, unit_ids))
        rest = kept.end
        if rest < month.end:
            break
    if rest < end:
        parts.append(raw_pair_counts(rest, end, unit_ids))
    postal = months_postal_any(months, unit_ids)
    return [_with_postal_any(parts[0], postal), *(_with_postal_any(p, {}) for p in parts[1:])]


# postal_any is the one aggregate that is not a sum over the days of its month: a dossier
# received on the 3rd counts once its delivery shipment is created, on the 20th, before the
# month's end. A kept day cannot know that, so a month not frozen yet (and a live period of
# several months, which the frozen months sum) counts it over each whole month from the
# dossiers: a small query on the received_at index per month.
_POSTAL_ANY = ALL_AGGREGATES.index("postal_any")


def _with_postal_any(rows: frozen.Rows, postal: Mapping[tuple[int, int], int]) -> frozen.Rows:
    """`rows` with their postal_any replaced by `postal`'s (the other counts as they are)."""
    out: frozen.Rows = {}
    for key in rows.keys() | postal.keys():
        counts = list(rows.get(key) or [0] * len(ALL_AGGREGATES))
        counts[_POSTAL_ANY] = postal.get(key, 0)
        if any(counts):
            out[key] = counts
    return out


def months_postal_any(
    months: Iterable[Period], unit_ids: list[int] | None
) -> dict[tuple[int, int], int]:
    """postal_any per (receiving unit, procedure) summed over `months`, each counted with the
    bound of its own end (what their frozen figures hold): one query per month."""
    using = reports_database()
    out: dict[tuple[int, int], int] = {}
    for month in months:
        s, e = month.start, month.end
        received = entered_from(s) & entered_before(e)
        # The same dossiers as two index ranges (as in population()): alone, `received` makes
        # the planner read every dossier received before `e`.
        bounded = Q(received_at__gte=s, received_at__lt=e) | Q(
            received_at__isnull=True,
            status=DossierStatus.REFUSED,
            finished_at__gte=s,
            finished_at__lt=e,
        )
        mine = Dossier.objects.using(using).filter(bounded).filter(received & by_post_in(s, e))
        rows = (
            scoped(mine, unit_ids)
            .values("receiving_unit_id", "procedure_id")
            .annotate(n=Count("pk"))
            .values_list("receiving_unit_id", "procedure_id", "n")
            .order_by()
        )
        for unit_id, procedure_id, n in rows:
            out[(unit_id, procedure_id)] = out.get((unit_id, procedure_id), 0) + n
    return out


def period_pair_counts(
    period: Period,
    unit_ids: list[int] | None,
    *,
    live: bool = False,
    now: dt.datetime | None = None,
) -> tuple[frozen.Rows, list[MonthFigures]]:
    """Counts per (receiving unit, procedure) and the frozen months they were read from.

    The period's leading months that are due and frozen come from their frozen figures (a
    quarter's or a year's from their kept sum), the months after them from their kept days and
    the rest counted from the dossiers: the same counts whatever is kept (keeping.py keeps them,
    the caller decides when). `live` counts everything from the dossiers (the recomputation
    that checks a snapshot).
    """
    months = period.month_periods()
    if live:
        rows = raw_pair_counts(period.start, period.end, unit_ids)
        if len(months) > 1:  # postal_any: the sum of its months, as their frozen figures
            rows = _with_postal_any(rows, months_postal_any(months, unit_ids))
        return rows, []
    used = frozen.months_stored(months, now=now)
    if used and len(used) == len(months) > 1:  # a quarter or a year of frozen months
        kept = frozen.period_stored(period, used)
        if kept is not None:
            return frozen.figures_rows(kept, unit_ids), used
    frozen.load_data(used)
    parts = [frozen.figures_rows(f, unit_ids) for f in used]
    rest = months[len(used) :]
    if rest:
        parts.extend(recent_parts(rest, unit_ids, now))
    return frozen.combine(parts), used


# --- The dossiers behind a number ------------------------------------------------------------

LINKABLE_COLUMNS: tuple[str, ...] = (*COLUMN_KEYS, *DERIVED, *LISTED_AGGREGATE_LABELS)


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
    condition = conditions(s, e)[column]
    if column == "postal_any":  # each month with its own end, as the figure (months_postal_any)
        condition = Q()
        for month in period.month_periods():
            received = entered_from(month.start) & entered_before(month.end)
            condition |= received & by_post_in(month.start, month.end)
    qs = Dossier.objects.filter(population(s, e)).filter(condition)
    qs = scoped(qs, None if unit_ids is None else list(unit_ids))
    if procedure_id is not None:
        qs = qs.filter(procedure_id=procedure_id)
    if field_id is not None:
        qs = qs.filter(procedure__field_id=field_id)
    if gov_level:
        qs = qs.filter(procedure__gov_level=gov_level)
    return qs.select_related("procedure", "receiving_unit").order_by("received_at", "pk")
