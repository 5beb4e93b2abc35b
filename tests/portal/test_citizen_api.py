"""A citizen's browser session is no key to the integration API (issue 3: never "by API")."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.dossiers.constants import DossierStatus
from tests.dossiers.helpers import drive

pytestmark = pytest.mark.django_db


def _signed_in(user, *, enforce_csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.force_login(user)
    return client


def _assert_unauthenticated(response) -> None:
    assert response.status_code == 401, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == "unauthenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("whose", ["own", "another"])
@pytest.mark.parametrize("enforce_csrf", [False, True])
def test_session_cookie_reads_and_acts_on_no_dossier(world, whose: str, enforce_csrf: bool):
    dossier = drive(world, DossierStatus.SUBMITTED)
    owner = world.citizen if whose == "own" else world.other_citizen
    client = _signed_in(owner, enforce_csrf=enforce_csrf)
    assert "sessionid" in client.cookies  # a real signed-in browser session
    events = dossier.events.count()

    _assert_unauthenticated(client.get(f"/api/v1/dossiers/{dossier.code}"))
    _assert_unauthenticated(client.get("/api/v1/dossiers"))
    _assert_unauthenticated(
        client.post(
            f"/api/v1/dossiers/{dossier.code}/actions/withdraw",
            {"expected_version": dossier.version, "reason": "Rút qua API"},
            content_type="application/json",
        )
    )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED
    assert dossier.events.count() == events


def test_public_lookup_shows_no_personal_data(world):
    world.citizen.full_name = "Hoàng Thị Ngọc Ánh"
    world.citizen.save()
    dossier = drive(world, DossierStatus.PROCESSING)
    for client in (Client(), _signed_in(world.other_citizen), _signed_in(world.citizen)):
        response = client.get(f"/api/v1/lookup/{dossier.code}")
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"code", "status", "status_label", "appointment_at"}
        assert body["code"] == dossier.code and body["status"] == DossierStatus.PROCESSING
        text = response.content.decode()
        for personal in (
            dossier.applicant_name,
            "Hoàng Thị Ngọc Ánh",
            dossier.applicant_citizen_id,
            dossier.applicant_phone,
            dossier.applicant_email,
            world.specialist.username,
        ):
            assert personal and personal not in text, personal


def test_lookup_of_a_draft_or_a_guess_is_the_same_404(world):
    draft = drive(world, DossierStatus.DRAFT)
    client = _signed_in(world.citizen)
    guess = client.get("/api/v1/lookup/000.00.21.H16-250714-9999")
    assert guess.status_code == 404 and guess.json()["error"]["code"] == "not_found"
    by_uuid = client.get(f"/api/v1/lookup/{draft.uuid}")
    assert by_uuid.status_code == 404
    assert by_uuid.json()["error"]["code"] == guess.json()["error"]["code"]
