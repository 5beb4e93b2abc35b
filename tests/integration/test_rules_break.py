"""API-client scope rules a test must catch when broken (issue 19 point 8, docs/TESTING.md):
no dossier created into an inactive unit, and the service-level coverage check (units and
procedures) that actions and webhook deliveries rely on."""

from __future__ import annotations

import pytest

from motcua.dossiers import services as s
from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.integration.errors import ScopeDenied
from motcua.integration.models import WebhookDelivery
from motcua.integration.services import (
    dossier_act_for_client,
    webhook_deliveries_create,
    webhook_subscribe,
)
from tests.dossiers.helpers import World, drive
from tests.factories import ProcedureFactory

from .conftest import Caller, assert_error, create_body, make_caller


@pytest.fixture
def second_procedure(world: World):
    """Another procedure performed by the same unit."""
    procedure = ProcedureFactory(code="1.008888", name="Chứng thực bản sao")
    procedure.performing_units.add(world.unit)
    return procedure


def _submitted_of(world: World, procedure) -> Dossier:
    d = s.dossier_create_draft(
        actor=world.citizen,
        procedure=procedure,
        receiving_unit=world.unit,
        at=world.clock.tick(0.1),
    )
    return s.dossier_submit(dossier=d, actor=world.citizen, at=world.clock.tick(0.1))


def _limited(world: World, procedure) -> Caller:
    caller = make_caller(world, name="Phần mềm một thủ tục")
    caller.client.procedures.set([procedure])
    caller.client.refresh_from_db()
    return caller


# --- creating into an inactive unit ------------------------------------------------------------


def test_no_dossier_is_created_into_an_inactive_unit(world: World, caller: Caller) -> None:
    assert caller.post("dossiers", create_body(world)).status_code == 201
    world.unit.is_active = False
    world.unit.save()
    count = Dossier.objects.count()
    body = create_body(world, external_code="G22.99-250714-000124")
    error = assert_error(caller.post("dossiers", body), 403, "scope_denied")
    assert error["details"] == {"agency": world.unit.code}
    assert Dossier.objects.count() == count


# --- the client covers the dossier (service level) ------------------------------------------------


def test_an_action_on_a_dossier_of_another_unit_is_refused_by_the_service(
    world: World, caller_b: Caller
) -> None:
    d = drive(world, DossierStatus.SUBMITTED)
    with pytest.raises(ScopeDenied) as excinfo:
        dossier_act_for_client(client=caller_b.client, dossier=d, action="accept", values={})
    assert excinfo.value.details == {"code": d.code}
    assert Dossier.objects.get(pk=d.pk).status == DossierStatus.SUBMITTED


def test_an_action_on_a_dossier_of_another_procedure_is_refused_by_the_service(
    world: World, second_procedure
) -> None:
    caller = _limited(world, world.procedure)
    other = _submitted_of(world, second_procedure)
    with pytest.raises(ScopeDenied):
        dossier_act_for_client(client=caller.client, dossier=other, action="accept", values={})
    assert Dossier.objects.get(pk=other.pk).status == DossierStatus.SUBMITTED
    # Its own procedure goes through (the client's account has the unit's reception role).
    own = _submitted_of(world, world.procedure)
    done = dossier_act_for_client(client=caller.client, dossier=own, action="accept", values={})
    assert done.status == DossierStatus.RECEIVED


def test_a_client_limited_to_some_procedures_gets_no_webhook_of_the_others(
    world: World, second_procedure
) -> None:
    """The subscription itself names no procedure: the client's restriction alone must hold."""
    caller = _limited(world, world.procedure)
    subscription = webhook_subscribe(
        client=caller.client, url="https://phanmem.example.vn/hook", event_types=[]
    )
    assert list(subscription.procedures.all()) == []
    other = _submitted_of(world, second_procedure)
    own = _submitted_of(world, world.procedure)
    for dossier in (other, own):
        for event in DossierEvent.objects.filter(dossier=dossier):
            webhook_deliveries_create(event=event)
    delivered = set(
        WebhookDelivery.objects.filter(subscription=subscription).values_list(
            "dossier_id", flat=True
        )
    )
    assert delivered == {own.pk}
