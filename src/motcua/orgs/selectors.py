"""Reads of the org tree scoped by staff memberships (a membership covers its unit's subtree)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from .models import Membership, Unit


def memberships_for_user(*, user, roles: Iterable[str] | None = None) -> list[Membership]:
    """The user's active memberships, with their units."""
    if user is None or not user.is_authenticated:
        return []
    qs = Membership.objects.filter(user=user, is_active=True).select_related("unit")
    if roles is not None:
        qs = qs.filter(role__in=list(roles))
    return list(qs)


def unit_ids_for_user(*, user, roles: Iterable[str] | None = None) -> set[int]:
    """Ids of every unit the user's memberships (of `roles`, default any) cover, subtrees included."""
    memberships = memberships_for_user(user=user, roles=roles)
    if not memberships:
        return set()
    condition = Q()
    for path in {m.unit.path for m in memberships}:
        condition |= Q(path__startswith=path)
    return set(Unit.objects.filter(condition).values_list("pk", flat=True))


def roles_for_user_in_unit(*, user, unit: Unit) -> set[str]:
    """Roles the user holds in `unit` through a membership of the unit or of one of its ancestors."""
    if user is None or not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(
            user=user, is_active=True, unit_id__in=unit.ancestor_ids()
        ).values_list("role", flat=True)
    )


def user_has_role(*, user, unit: Unit, roles: Iterable[str]) -> bool:
    """True when the user holds one of `roles` in `unit` (directly or from a unit above it)."""
    return bool(roles_for_user_in_unit(user=user, unit=unit) & set(roles))
