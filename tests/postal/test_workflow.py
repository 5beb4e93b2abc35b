"""The shipment's state table: the one in docs/POSTAL.md §2 is the one the services and the
callbacks read, and what it does not allow changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from motcua.postal.constants import ShipmentStatus
from motcua.postal.errors import ShipmentStateError
from motcua.postal.workflow import TRANSITIONS, shipment_allows, shipment_transition

DOC = Path(__file__).resolve().parents[2] / "docs" / "POSTAL.md"


def documented() -> set[tuple[str, str, bool, bool]]:
    """(from, to, operator, officer) of every row of the table in §2."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## 2. ", 1)[1].split("\n## ", 1)[0]
    rows = set()
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[1].startswith("`"):
            who = {part.strip() for part in cells[2].split(",")}
            assert who <= {"operator", "officer"}, cells[2]
            for source in cells[0].split(","):
                rows.add((source.strip(), cells[1].strip("`"), "operator" in who, "officer" in who))
    return rows


def test_the_documented_table_is_the_table() -> None:
    table = {(s, t.target, t.operator, t.officer) for t in TRANSITIONS for s in t.sources}
    assert documented() == table


def test_every_status_is_documented_and_nothing_leaves_a_final_one() -> None:
    text = DOC.read_text(encoding="utf-8")
    for status in ShipmentStatus.values:
        assert f"`{status}`" in text
    for final in ("delivered", "returned_to_sender", "lost", "cancelled"):
        assert not any(shipment_allows(final, target) for target in ShipmentStatus.values)
    assert not shipment_allows("picked_up", "accepted")  # never back
    assert not shipment_allows("picked_up", "cancelled")  # the postman has it
    with pytest.raises(ShipmentStateError):
        shipment_transition("in_transit", "created")
