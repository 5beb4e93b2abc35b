"""The OpenAPI document of /api/v1/ is a public contract: it comes out exactly as committed in
fixtures/openapi-v1.json (paths, operation ids, parameters, schemas, everything), whichever app's
module each router lives in. A change to the API that is meant shows here; regenerate the file on
purpose, and read its diff, with:

    MOTCUA_WRITE_OPENAPI=1 .venv/bin/python -m pytest tests/integration/test_openapi_document.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.test import Client

FIXTURE = Path(__file__).parent / "fixtures" / "openapi-v1.json"


def _canonical(document: dict) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_the_openapi_document_is_the_committed_one() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    served = _canonical(response.json())
    if os.environ.get("MOTCUA_WRITE_OPENAPI") == "1":
        FIXTURE.write_text(served, encoding="utf-8")
    committed = FIXTURE.read_text(encoding="utf-8")
    assert json.loads(served)["paths"].keys() == json.loads(committed)["paths"].keys()
    assert served == committed
