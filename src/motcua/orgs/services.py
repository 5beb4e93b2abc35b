"""Writes to the organisation tree: units created from data specs, staff memberships granted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction

from motcua.accounts.models import User

from .constants import GovLevel, Role, UnitKind
from .models import Membership, Unit


@dataclass(frozen=True)
class UnitSpec:
    """One node of a tree to create: the tree is data, whatever its shape (2020 or 2025)."""

    code: str
    name: str
    kind: UnitKind
    level: GovLevel
    short_name: str = ""
    admin_code: str = ""
    key: str = ""
    children: Sequence[UnitSpec] = field(default_factory=tuple)


def unit_create(
    *,
    code: str,
    name: str,
    kind: str,
    level: str,
    parent: Unit | None = None,
    short_name: str = "",
    admin_code: str = "",
    address: str = "",
    is_demo: bool = False,
) -> Unit:
    """Create one unit after the model's own validation (code shape, uniqueness, no cycle)."""
    unit = Unit(
        code=code,
        name=name,
        kind=kind,
        level=level,
        parent=parent,
        short_name=short_name,
        admin_code=admin_code,
        address=address,
        is_demo=is_demo,
    )
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def unit_tree_create(
    *, spec: UnitSpec, parent: Unit | None = None, is_demo: bool = False
) -> dict[str, Unit]:
    """Create `spec` and everything below it; returns the created units by code."""
    created: dict[str, Unit] = {}

    def _create(node: UnitSpec, under: Unit | None) -> None:
        unit = unit_create(
            code=node.code,
            name=node.name,
            kind=node.kind,
            level=node.level,
            parent=under,
            short_name=node.short_name,
            admin_code=node.admin_code,
            is_demo=is_demo,
        )
        created[unit.code] = unit
        for child in node.children:
            _create(child, unit)

    _create(spec, parent)
    return created


@transaction.atomic
def membership_grant(*, user: User, unit: Unit, role: str, title: str = "") -> Membership:
    """Give `user` the `role` in `unit` (and so in every unit below it); idempotent."""
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    membership, created = Membership.objects.select_for_update().get_or_create(
        user=user, unit=unit, role=role, defaults={"title": title}
    )
    if not created and (not membership.is_active or membership.title != title):
        membership.is_active = True
        membership.title = title
        membership.save(update_fields=["is_active", "title"])
    return membership
