"""Fixtures of the API tests: two agencies with staff, procedures, API clients and a caller."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from motcua.integration import egress
from motcua.integration.constants import CLIENT_ACTIONS, Scope
from motcua.integration.models import ApiClient
from motcua.integration.services import api_client_create
from tests.dossiers.helpers import World
from tests.dossiers.helpers import build_world as build_dossier_world
from tests.factories import (
    ProcedureFactory,
)

ALL_SCOPES = list(Scope.values)
ALL_ACTIONS = list(CLIENT_ACTIONS)


# The names the tests' webhooks use, as a resolver would answer: the tests never ask the real
# DNS (the machine may have none), and an unknown name fails as an unknown name does.
FAKE_DNS = {
    "phanmem.example.vn": ["14.225.0.10"],
    "hai-dia-chi.example.vn": ["14.225.0.11", "10.20.0.5"],
    "noibo.example.vn": ["10.20.0.5"],
    "localhost": ["127.0.0.1", "::1"],
}


def fake_resolve(host: str, port: int) -> list[str]:
    try:
        return FAKE_DNS[host.lower()]
    except KeyError:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path, monkeypatch) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    # The tests' webhook receiver listens on loopback (tests/integration/receiver.py).
    settings.MOTCUA_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8", "::1/128"]
    monkeypatch.setattr(egress, "_resolve", fake_resolve)
    cache.clear()


def build_world() -> World:
    return build_dossier_world(code="1.001193", name="Thủ tục đăng ký khai sinh")


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


def assert_error(response, status: int, code: str) -> dict:
    """The answer is `status` in the API's one error shape, with `code`; its error object."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code, body
    assert body["error"]["message"]
    return body["error"]
