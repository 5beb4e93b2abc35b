"""Reads of dossiers, already scoped to what the caller may see."""

from __future__ import annotations

import datetime as dt

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Q, QuerySet

from motcua.orgs.constants import OFFICER_ROLES, Role
from motcua.orgs.selectors import unit_ids_for_user

from .constants import CLOCK_RUNNING_STATES, DossierStatus
from .exceptions import PermissionDenied
from .models import Dossier, DossierEvent

# Roles that may read the dossiers of the units they cover (report viewers read reports only).
READER_ROLES = OFFICER_ROLES | {Role.AGENCY_ADMIN, Role.PROVINCE_ADMIN}


def _base() -> QuerySet[Dossier]:
    return Dossier.objects.select_related("procedure", "receiving_unit", "current_step__unit")


def dossier_list_for_officer(
    *,
    user,
    status: str | None = None,
    unit_ids: set[int] | None = None,
    assigned_to_me: bool = False,
) -> QuerySet[Dossier]:
    """Dossiers received by, or currently at a step in, a unit the officer's memberships cover."""
    visible = unit_ids_for_user(user=user, roles=READER_ROLES)
    if unit_ids is not None:
        visible &= unit_ids
    if not visible:
        return Dossier.objects.none()
    qs = (
        _base()
        .filter(Q(receiving_unit_id__in=visible) | Q(current_step__unit_id__in=visible))
        .exclude(status="draft")
    )
    if status:
        qs = qs.filter(status=status)
    if assigned_to_me:
        qs = qs.filter(assignee=user)
    return qs.order_by("due_at", "pk")


def dossier_list_for_citizen(*, user) -> QuerySet[Dossier]:
    if user is None or not user.is_authenticated:
        return Dossier.objects.none()
    return _base().filter(owner=user).order_by("-created_at", "-pk")


def dossier_get_for_citizen(*, user, code: str) -> Dossier:
    dossier = dossier_list_for_citizen(user=user).filter(code=code).first()
    if dossier is None:
        raise PermissionDenied(details={"code": code})
    return dossier


def dossier_get_draft_for_citizen(*, user, uuid: str) -> Dossier:
    """The owner's draft by its uuid (drafts have no code yet)."""
    dossier = (
        dossier_list_for_citizen(user=user).filter(uuid=uuid, status="draft").first()
        if user is not None and user.is_authenticated
        else None
    )
    if dossier is None:
        raise PermissionDenied(details={"uuid": str(uuid)})
    return dossier


def dossier_get_for_officer(*, user, code: str) -> Dossier:
    dossier = dossier_list_for_officer(user=user).filter(code=code).first()
    if dossier is None:
        raise PermissionDenied(details={"code": code})
    return dossier


# What the public lookup shows or checks (status, appointment, the owner and the second factor);
# the detailed view loads the procedure and unit names on demand (two bounded queries).
LOOKUP_FIELDS = (
    "code",
    "status",
    "due_at",
    "apology_due_at",
    "owner_id",
    "applicant_phone",
    "applicant_citizen_id",
    "procedure_id",
    "receiving_unit_id",
)


def dossier_lookup_public(*, code: str) -> Dossier | None:
    """The public lookup by code (/tra-cuu/, API lookup): callers show only minimal fields.

    The hottest public read: one row by its unique code, no joins, no ORDER BY, only the columns
    the lookup reads (bench/RESULTS.md, "Profiles and fixes"). The statement is the ORM's,
    compiled once per database (building and compiling the queryset cost more than running it);
    the row goes through the same converters into a Dossier with the other fields deferred.
    """
    statement = _lookup_statements.get(DEFAULT_DB_ALIAS)
    if statement is None:
        statement = _LookupStatement(DEFAULT_DB_ALIAS)
        _lookup_statements[DEFAULT_DB_ALIAS] = statement
    return statement.run(code)


class _LookupStatement:
    """`Dossier.objects.filter(code=…).exclude(status="draft").only(*LOOKUP_FIELDS)[:1]`, compiled."""

    _MARK = "\x00code"

    def __init__(self, alias: str) -> None:
        queryset = (
            Dossier.objects.using(alias)
            .filter(code=self._MARK)
            .exclude(status=DossierStatus.DRAFT)
            .only(*LOOKUP_FIELDS)
            .order_by()[:1]
        )
        compiler = queryset.query.get_compiler(using=alias)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.code_at = self.params.index(self._MARK)
        self.alias = alias
        self.compiler = compiler
        columns = [column for column, _, _ in compiler.select]
        self.attnames = [column.target.attname for column in columns]
        self.converters = compiler.get_converters(columns)

    def run(self, code: str) -> Dossier | None:
        params = list(self.params)
        params[self.code_at] = code
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if self.converters:
            row = next(iter(self.compiler.apply_converters([row], self.converters)))
        return Dossier.from_db(self.alias, self.attnames, row)


_lookup_statements: dict[str, _LookupStatement] = {}


def dossier_list_updated_since(*, queryset: QuerySet[Dossier], since: dt.datetime | None):
    """For synchronisation: ordered by (updated_at, pk) so a cursor can resume."""
    qs = queryset
    if since is not None:
        qs = qs.filter(updated_at__gt=since)
    return qs.order_by("updated_at", "pk")


def dossier_list_overdue(*, queryset: QuerySet[Dossier], at: dt.datetime) -> QuerySet[Dossier]:
    return queryset.filter(status__in=CLOCK_RUNNING_STATES, due_at__lt=at)


def event_list_for_dossier(*, dossier: Dossier) -> QuerySet[DossierEvent]:
    return dossier.events.select_related("actor").order_by("seq")
