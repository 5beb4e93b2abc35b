"""Reads of the back office, scoped once per request to the officer's units and roles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.catalog.models import Procedure, ProcessStep, RequiredDocument
from motcua.catalog.search import normalise
from motcua.dossiers.constants import (
    CLOCK_RUNNING_STATES,
    Action,
    Channel,
    DossierStatus,
    ResultDelivery,
)
from motcua.dossiers.models import (
    AWAY_FROM_RECEIVING_UNIT,
    Apology,
    Dossier,
    DossierEvent,
    DossierStep,
)
from motcua.dossiers.search import search_condition
from motcua.dossiers.selectors import READER_ROLES
from motcua.orgs.constants import OFFICER_ROLES, Role
from motcua.orgs.models import Membership, Unit
from motcua.workcal import add_working_time


@dataclass(frozen=True)
class OfficerScope:
    """The units an officer covers, per role (a membership covers its unit's subtree)."""

    user: User
    by_role: dict[str, frozenset[int]] = field(default_factory=dict)
    # The cache version it was read under (`scope_version`): keys derived from it follow it.
    version: int = 0

    @property
    def visible(self) -> frozenset[int]:
        """Units whose dossiers the officer may read."""
        return frozenset().union(
            *(ids for role, ids in self.by_role.items() if role in READER_ROLES)
        )

    def units_for(self, *roles: str) -> frozenset[int]:
        return frozenset().union(*(self.by_role.get(role, frozenset()) for role in roles))

    @property
    def is_officer(self) -> bool:
        return bool(self.visible)

    def has_role(self, *roles: str) -> bool:
        return bool(self.units_for(*roles))


# The officer's units change only when a membership or a unit does: every page reads them from
# the cache, under a version that those saves and deletes move on (signals connected in
# `BackofficeConfig.ready`). A change made behind the signals' back (a bulk UPDATE) shows within
# SCOPE_SECONDS.
SCOPE_VERSION_KEY = "backoffice:scope-version"
SCOPE_SECONDS = 300


def scope_version() -> int:
    version = cache.get(SCOPE_VERSION_KEY)
    if version is None:
        cache.add(SCOPE_VERSION_KEY, 1, timeout=None)
        version = cache.get(SCOPE_VERSION_KEY) or 1
    return int(version)


def bump_scope_version(**_: Any) -> None:
    """Forget every cached scope and filter list (signal receiver and plain call)."""
    try:
        cache.incr(SCOPE_VERSION_KEY)
    except ValueError:
        cache.set(SCOPE_VERSION_KEY, 2, timeout=None)


def officer_scope(*, user: User) -> OfficerScope:
    """The officer's units per role: from the cache, else two queries (`_load_scope`)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return OfficerScope(user=user)
    version = scope_version()
    key = f"backoffice:scope:{version}:{user.pk}"
    by_role = cache.get(key)
    if by_role is None:
        by_role = _load_scope(user)
        cache.set(key, by_role, timeout=SCOPE_SECONDS)
    return OfficerScope(user=user, by_role=by_role, version=version)


def _load_scope(user: User) -> dict[str, frozenset[int]]:
    """Two queries: the user's active memberships, then every unit below them."""
    memberships = list(
        Membership.objects.filter(user=user, is_active=True)
        .select_related("unit")
        .only("role", "unit__path")
    )
    if not memberships:
        return {}
    condition = Q()
    for path in {m.unit.path for m in memberships}:
        condition |= Q(path__startswith=path)
    units = list(Unit.objects.filter(condition).values_list("pk", "path"))
    by_role: dict[str, set[int]] = {}
    for membership in memberships:
        prefix = membership.unit.path
        ids = by_role.setdefault(membership.role, set())
        ids.update(pk for pk, path in units if path.startswith(prefix))
    return {role: frozenset(ids) for role, ids in by_role.items()}


# --- work queues -------------------------------------------------------------------------


@dataclass(frozen=True)
class Tab:
    key: str
    label: Any
    hint: Any = ""


TABS: tuple[Tab, ...] = (
    Tab("new", _("Chờ tiếp nhận"), _("Hồ sơ trực tuyến đã nộp, chờ kiểm tra và tiếp nhận")),
    Tab("to_start", _("Chờ chuyển xử lý"), _("Đã tiếp nhận, chưa giao cho bộ phận xử lý")),
    Tab("mine", _("Việc của tôi"), _("Hồ sơ đang ở bước do tôi hoặc vai trò của tôi xử lý")),
    Tab("due_soon", _("Sắp đến hạn"), _("Còn không quá 1 ngày làm việc")),
    Tab("overdue", _("Quá hạn"), _("Đã quá hạn trả kết quả, chưa có kết quả")),
    Tab("supplement", _("Chờ bổ sung"), _("Đang chờ người nộp bổ sung hồ sơ")),
    Tab("results", _("Chờ trả kết quả"), _("Đã có kết quả, chờ trả cho người nộp")),
    Tab("handled", _("Tôi đã xử lý"), _("Hồ sơ tôi đã thực hiện ít nhất một thao tác")),
    Tab("all", _("Tất cả"), _("Mọi hồ sơ trong phạm vi đơn vị của tôi")),
)
TAB_KEYS = tuple(tab.key for tab in TABS)
DEFAULT_TAB = "mine"
# The tabs of work, and whose work each is: the desk's (reception) or anyone's at their steps.
# "Handled" and "all" are history, not work. The queue opens on the first of these with work
# for the officer's roles (`first_tab_with_work`).
RECEPTION_TABS = frozenset({"new", "to_start", "supplement", "results"})
WORK_TABS = tuple(key for key in TAB_KEYS if key not in {"handled", "all"})


def first_tab_with_work(*, scope: OfficerScope, counts: dict[str, int]) -> str:
    """The first work tab, in the tabs' order, with dossiers waiting for this officer's roles
    (the desk's tabs only for reception officers); DEFAULT_TAB when none has any."""
    reception = scope.has_role(Role.RECEPTION)
    for key in WORK_TABS:
        if key in RECEPTION_TABS and not reception:
            continue
        if counts.get(key, 0) > 0:
            return key
    return DEFAULT_TAB


def tabs_with_hits(*, counts: dict[str, int]) -> list[tuple[Tab, int]]:
    """Where a search found dossiers: the tabs whose (filtered) count is not zero, the work
    tabs first in their order, then history ("handled", "all") only when no work tab has any.
    The counts are those the tab badges show, so this costs no query."""
    work = [(tab, counts[tab.key]) for tab in TABS if tab.key in WORK_TABS and counts.get(tab.key)]
    if work:
        return work
    return [
        (tab, counts[tab.key]) for tab in TABS if tab.key not in WORK_TABS and counts.get(tab.key)
    ]


SORTS: dict[str, tuple[str, ...]] = {
    "due": ("due_at", "pk"),
    "-due": ("-due_at", "-pk"),
    "received": ("received_at", "pk"),
    "-received": ("-received_at", "-pk"),
    "submitted": ("submitted_at", "pk"),
    "-submitted": ("-submitted_at", "-pk"),
    "code": ("code", "pk"),
    "applicant": ("applicant_name", "pk"),
}
SORT_LABELS: dict[str, Any] = {
    "due": _("Hạn trả kết quả (gần nhất trước)"),
    "-due": _("Hạn trả kết quả (xa nhất trước)"),
    "received": _("Ngày tiếp nhận (cũ trước)"),
    "-received": _("Ngày tiếp nhận (mới trước)"),
    "submitted": _("Ngày nộp (cũ trước)"),
    "-submitted": _("Ngày nộp (mới trước)"),
    "code": _("Mã hồ sơ"),
    "applicant": _("Tên người nộp"),
}


def _scoped(scope: OfficerScope) -> QuerySet[Dossier]:
    visible = scope.visible
    if not visible:
        return Dossier.objects.none()
    # Drafts, and drafts their owner discarded (withdrawn without a code), never reached a desk.
    return Dossier.objects.filter(
        Q(receiving_unit_id__in=visible) | Q(current_unit_id__in=visible),
        code__isnull=False,
    ).exclude(status=DossierStatus.DRAFT)


def due_soon_limit(now: dt.datetime) -> dt.datetime:
    """One working day from now (the province's calendar): "due soon" ends there."""
    return add_working_time(now, 1, "days")


def _parcel_coming() -> Exists:
    """The dossier's papers are with the postman, or at the desk without the hand-over record."""
    from motcua.postal.selectors import pickups_waiting

    return Exists(pickups_waiting().filter(dossier=OuterRef("pk")))


def tab_parts(
    *, scope: OfficerScope, now: dt.datetime, soon: dt.datetime | None = None
) -> dict[str, tuple[Q, ...]]:
    """The filter of each tab as disjoint parts, each walked through an index of its own.

    "Mine" is two parts: assigned to me (index `dossier_assignee_status`), and unassigned at a
    step of my role in a unit I cover (partial index `dossier_queue_unassigned`: only the
    unassigned work). As one condition, every processing dossier of my units was joined with
    its step (~6 600 rows at 1 M dossiers). `soon` is where "due soon" ends
    (`due_soon_limit(now)` unless given)."""
    user = scope.user
    running_states = sorted(CLOCK_RUNNING_STATES)
    processing = Q(status=DossierStatus.PROCESSING)
    # Unassigned at a step of my role in a unit I cover.
    at_my_steps = Q()
    for role, units in scope.by_role.items():
        if role in OFFICER_ROLES and units:
            at_my_steps |= Q(current_step__role=role, current_unit_id__in=units)
    mine: tuple[Q, ...] = (processing & Q(assignee=user),)
    if at_my_steps:
        mine += (processing & Q(assignee__isnull=True) & at_my_steps,)
    handled = Exists(DossierEvent.objects.filter(dossier=OuterRef("pk"), actor=user))
    return {
        # A dossier whose fees fall due at submission reaches the desk once they are paid; one
        # sent by post waits for its parcel (the postal desk's hand-over receives it), unless
        # the pickup failed or was withdrawn: the applicant may then bring it in person.
        "new": (
            Q(status=DossierStatus.SUBMITTED, awaiting_payment=False)
            & (~Q(channel=Channel.POSTAL) | Q(~_parcel_coming())),
        ),
        "to_start": (Q(status=DossierStatus.RECEIVED),),
        "mine": mine,
        # One part per running state: each walks its own range of `dossier_queue_open` in due
        # order (two states in one IN read and sorted every overdue dossier of my units).
        "due_soon": tuple(
            Q(status=state, due_at__gte=now, due_at__lte=soon or due_soon_limit(now))
            for state in running_states
        ),
        "overdue": tuple(Q(status=state, due_at__lt=now) for state in running_states),
        "supplement": (Q(status=DossierStatus.AWAITING_SUPPLEMENT),),
        "results": (Q(status=DossierStatus.RESULT_READY),),
        "handled": (Q(handled),),
        "all": (Q(pk__isnull=False),),
    }


def tab_conditions(
    *, scope: OfficerScope, now: dt.datetime, soon: dt.datetime | None = None
) -> dict[str, Q]:
    """The filter of each tab as one condition (its parts OR-ed), usable in `filter`."""
    conditions = {}
    for key, parts in tab_parts(scope=scope, now=now, soon=soon).items():
        condition = parts[0]
        for part in parts[1:]:
            condition |= part
        conditions[key] = condition
    return conditions


@dataclass(frozen=True)
class QueueFilters:
    q: str = ""
    procedure_id: int | None = None
    field_id: int | None = None
    channel: str = ""
    unit_path: str = ""
    assignee_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: str = "due"


def _apply_filters(qs: QuerySet[Dossier], filters: QueueFilters) -> QuerySet[Dossier]:
    if filters.q:
        # Code, applicant name, organisation, IDs, phone: case and diacritics ignored, every word.
        qs = qs.filter(search_condition(filters.q))
    if filters.procedure_id is not None:
        qs = qs.filter(procedure_id=filters.procedure_id)
    if filters.field_id is not None:
        qs = qs.filter(procedure__field_id=filters.field_id)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.unit_path:
        qs = qs.filter(
            Q(receiving_unit__path__startswith=filters.unit_path)
            | Q(current_unit__path__startswith=filters.unit_path)
        )
    if filters.assignee_id is not None:
        qs = qs.filter(assignee_id=filters.assignee_id)
    # Days are Vietnam's days: compare with local midnight bounds.
    from motcua.documents.words import VN_TZ

    if filters.date_from is not None:
        low = dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=VN_TZ)
        qs = qs.filter(submitted_at__gte=low)
    if filters.date_to is not None:
        high = dt.datetime.combine(
            filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=VN_TZ
        )
        qs = qs.filter(submitted_at__lt=high)
    return qs


# A tab counts at most this many dossiers; above it its badge says "999+". The "handled" and
# "all" tabs hold every dossier a unit ever had: an exact count would grow with the history.
COUNT_CAP = 999
# Tabs whose first half (my units' own dossiers) only grows while the filters are empty.
GROWING_TABS = frozenset({"handled", "all"})
FULL_TABS_SECONDS = 24 * 3600


def _halves(
    scope: OfficerScope, filters: QueueFilters | None
) -> tuple[QuerySet[Dossier], QuerySet[Dossier]]:
    """The scope of `_scoped` as two disjoint halves, each served by its own index.

    First the dossiers my units received (index `dossier_queue_open`), then those received
    elsewhere whose current step is at one of my units (partial index `dossier_queue_away`:
    only the dossiers at a step away from their receiving unit, as many as are handed over).
    One OR across both made PostgreSQL read every dossier of my units and of the others.
    """
    visible = scope.visible
    base = Dossier.objects.filter(code__isnull=False).exclude(status=DossierStatus.DRAFT)
    if filters is not None:
        base = _apply_filters(base, filters)
    received_here = base.filter(receiving_unit_id__in=visible)
    # The index's own condition, word for word, so that PostgreSQL proves the index applies.
    at_my_step = base.filter(AWAY_FROM_RECEIVING_UNIT, current_unit_id__in=visible).exclude(
        receiving_unit_id__in=visible
    )
    return received_here, at_my_step


def queue_counts(
    *, scope: OfficerScope, now: dt.datetime, filters: QueueFilters | None = None
) -> dict[str, int]:
    """The number of dossiers of every tab, each counted up to COUNT_CAP + 1, in one query.

    Every tab counts a LIMITed subquery, so the cost follows the cap, not the data; a count
    above COUNT_CAP means "more than COUNT_CAP" (`count_label`). Below the cap it is exact.
    """
    if not scope.visible:
        return dict.fromkeys(TAB_KEYS, 0)
    # Unfiltered, the first half of "handled" and "all" only grows (events are never removed,
    # a dossier never changes its receiving unit nor goes back to a draft): once past the cap
    # it stays there, and is not counted again (the "handled" count was ~40 ms at 100 k).
    unfiltered = filters is None or replace(filters, sort="due") == QueueFilters()
    full_key = f"backoffice:full-tabs:{scope.version}:{scope.user.pk}"
    full = frozenset(cache.get(full_key) or ()) if unfiltered else frozenset()
    db = Dossier.objects.db

    def build(now: dt.datetime, soon: dt.datetime) -> tuple[str, list[Any]]:
        received_here, at_my_step = _halves(scope, filters)
        columns: list[str] = []
        params: list[Any] = []
        for key, parts in tab_parts(scope=scope, now=now, soon=soon).items():
            if key in full:
                columns.append(f"{COUNT_CAP + 1}, 0")
                continue
            # My units' own dossiers (they grow with the history), then those handed over to
            # my units: each part a LIMITed count.
            for half in (received_here, at_my_step):
                counts = []
                for part in parts:
                    sql, count_params = _limited_count(half.filter(part))
                    counts.append(sql)
                    params.extend(count_params)
                columns.append(" + ".join(counts))
        return f"SELECT {', '.join(columns)}", params

    sql, params = _compiled(
        ("counts", scope.version, scope.user.pk, filters, full, COUNT_CAP, db), build
    )
    with connections[db].cursor() as cursor:
        cursor.execute(sql, _bind(params, now=now, db=db))
        row = cursor.fetchone()
    firsts, seconds = row[0::2], row[1::2]
    if unfiltered:
        now_full = {
            key
            for key, count in zip(TAB_KEYS, firsts, strict=True)
            if key in GROWING_TABS and count > COUNT_CAP
        }
        if now_full - full:
            cache.set(full_key, full | now_full, timeout=FULL_TABS_SECONDS)
    return {
        key: min(first + second, COUNT_CAP + 1)
        for key, first, second in zip(TAB_KEYS, firsts, seconds, strict=True)
    }


# The SQL of the counts and of a page's keys, compiled once per officer scope, filters and page
# in a process: building ~20 querysets cost more CPU than running them. The times in it are
# compiled as two sentinel values and bound at each request (`_bind`).
_SENTINEL_NOW = dt.datetime(1901, 1, 1, 0, 0, 0, 1, tzinfo=dt.UTC)
_SENTINEL_SOON = dt.datetime(1901, 1, 2, 0, 0, 0, 2, tzinfo=dt.UTC)
_COMPILED_MAX = 2048
_compiled_sql: dict[tuple, tuple[str, list[Any]]] = {}


def _compiled(key: tuple, build: Any) -> tuple[str, list[Any]]:
    compiled = _compiled_sql.get(key)
    if compiled is None:
        if len(_compiled_sql) >= _COMPILED_MAX:
            _compiled_sql.clear()
        compiled = build(_SENTINEL_NOW, _SENTINEL_SOON)
        _compiled_sql[key] = compiled
    return compiled


def _bind(params: list[Any], *, now: dt.datetime, db: str) -> list[Any]:
    """The compiled parameters with the sentinel times replaced by `now` and its "due soon"."""
    connection = connections[db]
    prep = DateTimeField().get_db_prep_value
    values = {
        prep(_SENTINEL_NOW, connection): prep(now, connection),
        prep(_SENTINEL_SOON, connection): prep(due_soon_limit(now), connection),
    }
    return [
        values.get(value, value) if isinstance(value, str | dt.datetime) else value
        for value in params
    ]


def _limited_count(qs: QuerySet[Dossier]) -> tuple[str, tuple[Any, ...]]:
    """`(SELECT COUNT(*) FROM (… LIMIT COUNT_CAP + 1))`: at most the cap + 1 rows are read."""
    limited = qs.order_by().values("pk")[: COUNT_CAP + 1]
    sql, params = limited.query.get_compiler(using=limited.db).as_sql()
    return f"(SELECT COUNT(*) FROM ({sql}) AS limited)", params  # noqa: S608 - compiled SQL


def count_label(count: int) -> int | str:
    """A tab's badge: the exact count, or "999+" once it passed the cap."""
    return f"{COUNT_CAP}+" if count > COUNT_CAP else count


def queue_list(
    *, scope: OfficerScope, tab: str, now: dt.datetime, filters: QueueFilters
) -> QuerySet[Dossier]:
    """The dossiers of one tab, filtered and sorted, with what a row shows joined in.

    The whole tab as one queryset (for small lists and checks); the page reads `queue_page`.
    """
    conditions = tab_conditions(scope=scope, now=now)
    qs = _apply_filters(_scoped(scope).filter(conditions[tab]), filters)
    return _row_related(qs).order_by(*SORTS.get(filters.sort, SORTS["due"]))


def queue_page(
    *,
    scope: OfficerScope,
    tab: str,
    now: dt.datetime,
    filters: QueueFilters,
    offset: int,
    limit: int,
) -> list[Dossier]:
    """Rows `offset` to `offset + limit` of `queue_list`, in its order, in two queries.

    Each half (`_halves`) and part of the tab (`tab_parts`) reads at most `offset + limit` keys
    in the tab's order (an index walk with a LIMIT); their union is sorted again and cut, then
    only those rows are read with what a row shows. The cost follows the page, not the number of dossiers.
    """
    if not scope.visible:
        return []
    db = Dossier.objects.db

    def build(now: dt.datetime, soon: dt.datetime) -> tuple[str, list[Any]]:
        conditions = tab_parts(scope=scope, now=now, soon=soon)[tab]
        order = SORTS.get(filters.sort, SORTS["due"])
        # Each sort key under an alias of its own, so that the outer query can name it.
        keys = {f"key_{n}": F(name.removeprefix("-")) for n, name in enumerate(order)}
        parts: list[str] = []
        params: list[Any] = []
        halves = _halves(scope, filters)
        for number, (half, condition) in enumerate(
            (half, condition) for half in halves for condition in conditions
        ):
            qs = half.filter(condition).order_by(*order).values(row_id=F("pk"), **keys)
            qs = qs[: offset + limit]
            try:
                sql, half_params = qs.query.get_compiler(using=qs.db).as_sql()
            except EmptyResultSet:
                continue
            parts.append(f"SELECT * FROM ({sql}) AS part_{number}")  # noqa: S608 - ORM SQL
            params.extend(half_params)
        if not parts:
            return "", []
        # The union's columns are the dossier's own (aliased), so each database orders it as
        # it ordered the single query: same NULLs, same collation.
        order_by = ", ".join(
            f"{alias} {'DESC' if name.startswith('-') else 'ASC'}"
            for alias, name in zip(keys, order, strict=True)
        )
        union = " UNION ALL ".join(parts)
        sql = (
            f"SELECT row_id FROM ({union}) AS page"  # noqa: S608 - ORM SQL
            f" ORDER BY {order_by} LIMIT %s OFFSET %s"
        )
        return sql, [*params, limit, offset]

    key = ("page", scope.version, scope.user.pk, filters, tab, offset, limit, db)
    sql, params = _compiled(key, build)
    if not sql:
        return []
    with connections[db].cursor() as cursor:
        cursor.execute(sql, _bind(params, now=now, db=db))
        ids = [row[0] for row in cursor.fetchall()]
    if not ids:
        return []
    page = Dossier.objects.filter(pk__in=ids).order_by()
    rows = {d.pk: d for d in _row_related(page, steps=False)}
    # The procedures' steps only for the rows that may offer "start" (`quick_actions`): most
    # tabs hold none, and skip the query.
    received = [d for d in rows.values() if d.status == DossierStatus.RECEIVED]
    if received:
        prefetch_related_objects(received, _process_steps())
    return [rows[pk] for pk in ids if pk in rows]


# --- quick actions in a queue row ----------------------------------------------------------


@dataclass(frozen=True)
class QuickAction:
    """A one-click action of a queue row (no long form): start, or return the result in person."""

    action: str
    label: Any
    assign_me: bool = False
    hint: Any = ""


def _first_step(dossier: Dossier) -> ProcessStep | None:
    # Reads the prefetched `procedure.process_steps` (queue_list, queue_row): no query per row.
    steps = sorted(dossier.procedure.process_steps.all(), key=lambda step: (step.order, step.pk))
    return steps[0] if steps else None


def start_assigns_me(*, scope: OfficerScope, dossier: Dossier) -> bool:
    """Whether "start" would hand the first step to this officer: they hold its role over its unit."""
    first = _first_step(dossier)
    role = first.role if first is not None and first.role else Role.SPECIALIST
    unit_id = (first.unit_id if first is not None else None) or dossier.receiving_unit_id
    return unit_id in scope.units_for(role)


def quick_actions(*, scope: OfficerScope, dossier: Dossier) -> list[QuickAction]:
    """The quick actions the officer may take on the row, from the scope already loaded.

    Mirrors the transition table's authority (start: an officer of the receiving unit; return:
    its reception desk); the service checks it again when the button is pressed.
    """
    actions: list[QuickAction] = []
    unit_id = dossier.receiving_unit_id
    if dossier.status == DossierStatus.RECEIVED and unit_id in scope.units_for(*OFFICER_ROLES):
        mine = start_assigns_me(scope=scope, dossier=dossier)
        actions.append(
            QuickAction(
                Action.START,
                _("Nhận xử lý") if mine else _("Chuyển xử lý"),
                assign_me=mine,
                hint=_("Giao bước đầu tiên cho tôi")
                if mine
                else _("Chuyển cho bộ phận xử lý bước đầu tiên"),
            )
        )
    if (
        dossier.status == DossierStatus.RESULT_READY
        and dossier.result_delivery == ResultDelivery.IN_PERSON
        and unit_id in scope.units_for(Role.RECEPTION)
    ):
        actions.append(
            QuickAction(
                Action.RETURN_RESULT,
                _("Trả kết quả tại quầy"),
                hint=_("Ghi người nhận kết quả và trả tại bộ phận một cửa"),
            )
        )
    return actions


def queue_row(*, scope: OfficerScope, pk: int) -> Dossier | None:
    """One queue row, joined like the list (None once the dossier left the officer's units)."""
    return _row_related(_scoped(scope).filter(pk=pk)).first()


# What a queue row shows or checks (the template, `deadlines.time_left`, `quick_actions`, the
# quick forms), and nothing else: the dossier's form data and search text, the procedure's and
# the units' long columns stay in the database.
ROW_FIELDS = (
    "code",
    "channel",
    "status",
    "version",
    "applicant_name",
    "applicant_organisation",
    "applicant_citizen_id",
    "due_at",
    "received_at",
    "apologised",
    "timing",
    "result_delivery",
    "procedure__name",
    "receiving_unit__name",
    "receiving_unit__path",
    "current_step__name",
    "current_step__unit__name",
    "assignee__full_name",
)


def _process_steps() -> Prefetch:
    return Prefetch(
        "procedure__process_steps", queryset=ProcessStep.objects.order_by("order", "pk")
    )


def _row_related(qs: QuerySet[Dossier], *, steps: bool = True) -> QuerySet[Dossier]:
    qs = qs.select_related("procedure", "receiving_unit", "current_step__unit", "assignee")
    qs = qs.only(*ROW_FIELDS)
    return qs.prefetch_related(_process_steps()) if steps else qs


def procedures_for_filter() -> QuerySet[Procedure]:
    return Procedure.objects.filter(published=True).only("code", "name").order_by("name")


# The queue's filter lists, read from the cache: the catalogue's under its version (moved on by
# every save of a procedure, field or unit), the officer's under the scope version.
FILTER_LIST_SECONDS = 300


@dataclass(frozen=True)
class FilterChoices:
    """The choices of the queue's filter selects: (value, label), and what a value stands for."""

    procedures: list[tuple[str, str]]
    procedure_ids: dict[str, int]
    fields: list[tuple[int, str]]
    units: list[tuple[int, str]]
    unit_paths: dict[int, str]
    officers: list[tuple[int, str]]


def filter_choices(*, scope: OfficerScope) -> FilterChoices:
    from motcua.catalog.cache import catalog_version
    from motcua.catalog.models import Field

    catalogue_key = f"backoffice:filter-catalogue:{catalog_version()}"
    catalogue = cache.get(catalogue_key)
    if catalogue is None:
        catalogue = (
            list(procedures_for_filter().values_list("pk", "code", "name")),
            list(Field.objects.values_list("pk", "name")),
        )
        cache.set(catalogue_key, catalogue, timeout=FILTER_LIST_SECONDS)
    mine_key = f"backoffice:filter-scope:{scope.version}:{scope.user.pk}"
    mine = cache.get(mine_key)
    if mine is None:
        units = units_for_filter(scope=scope).order_by("path").values_list("pk", "name", "path")
        officers = officers_for_filter(scope=scope).values_list(
            "pk", "full_name", "first_name", "last_name", "username"
        )
        mine = (
            [(pk, name, path) for pk, name, path in units],
            [
                (pk, full or f"{first} {last}".strip() or username)
                for pk, full, first, last, username in officers
            ],
        )
        cache.set(mine_key, mine, timeout=FILTER_LIST_SECONDS)
    procedures, fields = catalogue
    units, officers = mine
    return FilterChoices(
        procedures=[(code, name) for _pk, code, name in procedures],
        procedure_ids={code: pk for pk, code, _name in procedures},
        fields=fields,
        # Indented by depth below the province, as the other unit selects show them.
        units=[
            (pk, "\u00a0\u00a0" * max(path.count("/") - 2, 0) + name) for pk, name, path in units
        ],
        unit_paths={pk: path for pk, _name, path in units},
        officers=officers,
    )


def units_for_filter(*, scope: OfficerScope) -> QuerySet[Unit]:
    return Unit.objects.filter(pk__in=scope.visible, is_active=True).only("name", "path")


def officers_for_filter(*, scope: OfficerScope) -> QuerySet[User]:
    return (
        User.objects.filter(
            memberships__is_active=True,
            memberships__role__in=OFFICER_ROLES,
            memberships__unit_id__in=scope.visible,
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "username")
    )


# --- one dossier -------------------------------------------------------------------------


def dossier_for_officer(*, scope: OfficerScope, code: str) -> Dossier | None:
    """The dossier if it lies within the officer's units, with what the page shows joined in."""
    return (
        _scoped(scope)
        .filter(code=code)
        .select_related(
            "procedure__field",
            "receiving_unit",
            "current_step__unit",
            "assignee",
            "received_by",
            "owner",
        )
        .first()
    )


@dataclass(frozen=True)
class DossierDetail:
    dossier: Dossier
    events: list[DossierEvent]
    steps: list[DossierStep]
    attachments: list[Any]
    required_documents: list[RequiredDocument]
    supplement_requests: list[Any]
    apology: Apology | None


def dossier_detail(*, dossier: Dossier) -> DossierDetail:
    events = list(dossier.events.select_related("actor").order_by("seq"))
    steps = list(
        dossier.steps.select_related("unit", "assignee", "sent_by").order_by("order", "pk")
    )
    attachments = list(
        dossier.attachments.select_related("required_document", "uploaded_by").order_by("pk")
    )
    required = list(dossier.procedure.required_documents.order_by("order", "pk"))
    supplements = list(dossier.supplement_requests.order_by("requested_at", "pk"))
    apology = Apology.objects.filter(dossier=dossier).select_related("signed_by").first()
    return DossierDetail(
        dossier=dossier,
        events=events,
        steps=steps,
        attachments=attachments,
        required_documents=required,
        supplement_requests=supplements,
        apology=apology,
    )


def officers_for_units(*, units: list[Unit], roles: frozenset[str] = OFFICER_ROLES):
    """Active officers whose memberships cover any of `units` (a membership covers its subtree)."""
    ancestor_ids: set[int] = set()
    for unit in units:
        ancestor_ids.update(int(part) for part in unit.path.strip("/").split("/") if part)
    return (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role__in=roles,
            memberships__unit_id__in=ancestor_ids,
        )
        .distinct()
        .order_by("full_name", "username")
    )


def units_for_forward() -> QuerySet[Unit]:
    return Unit.objects.filter(is_active=True).only("name", "code", "path").order_by("path")


# --- reception desk ----------------------------------------------------------------------


def procedures_for_intake(*, scope: OfficerScope, q: str = "", limit: int = 30):
    """Published procedures, searched without diacritics; those of my units first."""
    qs = Procedure.objects.filter(published=True).select_related("field")
    words = normalise(q).split()
    for word in words:
        qs = qs.filter(search_text__contains=word)
    reception_units = scope.units_for(Role.RECEPTION)
    mine = Exists(
        Procedure.performing_units.through.objects.filter(
            procedure_id=OuterRef("pk"), unit_id__in=reception_units
        )
    )
    return qs.annotate(is_mine=mine).order_by("-is_mine", "name")[:limit]


def procedure_for_intake(*, code: str) -> Procedure | None:
    return (
        Procedure.objects.filter(published=True, code=code)
        .prefetch_related("required_documents")
        .first()
    )


def reception_units(*, scope: OfficerScope) -> QuerySet[Unit]:
    """Units where the officer may receive: those their reception memberships name directly."""
    return Unit.objects.filter(
        memberships__user=scope.user,
        memberships__is_active=True,
        memberships__role=Role.RECEPTION,
    ).order_by("path")


# --- apologies ---------------------------------------------------------------------------


def apology_register(*, unit: Unit, year: int, month: int) -> list[Apology]:
    """Apologies issued in the month (Vietnam's time) for dossiers received by `unit`'s subtree."""
    from motcua.documents.words import VN_TZ

    low = dt.datetime(year, month, 1, tzinfo=VN_TZ)
    high = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=VN_TZ)
    return list(
        Apology.objects.filter(
            dossier__receiving_unit__path__startswith=unit.path,
            created_at__gte=low,
            created_at__lt=high,
        )
        .select_related("dossier__procedure", "signed_by")
        .order_by("created_at", "pk")
    )


def late_without_apology(*, scope: OfficerScope, unit: Unit | None, now: dt.datetime):
    qs = _scoped(scope).filter(status__in=CLOCK_RUNNING_STATES, due_at__lt=now, apologised=False)
    if unit is not None:
        qs = qs.filter(receiving_unit__path__startswith=unit.path)
    return qs.select_related("procedure", "receiving_unit", "assignee").order_by("due_at", "pk")
