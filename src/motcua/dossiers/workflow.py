"""The dossier state machine of docs/ARCHITECTURE.md §3, as data, and the checks that read it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from motcua.orgs.constants import Role
from motcua.orgs.selectors import roles_for_user_in_unit

from .constants import FINAL_STATES, Action, DossierStatus
from .exceptions import IllegalTransition

S = DossierStatus


@dataclass(frozen=True)
class Transition:
    """One row of the table. `source` None means the action creates the dossier."""

    source: str | None
    action: str
    # Usually one target; `supplement` returns to where the dossier was (submitted or processing).
    targets: tuple[str, ...]
    # Staff roles that may act (membership covering the receiving unit or the current step's unit).
    roles: frozenset[str] = frozenset()
    # The owner (the citizen or business account of the dossier) may act.
    owner: bool = False
    # The current assignee may act whatever their role.
    assignee: bool = False
    # May run without a user (the system, an integration, the online download).
    system: bool = False
    notes: str = ""

    @property
    def target(self) -> str:
        return self.targets[0]


_RECEPTION = frozenset({Role.RECEPTION})
_LEADER = frozenset({Role.UNIT_LEADER})
_OFFICERS = frozenset({Role.RECEPTION, Role.SPECIALIST, Role.UNIT_LEADER})

TRANSITIONS: tuple[Transition, ...] = (
    Transition(None, Action.CREATE_DRAFT, (S.DRAFT,), owner=True, notes="online only"),
    Transition(
        S.DRAFT,
        Action.SUBMIT,
        (S.SUBMITTED,),
        owner=True,
        notes="code allocated; mandatory documents checked",
    ),
    Transition(
        None, Action.RECEIVE_DIRECT, (S.RECEIVED,), roles=_RECEPTION, notes="t0, due, form 01"
    ),
    Transition(
        None, Action.RECEIVE_POSTAL, (S.RECEIVED,), roles=_RECEPTION, notes="t0 = hand-over"
    ),
    Transition(S.SUBMITTED, Action.ACCEPT, (S.RECEIVED,), roles=_RECEPTION, notes="t0, due, 01"),
    Transition(
        S.SUBMITTED,
        Action.REQUEST_SUPPLEMENT,
        (S.AWAITING_SUPPLEMENT,),
        roles=_RECEPTION,
        notes="form 02, before reception: no clock yet",
    ),
    Transition(S.SUBMITTED, Action.REFUSE, (S.REFUSED,), roles=_RECEPTION, notes="form 03"),
    Transition(
        S.RECEIVED,
        Action.START,
        (S.PROCESSING,),
        roles=_OFFICERS,
        system=True,
        notes="first process step opened",
    ),
    Transition(
        S.PROCESSING,
        Action.FORWARD,
        (S.PROCESSING,),
        roles=_OFFICERS,
        assignee=True,
        notes="next template step or another unit",
    ),
    Transition(
        S.PROCESSING,
        Action.REQUEST_SUPPLEMENT,
        (S.AWAITING_SUPPLEMENT,),
        roles=_OFFICERS,
        assignee=True,
        notes="form 02; the clock stops",
    ),
    Transition(
        S.AWAITING_SUPPLEMENT,
        Action.SUPPLEMENT,
        (S.SUBMITTED, S.PROCESSING),
        roles=_RECEPTION,
        owner=True,
        notes="back to where it was; deadline recomputed (restart or pause)",
    ),
    Transition(S.PROCESSING, Action.APPROVE, (S.RESULT_READY,), roles=_LEADER, notes="clock ends"),
    Transition(S.PROCESSING, Action.DENY, (S.RESULT_READY,), roles=_LEADER, notes="reasons"),
    Transition(
        S.PROCESSING,
        Action.APOLOGISE,
        (S.PROCESSING,),
        roles=_LEADER,
        notes="form 04, once, when late or due within 1 working day",
    ),
    Transition(S.PROCESSING, Action.STOP, (S.STOPPED,), roles=_LEADER, notes="reasons; clock ends"),
    Transition(
        S.RESULT_READY,
        Action.RETURN_RESULT,
        (S.RETURNED,),
        roles=_RECEPTION,
        system=True,
        notes="at the desk, by post or online download",
    ),
    *(
        Transition(
            status,
            Action.WITHDRAW,
            (S.WITHDRAWN,),
            roles=_RECEPTION,
            owner=True,
            notes="citizen, or an officer on the citizen's request",
        )
        for status in S
        if status not in FINAL_STATES
    ),
)

_INDEX: dict[tuple[str | None, str], Transition] = {(t.source, t.action): t for t in TRANSITIONS}
assert len(_INDEX) == len(TRANSITIONS), "duplicate (status, action) row in TRANSITIONS"


def find_transition(status: str | None, action: str) -> Transition | None:
    return _INDEX.get((status, action))


def check_transition(status: str | None, action: str) -> Transition:
    """The row for (status, action), or IllegalTransition when the table has none."""
    transition = _INDEX.get((status, action))
    if transition is None:
        raise IllegalTransition(
            details={"status": status or "", "action": str(action)},
        )
    return transition


def transitions_from(status: str | None) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == status]


def role_scope(*, dossier=None, units: Iterable = ()) -> list:
    """The units whose roles count for an action: `units`, the dossier's receiving unit and its
    current step's unit (when another)."""
    scope = list(units)
    if dossier is not None:
        scope.append(dossier.receiving_unit)
        step = dossier.current_step
        if step is not None and step.unit_id != dossier.receiving_unit_id:
            scope.append(step.unit)
    return scope


def staff_roles_for(*, user, dossier=None, units: Iterable = ()) -> set[str]:
    """Roles the user holds over the dossier's receiving unit, its current step's unit or `units`."""
    if user is None or not user.is_authenticated:
        return set()
    roles: set[str] = set()
    for unit in role_scope(dossier=dossier, units=units):
        roles |= roles_for_user_in_unit(user=user, unit=unit)
    return roles


def is_authorised(
    *,
    user,
    dossier,
    transition: Transition,
    units: Iterable = (),
    roles: set[str] | None = None,
) -> bool:
    """Whether `user` (None = the system) may perform `transition` on `dossier`.

    Staff authority comes from memberships covering the receiving unit or the unit of the current
    process step (inter-agency work), or `units` when given (the unit a new dossier is received at).
    `roles` may be passed when already computed with `staff_roles_for`.
    """
    if user is None:
        return transition.system
    if not user.is_authenticated or not user.is_active:
        return False
    if transition.owner and (dossier is None or dossier.owner_id == user.pk):
        return True
    if transition.assignee and dossier is not None and dossier.assignee_id == user.pk:
        return True
    if not transition.roles:
        return False
    if roles is None:
        roles = staff_roles_for(user=user, dossier=dossier, units=units)
    return bool(roles & transition.roles)


def available_actions(*, user, dossier) -> list[Transition]:
    """Transitions the user may start on the dossier now (the buttons the UI shows)."""
    roles = staff_roles_for(user=user, dossier=dossier)
    allowed = []
    for transition in transitions_from(dossier.status):
        if transition.action == Action.APOLOGISE and dossier.apologised:
            continue
        if is_authorised(user=user, dossier=dossier, transition=transition, roles=roles):
            allowed.append(transition)
    return allowed
