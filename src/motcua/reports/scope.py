"""Who sees which part of the reports: the province, the agencies that report to it, and a
staff member's scope (report viewers and agency or province administrators see the subtree of
the units their memberships cover)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Q,
    QuerySet,
    When,
)

from motcua.orgs.constants import Role
from motcua.orgs.models import Membership, Unit

# --- Scope -----------------------------------------------------------------------------------


REPORT_ROLES = (Role.REPORT_VIEWER, Role.AGENCY_ADMIN, Role.PROVINCE_ADMIN)


def province_root() -> Unit | None:
    """The top of the tree (the province); the first root when a database holds several."""
    return (
        Unit.objects.filter(parent__isnull=True)
        .order_by(Case(When(kind="province", then=0), default=1), "path")
        .first()
    )


def agency_get(*, code: str) -> Unit | None:
    return Unit.objects.filter(code=code).first()


def subtree_ids(agency: Unit | None) -> list[int] | None:
    """Unit ids of the agency's subtree; None means every unit (the whole database)."""
    if agency is None:
        return None
    if (
        agency.parent_id is None
        and not Unit.objects.filter(parent__isnull=True).exclude(pk=agency.pk).exists()
    ):
        return None
    return list(Unit.objects.filter(path__startswith=agency.path).values_list("pk", flat=True))


def scoped(qs: QuerySet[Any], unit_ids: list[int] | None, prefix: str = "") -> QuerySet[Any]:
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


# --- Submissions -----------------------------------------------------------------------------


def reporting_agencies() -> list[Unit]:
    """The agencies that report to the province: the active units right below it, by code
    (the path orders ids as text: "/1/12/" before "/1/9/")."""
    root = province_root()
    if root is None:
        return []
    return list(Unit.objects.filter(parent=root, is_active=True).order_by("code"))
