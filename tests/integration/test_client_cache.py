"""The API client's key and scope are kept per process and reloaded whenever they may have
changed (selectors.api_client_get_by_key); a write is one transaction with its call log."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.models import Dossier
from motcua.integration.models import ApiCallLog, IdempotencyRecord
from motcua.integration.selectors import SCOPE_GENERATION_KEY
from motcua.integration.services import api_client_revoke, api_client_rotate_key

from .conftest import Caller, create_body


def _client_queries(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "integration_apiclient" in q["sql"]]


def test_second_call_reads_no_client_row(world, caller: Caller) -> None:
    assert caller.get("dossiers").status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert caller.get("dossiers").status_code == 200
    assert _client_queries(captured) == []
    assert not any('FROM "orgs_unit"' in q["sql"] for q in captured.captured_queries)


def test_revoked_key_stops_at_once(world, caller: Caller) -> None:
    assert caller.get("dossiers").status_code == 200
    api_client_revoke(client=caller.client)
    assert caller.get("dossiers").status_code == 401


def test_rotated_key_stops_at_once(world, caller: Caller) -> None:
    assert caller.get("dossiers").status_code == 200
    new_key = api_client_rotate_key(client=caller.client)
    assert caller.get("dossiers").status_code == 401
    caller.key = new_key
    assert caller.get("dossiers").status_code == 200


def test_agency_removed_from_scope_is_denied_at_once(world, caller: Caller) -> None:
    body = create_body(world, channel="direct", result_delivery="in_person")
    assert caller.post("dossiers", body).status_code == 201
    caller.client.agencies.set([world.other_unit])
    refused = caller.post("dossiers", body)
    assert refused.status_code == 403, refused.content
    assert refused.json()["error"]["details"] == {"agency": world.unit.code}


def test_scope_removed_is_denied_at_once(world, caller: Caller) -> None:
    assert caller.get("dossiers").status_code == 200
    caller.client.scopes = ["dossiers:create"]
    caller.client.save()
    assert caller.get("dossiers").status_code == 403


def test_a_change_in_another_process_reloads(world, caller: Caller) -> None:
    """Another process announces a change through the shared token: this one reloads."""
    assert caller.get("dossiers").status_code == 200
    type(caller.client).objects.filter(pk=caller.client.pk).update(is_active=False)
    assert caller.get("dossiers").status_code == 200  # nothing announced: still the kept row
    cache.set(SCOPE_GENERATION_KEY, "changed-by-another-process")
    assert caller.get("dossiers").status_code == 401


def test_lost_token_means_reload(world, caller: Caller) -> None:
    assert caller.get("dossiers").status_code == 200
    type(caller.client).objects.filter(pk=caller.client.pk).update(is_active=False)
    cache.delete(SCOPE_GENERATION_KEY)  # culled from a full file cache
    assert caller.get("dossiers").status_code == 401


def test_create_answer_is_the_stored_dossier(world, caller: Caller) -> None:
    body = create_body(world, channel="direct", result_delivery="in_person")
    created = caller.post("dossiers", body)
    assert created.status_code == 201
    detail = caller.get(f"dossiers/{created.json()['code']}")
    assert created.json() == detail.json()


def test_failed_write_leaves_nothing_but_its_log(world, caller: Caller) -> None:
    body = create_body(world, channel="direct", result_delivery="in_person", procedure="9.999")
    refused = caller.post("dossiers", body, headers={"Idempotency-Key": "bad"})
    assert refused.status_code == 422
    assert refused.json()["error"]["message"] == "Dữ liệu gửi lên không hợp lệ."
    assert not IdempotencyRecord.objects.exists()
    assert not Dossier.objects.exists()
    log = ApiCallLog.objects.get()
    assert (log.method, log.status) == ("POST", 422)


def test_successful_write_commits_once_with_its_log(world, caller: Caller) -> None:
    body = create_body(world, channel="direct", result_delivery="in_person")
    response = caller.post("dossiers", body, headers={"Idempotency-Key": "one"})
    assert response.status_code == 201
    assert ApiCallLog.objects.filter(status=201).count() == 1
    assert IdempotencyRecord.objects.get().response_status == 201


def test_database_queue_dispatch_is_part_of_the_transaction(
    world, caller: Caller, settings
) -> None:
    """With the database queue the event's dispatch task is written in the request's transaction
    (no commit of its own); a failed request leaves none."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    body = create_body(world, channel="direct", result_delivery="in_person")
    with CaptureQueriesContext(connection) as captured:
        assert caller.post("dossiers", body).status_code == 201
    sql = [q["sql"] for q in captured.captured_queries]
    task = next(i for i, s in enumerate(sql) if "dbtaskresult" in s)
    release = max(i for i, s in enumerate(sql) if s.startswith("RELEASE SAVEPOINT"))
    assert task < release, "\n".join(sql)  # inside the request's transaction
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "motcua.dossiers.tasks.dossier_event_dispatch"
    event = Dossier.objects.get().events.get()
    assert queued.args_kwargs == {"args": [event.pk], "kwargs": {}}
    refused = caller.post("dossiers", {**body, "agency": world.other_unit.code})
    assert refused.status_code == 403
    assert DBTaskResult.objects.count() == 1


def test_membership_withdrawn_is_refused_at_once(world, caller: Caller) -> None:
    """The technical account's roles are kept with the client: a membership ended in the admin
    (save) stops the next reception."""
    from motcua.orgs.models import Membership

    body = create_body(world, channel="direct", result_delivery="in_person")
    assert caller.post("dossiers", body).status_code == 201
    for membership in Membership.objects.filter(user=caller.client.user):
        membership.is_active = False
        membership.save()
    refused = caller.post("dossiers", body)
    assert refused.status_code == 403, refused.content
    assert refused.json()["error"]["code"] == "permission_denied"
    assert refused.json()["error"]["message"] == (
        "Bạn không có quyền thực hiện thao tác này trên hồ sơ."
    )


def test_known_roles_follow_the_membership_rule(world) -> None:
    """The roles from declared memberships are the ones workflow.staff_roles_for reads."""
    from motcua.dossiers.services.base import _known_roles, memberships_known
    from motcua.dossiers.workflow import staff_roles_for
    from motcua.orgs.models import Membership, Unit

    office = Unit.objects.get(code="000.01.21.H16")
    units = [world.unit, office, world.other_unit]
    for user in (world.reception, world.specialist, world.leader, world.other_reception):
        roles: dict[int, set[str]] = {}
        for unit_id, role in Membership.objects.filter(user=user, is_active=True).values_list(
            "unit_id", "role"
        ):
            roles.setdefault(unit_id, set()).add(role)
        declared = {unit_id: frozenset(names) for unit_id, names in roles.items()}
        with memberships_known(user=user, roles_by_unit=declared):
            for unit in units:
                expected = staff_roles_for(user=user, units=[unit])
                assert _known_roles(actor=user, dossier=None, units=[unit]) == expected
            # Another actor in the same block is not covered by the declaration.
            assert _known_roles(actor=world.citizen, dossier=None, units=units) is None


def test_procedure_unpublished_or_fee_changed_is_seen_at_once(world, caller: Caller) -> None:
    from motcua.catalog.models import Fee

    body = create_body(world, channel="direct", result_delivery="in_person")
    assert caller.post("dossiers", body).json()["fee_total"] == 0
    Fee.objects.create(procedure=world.procedure, name="Lệ phí", amount=8000)
    assert caller.post("dossiers", body).json()["fee_total"] == 8000
    world.procedure.published = False
    world.procedure.save()
    refused = caller.post("dossiers", body)
    assert refused.status_code == 422
    assert refused.json()["error"]["details"] == {"procedure": world.procedure.code}
