"""create_api_client, the admin's client pages, the docs and the retry/sync commands."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from motcua.integration.models import ApiClient

KEY_RE = re.compile(r"^mc_[0-9a-f]{8}_[\w-]{40,}$")


def test_create_api_client_prints_the_key_once(world) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_api_client",
        "--name",
        "Phần mềm hộ tịch",
        "--agency",
        world.unit.code,
        "--scope",
        "dossiers:read",
        "action:start",
        "action:approve",
        stdout=out,
        stderr=err,
    )
    key = out.getvalue().strip()
    assert KEY_RE.match(key), key
    client = ApiClient.objects.get(name="Phần mềm hộ tịch")
    assert key not in str(client.__dict__)  # only a hash is kept
    assert client.scopes == ["dossiers:read"]
    assert client.allowed_actions == ["approve", "start"]
    response = Client().get("/api/v1/dossiers", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200


def test_create_api_client_refuses_unknown_things(world) -> None:
    with pytest.raises(CommandError, match="unknown agencies"):
        call_command("create_api_client", "--name", "X", "--agency", "999.99.99.H16")
    with pytest.raises(CommandError):
        call_command(
            "create_api_client", "--name", "X", "--agency", world.unit.code, "--scope", "root"
        )


def test_admin_creates_a_client_and_shows_the_key_once(world, admin_client) -> None:
    response = admin_client.post(
        "/admin/integration/apiclient/add/",
        {
            "name": "Ki-ốt phường",
            "agencies": [world.unit.pk],
            "scopes": ["dossiers:read", "dossiers:create"],
            "allowed_actions": ["accept"],
            "rate_limit_per_minute": 120,
            "is_active": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    key = next(m.split(": ")[-1] for m in messages if "mc_" in m)
    client = ApiClient.objects.get(name="Ki-ốt phường")
    assert set(client.user.memberships.values_list("role", flat=True)) == {"reception"}
    ok = Client().get("/api/v1/dossiers", headers={"Authorization": f"Bearer {key}"})
    assert ok.status_code == 200
    page = admin_client.get(f"/admin/integration/apiclient/{client.pk}/change/")
    assert key not in page.content.decode()


def test_docs_and_openapi_are_served(db) -> None:
    assert Client().get("/api/v1/docs").status_code == 200
    schema = Client().get("/api/v1/openapi.json").json()
    assert "X-Motcua-Signature" in schema["info"]["description"]
    assert "/api/v1/dossiers/{code}/actions/{action}" in schema["paths"]


def test_retry_and_national_sync_commands(world) -> None:
    from tests.dossiers.helpers import drive

    drive(world, "received")
    out = io.StringIO()
    call_command("national_sync", stdout=out)
    assert out.getvalue().startswith("1 ")
    out = io.StringIO()
    call_command("integration_retry", stdout=out)
    assert "webhooks: 0" in out.getvalue()
