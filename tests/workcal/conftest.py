"""Fixtures of the working-calendar tests: a small unit tree."""

from __future__ import annotations

import pytest

from motcua.orgs.constants import GovLevel, UnitKind
from motcua.orgs.models import Unit


@pytest.fixture
def tree(db: None) -> dict[str, Unit]:
    """Province → department → office, plus a sibling department."""
    province = Unit.objects.create(
        code="000.00.00.H16",
        name="UBND tỉnh Đắk Lắk",
        kind=UnitKind.PROVINCE,
        level=GovLevel.PROVINCE,
    )
    department = Unit.objects.create(
        code="000.00.21.H16",
        name="Sở Tư pháp",
        kind=UnitKind.DEPARTMENT,
        level=GovLevel.PROVINCE,
        parent=province,
    )
    office = Unit.objects.create(
        code="000.01.21.H16",
        name="Phòng Hành chính tư pháp",
        kind=UnitKind.OFFICE,
        level=GovLevel.PROVINCE,
        parent=department,
    )
    sibling = Unit.objects.create(
        code="000.00.22.H16",
        name="Sở Y tế",
        kind=UnitKind.DEPARTMENT,
        level=GovLevel.PROVINCE,
        parent=province,
    )
    for unit in (province, department, office, sibling):
        unit.refresh_from_db()
    return {"province": province, "department": department, "office": office, "sibling": sibling}
