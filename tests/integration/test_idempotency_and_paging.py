"""Idempotent creation (replays, conflicts, concurrent replays) and cursor pagination."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from motcua.dossiers.models import Dossier
from motcua.integration.models import IdempotencyRecord
from tests.factories import DossierFactory

from .conftest import Caller, assert_error, build_world, create_body, make_caller

# --- Idempotency ----------------------------------------------------------------------------


def test_same_key_same_body_replays_the_first_response(world, caller: Caller) -> None:
    headers = {"Idempotency-Key": "lan-gui-1"}
    first = caller.post("dossiers", create_body(world), headers)
    again = caller.post("dossiers", create_body(world), headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Dossier.objects.count() == 1
    # Key order and spacing of the JSON do not make another body.
    reordered = dict(reversed(list(create_body(world).items())))
    assert caller.post("dossiers", reordered, headers).json()["code"] == first.json()["code"]


def test_same_key_other_body_is_409(world, caller: Caller) -> None:
    headers = {"Idempotency-Key": "lan-gui-2"}
    assert caller.post("dossiers", create_body(world), headers).status_code == 201
    other = create_body(world, external_code="G22.99-250714-000999")
    error = assert_error(caller.post("dossiers", other, headers), 409, "idempotency_conflict")
    assert error["details"] == {"key": "lan-gui-2"}
    assert Dossier.objects.count() == 1


def test_keys_belong_to_one_client(world, caller: Caller) -> None:
    second = make_caller(world, name="Ki-ốt")
    headers = {"Idempotency-Key": "chung"}
    a = caller.post("dossiers", create_body(world), headers).json()
    b = second.post("dossiers", create_body(world), headers).json()
    assert a["code"] != b["code"]


def test_a_failed_request_keeps_no_record(world, caller: Caller) -> None:
    headers = {"Idempotency-Key": "that-bai"}
    bad = create_body(world, procedure="9.999999")
    assert caller.post("dossiers", bad, headers).status_code == 422
    assert not IdempotencyRecord.objects.exists()
    assert caller.post("dossiers", create_body(world), headers).status_code == 201


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_replays_create_exactly_one_dossier() -> None:
    world = build_world()
    caller = make_caller(world)
    barrier = threading.Barrier(4)
    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def send() -> None:
        from django.test import Client

        try:
            barrier.wait()
            response = Client().post(
                "/api/v1/dossiers",
                create_body(world),
                content_type="application/json",
                headers={"Authorization": f"Bearer {caller.key}", "Idempotency-Key": "dong-thoi"},
            )
            with lock:
                results.append((response.status_code, response.json().get("code", "")))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [status for status, _ in results] == [201] * 4
    assert len({code for _, code in results}) == 1
    assert Dossier.objects.count() == 1


# --- Cursor pagination ----------------------------------------------------------------------


def _dossiers(world, n: int) -> list[Dossier]:
    return [DossierFactory(receiving_unit=world.unit, procedure=world.procedure) for _ in range(n)]


def test_paging_skips_and_repeats_nothing_while_dossiers_arrive(world, caller: Caller) -> None:
    first_batch = _dossiers(world, 5)
    seen: list[str] = []
    page = caller.get("dossiers", limit=2).json()
    seen += [d["code"] for d in page["items"]]
    assert page["has_more"] is True
    # New dossiers arrive while the client pages through.
    late = _dossiers(world, 3)
    while True:
        page = caller.get("dossiers", limit=2, cursor=page["next_cursor"]).json()
        seen += [d["code"] for d in page["items"]]
        if not page["has_more"]:
            break
    assert len(seen) == len(set(seen)) == 8
    assert set(seen) == {d.code for d in first_batch + late}
    # The last cursor keeps working for polling: later changes come after it, once.
    cursor = page["next_cursor"]
    assert caller.get("dossiers", cursor=cursor).json()["items"] == []
    changed = first_batch[0]
    changed.applicant_name = "Đổi tên"
    changed.save()
    assert [d["code"] for d in caller.get("dossiers", cursor=cursor).json()["items"]] == [
        changed.code
    ]


def test_updated_since_and_filters(world, caller: Caller) -> None:
    old = _dossiers(world, 2)
    middle = Dossier.objects.get(pk=old[-1].pk).updated_at
    new = _dossiers(world, 2)
    items = caller.get("dossiers", updated_since=middle.isoformat()).json()["items"]
    assert [d["code"] for d in items] == [d.code for d in new]
    assert caller.get("dossiers", status="processing").json()["items"] == []
    assert len(caller.get("dossiers", procedure="1.001193").json()["items"]) == 4
    assert len(caller.get("dossiers", agency="000.00.21.H16").json()["items"]) == 4
    assert caller.get("dossiers", agency="000.00.22.H16").json()["items"] == []


def test_bad_cursor_is_400(world, caller: Caller) -> None:
    assert_error(caller.get("dossiers", cursor="not-a-cursor"), 400, "bad_request")
    assert_error(caller.get("dossiers", status="nope"), 422, "invalid_input")


def test_list_query_count_is_bounded(world, caller: Caller, django_assert_max_num_queries) -> None:
    _dossiers(world, 30)
    with django_assert_max_num_queries(12):
        response = caller.get("dossiers", limit=30)
    assert len(response.json()["items"]) == 30


def test_list_leaves_out_drafts_and_discarded_drafts(world, caller: Caller) -> None:
    submitted = _dossiers(world, 1)[0]
    DossierFactory(receiving_unit=world.unit, procedure=world.procedure, code=None, status="draft")
    # A draft the citizen discarded: withdrawn, but it never got a code.
    DossierFactory(
        receiving_unit=world.unit, procedure=world.procedure, code=None, status="withdrawn"
    )
    items = caller.get("dossiers").json()["items"]
    assert [item["code"] for item in items] == [submitted.code]
