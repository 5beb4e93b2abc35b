"""Reads of the postal app: the agency's account and postage, a dossier's parcels, the queues."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from motcua.dossiers.constants import ResultDelivery
from motcua.orgs.constants import UnitKind
from motcua.orgs.models import Unit

from .constants import (
    ACTIVE_SHIPMENT_STATES,
    FAILED_SHIPMENT_STATES,
    Provider,
    ShipmentKind,
    ShipmentStatus,
    Zone,
)
from .models import DossierAddress, PostageRate, PostalAccount, Shipment


def _nearest(unit: Unit, rows: list) -> object | None:
    """The row of the nearest unit on `unit`'s path (itself, then upwards)."""
    mine = [row for row in rows if unit.path.startswith(row.unit.path)]
    return max(mine, key=lambda row: row.unit.depth) if mine else None


def account_for(*, unit: Unit) -> PostalAccount | None:
    """The active postal account that serves `unit`: its own, else the nearest unit's above."""
    rows = PostalAccount.objects.filter(unit_id__in=unit.ancestor_ids(), is_active=True)
    return _nearest(unit, list(rows.select_related("unit")))  # type: ignore[return-value]


def home_province_code(unit: Unit) -> str:
    """The national code of the province the unit belongs to ("66" for Đắk Lắk)."""
    province = (
        Unit.objects.filter(pk__in=unit.ancestor_ids(), kind=UnitKind.PROVINCE)
        .exclude(admin_code="")
        .values_list("admin_code", flat=True)
        .first()
    )
    return province or ""


def zone_of(*, unit: Unit, province_code: str) -> str:
    home = home_province_code(unit)
    return Zone.INTRA if home and province_code and int(province_code) == int(home) else Zone.INTER


@dataclass(frozen=True)
class Postage:
    zone: str
    amount: int | None  # None: the agency has set no postage for this zone

    @property
    def zone_label(self) -> str:
        return str(Zone(self.zone).label)


def postage_for(*, unit: Unit, province_code: str) -> Postage:
    """The postage of one parcel between the agency and an address in `province_code`."""
    zone = zone_of(unit=unit, province_code=province_code)
    return Postage(zone, postage_table(unit=unit)[zone])


def postage_table(*, unit: Unit) -> dict[str, int | None]:
    """Zone → postage for the agency (what the procedure page and the form show)."""
    rates = PostageRate.objects.filter(unit_id__in=unit.ancestor_ids()).select_related("unit")
    return _rates_of(unit, list(rates))


def _rates_of(unit: Unit, rates: list[PostageRate]) -> dict[str, int | None]:
    """Zone → the rate of the nearest unit on `unit`'s path that set one (None: nobody did)."""
    table: dict[str, int | None] = {}
    for zone in Zone.values:
        rate = _nearest(unit, [r for r in rates if r.zone == zone])
        table[zone] = rate.amount if rate else None  # type: ignore[union-attr]
    return table


def pickups_waiting() -> QuerySet[Shipment]:
    """Pickups whose papers are with the postman or at the desk without the hand-over record
    (a lost, returned or cancelled one is not waited for: the applicant may come in person)."""
    return Shipment.objects.filter(kind=ShipmentKind.PICKUP, handed_over_at__isnull=True).exclude(
        status__in=[
            ShipmentStatus.CANCELLED,
            ShipmentStatus.LOST,
            ShipmentStatus.RETURNED_TO_SENDER,
        ]
    )


def dossier_address(*, dossier, purpose: str) -> DossierAddress | None:
    return DossierAddress.objects.filter(dossier=dossier, purpose=purpose).first()


def shipments_of(*, dossier) -> list[Shipment]:
    """A dossier's parcels with their histories, the newest first."""
    return list(
        Shipment.objects.filter(dossier=dossier).prefetch_related("events").order_by("-created_at")
    )


def active_shipment(*, dossier_id: int, kind: str) -> Shipment | None:
    return (
        Shipment.objects.filter(
            dossier_id=dossier_id, kind=kind, status__in=sorted(ACTIVE_SHIPMENT_STATES)
        )
        .order_by("-created_at")
        .first()
    )


def shipment_by_tracking(*, tracking_number: str) -> Shipment | None:
    number = (tracking_number or "").strip().upper()
    if not number:
        return None
    return Shipment.objects.filter(tracking_number=number).select_related("dossier").first()


# The day of the day list is the desk's local date, whatever the server's time zone.
_LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def day_deliveries(*, unit: Unit, day: dt.date) -> list[Shipment]:
    """The results of `unit` sent by post on `day` (Asia/Ho_Chi_Minh): the postman's day list.

    One query with the dossiers; a withdrawn (cancelled) order is not in it.
    """
    start = dt.datetime.combine(day, dt.time.min, tzinfo=_LOCAL)
    end = start + dt.timedelta(days=1)
    return list(
        Shipment.objects.filter(
            unit=unit,
            kind=ShipmentKind.DELIVERY,
            created_at__gte=start,
            created_at__lt=end,
        )
        .exclude(status=ShipmentStatus.CANCELLED)
        .select_related("dossier")
        .order_by("created_at", "pk")
    )


def desk_queue(*, unit_ids: list[int], tab: str) -> QuerySet[Shipment]:
    """The desk's postal tabs: `pickups` (parcels to be handed over: pickups under way or
    delivered by the operator without the hand-over record), `deliveries` (results out for
    delivery), `failed` (parcels returned or lost), `unordered` (no tracking number yet)."""
    base = Shipment.objects.filter(unit_id__in=unit_ids).select_related("dossier")
    if tab == "pickups":
        q = Q(kind=ShipmentKind.PICKUP) & (
            Q(status__in=sorted(ACTIVE_SHIPMENT_STATES))
            | Q(status=ShipmentStatus.DELIVERED, handed_over_at__isnull=True)
        )
    elif tab == "deliveries":
        q = Q(kind=ShipmentKind.DELIVERY, status__in=sorted(ACTIVE_SHIPMENT_STATES))
    elif tab == "failed":
        q = Q(
            status__in=sorted(FAILED_SHIPMENT_STATES),
            dossier__status__in=["submitted", "result_ready"],
        )
    else:
        q = Q(tracking_number="", status=ShipmentStatus.CREATED)
    return base.filter(q).order_by("created_at", "pk")


@dataclass(frozen=True)
class UnitPostalOffer:
    """What one receiving unit offers by post: whether an active account serves it, and its
    postage per zone (None where it has set none)."""

    unit: Unit
    served: bool
    table: dict[str, int | None]


def postal_offers(*, units: list[Unit]) -> list[UnitPostalOffer]:
    """`account_for` and `postage_table` of several units in two queries (the procedure page)."""
    ids = sorted({pk for unit in units for pk in unit.ancestor_ids()})
    accounts = list(
        PostalAccount.objects.filter(unit_id__in=ids, is_active=True).select_related("unit")
    )
    rates = list(PostageRate.objects.filter(unit_id__in=ids).select_related("unit"))
    offers = []
    for unit in units:
        served = _nearest(unit, accounts) is not None
        offers.append(UnitPostalOffer(unit, served, _rates_of(unit, rates)))
    return offers


def dossier_addresses(*, dossier) -> list[DossierAddress]:
    """The dossier's pickup and delivery addresses (at most one of each), in one query."""
    return list(DossierAddress.objects.filter(dossier=dossier).order_by("purpose"))


def sandbox_shipments(*, query: str = "") -> QuerySet[Shipment]:
    """The sandbox operator's parcels (those it gave a tracking number), newest first, with their
    histories; `query` finds a tracking number or a dossier code."""
    rows = Shipment.objects.filter(provider=Provider.SANDBOX).exclude(tracking_number="")
    if query:
        rows = rows.filter(Q(tracking_number__icontains=query) | Q(dossier__code__icontains=query))
    return rows.select_related("dossier").prefetch_related("events").order_by("-created_at", "-pk")


def sandbox_shipment(*, tracking_number: str) -> Shipment | None:
    if not tracking_number:
        return None
    return Shipment.objects.filter(
        provider=Provider.SANDBOX, tracking_number=tracking_number
    ).first()


# National codes of the result's way (the national sync's HinhThucTraKetQua).
NATIONAL_RESULT_WAYS: dict[str, int] = {
    ResultDelivery.IN_PERSON: 1,
    ResultDelivery.POSTAL: 2,
    ResultDelivery.ONLINE: 3,
}
NATIONAL_POSTAL_CHANNEL = 3  # KenhThucHien / HinhThucNhanHoSo: through the public postal service


def national_fields(dossier) -> dict[str, Any]:
    """The national sync record's postal fields of a dossier that has parcels (empty without):
    how it came (HinhThucNhanHoSo, KenhThucHien = 3 when a pickup was handed over at the desk)
    and the pickup's tracking number (SoHieuBuuGuiNhan); once the result is returned, its actual
    way (HinhThucTraKetQua: 1 at the desk, 2 by post, 3 online) and, by post, the delivery's
    tracking number (SoHieuBuuGuiTra) and its delivered time (NgayTraKetQua). A delivery still
    on its way gives its tracking number already. One query."""
    parcels = list(Shipment.objects.filter(dossier_id=dossier.pk).order_by("created_at", "pk"))
    if not parcels:
        return {}
    fields: dict[str, Any] = {}
    pickups = [p for p in parcels if p.kind == ShipmentKind.PICKUP and p.handed_over_at]
    if pickups:
        fields["HinhThucNhanHoSo"] = NATIONAL_POSTAL_CHANNEL
        fields["KenhThucHien"] = NATIONAL_POSTAL_CHANNEL
        fields["SoHieuBuuGuiNhan"] = pickups[-1].tracking_number
    deliveries = [p for p in parcels if p.kind == ShipmentKind.DELIVERY]
    delivered = [p for p in deliveries if p.delivered_at is not None]
    sent = [p for p in deliveries if p.status != ShipmentStatus.CANCELLED]
    if delivered:
        fields["SoHieuBuuGuiTra"] = delivered[-1].tracking_number
    elif sent:
        fields["SoHieuBuuGuiTra"] = sent[-1].tracking_number
    if dossier.returned_at is not None:
        way = ResultDelivery.POSTAL if delivered else dossier.result_delivery
        fields["HinhThucTraKetQua"] = NATIONAL_RESULT_WAYS.get(way, 1)
        if delivered:
            fields["NgayTraKetQua"] = delivered[-1].delivered_at
    return fields
