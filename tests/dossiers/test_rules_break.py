"""Rules of the dossier core that a test must catch when broken (issue 19 point 8, docs/TESTING.md).

Each test isolates one rule: the data are made so that only that rule can report them, so a
change that drops or weakens it (an operator flipped, a condition removed) turns the test red.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading

import pytest
from django.db import connection
from django.db.models import F

from motcua.dossiers import services as s
from motcua.dossiers.audit import chain_verify, chains_verify, event_append
from motcua.dossiers.constants import Action, DossierStatus
from motcua.dossiers.exceptions import ApologyNotAllowed, PermissionDenied, StaleDossier
from motcua.dossiers.hooks import dossier_transitioning
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.workflow import check_transition, is_authorised
from motcua.workcal import working_hours_between

from .helpers import VN, World, drive

# --- verify_audit ----------------------------------------------------------------------------


def test_a_chain_with_fewer_events_than_the_version_is_reported(world: World) -> None:
    """Everything else intact (hashes, order, last status): only the count tells."""
    d = drive(world, DossierStatus.PROCESSING)
    assert chain_verify(d) is None
    events = d.events.count()
    Dossier.objects.filter(pk=d.pk).update(version=F("version") + 1)
    d.refresh_from_db()
    link = chain_verify(d)
    assert link is not None, "a missing event must be reported"
    assert link.seq is None
    assert link.problem == f"có {events} sự kiện, hồ sơ ở phiên bản {events + 1}"
    assert [x.dossier_id for x in chains_verify()] == [d.pk]


def test_an_event_whose_from_state_is_not_the_previous_to_state_is_reported(
    world: World,
) -> None:
    """A forged link with a correct hash, seq and time whose from-state skips a state."""
    d = drive(world, DossierStatus.PROCESSING)
    last = d.events.order_by("-seq").first()
    assert last.to_status == DossierStatus.PROCESSING
    forged = event_append(
        dossier=d,
        action=Action.START,
        from_status=DossierStatus.RECEIVED,  # the previous event ended in processing
        to_status=DossierStatus.PROCESSING,
        actor=world.reception,
        at=last.created_at + dt.timedelta(minutes=1),
    )
    Dossier.objects.filter(pk=d.pk).update(version=F("version") + 1)
    d.refresh_from_db()
    assert d.version == DossierEvent.objects.filter(dossier=d).count()
    link = chain_verify(d)
    assert link is not None, "a from-state that does not follow on must be reported"
    assert link.seq == forged.seq
    assert link.problem == "trạng thái nguồn không khớp với sự kiện trước"


# --- the workflow's permission check -------------------------------------------------------------


def _deactivate(user) -> None:
    user.is_active = False
    user.save(update_fields=["is_active"])


def test_an_inactive_owner_cannot_act_on_their_own_dossier(world: World) -> None:
    d = drive(world, DossierStatus.DRAFT)
    submit = check_transition(d.status, Action.SUBMIT)
    assert is_authorised(user=world.citizen, dossier=d, transition=submit)
    _deactivate(world.citizen)
    assert not is_authorised(user=world.citizen, dossier=d, transition=submit)
    with pytest.raises(PermissionDenied):
        s.dossier_submit(dossier=d, actor=world.citizen, at=world.clock.tick())
    assert Dossier.objects.get(pk=d.pk).status == DossierStatus.DRAFT


def test_an_inactive_assignee_cannot_act(world: World) -> None:
    d = drive(world, DossierStatus.PROCESSING)
    assert d.assignee == world.specialist
    ask = check_transition(d.status, Action.REQUEST_SUPPLEMENT)
    assert is_authorised(user=world.specialist, dossier=d, transition=ask)
    _deactivate(world.specialist)
    assert not is_authorised(user=world.specialist, dossier=d, transition=ask)


def test_an_inactive_officer_with_the_role_cannot_act(world: World) -> None:
    d = drive(world, DossierStatus.SUBMITTED)
    accept = check_transition(d.status, Action.ACCEPT)
    assert is_authorised(user=world.reception, dossier=d, transition=accept)
    _deactivate(world.reception)
    # The roles as a caller may pass them in (computed before the account was switched off).
    roles = {"reception"}
    assert not is_authorised(user=world.reception, dossier=d, transition=accept, roles=roles)
    with pytest.raises(PermissionDenied):
        s.dossier_accept(dossier=d, actor=world.reception, at=world.clock.tick())


# --- the apology's boundary ------------------------------------------------------------------


def _processing_due_monday(world: World) -> Dossier:
    """Received Monday 14/07/2025 09:00: due Monday 21/07 09:00 (5 working days)."""
    start = dt.datetime(2025, 7, 14, 9, 0, tzinfo=VN)
    d = s.dossier_receive_direct(
        actor=world.reception,
        procedure=world.procedure,
        receiving_unit=world.unit,
        applicant=world.applicant(),
        owner=world.citizen,
        at=start,
    )
    d = s.dossier_start(dossier=d, actor=world.reception, at=start + dt.timedelta(minutes=5))
    assert d.due_at == dt.datetime(2025, 7, 21, 9, 0, tzinfo=VN)
    return d


def test_the_apology_is_allowed_exactly_one_working_day_before(world: World, settings) -> None:
    d = _processing_due_monday(world)
    last_moment = dt.datetime(2025, 7, 18, 9, 0, tzinfo=VN)  # Friday: one working day left
    day = settings.MOTCUA_HOURS_PER_WORKING_DAY
    assert working_hours_between(last_moment, d.due_at, org_unit=world.unit) == day
    too_early = last_moment - dt.timedelta(minutes=1)
    assert s.apology_allowed(d, last_moment)
    assert not s.apology_allowed(d, too_early)
    new_due = dt.datetime(2025, 7, 25, 17, 0, tzinfo=VN)
    with pytest.raises(ApologyNotAllowed):
        s.dossier_apologise(
            dossier=d, actor=world.leader, reason="Cần xác minh", new_due_at=new_due, at=too_early
        )
    d = s.dossier_apologise(
        dossier=d, actor=world.leader, reason="Cần xác minh", new_due_at=new_due, at=last_moment
    )
    assert d.apologised and d.due_at == new_due


# --- the row lock in run_transition (PostgreSQL) -----------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_row_lock_lets_one_of_two_simultaneous_transitions_through(world: World) -> None:
    """Two officers accept one dossier at the same version. Each thread waits inside its
    transition (after reading the row) for the other to get there too: with the row lock the
    second never gets there (it waits for the lock), so the first goes on alone after a pause
    and the second then finds the dossier changed; without it both get there and both write."""
    d = drive(world, DossierStatus.SUBMITTED)
    version = d.version
    inside = threading.Barrier(2, timeout=3)
    start = threading.Barrier(2, timeout=10)
    outcomes: list[str] = []

    def meet(sender, dossier, action, **kwargs) -> None:
        if dossier.pk == d.pk and action == Action.ACCEPT:
            # Broken after its timeout: the other thread is waiting for the row lock.
            with contextlib.suppress(threading.BrokenBarrierError):
                inside.wait()

    def accept(user) -> None:
        try:
            start.wait()
            s.dossier_accept(dossier=d, actor=user, expected_version=version)
            outcomes.append("ok")
        except StaleDossier:
            outcomes.append("stale")
        except Exception as error:  # any other failure is a finding of the test
            outcomes.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    second = _second_reception(world)
    dossier_transitioning.connect(meet, weak=False)
    try:
        threads = [threading.Thread(target=accept, args=(u,)) for u in (world.reception, second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        dossier_transitioning.disconnect(meet)
    assert sorted(outcomes) == ["ok", "stale"], outcomes
    assert DossierEvent.objects.filter(dossier=d, action=Action.ACCEPT).count() == 1
    d.refresh_from_db()
    assert (d.status, d.version) == (DossierStatus.RECEIVED, version + 1)
    assert chain_verify(d) is None


def _second_reception(world: World):
    from motcua.orgs.constants import Role
    from tests.factories import MembershipFactory, StaffFactory

    officer = StaffFactory(username="tiepnhan2")
    MembershipFactory(user=officer, unit=world.unit, role=Role.RECEPTION)
    return officer
