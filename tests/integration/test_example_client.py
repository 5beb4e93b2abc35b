"""The sync use case end to end: the standalone example client against a live server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import Dossier
from motcua.integration.services import api_client_create
from tests.dossiers.helpers import drive, new_direct

from .conftest import build_world

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "specialised_software.py"


@pytest.mark.django_db(transaction=True)
def test_specialised_software_reports_back(live_server, tmp_path) -> None:
    world = build_world()
    _, key = api_client_create(
        name="Phần mềm chuyên ngành hộ tịch",
        agencies=[world.unit],
        procedures=[world.procedure],
        scopes=["dossiers:read"],
        allowed_actions=["start", "forward", "approve"],
    )
    received = new_direct(world)
    untouched = drive(world, DossierStatus.SUBMITTED)  # not yet received: not its business
    state = tmp_path / "cursor"

    def run() -> subprocess.CompletedProcess:
        return subprocess.run(
            [
                sys.executable,
                str(EXAMPLE),
                "--base-url",
                live_server.url,
                "--key",
                key,
                "--procedure",
                world.procedure.code,
                "--state",
                str(state),
                "--once",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    result = run()
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{received.code}: đã có kết quả" in result.stdout

    lookup = Client().get(f"/api/v1/lookup/{received.code}").json()
    assert lookup["status"] == "result_ready"
    assert lookup["status_label"] == "Đã xử lý xong"
    dossier = Dossier.objects.get(pk=received.pk)
    assert dossier.has_e_result
    assert [s.name for s in dossier.steps.order_by("order")] == ["Thẩm định", "Phê duyệt"]
    assert Dossier.objects.get(pk=untouched.pk).status == DossierStatus.SUBMITTED
    assert state.read_text()

    # The next poll resumes from the kept cursor and finds nothing left to do.
    again = run()
    assert again.returncode == 0, again.stderr
    assert "0 hồ sơ đã xử lý" in again.stdout


def test_example_verifies_signatures() -> None:
    import importlib.util
    import time

    from motcua.integration.webhooks import sign

    spec = importlib.util.spec_from_file_location("specialised_software", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    body = b'{"type": "dossier.submit"}'
    header = sign(secret="whsec_abc", body=body, timestamp=int(time.time()))
    assert module.verify_webhook("whsec_abc", body, header)
    assert not module.verify_webhook("whsec_abc", body + b"x", header)
    assert not module.verify_webhook(
        "whsec_abc", body, sign(secret="whsec_abc", body=body, timestamp=1)
    )
