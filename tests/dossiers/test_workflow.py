"""The transition table: every row works through its service, every missing pair is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.dossiers import services as s
from motcua.dossiers.audit import chain_verify
from motcua.dossiers.constants import FINAL_STATES, Action, DossierStatus
from motcua.dossiers.exceptions import DossierError, IllegalTransition
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.workflow import (
    TRANSITIONS,
    available_actions,
    check_transition,
    find_transition,
)

from .helpers import World, drive

CREATING = {Action.CREATE_DRAFT, Action.RECEIVE_DIRECT, Action.RECEIVE_POSTAL}
DOSSIER_ACTIONS = [a for a in Action if a not in CREATING]


def call(w: World, action: str, d: Dossier, at: dt.datetime) -> Dossier:
    """Run `action` on `d` with an actor the table allows and valid arguments."""
    if action == Action.SUBMIT:
        return s.dossier_submit(dossier=d, actor=w.citizen, at=at)
    if action == Action.ACCEPT:
        return s.dossier_accept(dossier=d, actor=w.reception, at=at)
    if action == Action.REQUEST_SUPPLEMENT:
        actor = w.reception if d.status == DossierStatus.SUBMITTED else w.specialist
        return s.dossier_request_supplement(dossier=d, actor=actor, items=["Tờ khai"], at=at)
    if action == Action.REFUSE:
        return s.dossier_refuse(dossier=d, actor=w.reception, reason="Không đúng thẩm quyền", at=at)
    if action == Action.START:
        return s.dossier_start(dossier=d, actor=None, at=at)
    if action == Action.FORWARD:
        return s.dossier_forward(dossier=d, actor=w.specialist, at=at)
    if action == Action.SUPPLEMENT:
        return s.dossier_supplement(dossier=d, actor=w.citizen, at=at)
    if action == Action.APPROVE:
        return s.dossier_approve(dossier=d, actor=w.leader, at=at)
    if action == Action.DENY:
        return s.dossier_deny(dossier=d, actor=w.leader, reason="Không đủ điều kiện", at=at)
    if action == Action.APOLOGISE:
        # Late by an hour: the apology is allowed.
        late = (d.due_at or at) + dt.timedelta(hours=1)
        return s.dossier_apologise(
            dossier=d,
            actor=w.leader,
            reason="Cần xác minh thêm",
            new_due_at=late + dt.timedelta(days=3),
            at=max(late, at),
        )
    if action == Action.STOP:
        return s.dossier_stop(dossier=d, actor=w.leader, reason="Có tranh chấp", at=at)
    if action == Action.RETURN_RESULT:
        return s.dossier_return_result(dossier=d, actor=w.reception, at=at)
    if action == Action.WITHDRAW:
        return s.dossier_withdraw(dossier=d, actor=w.citizen, at=at)
    raise AssertionError(action)


ROW_CASES = [
    pytest.param(t, target, id=f"{t.source or '-'}:{t.action}->{target}")
    for t in TRANSITIONS
    for target in t.targets
]


@pytest.mark.parametrize(("transition", "target"), ROW_CASES)
def test_every_allowed_transition(world: World, transition, target) -> None:
    if transition.source is None:
        before = DossierEvent.objects.count()
        if transition.action == Action.CREATE_DRAFT:
            d = s.dossier_create_draft(
                actor=world.citizen, procedure=world.procedure, receiving_unit=world.unit
            )
        else:
            service = (
                s.dossier_receive_direct
                if transition.action == Action.RECEIVE_DIRECT
                else s.dossier_receive_postal
            )
            d = service(
                actor=world.reception,
                procedure=world.procedure,
                receiving_unit=world.unit,
                applicant=world.applicant(),
            )
        assert DossierEvent.objects.count() == before + 1
        event = d.events.get()
        assert (event.from_status, event.to_status, event.seq) == ("", target, 1)
        assert d.version == 1
        return

    resume = target if transition.action == Action.SUPPLEMENT else DossierStatus.PROCESSING
    d = drive(world, transition.source, resume=resume)
    assert d.status == transition.source
    version, events = d.version, d.events.count()
    result = call(world, transition.action, d, world.clock.tick())
    result.refresh_from_db()
    assert result.status == target
    assert result.version == version + 1
    assert result.events.count() == events + 1
    last = result.events.order_by("-seq").first()
    assert (last.action, last.from_status, last.to_status) == (
        transition.action,
        transition.source,
        target,
    )


MISSING: dict[str, list[str]] = {
    status: [a for a in DOSSIER_ACTIONS if find_transition(status, a) is None]
    for status in DossierStatus
}


def test_the_table_matches_the_design() -> None:
    assert sum(len(actions) for actions in MISSING.values()) > 80
    # Terminal states have no way out, every open state can be withdrawn.
    for status in DossierStatus:
        outgoing = {t.action for t in TRANSITIONS if t.source == status}
        if status in FINAL_STATES:
            assert outgoing == set()
        else:
            assert Action.WITHDRAW in outgoing
    assert {t.action for t in TRANSITIONS} == set(Action)


@pytest.mark.parametrize("status", list(DossierStatus))
def test_every_missing_pair_is_refused(world: World, status: str) -> None:
    # Every refused action leaves the dossier untouched, so one dossier serves the whole row.
    d = drive(world, status)
    before = (d.status, d.version, DossierEvent.objects.count())
    assert MISSING[status]
    for action in MISSING[status]:
        with pytest.raises(IllegalTransition) as excinfo:
            call(world, action, d, world.clock.tick())
        assert excinfo.value.code == "illegal_transition", action
        assert excinfo.value.details == {"status": status, "action": action}
        assert str(excinfo.value.message) == (
            "Thao tác này không được phép ở trạng thái hiện tại của hồ sơ."
        )
        d.refresh_from_db()
        assert (d.status, d.version, DossierEvent.objects.count()) == before, action


@pytest.mark.parametrize("action", sorted(CREATING))
def test_creating_actions_need_no_source(action: str) -> None:
    assert check_transition(None, action).source is None
    for status in DossierStatus:
        with pytest.raises(IllegalTransition):
            check_transition(status, action)


def test_available_actions_follow_roles(world: World) -> None:
    d = drive(world, DossierStatus.SUBMITTED)
    actions = lambda user: {t.action for t in available_actions(user=user, dossier=d)}  # noqa: E731
    assert actions(world.reception) == {
        Action.ACCEPT,
        Action.REQUEST_SUPPLEMENT,
        Action.REFUSE,
        Action.WITHDRAW,
    }
    assert actions(world.citizen) == {Action.WITHDRAW}
    assert actions(world.other_citizen) == set()
    assert actions(world.other_reception) == set()

    d = drive(world, DossierStatus.PROCESSING)
    assert actions(world.leader) == {
        Action.APPROVE,
        Action.DENY,
        Action.APOLOGISE,
        Action.STOP,
        Action.FORWARD,
        Action.REQUEST_SUPPLEMENT,
    }
    assert actions(world.specialist) == {Action.FORWARD, Action.REQUEST_SUPPLEMENT}


def test_available_actions_query_count(world: World, django_assert_max_num_queries) -> None:
    d = drive(world, DossierStatus.PROCESSING)
    d = Dossier.objects.select_related("receiving_unit", "current_step__unit").get(pk=d.pk)
    with django_assert_max_num_queries(2):
        available_actions(user=world.leader, dossier=d)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(choices=st.lists(st.integers(min_value=0, max_value=20), min_size=1, max_size=8))
def test_random_walks_keep_the_invariants(world: World, choices: list[int]) -> None:
    """Any path through the table keeps version == events, a valid chain and table moves only."""
    d = drive(world, DossierStatus.SUBMITTED)
    for choice in choices:
        options = [t for t in TRANSITIONS if t.source == d.status and t.action != Action.APOLOGISE]
        if not options:
            break
        transition = options[choice % len(options)]
        before = (d.status, d.version)
        try:
            d = call(world, transition.action, d, world.clock.tick())
        except IllegalTransition:
            raise
        except DossierError:
            # A rule inside the action refused it (e.g. no step left): nothing changed.
            d.refresh_from_db()
            assert (d.status, d.version) == before
            continue
        assert d.status in transition.targets
        assert d.version == before[1] + 1
    d.refresh_from_db()
    assert d.version == d.events.count()
    assert chain_verify(d) is None
