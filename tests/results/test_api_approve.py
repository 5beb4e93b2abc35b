"""A specialised system approves through the API with its result file: the file is signed as
the pages' uploads are, and a signing failure answers 409 `signing_failed` with nothing changed."""

from __future__ import annotations

import base64
import hashlib
import json

from django.test import Client

from motcua.documents.pdf import html_to_pdf
from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import Dossier
from motcua.integration.services import api_client_create
from motcua.results.constants import ResultSource
from motcua.results.models import ResultDocument
from tests.dossiers.helpers import World, drive

from .conftest import Signing


def _approve(world: World, d: Dossier, content: bytes):  # type: ignore[no-untyped-def]
    _client, key = api_client_create(
        name="Phần mềm chuyên ngành",
        agencies=[world.unit],
        scopes=["dossiers:read"],
        allowed_actions=["approve"],
    )
    body = {
        "expected_version": d.version,
        "note": "Đủ điều kiện",
        "documents": [
            {"name": "giay-chung-nhan.pdf", "content_base64": base64.b64encode(content).decode()}
        ],
    }
    return Client().post(
        f"/api/v1/dossiers/{d.code}/actions/approve",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )


def test_a_result_sent_with_the_api_approval_is_signed(world: World, signing: Signing) -> None:
    content = html_to_pdf(html="<p>Giấy chứng nhận do phần mềm chuyên ngành lập</p>")
    d = drive(world, DossierStatus.PROCESSING)
    response = _approve(world, d, content)
    assert response.status_code == 200, response.content
    assert response.json()["has_e_result"] is True
    result = ResultDocument.objects.get(dossier=d)
    assert result.source == ResultSource.UPLOADED
    with result.file.open("rb") as handle:
        signed = handle.read()
    assert signed != content and hashlib.sha256(signed).hexdigest() == result.sha256
    event = Dossier.objects.get(pk=d.pk).events.order_by("-seq").first()
    assert event.payload["e_results"][0]["sha256"] == result.sha256


def test_a_signing_failure_answers_409_and_changes_nothing(world: World) -> None:
    d = drive(world, DossierStatus.PROCESSING)
    response = _approve(world, d, html_to_pdf(html="<p>Kết quả</p>"))
    assert response.status_code == 409, response.content
    error = response.json()["error"]
    assert error["code"] == "signing_failed"
    assert "chưa được cấu hình chứng thư số" in error["message"]
    after = Dossier.objects.get(pk=d.pk)
    assert (after.status, after.version) == (DossierStatus.PROCESSING, d.version)
    assert not ResultDocument.objects.exists()
    assert not after.attachments.filter(kind="result").exists()
