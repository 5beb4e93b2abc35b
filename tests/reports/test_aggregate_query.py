"""The live aggregate query: each count equals the number of dossiers its condition selects among
all dossiers (so the index-bounded population drops none), and its PostgreSQL settings end
with it."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from django.db import connection

from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import Apology, Dossier
from motcua.postal.constants import ShipmentKind, ShipmentStatus
from motcua.reports.constants import ALL_AGGREGATES
from motcua.reports.counts import conditions, raw_pair_counts
from motcua.reports.monthly import report_monthly
from motcua.reports.periods import period_parse
from motcua.workcal import Timing

from .conftest import (
    FINAL,
    STATUSES,
    VN,
    Province,
    _dossier,
    build_province,
    random_columns,
    shipment,
)

JUNE = period_parse("2020-06")


def _random_dossiers(world: Province, rng: random.Random, count: int) -> None:
    """Dossiers over 2019–2021 whose moments fall often exactly on a month's bounds, open across
    whole months, refused at reception, returned long after their end, with apologies."""
    bounds = [JUNE.start, JUNE.end, period_parse("2020-01").start, period_parse("2021-01").start]
    origin = dt.datetime(2019, 11, 1, tzinfo=VN)

    def moment() -> dt.datetime:
        if rng.random() < 0.25:
            return rng.choice(bounds) + dt.timedelta(microseconds=rng.choice([-1, 0, 0, 1]))
        return origin + dt.timedelta(days=rng.randrange(500), hours=rng.randrange(24))

    for i in range(count):
        status = rng.choice(STATUSES)
        received = None if status == DossierStatus.REFUSED and rng.random() < 0.8 else moment()
        start = received or moment()
        finished = None
        if status in FINAL:
            finished = max(start, moment()) if rng.random() < 0.5 else start
        resolved = status in {DossierStatus.RESULT_READY, DossierStatus.RETURNED}
        timing = rng.choice([Timing.EARLY, Timing.ON_TIME, Timing.LATE, ""]) if resolved else ""
        due = rng.choice([None, moment(), start + dt.timedelta(days=rng.randrange(1, 90))])
        returned = None
        if finished is not None and (status == DossierStatus.RETURNED or rng.random() < 0.1):
            returned = max(finished, moment())
        dossier = _dossier(
            world,
            f"q{i}",
            **random_columns(world, rng),
            status=status,
            received=received,
            due=due,
            finished=finished,
            returned=returned,
            timing=timing,
            is_digitised=rng.random() < 0.5,
            has_e_result=rng.random() < 0.5,
            apologised=rng.random() < 0.3,
        )
        _random_parcels(dossier, rng, moment)
        if received is not None and rng.random() < 0.3:
            # Only while it is processed (workflow): between t0 and its end, or at any time
            # after t0 while it is open (then also exactly on a bound).
            late = rng.choice(bounds) if finished is None else finished
            Apology.objects.create(
                dossier=dossier,
                reason="Chậm",
                original_due_at=due or moment(),
                new_due_at=moment(),
                created_at=max(received, late)
                if rng.random() < 0.3
                else received + (max(received, late) - received) * rng.random(),
            )


def _random_parcels(dossier: Dossier, rng: random.Random, moment) -> None:
    """Some pickups (handed over at t0, or never) and deliveries (delivered when the result was
    returned, as the postal app does, cancelled, or still on the way), created at any moment."""
    if rng.random() < 0.3:
        handed = dossier.received_at if dossier.received_at and rng.random() < 0.7 else None
        status = (
            ShipmentStatus.DELIVERED
            if handed
            else rng.choice([ShipmentStatus.IN_TRANSIT, ShipmentStatus.RETURNED_TO_SENDER])
        )
        shipment(
            dossier,
            ShipmentKind.PICKUP,
            created=moment(),
            status=status,
            delivered=handed,
            handed_over=handed,
        )
    on_the_way = False  # one parcel under way per dossier and direction
    for _ in range(rng.choice([0, 0, 1, 2])):
        status = rng.choice(
            [ShipmentStatus.DELIVERED, ShipmentStatus.CANCELLED, ShipmentStatus.IN_TRANSIT]
        )
        if status == ShipmentStatus.DELIVERED and dossier.returned_at is not None:
            shipment(
                dossier, ShipmentKind.DELIVERY, created=moment(), delivered=dossier.returned_at
            )
        elif status == ShipmentStatus.CANCELLED or (status != "delivered" and not on_the_way):
            shipment(dossier, ShipmentKind.DELIVERY, created=moment(), status=status)
            on_the_way = on_the_way or status != ShipmentStatus.CANCELLED


def _counted_one_by_one(start: dt.datetime, end: dt.datetime, unit_ids: list[int] | None):
    """The counts per (unit, procedure), each aggregate by its own query over every dossier."""
    conds = conditions(start, end)
    out: dict[tuple[int, int], list[int]] = {}
    for i, key in enumerate(ALL_AGGREGATES):
        qs = Dossier.objects.filter(conds[key])
        if unit_ids is not None:
            qs = qs.filter(receiving_unit_id__in=unit_ids)
        pairs = Counter(qs.values_list("receiving_unit_id", "procedure_id"))
        for pair, n in pairs.items():
            out.setdefault(pair, [0] * len(ALL_AGGREGATES))[i] = n
    return out


@pytest.mark.django_db
def test_the_aggregate_query_equals_each_condition_counted_over_every_dossier() -> None:
    world = build_province()
    _random_dossiers(world, random.Random(20200601), 250)
    reached: Counter[str] = Counter()
    for key in ("2020-05", "2020-06", "2020-07", "2020-Q2", "2020", "2019-11"):
        period = period_parse(key)
        for unit_ids in (None, [world.a.pk, world.c.pk], [world.b.pk]):
            expected = _counted_one_by_one(period.start, period.end, unit_ids)
            assert raw_pair_counts(period.start, period.end, unit_ids) == expected, (key, unit_ids)
            for row in expected.values():
                reached.update(k for k, n in zip(ALL_AGGREGATES, row, strict=True) if n)
    # The data reaches every kind of count, so that the comparison means something.
    assert set(reached) == set(ALL_AGGREGATES)


@pytest.mark.django_db(transaction=True)
def test_the_aggregate_settings_do_not_outlive_the_query(province: Province) -> None:
    def settings_now() -> tuple[str, str] | None:
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('jit'), current_setting('work_mem')")
            return cursor.fetchone()

    before = settings_now()
    report = report_monthly(period="2020-05", live=True)
    assert report.totals["received_online"] + report.totals["received_direct"] > 0
    assert settings_now() == before
    assert not connection.in_atomic_block
