"""The hot paths of bench/RESULTS.md keep their number of queries (a regression fails here):
the public lookup (page and API) and the dossier-create API."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import Dossier
from motcua.portal.dossier_views import LOOKUP_LIMIT

from .conftest import Caller, create_body

# Statements of one POST /api/v1/dossiers (direct reception, with an Idempotency-Key, no
# document) inside the test's transaction: the request's savepoint (2: the API wraps a write in
# one transaction), the idempotency claim, the code counter (one upsert), the dossier, its first
# event, the roles for available_actions, the stored answer and the call log; in the tests also
# the workday calendar (4: overrides and office hours, twice), which a server reads once per
# process. The client, its units, its technical account's roles and the procedure with its fees
# come from the process's cache (test_client_cache.py), the answer from the instance just
# written. Before the savepoints went: 34; before the client cache, the one transaction and the
# upserted counter: 27.
CREATE_QUERIES = {"sqlite": 13, "postgresql": 13}


def _create_direct(caller: Caller, world, key: str):
    body = create_body(world, channel="direct", result_delivery="in_person")
    return caller.post("dossiers", body, headers={"Idempotency-Key": key})


def test_create_api_query_count(world, caller: Caller) -> None:
    assert _create_direct(caller, world, "warm-up").status_code == 201
    with CaptureQueriesContext(connection) as captured:
        response = _create_direct(caller, world, "pinned")
    assert response.status_code == 201, response.content
    sql = [q["sql"] for q in captured.captured_queries]
    assert len(sql) == CREATE_QUERIES[connection.vendor], "\n".join(sql)
    # The idempotency claim and the first event need no savepoint or read of their own, the
    # call log is written in the request's transaction, the new dossier is not read back.
    assert sum(s.startswith("SAVEPOINT") for s in sql) == 1, "\n".join(sql)
    assert not any("dossiers_dossierevent" in s and s.startswith("SELECT") for s in sql)
    assert not any('FROM "dossiers_dossier"' in s for s in sql), "\n".join(sql)
    assert "integration_apicalllog" in sql[-2], "\n".join(sql)


def test_create_api_replay_is_cheap(world, caller: Caller) -> None:
    first = _create_direct(caller, world, "again")
    with CaptureQueriesContext(connection) as captured:
        replay = _create_direct(caller, world, "again")
    assert replay.json() == first.json()
    assert replay["Idempotent-Replayed"] == "true"
    # Savepoint, claim (a no-op), the stored answer, call log, release: the client is kept.
    assert len(captured.captured_queries) <= 5, captured.captured_queries
    assert Dossier.objects.count() == 1


def test_lookup_api_and_page_cost_one_query(world, caller: Caller) -> None:
    code = _create_direct(caller, world, "lookup").json()["code"]
    with CaptureQueriesContext(connection) as captured:
        body = Client().get(f"/api/v1/lookup/{code}").json()
    assert body["status"] == DossierStatus.RECEIVED
    assert len(captured.captured_queries) == 1
    with CaptureQueriesContext(connection) as captured:
        page = Client().get("/tra-cuu/", {"code": code})
    assert page.status_code == 200
    assert code in page.content.decode()
    assert len(captured.captured_queries) == 1


@pytest.fixture
def file_cache(settings, tmp_path):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    return tmp_path / "cache"


def test_file_cache_limits_lookups_without_cache_entries(world, caller: Caller, file_cache) -> None:
    """With the default file cache the counters are append-only files beside it: the same
    limits, and no cache entry (whose writes list the whole cache folder) per address."""
    code = _create_direct(caller, world, "file").json()["code"]
    entries = set(file_cache.glob("*.djcache"))  # at most the API clients' scope token
    assert len(entries) <= 1
    http = Client()
    statuses = [http.get("/tra-cuu/", {"code": code}).status_code for _ in range(LOOKUP_LIMIT)]
    assert statuses == [200] * LOOKUP_LIMIT
    limited = http.get("/tra-cuu/", {"code": code})
    assert limited.status_code == 429
    assert "Bạn tra cứu quá nhiều lần" in limited.content.decode()
    assert http.get("/tra-cuu/", {"code": code}, REMOTE_ADDR="10.0.0.9").status_code == 200
    assert set(file_cache.glob("*.djcache")) == entries
    assert list((file_cache / "ratelimit").iterdir())


def test_file_cache_limits_api_clients(world, caller: Caller, file_cache, settings) -> None:
    caller.client.rate_limit_per_minute = 2
    caller.client.save()
    statuses = [caller.get("dossiers").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    settings.MOTCUA_API_PUBLIC_RATE_LIMIT_PER_MINUTE = 2
    lookups = [Client().get("/api/v1/lookup/X").status_code for _ in range(3)]
    assert lookups == [404, 404, 429]


def test_lookup_api_answers_as_its_schema(world, caller: Caller) -> None:
    """The lookup renders its four fields itself: the same as LookupOut would, in Vietnamese."""
    from django.core.serializers.json import DjangoJSONEncoder

    from motcua.integration.schemas import LookupOut

    code = _create_direct(caller, world, "schema").json()["code"]
    response = Client().get(f"/api/v1/lookup/{code}")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    dossier = Dossier.objects.get(code=code)
    expected = LookupOut(
        code=code,
        status=dossier.status,
        status_label="Đã tiếp nhận",
        appointment_at=dossier.due_at,
    ).model_dump()
    assert response.json() == json.loads(json.dumps(expected, cls=DjangoJSONEncoder))
    assert "Đã tiếp nhận".encode() in response.content
    missing = Client().get("/api/v1/lookup/000.00.21.H16-200101-9999")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_lookup_selector_keeps_drafts_out_and_reads_times(world, caller: Caller) -> None:
    from motcua.dossiers.selectors import dossier_lookup_public

    code = _create_direct(caller, world, "selector").json()["code"]
    stored = Dossier.objects.get(code=code)
    found = dossier_lookup_public(code=code)
    assert (found.pk, found.status, found.due_at) == (stored.pk, stored.status, stored.due_at)
    assert found.get_deferred_fields() >= {"applicant_name", "form_data"}
    Dossier.objects.filter(pk=stored.pk).update(status=DossierStatus.DRAFT)
    assert dossier_lookup_public(code=code) is None
    assert dossier_lookup_public(code="nothing") is None


def test_lookup_api_edges_answer_as_every_api_call(world, caller: Caller, settings) -> None:
    """The public lookup keeps the API's contract on its edges: other methods (405 with Allow),
    NUL characters (422), and the per-address limit (429 with Retry-After, others unaffected)."""
    code = _create_direct(caller, world, "edges").json()["code"]
    posted = Client().post(f"/api/v1/lookup/{code}")
    assert posted.status_code == 405 and posted.json()["error"]["code"] == "method_not_allowed"
    assert "GET" in posted["Allow"]
    refused = Client().get("/api/v1/lookup/a%00b")
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid_input"
    settings.MOTCUA_API_PUBLIC_RATE_LIMIT_PER_MINUTE = 1
    assert Client().get(f"/api/v1/lookup/{code}", REMOTE_ADDR="10.9.9.9").status_code == 200
    limited = Client().get(f"/api/v1/lookup/{code}", REMOTE_ADDR="10.9.9.9")
    assert limited.status_code == 429 and limited["Retry-After"] == "60"
    assert limited.json()["error"]["code"] == "rate_limited"
    assert Client().get(f"/api/v1/lookup/{code}", REMOTE_ADDR="10.9.9.8").status_code == 200
