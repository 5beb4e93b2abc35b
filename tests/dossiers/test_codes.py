"""Dossier codes: format, per-unit-per-day sequence, no gaps on rollback, no races."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from motcua.dossiers import services as s
from motcua.dossiers.codes import code_allocate
from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import DossierCodeSequence

from .helpers import VN, World, drive


def _receive(world: World, at: dt.datetime):
    return s.dossier_receive_direct(
        actor=world.reception,
        procedure=world.procedure,
        receiving_unit=world.unit,
        applicant=world.applicant(),
        at=at,
    )


def test_format_and_daily_sequence(world: World) -> None:
    monday = dt.datetime(2025, 7, 14, 9, 0, tzinfo=VN)
    codes = [_receive(world, monday + dt.timedelta(minutes=i)).code for i in range(3)]
    assert codes == [
        "000.00.21.H16-250714-0001",
        "000.00.21.H16-250714-0002",
        "000.00.21.H16-250714-0003",
    ]
    assert _receive(world, monday + dt.timedelta(days=1)).code == "000.00.21.H16-250715-0001"


def test_the_date_is_the_local_date(world: World) -> None:
    # 00:30 on the 15th in Hà Nội is still the 14th in UTC.
    at = dt.datetime(2025, 7, 15, 0, 30, tzinfo=VN)
    assert at.astimezone(dt.UTC).day == 14
    assert code_allocate(unit=world.unit, at=at) == "000.00.21.H16-250715-0001"


def test_sequences_are_per_unit(world: World) -> None:
    at = dt.datetime(2025, 7, 14, 9, 0, tzinfo=VN)
    assert code_allocate(unit=world.unit, at=at).endswith("-0001")
    assert code_allocate(unit=world.other_unit, at=at) == "000.00.22.H16-250714-0001"


def test_online_code_is_given_at_submission_and_never_changes(world: World) -> None:
    d = drive(world, DossierStatus.DRAFT)
    assert d.code is None
    d = drive(world, DossierStatus.PROCESSING)
    code = d.code
    d = s.dossier_request_supplement(dossier=d, actor=world.specialist, items=["Tờ khai"])
    d = s.dossier_supplement(dossier=d, actor=world.citizen)
    assert d.code == code
    assert d.code.startswith("000.00.21.H16-250714-")


def test_rollback_leaves_no_gap(world: World) -> None:
    at = dt.datetime(2025, 7, 14, 9, 0, tzinfo=VN)
    with pytest.raises(RuntimeError), transaction.atomic():
        _receive(world, at)
        raise RuntimeError("the insert fails after the code was taken")
    assert _receive(world, at).code == "000.00.21.H16-250714-0001"
    assert DossierCodeSequence.objects.get(unit=world.unit).last == 1


def test_the_day_stops_at_9999_without_moving_the_counter(world: World) -> None:
    from motcua.dossiers.exceptions import CodeSpaceExhausted

    at = dt.datetime(2025, 7, 14, 9, 0, tzinfo=VN)
    assert code_allocate(unit=world.unit, at=at).endswith("-0001")
    DossierCodeSequence.objects.filter(unit=world.unit).update(last=9998)
    assert code_allocate(unit=world.unit, at=at) == "000.00.21.H16-250714-9999"
    with pytest.raises(CodeSpaceExhausted):
        code_allocate(unit=world.unit, at=at)
    assert DossierCodeSequence.objects.get(unit=world.unit).last == 9999
    # Another day of the same unit is another counter.
    assert code_allocate(unit=world.unit, at=at + dt.timedelta(days=1)).endswith("-0001")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_receptions_get_distinct_consecutive_codes(world: World) -> None:
    threads_count = 8
    at = dt.datetime(2025, 7, 14, 9, 0, tzinfo=VN)
    barrier = threading.Barrier(threads_count)
    codes: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            barrier.wait()
            code = _receive(world, at).code
            with lock:
                codes.append(code)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(codes) == [f"000.00.21.H16-250714-{n:04d}" for n in range(1, threads_count + 1)]
