"""The shipment's state table as data (docs/POSTAL.md §2): the services and the callback read it.

A status may be reached from every state listed as its source: operators do not report every
step (a parcel may go from "accepted" straight to "delivered"), but never go back, so a status
that is not reachable from the shipment's current one is out of order and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from .constants import ShipmentStatus as S
from .errors import ShipmentStateError


@dataclass(frozen=True)
class ShipmentTransition:
    sources: frozenset[str]
    target: str
    # Who may report it: the operator (a callback), an officer (the desk), the system.
    operator: bool = True
    officer: bool = False
    notes: str = ""


TRANSITIONS: tuple[ShipmentTransition, ...] = (
    ShipmentTransition(frozenset({S.CREATED}), S.ACCEPTED, notes="the operator took the order"),
    ShipmentTransition(
        frozenset({S.CREATED, S.ACCEPTED}), S.PICKED_UP, notes="the postman has the parcel"
    ),
    ShipmentTransition(frozenset({S.CREATED, S.ACCEPTED, S.PICKED_UP}), S.IN_TRANSIT),
    ShipmentTransition(
        frozenset({S.CREATED, S.ACCEPTED, S.PICKED_UP, S.IN_TRANSIT}),
        S.DELIVERED,
        officer=True,
        notes="delivery: signed for by the recipient; pickup: the desk's hand-over record (t0)",
    ),
    ShipmentTransition(
        frozenset({S.PICKED_UP, S.IN_TRANSIT}),
        S.RETURNED_TO_SENDER,
        notes="not deliverable: back to the sender",
    ),
    ShipmentTransition(frozenset({S.ACCEPTED, S.PICKED_UP, S.IN_TRANSIT}), S.LOST),
    ShipmentTransition(
        frozenset({S.CREATED, S.ACCEPTED}),
        S.CANCELLED,
        officer=True,
        notes="before the postman has it: the order is withdrawn",
    ),
)

_INDEX: dict[tuple[str, str], ShipmentTransition] = {
    (source, t.target): t for t in TRANSITIONS for source in t.sources
}
assert len(_INDEX) == sum(len(t.sources) for t in TRANSITIONS), "duplicate (status, target)"


def shipment_allows(status: str, target: str) -> bool:
    return (status, target) in _INDEX


def shipment_transition(status: str, target: str) -> ShipmentTransition:
    """The row that leads from `status` to `target`, or ShipmentStateError when there is none."""
    transition = _INDEX.get((status, target))
    if transition is None:
        raise ShipmentStateError(details={"status": status, "target": target})
    return transition
