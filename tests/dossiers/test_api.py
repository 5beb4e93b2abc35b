"""API v1 `dossiers` and `lookup`: creating dossiers from other channels, the scopes of a key
between agencies and procedures, workflow actions, attachments, the public lookup."""

# ruff: noqa: F811  (the API fixtures are imported from tests/integration/conftest.py)
from __future__ import annotations

import base64

from django.test import Client

from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import Dossier
from tests.dossiers.helpers import PDF_BYTES, drive
from tests.integration.conftest import (  # noqa: F401  (fixtures)
    Caller,
    _isolated,
    assert_error,
    caller,
    caller_b,
    create_body,
    make_caller,
    other_procedure,
    world,
)

PDF_B64 = base64.b64encode(PDF_BYTES).decode()


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


def test_an_attachment_without_a_kind_is_a_scan(world, caller: Caller) -> None:
    """The form's default kind arrives as its text, not as the enum (found by schemathesis: a 500)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    dossier = drive(world, DossierStatus.PROCESSING)
    upload = SimpleUploadedFile("ban-quet.pdf", PDF_BYTES, content_type="application/pdf")
    response = caller.http.post(
        f"/api/v1/dossiers/{dossier.code}/attachments",
        {"file": upload},
        headers={"Authorization": f"Bearer {caller.key}"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "scan"


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
