"""The hash-chained event log: append-only, and `verify_audit` finds the first broken link."""

from __future__ import annotations

import io
import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from motcua.dossiers.audit import GENESIS_HASH, chain_verify, event_hash
from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import DossierEvent

from .helpers import World, drive


@pytest.fixture
def chains(world: World):
    """Two returned dossiers (six events each) and one in processing."""
    return [
        drive(world, DossierStatus.RETURNED),
        drive(world, DossierStatus.RETURNED),
        drive(world, DossierStatus.PROCESSING),
    ]


def _sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _verify(*args: str) -> str:
    out = io.StringIO()
    call_command("verify_audit", *args, stdout=out, stderr=out)
    return out.getvalue()


def _broken(*args: str) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_audit", *args, stdout=io.StringIO(), stderr=err)
    assert excinfo.value.returncode == 1
    return err.getvalue()


def test_an_intact_chain(chains) -> None:
    d = chains[0]
    events = list(d.events.order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3, 4, 5, 6]
    assert events[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    assert all(event_hash(e, dossier_uuid=str(d.uuid)) == e.hash for e in events)
    assert "Đã kiểm tra 3 hồ sơ: toàn vẹn." in _verify()
    assert "Đã kiểm tra 1 hồ sơ" in _verify("--dossier", d.code)


def test_events_cannot_be_changed_through_the_orm(chains) -> None:
    event = chains[0].events.first()
    event.payload = {"x": 1}
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        DossierEvent.objects.filter(pk=event.pk).update(payload={})
    with pytest.raises(TypeError):
        DossierEvent.objects.filter(pk=event.pk).delete()


def test_tampered_payload(chains) -> None:
    d = chains[1]
    event = d.events.get(seq=3)
    _sql(
        "UPDATE dossiers_dossierevent SET payload = %s WHERE id = %s",
        ['{"received_at": "2020-01-01T00:00:00Z"}', event.pk],
    )
    out = _broken()
    assert f"Hồ sơ {d.code}, sự kiện #3: nội dung đã bị sửa" in out
    assert chains[0].code not in out


def test_tampered_time(chains) -> None:
    d = chains[0]
    event = d.events.get(seq=4)
    _sql(
        "UPDATE dossiers_dossierevent SET created_at = %s WHERE id = %s",
        [event.created_at.replace(year=2020), event.pk],
    )
    assert f"Hồ sơ {d.code}, sự kiện #4:" in _broken("--dossier", d.code)


def test_swapped_order(chains) -> None:
    d = chains[0]
    two, three = d.events.get(seq=2), d.events.get(seq=3)
    _sql("UPDATE dossiers_dossierevent SET seq = 99 WHERE id = %s", [two.pk])
    _sql("UPDATE dossiers_dossierevent SET seq = 2 WHERE id = %s", [three.pk])
    _sql("UPDATE dossiers_dossierevent SET seq = 3 WHERE id = %s", [two.pk])
    assert f"Hồ sơ {d.code}, sự kiện #2:" in _broken()


def test_deleted_middle_event(chains) -> None:
    d = chains[0]
    _sql("DELETE FROM dossiers_dossierevent WHERE id = %s", [d.events.get(seq=3).pk])
    out = _broken()
    assert f"Hồ sơ {d.code}, sự kiện #4: số thứ tự 4, đúng ra phải là 3" in out


def test_deleted_last_event(chains) -> None:
    d = chains[2]
    last = d.events.order_by("-seq").first()
    _sql("DELETE FROM dossiers_dossierevent WHERE id = %s", [last.pk])
    d.refresh_from_db()
    link = chain_verify(d)
    assert link is not None and link.seq is None
    assert f"Hồ sơ {d.code}, cuối chuỗi:" in _broken()


def test_unknown_dossier_code(chains) -> None:
    with pytest.raises(CommandError, match="Không tìm thấy hồ sơ"):
        call_command("verify_audit", "--dossier", "000.00.21.H16-990101-0001")
