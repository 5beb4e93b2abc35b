"""Fixtures of the dossier tests: a small unit tree, its staff, a citizen and a procedure."""

from __future__ import annotations

from decimal import Decimal

import pytest

from motcua.orgs.constants import Role, UnitKind
from tests.factories import (
    MembershipFactory,
    ProcedureFactory,
    ProcessStepFactory,
    StaffFactory,
    UnitFactory,
    UserFactory,
)

from .helpers import World


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db) -> World:
    unit = UnitFactory(code="000.00.21.H16", name="Sở Tư pháp")
    office = UnitFactory(
        code="000.01.21.H16", name="Phòng Hành chính tư pháp", parent=unit, kind=UnitKind.OFFICE
    )
    other_unit = UnitFactory(code="000.00.22.H16", name="Sở Xây dựng")
    procedure = ProcedureFactory(processing_time=5)
    procedure.performing_units.add(unit)
    ProcessStepFactory(
        procedure=procedure,
        order=1,
        name="Thẩm định",
        role=Role.SPECIALIST,
        unit=office,
        allotted_hours=Decimal("24"),
    )
    ProcessStepFactory(
        procedure=procedure,
        order=2,
        name="Phê duyệt",
        role=Role.UNIT_LEADER,
        unit=None,
        allotted_hours=Decimal("8"),
    )
    reception = StaffFactory(username="tiepnhan")
    specialist = StaffFactory(username="chuyenvien")
    leader = StaffFactory(username="lanhdao")
    other_reception = StaffFactory(username="tiepnhan_khac")
    MembershipFactory(user=reception, unit=unit, role=Role.RECEPTION)
    # The specialist sits in the office below the department: covers only the office.
    MembershipFactory(user=specialist, unit=office, role=Role.SPECIALIST)
    MembershipFactory(user=leader, unit=unit, role=Role.UNIT_LEADER)
    MembershipFactory(user=other_reception, unit=other_unit, role=Role.RECEPTION)
    return World(
        unit=unit,
        other_unit=other_unit,
        procedure=procedure,
        citizen=UserFactory(username="congdan"),
        other_citizen=UserFactory(username="congdan_khac"),
        reception=reception,
        specialist=specialist,
        leader=leader,
        other_reception=other_reception,
    )
