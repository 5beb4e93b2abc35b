"""API v1 as integration owns it: authentication and the call log, rate limits, scopes, the error
shape of every answer (validation, malformed bodies, unknown paths, NUL characters). The
endpoints of the apps are tested beside them (tests/catalog/test_api.py, tests/dossiers/test_api.py)."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from motcua.dossiers.models import Dossier
from motcua.integration.models import ApiCallLog
from motcua.integration.services import api_client_revoke
from tests.dossiers.helpers import PDF_BYTES

from .conftest import Caller, assert_error, create_body, make_caller

PDF_B64 = base64.b64encode(PDF_BYTES).decode()


# --- Authentication and the call log --------------------------------------------------------


def test_no_key_is_401_json(world) -> None:
    response = Client().get("/api/v1/dossiers")
    assert_error(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header", ["Bearer nope", "Bearer mc_abc_def", "Basic dXNlcjpwYXNz", "Bearer "]
)
def test_bad_key_is_401(world, header: str) -> None:
    response = Client().get("/api/v1/dossiers", headers={"Authorization": header})
    assert_error(response, 401, "unauthenticated")


def test_revoked_key_is_401_and_memberships_go(world, caller: Caller) -> None:
    assert caller.get("dossiers").status_code == 200
    api_client_revoke(client=caller.client)
    assert_error(caller.get("dossiers"), 401, "unauthenticated")
    assert not caller.client.user.memberships.exists()
    caller.client.user.refresh_from_db()
    assert not caller.client.user.is_active


def test_every_authenticated_call_is_logged(world, caller: Caller) -> None:
    caller.get("dossiers")
    caller.get("dossiers/000.00.21.H16-250101-9999")
    log = list(ApiCallLog.objects.filter(client=caller.client).order_by("id"))
    assert [(c.method, c.status) for c in log] == [("GET", 200), ("GET", 404)]
    assert log[1].path == "/api/v1/dossiers/000.00.21.H16-250101-9999"


def test_rate_limit_per_client(world, caller: Caller) -> None:
    caller.client.rate_limit_per_minute = 3
    caller.client.save()
    statuses = [caller.get("dossiers").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    error = assert_error(caller.get("dossiers"), 429, "rate_limited")
    assert error["details"] == {"limit_per_minute": 3}


def test_missing_scope_is_403(world) -> None:
    reader = make_caller(world, scopes=["dossiers:read"], actions=[])
    assert_error(reader.post("dossiers", create_body(world)), 403, "scope_denied")
    assert_error(reader.post("webhooks", {"url": "http://127.0.0.1:9/x"}), 403, "scope_denied")


# --- Creating dossiers ----------------------------------------------------------------------


def test_create_validation_errors_are_422_in_shape(world, caller: Caller) -> None:
    error = assert_error(caller.post("dossiers", {"procedure": "1.001193"}), 422, "invalid_input")
    locs = {tuple(e["loc"]) for e in error["details"]["errors"]}
    assert ("body", "payload", "agency") in locs
    body = create_body(world, applicant={"name": "A", "citizen_id": "12"})
    assert_error(caller.post("dossiers", body), 422, "invalid_input")
    assert_error(
        caller.post("dossiers", create_body(world, procedure="0.000000")), 422, "invalid_input"
    )


def test_malformed_json_is_400(world, caller: Caller) -> None:
    response = caller.http.post(
        "/api/v1/dossiers",
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {caller.key}"},
    )
    assert_error(response, 400, "bad_request")


def test_unknown_path_and_method_are_json(world, caller: Caller) -> None:
    assert_error(Client().get("/api/v1/nothing/here"), 404, "not_found")
    response = Client().delete("/api/v1/procedures")
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


# --- Public lookup --------------------------------------------------------------------------


def test_nul_characters_are_refused_before_any_work(world, caller: Caller) -> None:
    assert_error(Client().get("/api/v1/procedures", {"q": "khai\x00sinh"}), 422, "invalid_input")
    body = create_body(world, applicant={"name": "An\u0000"})
    assert_error(caller.post("dossiers", body), 422, "invalid_input")
    response = caller.post("dossiers", create_body(world), {"Idempotency-Key": "a\x00b"})
    assert_error(response, 422, "invalid_input")
    assert not Dossier.objects.exists()
