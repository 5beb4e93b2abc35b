"""A small province whose May 2020 figures are worked out by hand in the tests.

Agency A (Sở Tư pháp) with a commune C below it, agency B (Sở Xây dựng), under the province P.
Every dossier is written directly with explicit timestamps (local time, Asia/Ho_Chi_Minh) and is
named by its applicant ("#1" …) so a test can say which dossiers a column must hold.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

import pytest

from motcua.catalog.models import Fee, Procedure
from motcua.dossiers.constants import Channel, DossierStatus, ResultDelivery, Satisfaction
from motcua.dossiers.models import Apology, Dossier, DossierRating
from motcua.orgs.constants import GovLevel, UnitKind
from motcua.orgs.models import Unit
from motcua.postal.constants import Provider, ShipmentKind, ShipmentStatus
from motcua.postal.models import Shipment
from motcua.reports import keeping, tasks
from motcua.reports.monthly import MonthlyReport, report_monthly
from motcua.reports.periods import period_parse
from motcua.reports.trend import TrendPoint, report_trend
from motcua.workcal import Timing
from tests.factories import DossierFactory, FieldFactory, ProcedureFactory, UnitFactory

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def report_kept(*, now: dt.datetime | None = None, **options: Any) -> MonthlyReport:
    """The report as the pages read it: its figures kept first (keeping.py), then read."""
    if not options.get("live"):
        keeping.report_figures_keep(period=options["period"], now=now)
    return report_monthly(now=now, **options)


def trend_kept(
    *, last: Any, months: int = 12, now: dt.datetime | None = None, **options: Any
) -> list[TrendPoint]:
    """The trend as the dashboard reads it: its days kept and its due months frozen in the
    background (tasks run at once in the tests) first, then read."""
    period = period_parse(last) if isinstance(last, str) else last
    tasks.trend_figures_keep(last=period, months=months, now=now)
    return report_trend(last=period, months=months, now=now, **options)


def at(month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    """A local time in 2020."""
    return dt.datetime(2020, month, day, hour, minute, second, tzinfo=VN)


@dataclass
class Province:
    province: Unit
    a: Unit
    c: Unit
    b: Unit
    p1: Procedure
    p2: Procedure
    p3: Procedure
    p4: Procedure
    p5: Procedure
    p6: Procedure
    d: dict[str, Dossier] = field(default_factory=dict)

    def names(self, qs: Any) -> set[str]:
        return {x.applicant_name for x in qs}


# The states a random test dossier is drawn in (the same list, in the same order, for every
# seed), and those that ended it.
STATUSES = [
    DossierStatus.PROCESSING,
    DossierStatus.AWAITING_SUPPLEMENT,
    DossierStatus.RESULT_READY,
    DossierStatus.RETURNED,
    DossierStatus.WITHDRAWN,
    DossierStatus.REFUSED,
    DossierStatus.STOPPED,
]
FINAL = set(STATUSES) - {DossierStatus.PROCESSING, DossierStatus.AWAITING_SUPPLEMENT}


def random_columns(world: Province, rng: Any) -> dict[str, Any]:
    """The columns a random test dossier draws whatever its dates and state: procedure, receiving
    unit, channel, delivery, payment, fee and supplements (drawn in this order from `rng`)."""
    return {
        "procedure": rng.choice([world.p1, world.p2, world.p3, world.p4, world.p6]),
        "unit": rng.choice([world.a, world.b, world.c]),
        "channel": rng.choice(list(Channel.values)),
        "result_delivery": rng.choice(list(ResultDelivery.values)),
        "paid_online": rng.random() < 0.3,
        "fee_total": rng.choice([0, 20_000]),
        "supplement_count": rng.choice([0, 0, 1, 2]),
    }


def random_dossier(
    world: Province,
    name: str,
    rng: Any,
    *,
    status: str,
    received: dt.datetime | None,
    due: dt.datetime,
    finished: dt.datetime | None,
    returned_after: dt.timedelta,
    timing: str,
) -> Dossier:
    """A random test dossier (`random_columns`), returned `returned_after` its end when its
    status says so; late ones apologised for half the time, the apology dated while it was
    being processed (between its receipt and its end)."""
    dossier = _dossier(
        world,
        name,
        **random_columns(world, rng),
        status=status,
        received=received,
        due=due,
        finished=finished,
        returned=finished + returned_after if status == DossierStatus.RETURNED else None,
        timing=timing,
        apologised=timing == Timing.LATE and rng.random() < 0.5,
    )
    if dossier.apologised:  # late, so resolved: received and finished
        Apology.objects.create(
            dossier=dossier,
            reason="Chậm",
            original_due_at=due,
            new_due_at=due + dt.timedelta(days=5),
            created_at=received + (finished - received) * rng.random(),
        )
    return dossier


def _dossier(
    world: Province,
    name: str,
    *,
    procedure: Procedure,
    unit: Unit | None = None,
    channel: str = Channel.DIRECT,
    status: str = DossierStatus.PROCESSING,
    received: dt.datetime | None,
    due: dt.datetime | None = None,
    finished: dt.datetime | None = None,
    returned: dt.datetime | None = None,
    timing: str = "",
    **extra: Any,
) -> Dossier:
    if extra.pop("paid_online", False):
        # What the payments app writes when an invoice is paid online: an hour after reception.
        when = received or finished
        extra |= {"paid_online": True, "paid_online_at": when + dt.timedelta(hours=1)}
    d = DossierFactory(
        applicant_name=name,
        procedure=procedure,
        receiving_unit=unit or world.a,
        channel=channel,
        status=status,
        submitted_at=extra.pop("submitted_at", received or finished),
        received_at=received,
        due_at=due,
        original_due_at=extra.pop("original_due", due),
        finished_at=finished,
        returned_at=returned,
        timing=timing,
        **extra,
    )
    world.d[name] = d
    return d


def shipment(
    dossier: Dossier,
    kind: str,
    *,
    created: dt.datetime,
    status: str = ShipmentStatus.IN_TRANSIT,
    delivered: dt.datetime | None = None,
    handed_over: dt.datetime | None = None,
) -> Shipment:
    """A parcel of the dossier written directly (test data, as the postal app leaves it): a
    delivered one has its `delivered_at`; a pickup handed over at the desk its `handed_over_at`."""
    if delivered is not None:
        status = ShipmentStatus.DELIVERED
    return Shipment.objects.create(
        kind=kind,
        dossier=dossier,
        unit=dossier.receiving_unit,
        provider=Provider.SANDBOX,
        status=status,
        status_at=delivered or created,
        tracking_number=f"RR{Shipment.objects.count() + 1:08d}VN",
        person_name=dossier.applicant_name,
        person_phone="0912345678",
        person_province_code="66",
        person_ward_code="24133",
        person_street="12 Lê Duẩn",
        agency_name=dossier.receiving_unit.name,
        agency_phone="02623812345",
        agency_address="Số 9 Ngô Quyền",
        created_at=created,
        delivered_at=delivered,
        handed_over_at=handed_over,
    )


def pickup(dossier: Dossier) -> Shipment:
    """The pickup that brought `dossier` to the desk: delivered and handed over at its t0."""
    assert dossier.received_at is not None
    created = dossier.received_at - dt.timedelta(days=1)
    return shipment(
        dossier,
        ShipmentKind.PICKUP,
        created=created,
        delivered=dossier.received_at,
        handed_over=dossier.received_at,
    )


def delivery(dossier: Dossier) -> Shipment:
    """The delivery of `dossier`'s result: sent at its end, delivered when it was returned."""
    assert dossier.finished_at is not None and dossier.returned_at is not None
    return shipment(
        dossier, ShipmentKind.DELIVERY, created=dossier.finished_at, delivered=dossier.returned_at
    )


def build_province() -> Province:
    province = UnitFactory(
        code="000.00.00.H16", name="Tỉnh Đắk Lắk", kind=UnitKind.PROVINCE, parent=None
    )
    a = UnitFactory(code="000.00.21.H16", name="Sở Tư pháp", parent=province)
    c = UnitFactory(
        code="000.31.21.H16",
        name="Xã Ea Tam",
        parent=a,
        kind=UnitKind.COMMUNE,
        level=GovLevel.COMMUNE,
    )
    b = UnitFactory(code="000.00.22.H16", name="Sở Xây dựng", parent=province)
    f1 = FieldFactory(code="HT", name="Hộ tịch")
    f2 = FieldFactory(code="CT", name="Chứng thực")
    p1 = ProcedureFactory(
        code="1.000001", name="Đăng ký khai sinh", field=f1, online_level=4,
        accepts_postal_pickup=True, accepts_postal_return=True,
    )  # fmt: skip
    p2 = ProcedureFactory(
        code="1.000002", name="Chứng thực bản sao", field=f2, online_level=2,
        accepts_postal_pickup=False, accepts_postal_return=False,
        handled_in_specialised_software=True, specialised_software_integrated=True,
    )  # fmt: skip
    p3 = ProcedureFactory(
        code="1.000003", name="Đăng ký kết hôn", field=f1, online_level=3,
        accepts_postal_pickup=False, accepts_postal_return=False,
        handled_in_specialised_software=True, specialised_software_integrated=False,
    )  # fmt: skip
    p4 = ProcedureFactory(code="1.000004", name="Cấp phiếu lý lịch tư pháp", field=f2,
                          online_level=1, accepts_postal_pickup=False, accepts_postal_return=False)  # fmt: skip
    p5 = ProcedureFactory(code="1.000005", name="Thủ tục chưa công bố", field=f2,
                          online_level=4, published=False)  # fmt: skip
    p6 = ProcedureFactory(code="1.000006", name="Cấp giấy phép xây dựng", field=f2,
                          online_level=4, accepts_postal_pickup=False, accepts_postal_return=False)  # fmt: skip
    for p in (p1, p2, p3, p4, p5):
        p.performing_units.add(a)
    p6.performing_units.add(b)
    Fee.objects.create(procedure=p1, name="Lệ phí", amount=50_000)
    Fee.objects.create(procedure=p3, name="Lệ phí", amount=30_000)
    Fee.objects.create(procedure=p4, name="Phí", amount=200_000)
    Fee.objects.create(procedure=p2, name="Miễn phí", amount=0)

    w = Province(province, a, c, b, p1, p2, p3, p4, p5, p6)
    S = DossierStatus
    # 1 carried over from April, resolved early in May, result delivered by post in May.
    d1 = _dossier(w, "#1", procedure=p1, status=S.RETURNED, received=at(4, 20, 10),
             due=at(5, 10, 17), finished=at(5, 5, 9), returned=at(5, 6, 9),
             timing=Timing.EARLY, result_delivery=ResultDelivery.POSTAL)  # fmt: skip
    delivery(d1)
    # 2 received online at exactly midnight opening May: May's; overdue at the end of May.
    _dossier(w, "#2", procedure=p1, channel=Channel.ONLINE, received=at(5, 1),
             due=at(5, 20, 17), is_digitised=True)  # fmt: skip
    # 3 received one minute before May: carried over, still within its deadline.
    _dossier(w, "#3", procedure=p2, received=at(4, 30, 23, 59), due=at(6, 15, 17))
    # 4 received at the midnight closing May: June's, not May's.
    _dossier(w, "#4", procedure=p1, received=at(6, 1), due=at(6, 10, 17))
    # 5 received and finished in April: not in May at all.
    _dossier(w, "#5", procedure=p2, status=S.RETURNED, received=at(4, 10, 8),
             due=at(4, 20, 17), finished=at(4, 30, 23, 59), returned=at(4, 30, 23, 59),
             timing=Timing.LATE)  # fmt: skip
    # 6 finished at the midnight closing May: still pending at May's end, within deadline.
    _dossier(w, "#6", procedure=p2, status=S.RESULT_READY, received=at(5, 10, 8),
             due=at(6, 5, 17), finished=at(6, 1), timing=Timing.EARLY)  # fmt: skip
    # 7 received by post, apology on 15 May, resolved late (against the legal due time).
    d7 = _dossier(w, "#7", procedure=p1, channel=Channel.POSTAL, status=S.RETURNED,
                  received=at(5, 4, 9), original_due=at(5, 14, 17), due=at(5, 25, 17),
                  finished=at(5, 28, 10), returned=at(5, 28, 15), timing=Timing.LATE,
                  apologised=True, apology_due_at=at(5, 25, 17), fee_total=20_000)  # fmt: skip
    Apology.objects.create(dossier=d7, reason="Chậm", original_due_at=at(5, 14, 17),
                           new_due_at=at(5, 25, 17), created_at=at(5, 15, 9))  # fmt: skip
    pickup(d7)
    # 8 received online, paid online, resolved late without apology.
    _dossier(w, "#8", procedure=p1, channel=Channel.ONLINE, status=S.RESULT_READY,
             received=at(5, 2, 8), due=at(5, 12, 17), finished=at(5, 20, 9),
             timing=Timing.LATE, paid_online=True, fee_total=50_000)  # fmt: skip
    # 9 carried over, withdrawn in May.
    _dossier(w, "#9", procedure=p2, status=S.WITHDRAWN, received=at(4, 25, 8),
             due=at(5, 20, 17), finished=at(5, 3, 10))  # fmt: skip
    # 10 online, refused at reception in May (never got a t0).
    _dossier(w, "#10", procedure=p3, channel=Channel.ONLINE, status=S.REFUSED,
             received=None, finished=at(5, 8, 10))  # fmt: skip
    # 11 refused at reception in April: not May's.
    _dossier(w, "#11", procedure=p3, channel=Channel.ONLINE, status=S.REFUSED,
             received=None, finished=at(4, 29, 10))  # fmt: skip
    # 12 received in May, processing stopped in May (on time).
    _dossier(w, "#12", procedure=p3, status=S.STOPPED, received=at(5, 6, 8),
             due=at(5, 26, 17), finished=at(5, 18, 10), timing=Timing.ON_TIME)  # fmt: skip
    # 13 online, asked twice for supplements, waiting at the end of May (within deadline).
    _dossier(w, "#13", procedure=p3, channel=Channel.ONLINE, status=S.AWAITING_SUPPLEMENT,
             received=at(5, 5, 8), due=at(6, 10, 17), supplement_count=2)  # fmt: skip
    # 14 overdue at the end of May; the apology letter came only on 3 June.
    d14 = _dossier(w, "#14", procedure=p2, received=at(5, 11, 8), original_due=at(5, 29, 17),
                   due=at(6, 12, 17), apologised=True, apology_due_at=at(6, 12, 17))  # fmt: skip
    Apology.objects.create(dossier=d14, reason="Chậm", original_due_at=at(5, 29, 17),
                           new_due_at=at(6, 12, 17), created_at=at(6, 3, 9))  # fmt: skip
    # 15 a draft and a dossier waiting for reception: never in a report.
    _dossier(w, "#15", procedure=p1, channel=Channel.ONLINE, status=S.DRAFT, received=None,
             submitted_at=None)  # fmt: skip
    _dossier(w, "#15b", procedure=p1, channel=Channel.ONLINE, status=S.SUBMITTED,
             received=None, submitted_at=at(5, 12, 8))  # fmt: skip
    # 16 agency B: in the province's figures only; overdue at the end of May.
    _dossier(w, "#16", procedure=p6, unit=b, received=at(5, 3, 8), due=at(5, 10, 17))
    # 17 resolved in April, its result delivered by post in May: only postal_deliveries.
    d17 = _dossier(w, "#17", procedure=p1, status=S.RETURNED, received=at(4, 1, 8),
             due=at(4, 15, 17), finished=at(4, 20, 8), returned=at(5, 4, 8),
             timing=Timing.EARLY, result_delivery=ResultDelivery.POSTAL)  # fmt: skip
    delivery(d17)
    # 18 received and resolved early in May, with an e-result, digitised.
    _dossier(w, "#18", procedure=p2, status=S.RETURNED, received=at(5, 12, 8),
             due=at(5, 19, 17), finished=at(5, 13, 9), returned=at(5, 13, 15),
             timing=Timing.EARLY, has_e_result=True, is_digitised=True)  # fmt: skip
    # 19 the commune below A: online, within deadline at the end of May.
    _dossier(w, "#19", procedure=p1, unit=c, channel=Channel.ONLINE, received=at(5, 20, 8),
             due=at(6, 5, 17))  # fmt: skip
    # 20 resolved on the day it was due, before the due time: on time.
    _dossier(w, "#20", procedure=p1, status=S.RETURNED, received=at(5, 8, 8),
             due=at(5, 15, 17), finished=at(5, 15, 16), returned=at(5, 16, 9),
             timing=Timing.ON_TIME)  # fmt: skip
    # Ratings: one "not satisfied" in May counts; one in June and a satisfied one do not.
    DossierRating.objects.create(dossier=w.d["#1"], overall=Satisfaction.NOT_SATISFIED,
                                 created_at=at(5, 7, 9))  # fmt: skip
    DossierRating.objects.create(dossier=w.d["#18"], overall=Satisfaction.SATISFIED,
                                 created_at=at(5, 14, 9))  # fmt: skip
    DossierRating.objects.create(dossier=w.d["#20"], overall=Satisfaction.NOT_SATISFIED,
                                 created_at=at(6, 2, 9))  # fmt: skip
    return w


@pytest.fixture
def province(db) -> Province:
    return build_province()


@pytest.fixture(autouse=True)
def _calendar_months(request, settings) -> None:
    """The hand-counted province (May 2020, its neighbours and the random years) was counted by
    calendar month: these tests pin MOTCUA_REPORT_CUTOFF_DAY=1. The default, the 15th-to-14th
    month, is tested with its own hand-counted data (a module that sets CALENDAR_MONTHS = False:
    test_reporting_month.py)."""
    if getattr(request.module, "CALENDAR_MONTHS", True):
        settings.MOTCUA_REPORT_CUTOFF_DAY = 1


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """The dashboard keeps frozen periods' pages in the cache: each test starts without them."""
    from django.core.cache import cache

    cache.clear()
