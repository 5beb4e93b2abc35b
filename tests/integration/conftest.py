"""Fixtures of the API tests: two agencies with staff, procedures, API clients and a caller."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from motcua.integration.constants import CLIENT_ACTIONS, Scope
from motcua.integration.models import ApiClient
from motcua.integration.services import api_client_create
from motcua.orgs.constants import Role, UnitKind
from tests.dossiers.helpers import World
from tests.factories import (
    MembershipFactory,
    ProcedureFactory,
    ProcessStepFactory,
    StaffFactory,
    UnitFactory,
    UserFactory,
)

ALL_SCOPES = list(Scope.values)
ALL_ACTIONS = list(CLIENT_ACTIONS)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


def build_world() -> World:
    unit = UnitFactory(code="000.00.21.H16", name="Sở Tư pháp")
    office = UnitFactory(
        code="000.01.21.H16", name="Phòng Hành chính tư pháp", parent=unit, kind=UnitKind.OFFICE
    )
    other_unit = UnitFactory(code="000.00.22.H16", name="Sở Xây dựng")
    procedure = ProcedureFactory(code="1.001193", name="Thủ tục đăng ký khai sinh")
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


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def other_procedure(world: World):
    procedure = ProcedureFactory(code="1.009999", name="Cấp giấy phép xây dựng")
    procedure.performing_units.add(world.other_unit)
    return procedure


@dataclass
class Caller:
    """A test HTTP client that sends one API key."""

    key: str
    client: ApiClient
    http: Client

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        result = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        result.update(headers or {})
        return result

    def get(self, path: str, **params: Any):
        return self.http.get(f"/api/v1/{path}", params, headers=self._headers(None))

    def post(self, path: str, data: Any = None, headers: dict[str, str] | None = None):
        return self.http.post(
            f"/api/v1/{path}",
            json.dumps(data if data is not None else {}),
            content_type="application/json",
            headers=self._headers(headers),
        )


def make_caller(world: World, *, agencies=None, scopes=None, actions=None, name="Phần mềm A"):
    client, key = api_client_create(
        name=name,
        agencies=agencies or [world.unit],
        scopes=ALL_SCOPES if scopes is None else scopes,
        allowed_actions=ALL_ACTIONS if actions is None else actions,
    )
    return Caller(key=key, client=client, http=Client())


@pytest.fixture
def caller(world: World) -> Caller:
    return make_caller(world)


@pytest.fixture
def caller_b(world: World) -> Caller:
    return make_caller(world, agencies=[world.other_unit], name="Phần mềm B")


def create_body(world: World, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "procedure": world.procedure.code,
        "agency": world.unit.code,
        "channel": "online",
        "external_code": "G22.99-250714-000123",
        "applicant": {"name": "Nguyễn Văn An", "citizen_id": "066090001234"},
        "result_delivery": "online",
    }
    body.update(overrides)
    return body
