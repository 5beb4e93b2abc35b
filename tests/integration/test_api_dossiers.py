"""API v1: authentication, scopes, the catalogue, creating and reading dossiers, actions, errors."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import Dossier
from motcua.integration.models import ApiCallLog
from motcua.integration.services import api_client_revoke
from tests.dossiers.helpers import PDF_BYTES, drive

from .conftest import Caller, create_body, make_caller

PDF_B64 = base64.b64encode(PDF_BYTES).decode()


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code, body
    assert body["error"]["message"]
    return body["error"]


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


# --- Catalogue (public) ---------------------------------------------------------------------


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


# --- Creating dossiers ----------------------------------------------------------------------


def test_create_online_dossier_waits_for_reception(world, caller: Caller) -> None:
    response = caller.post("dossiers", create_body(world))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == DossierStatus.SUBMITTED
    assert body["code"].startswith("000.00.21.H16-")
    assert body["external_code"] == "G22.99-250714-000123"
    dossier = Dossier.objects.get(code=body["code"])
    assert dossier.channel == "online"
    assert list(dossier.events.values_list("action", flat=True)) == ["create_draft", "submit"]
    # The reception officer of the agency sees it and may accept it as usual.
    assert dossier.applicant_name == "Nguyễn Văn An"


def test_create_direct_dossier_with_a_scan_is_received(world, caller: Caller) -> None:
    body = create_body(
        world,
        channel="direct",
        documents=[{"name": "ho-so.pdf", "content_base64": PDF_B64}],
    )
    response = caller.post("dossiers", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == DossierStatus.RECEIVED
    assert data["due_at"] and data["received_at"]
    assert data["is_digitised"] is True
    assert [a["kind"] for a in data["attachments"]] == ["scan"]


def test_create_checks_documents_by_content(world, caller: Caller) -> None:
    fake = base64.b64encode(b"MZ\x90\x00 not a pdf").decode()
    body = create_body(world, documents=[{"name": "virus.pdf", "content_base64": fake}])
    assert_error(caller.post("dossiers", body), 422, "invalid_attachment")
    body = create_body(world, documents=[{"name": "x.pdf", "content_base64": "%%%"}])
    assert_error(caller.post("dossiers", body), 422, "invalid_input")
    assert not Dossier.objects.exists()


def test_create_out_of_scope_agency_is_403(world, caller: Caller) -> None:
    body = create_body(world, agency=world.other_unit.code)
    assert_error(caller.post("dossiers", body), 403, "scope_denied")


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


# --- Scopes between agencies ----------------------------------------------------------------


def test_client_of_agency_a_cannot_read_or_move_b(world, caller: Caller, caller_b: Caller) -> None:
    mine = drive(world, DossierStatus.SUBMITTED)
    theirs = caller_b.post("dossiers", create_body(world, agency=world.other_unit.code))
    # caller_b's agency has no procedure 1.001193 performer, but scope is about agencies.
    assert theirs.status_code == 201, theirs.content
    code_b = theirs.json()["code"]

    assert caller.get(f"dossiers/{mine.code}").status_code == 200
    assert_error(caller.get(f"dossiers/{code_b}"), 404, "not_found")
    assert_error(caller.post(f"dossiers/{code_b}/actions/accept", {}), 404, "not_found")
    assert_error(caller_b.get(f"dossiers/{mine.code}"), 404, "not_found")
    assert_error(caller_b.post(f"dossiers/{mine.code}/actions/accept", {}), 404, "not_found")
    codes_a = {d["code"] for d in caller.get("dossiers").json()["items"]}
    codes_b = {d["code"] for d in caller_b.get("dossiers").json()["items"]}
    assert codes_a == {mine.code}
    assert codes_b == {code_b}
    assert Dossier.objects.get(code=mine.code).status == DossierStatus.SUBMITTED


def test_procedure_scope(world, other_procedure) -> None:
    other_procedure.performing_units.add(world.unit)
    only = make_caller(world, name="Chỉ khai sinh")
    only.client.procedures.set([world.procedure])
    assert only.post("dossiers", create_body(world)).status_code == 201
    body = create_body(world, procedure=other_procedure.code)
    assert_error(only.post("dossiers", body), 403, "scope_denied")


# --- Actions --------------------------------------------------------------------------------


def test_actions_walk_the_workflow(world, caller: Caller) -> None:
    code = caller.post("dossiers", create_body(world)).json()["code"]
    detail = caller.get(f"dossiers/{code}").json()
    assert "accept" in detail["available_actions"]
    version = detail["version"]

    accepted = caller.post(f"dossiers/{code}/actions/accept", {"expected_version": version})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == DossierStatus.RECEIVED
    started = caller.post(f"dossiers/{code}/actions/start", {}).json()
    assert started["status"] == DossierStatus.PROCESSING
    assert started["current_step"]["name"] == "Thẩm định"
    forwarded = caller.post(f"dossiers/{code}/actions/forward", {"note": "Thẩm định đạt"}).json()
    assert forwarded["current_step"]["name"] == "Phê duyệt"
    assert forwarded["steps"][0]["note"] == "Thẩm định đạt"
    approved = caller.post(
        f"dossiers/{code}/actions/approve",
        {"note": "Đồng ý", "documents": [{"name": "ket-qua.pdf", "content_base64": PDF_B64}]},
    ).json()
    assert approved["status"] == DossierStatus.RESULT_READY
    assert approved["has_e_result"] is True
    assert [a["kind"] for a in approved["attachments"]] == ["result"]
    dossier = Dossier.objects.get(code=code)
    actors = set(dossier.events.values_list("actor__username", flat=True))
    assert actors == {caller.client.user.username}


def test_action_errors_are_the_services(world, caller: Caller) -> None:
    dossier = drive(world, DossierStatus.SUBMITTED)
    path = f"dossiers/{dossier.code}/actions"
    assert_error(caller.post(f"{path}/approve", {}), 409, "illegal_transition")
    assert_error(caller.post(f"{path}/accept", {"expected_version": 1}), 409, "stale_dossier")
    assert_error(caller.post(f"{path}/refuse", {}), 422, "invalid_input")
    assert_error(caller.post(f"{path}/refuse", {"reason": "  "}), 422, "validation_failed")
    assert_error(caller.post(f"{path}/fly", {}), 422, "invalid_input")
    assert_error(caller.post(f"{path}/accept", {"bogus": 1}), 422, "invalid_input")
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.SUBMITTED


def test_action_outside_the_clients_actions_is_403(world) -> None:
    intake_only = make_caller(world, actions=["accept"], name="Chỉ tiếp nhận")
    dossier = drive(world, DossierStatus.RECEIVED)
    assert_error(
        intake_only.post(f"dossiers/{dossier.code}/actions/start", {}), 403, "scope_denied"
    )
    # Its technical account holds reception only: the table still decides the rest.
    roles = set(intake_only.client.user.memberships.values_list("role", flat=True))
    assert roles == {"reception"}


def test_leader_actions_need_the_leader_role_from_the_table(world) -> None:
    finisher = make_caller(world, actions=["approve"], scopes=["dossiers:read"], name="Phê duyệt")
    roles = set(finisher.client.user.memberships.values_list("role", flat=True))
    assert roles == {"unit_leader"}
    dossier = drive(world, DossierStatus.PROCESSING)
    response = finisher.post(f"dossiers/{dossier.code}/actions/approve", {})
    assert response.status_code == 200, response.content


# --- Attachments ----------------------------------------------------------------------------


def test_attachment_upload_and_streamed_download(world, caller: Caller) -> None:
    dossier = drive(world, DossierStatus.PROCESSING)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("ban-quet.pdf", PDF_BYTES, content_type="application/pdf")
    response = caller.http.post(
        f"/api/v1/dossiers/{dossier.code}/attachments",
        {"file": upload, "kind": "scan"},
        headers={"Authorization": f"Bearer {caller.key}"},
    )
    assert response.status_code == 201, response.content
    attachment = response.json()
    download = caller.get(f"dossiers/{dossier.code}/attachments/{attachment['id']}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Type"] == "application/pdf"
    assert_error(caller.get(f"dossiers/{dossier.code}/attachments/999999"), 404, "not_found")
    bad = SimpleUploadedFile("x.pdf", b"GIF89a....", content_type="application/pdf")
    response = caller.http.post(
        f"/api/v1/dossiers/{dossier.code}/attachments",
        {"file": bad, "kind": "scan"},
        headers={"Authorization": f"Bearer {caller.key}"},
    )
    assert_error(response, 422, "invalid_attachment")


# --- Public lookup --------------------------------------------------------------------------


def test_lookup_is_public_and_minimal(world, settings) -> None:
    dossier = drive(world, DossierStatus.PROCESSING)
    body = Client().get(f"/api/v1/lookup/{dossier.code}").json()
    assert set(body) == {"code", "status", "status_label", "appointment_at"}
    assert body["status"] == "processing"
    assert body["status_label"] == "Đang xử lý"
    assert_error(Client().get("/api/v1/lookup/000.00.21.H16-250101-0000"), 404, "not_found")
    settings.MOTCUA_API_PUBLIC_RATE_LIMIT_PER_MINUTE = 3
    statuses = [Client().get(f"/api/v1/lookup/{dossier.code}").status_code for _ in range(4)]
    assert statuses[-1] == 429


def test_nul_characters_are_refused_before_any_work(world, caller: Caller) -> None:
    assert_error(Client().get("/api/v1/procedures", {"q": "khai\x00sinh"}), 422, "invalid_input")
    body = create_body(world, applicant={"name": "An\u0000"})
    assert_error(caller.post("dossiers", body), 422, "invalid_input")
    response = caller.post("dossiers", create_body(world), {"Idempotency-Key": "a\x00b"})
    assert_error(response, 422, "invalid_input")
    assert not Dossier.objects.exists()
