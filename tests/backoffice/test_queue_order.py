"""Which dossiers each queue tab shows, and in which order, for an officer covering a subtree.

Pins the lists exactly (rows, order, ties, missing due times, pages) so that a faster query can
be checked against the same answers on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep
from motcua.orgs.constants import Role
from motcua.orgs.models import Unit
from motcua.workcal import add_working_time
from tests.factories import DossierFactory

from .conftest import World

_numbers = itertools.count(1)
_hashes = itertools.count(1)


def _codes(response) -> list[str]:
    return [d.code for d in response.context["page"].object_list]


def _nulls_first(*, descending: bool) -> bool:
    """Where the database puts a missing due time: SQLite takes NULL as the smallest value,
    PostgreSQL as the largest. The queue keeps each database's own order."""
    smallest = connection.vendor == "sqlite"
    return smallest != descending


@dataclass
class Desk:
    """The dossiers around the leader of `world.unit` (who covers it and the office below)."""

    rows: dict[str, Dossier]

    def codes(self, *names: str) -> list[str]:
        return [self.rows[name].code for name in names]


def _dossier(world: World, name: str, *, unit: Unit, status: str, due_at, **kwargs) -> Dossier:
    kwargs.setdefault("code", f"000.00.21.H16-260301-{next(_numbers):04d}")
    return DossierFactory(
        receiving_unit=unit,
        procedure=world.procedure,
        status=status,
        due_at=due_at,
        applicant_name=f"Người nộp {name}",
        **kwargs,
    )


def _step_at(d: Dossier, *, unit: Unit, role: str = "") -> None:
    d.set_current_step(
        DossierStep.objects.create(
            dossier=d, order=1, name="Thẩm định", unit=unit, role=role, started_at=timezone.now()
        )
    )
    d.save(update_fields=["current_step", "current_unit"])


def _acted(d: Dossier, actor) -> None:
    """An event of `actor` on `d` (rows written directly: the list reads only the actor)."""
    n = next(_hashes)
    DossierEvent.objects.create(
        dossier=d,
        seq=1,
        action="note",
        to_status=d.status,
        actor=actor,
        created_at=timezone.now(),
        prev_hash="0" * 64,
        hash=f"{n:064x}",
    )


@pytest.fixture
def desk(world: World) -> Desk:
    unit, other = world.unit, world.other_unit
    office = Unit.objects.get(code="000.01.21.H16")
    now = timezone.now()
    day = dt.timedelta(days=1)
    rows: dict[str, Dossier] = {}

    def add(name: str, **kwargs) -> Dossier:
        rows[name] = _dossier(world, name, **kwargs)
        return rows[name]

    S = DossierStatus
    add("a", unit=unit, status=S.SUBMITTED, due_at=None, received_at=None)
    add("b", unit=office, status=S.SUBMITTED, due_at=None, received_at=None)
    add("c", unit=unit, status=S.RECEIVED, due_at=now + 30 * day)
    add("d", unit=office, status=S.RECEIVED, due_at=rows["c"].due_at)  # a tie: by id
    e = add("e", unit=unit, status=S.PROCESSING, due_at=now - dt.timedelta(hours=2))
    e.assignee = world.leader
    e.save(update_fields=["assignee"])
    _step_at(e, unit=unit, role=Role.UNIT_LEADER)
    # Received elsewhere, now at a leader's step in my office, nobody assigned: mine.
    f = add("f", unit=other, status=S.PROCESSING, due_at=add_working_time(now, 4, "hours"))
    _step_at(f, unit=office, role=Role.UNIT_LEADER)
    # At a specialist's step of my unit: in my scope, not my task.
    g = add("g", unit=unit, status=S.PROCESSING, due_at=now + 3 * day)
    _step_at(g, unit=office, role=Role.SPECIALIST)
    # Elsewhere, at a step elsewhere: never shown.
    h = add("h", unit=other, status=S.PROCESSING, due_at=now - day)
    _step_at(h, unit=other, role=Role.UNIT_LEADER)
    add("i", unit=unit, status=S.AWAITING_SUPPLEMENT, due_at=now - day)
    add("j", unit=office, status=S.RESULT_READY, due_at=now - 5 * day)
    add("k", unit=unit, status=S.RETURNED, due_at=now - 10 * day)
    # A draft, and a dossier without a code: never shown.
    add("l", unit=unit, status=S.DRAFT, due_at=now)
    add("m", unit=unit, status=S.SUBMITTED, due_at=now, code=None)
    # Received elsewhere, waiting for a supplement at my unit's step.
    n = add("n", unit=other, status=S.AWAITING_SUPPLEMENT, due_at=now + 2 * day)
    _step_at(n, unit=unit, role=Role.SPECIALIST)
    # Assigned to the specialist, as late as e: a tie in the overdue tab.
    p = add("p", unit=unit, status=S.PROCESSING, due_at=e.due_at, assignee=world.specialist)
    _step_at(p, unit=office, role=Role.SPECIALIST)
    _acted(rows["k"], world.leader)
    _acted(e, world.leader)
    _acted(h, world.leader)  # acted once, no longer in my units: not in "handled"
    _acted(rows["j"], world.specialist)
    return Desk(rows=rows)


def _with_nulls(names: list[str], nulls: list[str], *, descending: bool = False) -> list[str]:
    return nulls + names if _nulls_first(descending=descending) else names + nulls


EXPECTED_BY_DUE = {
    "new": ["a", "b"],
    "to_start": ["c", "d"],
    "mine": ["e", "f"],
    "due_soon": ["f"],
    "overdue": ["e", "p"],
    "supplement": ["i", "n"],
    "results": ["j"],
    "handled": ["k", "e"],
}
ALL_DATED = ["k", "j", "i", "e", "p", "f", "n", "g", "c", "d"]


@pytest.mark.parametrize("tab", [*EXPECTED_BY_DUE, "all"])
def test_each_tab_lists_its_dossiers_by_due_time(as_user, world: World, desk: Desk, tab) -> None:
    expected = EXPECTED_BY_DUE.get(tab) or _with_nulls(ALL_DATED, ["a", "b"])
    response = as_user(world.leader).get(reverse("backoffice:queues"), {"tab": tab})
    assert response.status_code == 200
    assert _codes(response) == desk.codes(*expected)
    counts = {t.key: count for t, count in response.context["tabs"]}
    assert counts == {key: len(names) for key, names in EXPECTED_BY_DUE.items()} | {"all": 12}


def test_the_other_sorts_keep_their_order(as_user, world: World, desk: Desk) -> None:
    leader = as_user(world.leader)
    url = reverse("backoffice:queues")

    def codes(sort: str) -> list[str]:
        return _codes(leader.get(url, {"tab": "all", "sort": sort}))

    latest_first = ["d", "c", "g", "n", "f", "p", "e", "i", "j", "k"]
    assert codes("-due") == desk.codes(*_with_nulls(latest_first, ["b", "a"], descending=True))
    created = ["a", "b", "c", "d", "e", "f", "g", "i", "j", "k", "n", "p"]
    # Every row was submitted and received in creation order (ties broken by id).
    assert codes("submitted") == desk.codes(*created)
    assert codes("-submitted") == desk.codes(*reversed(created))
    received = ["c", "d", "e", "f", "g", "i", "j", "k", "n", "p"]
    assert codes("received") == desk.codes(*_with_nulls(received, ["a", "b"]))
    assert codes("code") == desk.codes(*created)
    assert codes("applicant") == desk.codes(*sorted(created))


def test_pages_follow_one_order_without_gaps_or_repeats(as_user, world: World) -> None:
    now = timezone.now()
    office = Unit.objects.get(code="000.01.21.H16")
    made = []
    for i in range(60):
        # Three rows share each due time, alternating units of the subtree: ties across units.
        made.append(
            _dossier(
                world,
                f"r{i}",
                unit=office if i % 2 else world.unit,
                status=DossierStatus.RECEIVED,
                due_at=now + dt.timedelta(hours=(59 - i) // 3),
            )
        )
    expected = [d.code for d in sorted(made, key=lambda d: (d.due_at, d.pk))]
    leader = as_user(world.leader)
    url = reverse("backoffice:queues")
    pages = [_codes(leader.get(url, {"tab": "to_start", "page": n})) for n in (1, 2, 3)]
    assert [len(page) for page in pages] == [25, 25, 10]
    assert pages[0] + pages[1] + pages[2] == expected
    # Past the last page: the last page again (as Paginator.get_page does).
    assert _codes(leader.get(url, {"tab": "to_start", "page": 9})) == pages[2]
    assert _codes(leader.get(url, {"tab": "to_start", "page": "x"})) == pages[0]


def test_filters_narrow_the_tab_in_the_same_order(as_user, world: World, desk: Desk) -> None:
    from tests.factories import ProcedureFactory

    office = Unit.objects.get(code="000.01.21.H16")
    leader = as_user(world.leader)
    url = reverse("backoffice:queues")

    def codes(**params) -> list[str]:
        return _codes(leader.get(url, {"tab": "all", **params}))

    # Received by the office, or now at a step there.
    at_office = ["j", "p", "f", "g", "d"]
    assert codes(unit=office.pk) == desk.codes(*_with_nulls(at_office, ["b"]))
    assert codes(assignee=world.specialist.pk) == desk.codes("p")
    assert codes(procedure=world.procedure.code) == desk.codes(*_with_nulls(ALL_DATED, ["a", "b"]))
    other = ProcedureFactory(published=True)
    assert codes(procedure=other.code) == []
    # A value that is not in the lists is refused, and the tab shows unfiltered.
    response = leader.get(url, {"tab": "all", "unit": world.other_unit.pk})
    assert "unit" in response.context["form"].errors
    assert _codes(response) == desk.codes(*_with_nulls(ALL_DATED, ["a", "b"]))


def test_a_revoked_membership_closes_the_queue_at_once(as_user, world: World) -> None:
    leader = as_user(world.leader)
    url = reverse("backoffice:queues")
    assert leader.get(url).status_code == 200  # the scope is now in the cache
    membership = world.leader.memberships.get()
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    assert leader.get(url).status_code == 403


def test_my_work_is_assigned_to_me_or_unassigned_at_a_step_of_my_role(
    as_user, world: World, desk: Desk
) -> None:
    """ "My work" is read in two parts (assigned to me; unassigned at a step of my role in my
    units): a dossier at a step of my role that someone else took is not mine, and the page
    agrees with the tab's single condition (`queue_list`)."""
    from motcua.backoffice.selectors import QueueFilters, officer_scope, queue_list

    office = Unit.objects.get(code="000.01.21.H16")
    taken = _dossier(
        world,
        "q",
        unit=world.unit,
        status=DossierStatus.PROCESSING,
        due_at=timezone.now(),
        assignee=world.specialist,
    )
    _step_at(taken, unit=office, role=Role.UNIT_LEADER)
    response = as_user(world.leader).get(reverse("backoffice:queues"), {"tab": "mine"})
    assert _codes(response) == desk.codes("e", "f")
    counts = {t.key: count for t, count in response.context["tabs"]}
    assert counts["mine"] == 2
    scope = officer_scope(user=world.leader)
    whole = queue_list(scope=scope, tab="mine", now=timezone.now(), filters=QueueFilters())
    assert [d.code for d in whole] == desk.codes("e", "f")


def test_work_handed_over_from_elsewhere_shows_and_leaves_at_once(
    as_user, world: World, desk: Desk
) -> None:
    """The dossiers received elsewhere at my units' open steps are remembered between pages:
    a step opened or closed at my unit shows on the next page, not after the cache expires."""
    client = as_user(world.leader)
    url = reverse("backoffice:queues")
    assert _codes(client.get(url, {"tab": "mine"})) == desk.codes("e", "f")
    office = Unit.objects.get(code="000.01.21.H16")
    handed = _dossier(
        world,
        "r",
        unit=world.other_unit,
        status=DossierStatus.PROCESSING,
        due_at=timezone.now() + dt.timedelta(days=9),
    )
    _step_at(handed, unit=office, role=Role.UNIT_LEADER)
    response = client.get(url, {"tab": "mine"})
    assert _codes(response) == [*desk.codes("e", "f"), handed.code]
    assert {t.key: count for t, count in response.context["tabs"]}["mine"] == 3
    # Its step closes and it goes back where it came from: gone from my queue at once.
    step = handed.current_step
    step.finished_at = timezone.now()
    step.save(update_fields=["finished_at"])
    handed.set_current_step(None)
    handed.save(update_fields=["current_step", "current_unit"])
    response = client.get(url, {"tab": "all"})
    assert handed.code not in _codes(response)
    assert _codes(client.get(url, {"tab": "mine"})) == desk.codes("e", "f")
