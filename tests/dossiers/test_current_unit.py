"""`Dossier.current_unit` is always the current step's unit, whatever moves the dossier."""

from __future__ import annotations

import importlib

from django.db import connection

from motcua.dossiers import services as s
from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import Dossier
from motcua.orgs.constants import Role
from tests.factories import MembershipFactory, StaffFactory

from .helpers import World, current_unit_mismatches, drive, pdf_file


def _at(d: Dossier) -> int | None:
    """The stored current unit, read back from the database, once the invariant is checked."""
    assert current_unit_mismatches() == []
    return Dossier.objects.values_list("current_unit_id", flat=True).get(pk=d.pk)


def test_every_transition_keeps_the_unit_of_the_current_step(world: World) -> None:
    c = world.clock
    office = world.procedure.process_steps.get(order=1).unit
    colleague = StaffFactory(username="chuyenvien_xd")
    MembershipFactory(user=colleague, unit=world.other_unit, role=Role.SPECIALIST)

    d = drive(world, DossierStatus.SUBMITTED)
    assert _at(d) is None
    d = s.dossier_request_supplement(
        dossier=d, actor=world.reception, items=["Ảnh 4x6"], at=c.tick()
    )
    d = s.dossier_supplement(dossier=d, actor=world.citizen, note="Đã bổ sung", at=c.tick())
    d = s.dossier_accept(dossier=d, actor=world.reception, at=c.tick())
    assert _at(d) is None
    d = s.dossier_start(dossier=d, actor=world.reception, assignee=world.specialist, at=c.tick())
    assert _at(d) == office.pk
    # Handed to another agency, then back to the process template's next step.
    d = s.dossier_forward(
        dossier=d, actor=world.specialist, to_unit=world.other_unit, assignee=colleague, hours=16
    )
    assert _at(d) == world.other_unit.pk
    d = s.dossier_request_supplement(
        dossier=d, actor=colleague, items=["Bản vẽ hiện trạng"], at=c.tick()
    )
    assert _at(d) == world.other_unit.pk
    d = s.dossier_supplement(dossier=d, actor=world.citizen, note="Đã bổ sung", at=c.tick())
    assert (d.status, _at(d)) == (DossierStatus.PROCESSING, world.other_unit.pk)
    d = s.dossier_forward(dossier=d, actor=colleague, note="Đã có ý kiến", at=c.tick())
    assert _at(d) == world.unit.pk  # "Phê duyệt" has no unit of its own: the receiving unit
    d = s.dossier_approve(
        dossier=d, actor=world.leader, result_files=[pdf_file("kq.pdf")], at=c.tick()
    )
    assert _at(d) is None
    d = s.dossier_return_result(dossier=d, actor=world.reception, at=c.tick())
    assert (d.status, _at(d)) == (DossierStatus.RETURNED, None)


def test_the_ends_that_leave_a_step_clear_the_unit(world: World) -> None:
    c = world.clock
    withdrawn = drive(world, DossierStatus.PROCESSING)
    assert _at(withdrawn) is not None
    withdrawn = s.dossier_withdraw(dossier=withdrawn, actor=world.citizen, at=c.tick())
    denied = drive(world, DossierStatus.PROCESSING)
    denied = s.dossier_deny(
        dossier=denied, actor=world.leader, reason="Không đủ điều kiện", at=c.tick()
    )
    stopped = drive(world, DossierStatus.STOPPED)
    for d in (withdrawn, denied, stopped):
        assert d.is_final or d.status == DossierStatus.RESULT_READY
        assert (d.current_unit_id, _at(d)) == (None, None)


def test_the_migration_fills_the_unit_of_the_dossiers_at_a_step(world: World) -> None:
    at_step = drive(world, DossierStatus.PROCESSING)
    finished = drive(world, DossierStatus.RETURNED)
    Dossier.objects.update(current_unit=None)
    assert current_unit_mismatches() == [
        (at_step.pk, DossierStatus.PROCESSING, None, at_step.current_step.unit_id)
    ]
    migration = importlib.import_module("motcua.dossiers.migrations.0007_current_unit")
    with connection.cursor() as cursor:
        cursor.execute(migration.BACKFILL)
    assert current_unit_mismatches() == []
    assert _at(at_step) == at_step.current_step.unit_id
    assert _at(finished) is None
