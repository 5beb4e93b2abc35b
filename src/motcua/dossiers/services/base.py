"""The one pipeline every dossier action runs through: lock, check, authorise, write, audit, notify."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import User

from ..audit import event_append
from ..exceptions import PermissionDenied, StaleDossier, ValidationFailed
from ..hooks import dossier_event_recorded, dossier_transitioning
from ..models import Dossier
from ..search import search_text_for
from ..tasks import _suppressed as _side_effects_suppressed
from ..tasks import dispatch_on_commit, dossier_event_dispatch
from ..workflow import Transition, check_transition, is_authorised, role_scope

_in_use_case: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "motcua_in_use_case", default=False
)


@contextlib.contextmanager
def use_case_atomic() -> Iterator[None]:
    """The one transaction of a use case, without a savepoint for each service it calls.

    The outermost service opens an ordinary atomic block (a savepoint when its caller already
    holds a transaction, so a caller that catches the error may go on). Services called inside
    it join that block without a savepoint of their own: none of them catches another's error,
    so an error leaves through the outermost block, which undoes the whole use case, as before.
    Saves two statements (SAVEPOINT, RELEASE) per nested service on the hot paths.
    """
    if _in_use_case.get():
        with transaction.atomic(savepoint=False):
            yield
        return
    token = _in_use_case.set(True)
    try:
        with transaction.atomic():
            yield
    finally:
        _in_use_case.reset(token)


# apply(dossier, transition, moment) mutates the locked dossier and returns the event payload.
Apply = Callable[[Dossier, Transition, dt.datetime], dict[str, Any] | None]


@dataclass(frozen=True)
class Applicant:
    """Who the dossier is for (người nộp hồ sơ)."""

    name: str
    kind: str = "person"
    citizen_id: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    tax_code: str = ""
    organisation: str = ""

    @classmethod
    def from_user(cls, user: User) -> Applicant:
        business = user.kind == "business"
        return cls(
            name=user.full_name or user.get_full_name() or user.username,
            kind="business" if business else "person",
            citizen_id=user.citizen_id,
            phone=user.phone,
            email=user.email,
            address=user.address,
            tax_code=user.tax_code,
            organisation=user.organisation_name,
        )

    def as_fields(self) -> dict[str, str]:
        if not self.name.strip():
            raise ValidationFailed(details={"applicant_name": "Cần nhập họ tên người nộp hồ sơ."})
        return {
            "applicant_kind": self.kind,
            "applicant_name": self.name.strip(),
            "applicant_citizen_id": self.citizen_id,
            "applicant_phone": self.phone,
            "applicant_email": self.email,
            "applicant_address": self.address,
            "applicant_tax_code": self.tax_code,
            "applicant_organisation": self.organisation,
        }


def resolve_moment(at: dt.datetime | None) -> dt.datetime:
    """`at` is for imported or historical data (the demo); live calls leave it None (now)."""
    if at is None:
        return timezone.now()
    if timezone.is_naive(at):
        raise ValidationFailed(details={"at": "Thời điểm phải có múi giờ."})
    return at


def require_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(message, details={field: str(message)})
    return value


# The roles of an actor whose memberships the caller already holds (the API's technical
# account: integration keeps them with the client), as {unit id: roles}; authorisation then
# reads no table. Set for one use case by `memberships_known`.
_known_memberships: contextvars.ContextVar[tuple[int, dict[int, frozenset[str]]] | None] = (
    contextvars.ContextVar("motcua_known_memberships", default=None)
)


@contextlib.contextmanager
def memberships_known(*, user: User, roles_by_unit: dict[int, frozenset[str]]) -> Iterator[None]:
    """Within the block, `user`'s staff roles come from `roles_by_unit` (its active memberships)."""
    token = _known_memberships.set((user.pk, roles_by_unit))
    try:
        yield
    finally:
        _known_memberships.reset(token)


def _known_roles(*, actor: User | None, dossier: Dossier | None, units=()) -> set[str] | None:
    """workflow.staff_roles_for from the declared memberships, or None when none are declared.

    The same rule: a membership of the unit or of an ancestor (the ids of the unit's path), over
    `units`, the receiving unit and the current step's unit.
    """
    known = _known_memberships.get()
    if known is None or actor is None or actor.pk != known[0]:
        return None
    roles: set[str] = set()
    for unit in role_scope(dossier=dossier, units=units):
        for part in unit.path.strip("/").split("/"):
            if part:
                roles |= known[1].get(int(part), frozenset())
    return roles


def authorise(
    *, actor: User | None, dossier: Dossier | None, transition: Transition, units=()
) -> None:
    roles = _known_roles(actor=actor, dossier=dossier, units=units)
    if not is_authorised(
        user=actor, dossier=dossier, transition=transition, units=units, roles=roles
    ):
        raise PermissionDenied(
            details={"action": str(transition.action), "status": str(transition.source or "")}
        )


def record_event(
    *,
    dossier: Dossier,
    action: str,
    from_status: str,
    actor: User | None,
    actor_label: str,
    moment: dt.datetime,
    payload: dict[str, Any] | None,
    first: bool = False,
) -> None:
    """Append the event and dispatch it after commit; `first` for a dossier inserted just now."""
    event = event_append(
        dossier=dossier,
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        actor=actor,
        actor_label=actor_label,
        at=moment,
        payload=payload,
        first=first,
    )
    if not _side_effects_suppressed.get():
        dossier_event_recorded.send(sender=Dossier, dossier=dossier, event=event)
    _dispatch(event.pk)


def _queue_is_transactional(task: Any = dossier_event_dispatch) -> bool:
    """The database task queue writes its row through our own connection (the router sends
    every write to "default"), so the row is part of the use case's transaction."""
    from django_tasks_db import DatabaseBackend

    return isinstance(task.get_backend(), DatabaseBackend)


def enqueue_with_use_case(task: Any, *args: Any) -> None:
    """Queue another app's `task` as the dossier's events are dispatched (`_dispatch`): with the
    database queue its row is part of the caller's transaction (gone with a rollback, seen by
    the worker once it commits); other backends wait for the commit. Nothing while side effects
    are suppressed (bulk and historical loads)."""
    if _side_effects_suppressed.get():
        return
    if _queue_is_transactional(task) and transaction.get_connection().in_atomic_block:
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))


def _dispatch(event_id: int) -> None:
    """Start the event's fan-out once the use case commits.

    With the database queue the task row is inserted now, inside the transaction: the worker
    sees it only once it commits, and a rollback removes it, exactly as on_commit would, but
    without a commit of its own after the use case's. Other backends run or send the task at
    once, so they wait for the commit (dispatch_on_commit).
    """
    if _queue_is_transactional() and transaction.get_connection().in_atomic_block:
        if not _side_effects_suppressed.get():
            dossier_event_dispatch.enqueue(event_id)
        return
    dispatch_on_commit(event_id)


def transitioning_send(
    *,
    dossier: Dossier,
    action: str,
    from_status: str,
    actor: User | None,
    moment: dt.datetime,
    payload: dict[str, Any],
) -> None:
    """Let the other apps act inside the transition (hooks.dossier_transitioning)."""
    dossier_transitioning.send(
        sender=Dossier,
        dossier=dossier,
        action=str(action),
        from_status=from_status,
        actor=actor,
        moment=moment,
        payload=payload,
    )


def run_transition(
    *,
    dossier: Dossier,
    action: str,
    actor: User | None,
    apply: Apply,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
    actor_label: str = "",
) -> Dossier:
    """Lock the row, check version, table and authority, apply, bump version, append the event.

    Returns the fresh dossier; the instance passed in is only used for its primary key.
    """
    moment = resolve_moment(at)
    with use_case_atomic():
        locked = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("procedure", "receiving_unit", "current_step__unit")
            .get(pk=dossier.pk)
        )
        if expected_version is not None and locked.version != expected_version:
            raise StaleDossier(details={"expected": expected_version, "actual": locked.version})
        transition = check_transition(locked.status, action)
        authorise(actor=actor, dossier=locked, transition=transition)
        from_status = locked.status
        if len(transition.targets) == 1:
            locked.status = transition.target
        payload = apply(locked, transition, moment) or {}
        assert locked.status in transition.targets, (locked.status, transition)
        transitioning_send(
            dossier=locked,
            action=action,
            from_status=from_status,
            actor=actor,
            moment=moment,
            payload=payload,
        )
        # Submit allocates the code; recomputing on every transition keeps the column exact.
        locked.search_text = search_text_for(locked)
        locked.version += 1
        locked.save()
        record_event(
            dossier=locked,
            action=action,
            from_status=from_status,
            actor=actor,
            actor_label=actor_label,
            moment=moment,
            payload=payload,
        )
    return locked
