"""API v1 `procedures`: the public catalogue, searched as the portal does."""

# ruff: noqa: F811  (the API fixtures are imported from tests/integration/conftest.py)
from __future__ import annotations

from django.test import Client

from tests.integration.conftest import (  # noqa: F401  (fixtures)
    _isolated,
    assert_error,
    other_procedure,
    world,
)


def test_procedure_search_ignores_diacritics(world, other_procedure) -> None:
    response = Client().get("/api/v1/procedures", {"q": "dang ky khai sinh"})
    assert response.status_code == 200
    body = response.json()
    assert [p["code"] for p in body["items"]] == ["1.001193"]
    assert body["items"][0]["name"] == "Thủ tục đăng ký khai sinh"
    assert Client().get("/api/v1/procedures").json()["count"] == 2


def test_procedure_detail_and_404(world) -> None:
    body = Client().get("/api/v1/procedures/1.001193").json()
    assert body["agencies"] == ["000.00.21.H16"]
    assert body["online_level"] == 4
    assert_error(Client().get("/api/v1/procedures/9.999999"), 404, "not_found")
