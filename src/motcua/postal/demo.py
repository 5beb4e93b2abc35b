"""The demo province's postal service: every receiving desk and every agency of a procedure that
takes or returns dossiers by post has a sandbox postal account (marked as demo) with postage for
both zones; the demo dossiers' parcels move as their lives go on (`DemoPostman`, called by the
dossier demo), their statuses reported by signed callbacks exactly as the sandbox operator sends
them (docs/POSTAL.md §4); `demo_shipment_states` leaves a parcel in every state the lives did not
reach by themselves.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from motcua.accounts.models import User, UserKind
from motcua.catalog.constants import OnlineLevel
from motcua.catalog.models import Procedure
from motcua.dossiers.constants import AttachmentKind, DossierStatus, ResultDelivery
from motcua.dossiers.exceptions import DossierError
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import (
    attachment_add,
    dossier_create_draft,
    dossier_return_result,
    dossier_submit,
)
from motcua.dossiers.tasks import side_effects_suppressed
from motcua.dossiers.uploads import minimal_pdf
from motcua.integration.webhooks import sign
from motcua.orgs.constants import Role, UnitKind
from motcua.orgs.models import Membership, Unit

from . import services
from .addresses import phone_valid, ward_name, wards_of
from .constants import (
    ACTIVE_SHIPMENT_STATES,
    FINAL_SHIPMENT_STATES,
    AddressPurpose,
    Provider,
    ShipmentKind,
    ShipmentStatus,
    Zone,
)
from .errors import OrderFailed
from .models import PostageRate, PostalAccount, Shipment
from .moves import callback_apply, order_place
from .selectors import active_shipment

HOME_PROVINCE = "66"  # Đắk Lắk
# Illustrative postage of one parcel, one way (an agency sets its own in the admin).
POSTAGE = {Zone.INTRA: 22_000, Zone.INTER: 35_000}
# Provincial departments sit in Buôn Ma Thuột; their addresses are illustrative.
CITY_WARD = "24133"  # Phường Buôn Ma Thuột
CITY_STREETS = ("Lê Duẩn", "Nguyễn Tất Thành", "Phan Bội Châu", "Hùng Vương", "Ngô Quyền",
                "Trần Hưng Đạo", "Lý Thường Kiệt", "Y Jút", "Mai Hắc Đế", "Hai Bà Trưng")  # fmt: skip
VILLAGE = ("Thôn 1", "Thôn 2", "Thôn 3", "Buôn Ko Tam", "Buôn Đôn", "Tổ dân phố 4", "Tổ dân phố 7")
# A few applicants live in another province (the inter-province postage): Hà Nội, Hồ Chí Minh.
AWAY = (("1", "70", "5 Tràng Tiền"), ("79", "26734", "12 Lê Lợi"))
COURIERS = ("Lê Văn Bưu", "Nguyễn Thị Thư", "Y Bhin Niê", "Trần Quốc Phát")

# The dossier life's clock: later(working hours, dice) → the moment, or the life ends.
LifeClock = Callable[[float, random.Random], dt.datetime]


def _ward_of(unit: Unit) -> str:
    """The ward (xã, phường) a commune-level unit serves, "" for a provincial one."""
    for candidate in (unit, unit.parent):
        if candidate is not None and candidate.kind == UnitKind.COMMUNE and candidate.admin_code:
            return candidate.admin_code
    return ""


def load_demo_postal() -> int:
    """Sandbox accounts and postage for the demo's desks and postal agencies; accounts made."""
    postal = Procedure.objects.filter(
        Q(accepts_postal_pickup=True) | Q(accepts_postal_return=True), is_demo=True
    ).prefetch_related("performing_units__parent")
    agencies = {unit for procedure in postal for unit in procedure.performing_units.all()}
    agencies |= set(
        Unit.objects.filter(kind=UnitKind.CENTRE, is_demo=True).select_related("parent")
    )
    accounts = []
    for number, unit in enumerate(sorted(agencies, key=lambda u: u.path), start=1):
        ward = _ward_of(unit)
        if ward and ward_name(ward):
            address = f"Trụ sở {unit.name}, {ward_name(ward)}, tỉnh Đắk Lắk"
        else:
            street = CITY_STREETS[number % len(CITY_STREETS)]
            address = f"Số {number % 90 + 1} {street}, {ward_name(CITY_WARD)}, tỉnh Đắk Lắk"
        accounts.append(
            PostalAccount(
                unit=unit,
                provider=Provider.SANDBOX,
                customer_code=f"DL{number:05d}",
                contact_name=f"Bộ phận một cửa, {unit.name}"[:200],
                phone=f"02623{number:06d}"[:11],
                address=address,
                is_demo=True,
            )
        )
    PostalAccount.objects.bulk_create(accounts)
    root = Unit.objects.filter(kind=UnitKind.PROVINCE, is_demo=True).order_by("depth").first()
    if root is not None:
        PostageRate.objects.bulk_create(
            PostageRate(unit=root, zone=zone, amount=amount) for zone, amount in POSTAGE.items()
        )
    return len(accounts)


def demo_address(dossier: Dossier, rng: random.Random) -> services.Address:
    """Where the applicant lives: mostly the desk's own ward, a few in another province."""
    if rng.random() < 0.1:
        province, ward, street = rng.choice(AWAY)
    else:
        province = HOME_PROVINCE
        ward = _ward_of(dossier.receiving_unit) or rng.choice(wards_of(HOME_PROVINCE))[0]
        street = (
            f"Số {rng.randint(1, 250)} {rng.choice(CITY_STREETS)}"
            if rng.random() < 0.5
            else f"{rng.choice(VILLAGE)}"
        )
    phone = dossier.applicant_phone
    if not phone_valid(phone):
        phone = f"09{rng.randint(0, 99999999):08d}"
    return services.Address(dossier.applicant_name, phone, province, ward, street)


def report(shipment: Shipment, status: str, at: dt.datetime, note: str = "") -> int:
    """The sandbox operator reports a status: a signed callback received and applied, exactly as
    over HTTP (the worker's part done here: the demo suppresses the task queue); its answer."""
    body = json.dumps(
        {
            "tracking_number": shipment.tracking_number,
            "status": status,
            "at": timezone.localtime(at).isoformat(timespec="seconds"),
            "note": note,
        },
        ensure_ascii=False,
    ).encode("utf-8")
    answer = services.callback_receive(
        provider=shipment.provider,
        body=body,
        signature=sign(secret=settings.MOTCUA_POSTAL_SANDBOX_SECRET, body=body),
    )
    if answer.http_status == 202:
        callback_apply(callback_id=answer.body["callback"])
    return answer.http_status


def _ordered(dossier: Dossier, kind: str) -> Shipment | None:
    """The dossier's parcel under way, its order placed with the sandbox (the worker's job)."""
    shipment = active_shipment(dossier_id=dossier.pk, kind=kind)
    if shipment is None or shipment.provider != Provider.SANDBOX:
        return None
    try:
        return order_place(shipment_id=shipment.pk) or shipment
    except OrderFailed:  # the sandbox is off: the parcel waits for its order
        return None


class DemoPostman:
    """What the dossier demo asks of the post (motcua.dossiers.demo knows no postal model).

    It throws its own dice, so a dossier's life draws what it drew without the post; `later(h,
    rng)` is the life's clock, which ends the life when it passes now.
    """

    def __init__(self, seed: int = 2026) -> None:
        self.rng = random.Random(seed + 16)  # noqa: S311 - demo data
        self.enabled = bool(
            settings.MOTCUA_POSTAL_SANDBOX and settings.MOTCUA_POSTAL_SANDBOX_SECRET
        )
        self.handed_over = 0

    def _later(self, later: LifeClock, low: float, high: float) -> dt.datetime:
        return later(self.rng.uniform(low, high), self.rng)

    def wants_pickup(self, procedure: Procedure) -> bool:
        """An online applicant sends the papers by post (always until one was handed over)."""
        if not (self.enabled and procedure.accepts_postal_pickup):
            return False
        return self.handed_over == 0 or self.rng.random() < 0.3

    def addresses(self, dossier: Dossier, *, pickup: bool, delivery: bool) -> None:
        address = demo_address(dossier, self.rng)
        for purpose, wanted in (
            (AddressPurpose.PICKUP, pickup),
            (AddressPurpose.DELIVERY, delivery),
        ):
            if wanted:
                services.address_save(dossier=dossier, purpose=purpose, address=address)

    def pickup(
        self, dossier: Dossier, *, reception: User | None, at: dt.datetime, later: LifeClock
    ) -> Dossier:
        """The operator takes the order at `at`, the postman collects the papers and hands them
        over at the desk (t0); a few are returned to the applicant or lost."""
        shipment = _ordered(dossier, ShipmentKind.PICKUP)
        if shipment is None or reception is None:
            return dossier
        report(shipment, ShipmentStatus.ACCEPTED, at)
        report(shipment, ShipmentStatus.PICKED_UP, self._later(later, 2, 12), "Đã lấy hồ sơ")
        roll = self.rng.random() if self.handed_over else 1.0
        if roll < 0.05:
            report(shipment, ShipmentStatus.RETURNED_TO_SENDER, self._later(later, 4, 16),
                   "Hồ sơ thiếu chữ ký, hoàn lại người gửi")  # fmt: skip
            return Dossier.objects.get(pk=dossier.pk)
        report(shipment, ShipmentStatus.IN_TRANSIT, self._later(later, 1, 4))
        if roll < 0.08:
            report(shipment, ShipmentStatus.LOST, self._later(later, 16, 40), "Thất lạc (minh hoạ)")
            return Dossier.objects.get(pk=dossier.pk)
        handed_at = self._later(later, 1, 8)
        shipment.refresh_from_db()
        self.handed_over += 1
        return services.pickup_handover(
            shipment=shipment, actor=reception, courier_name=self.rng.choice(COURIERS), at=handed_at
        )

    def deliver(
        self, dossier: Dossier, *, reception: User | None, at: dt.datetime, later: LifeClock
    ) -> Dossier | None:
        """The operator takes the result at `at`; None when no parcel is under way (the desk
        hands it over). Delivered, the dossier is returned; returned to sender or lost, the desk
        hands it over."""
        shipment = _ordered(dossier, ShipmentKind.DELIVERY)
        if shipment is None:
            waiting = active_shipment(dossier_id=dossier.pk, kind=ShipmentKind.DELIVERY)
            if waiting is not None and reception is not None:  # no operator (the sandbox is off)
                services.shipment_cancel(
                    shipment=waiting, actor=reception, reason="Người nhận đến nhận tại quầy"
                )
            return None
        report(shipment, ShipmentStatus.ACCEPTED, at)
        report(shipment, ShipmentStatus.PICKED_UP, self._later(later, 1, 6))
        if self.rng.random() < 0.7:
            report(shipment, ShipmentStatus.IN_TRANSIT, self._later(later, 2, 10))
        roll = self.rng.random()
        if roll < 0.06:
            report(shipment, ShipmentStatus.RETURNED_TO_SENDER, self._later(later, 8, 30),
                   "Không liên lạc được người nhận")  # fmt: skip
        elif roll < 0.09:
            report(shipment, ShipmentStatus.LOST, self._later(later, 16, 40), "Thất lạc (minh hoạ)")
        else:
            report(
                shipment, ShipmentStatus.DELIVERED, self._later(later, 2, 16), "Người nhận đã ký"
            )
            return Dossier.objects.get(pk=dossier.pk)
        return dossier_return_result(
            dossier=Dossier.objects.get(pk=dossier.pk),
            actor=reception,
            delivery=ResultDelivery.IN_PERSON,
            note="Bưu gửi không đến được người nhận: trả kết quả tại bộ phận một cửa",
            at=self._later(later, 8, 40),
        )


# The statuses a parcel reports on its way to each state (after its order was placed).
_PATHS: dict[str, tuple[str, ...]] = {
    ShipmentStatus.CREATED: (),
    ShipmentStatus.ACCEPTED: ("accepted",),
    ShipmentStatus.PICKED_UP: ("accepted", "picked_up"),
    ShipmentStatus.IN_TRANSIT: ("accepted", "picked_up", "in_transit"),
    ShipmentStatus.DELIVERED: ("accepted", "picked_up", "in_transit", "delivered"),
    ShipmentStatus.RETURNED_TO_SENDER: (
        "accepted",
        "picked_up",
        "in_transit",
        "returned_to_sender",
    ),
    ShipmentStatus.LOST: ("accepted", "picked_up", "lost"),
    ShipmentStatus.CANCELLED: ("accepted",),
}


def _reception_of(unit: Unit) -> User | None:
    membership = (
        Membership.objects.filter(unit__in=unit.ancestors(), role=Role.RECEPTION, is_active=True)
        .select_related("user")
        .order_by("-unit__depth", "pk")
        .first()
    )
    return membership.user if membership else None


def demo_shipment_states(*, now: dt.datetime | None = None, seed: int = 2026) -> dict[str, int]:
    """Orders still to place are placed (the worker's job), then a ready result of a desk is sent
    by post for each state no sandbox parcel is in, and a dossier sent by post waits for its
    hand-over; the number of parcels in each state. Historical data: nobody is notified."""
    with side_effects_suppressed():
        return _shipment_states(now=now or timezone.now(), seed=seed)


def _shipment_states(*, now: dt.datetime, seed: int) -> dict[str, int]:
    rng = random.Random(seed)  # noqa: S311 - demo data
    if not settings.MOTCUA_POSTAL_SANDBOX:
        return _counts()
    unordered = Shipment.objects.filter(
        provider=Provider.SANDBOX, tracking_number="", status=ShipmentStatus.CREATED
    ).values_list("pk", flat=True)
    for shipment_id in list(unordered):
        order_place(shipment_id=shipment_id)
    ready = (
        Dossier.objects.filter(
            status=DossierStatus.RESULT_READY,
            awaiting_payment=False,
            procedure__accepts_postal_return=True,
        )
        .select_related("receiving_unit", "procedure")
        .order_by("pk")
    )
    candidates = list(ready)
    present = _counts()
    # A result that came back (or whose order was withdrawn) is still at the desk: the same
    # dossier is sent again for the next state, so a small demo has them all.
    again = {ShipmentStatus.RETURNED_TO_SENDER, ShipmentStatus.LOST, ShipmentStatus.CANCELLED}
    order = sorted(_PATHS, key=lambda status: status not in again)
    for target in order:
        if present.get(target):
            continue
        while candidates:
            dossier = candidates[0]
            officer = _reception_of(dossier.receiving_unit)
            try:
                if officer is None:
                    raise DossierError()
                shipment = services.delivery_request(
                    dossier=dossier, actor=officer, address=demo_address(dossier, rng)
                )
            except DossierError:  # a fee still owed, a parcel already under way
                candidates.pop(0)
                continue
            if target not in again:
                candidates.pop(0)
            order_place(shipment_id=shipment.pk)
            shipment.refresh_from_db()
            path = _PATHS[target]
            for step, status in enumerate(path):
                report(shipment, status, now - dt.timedelta(minutes=10 * (len(path) - step)))
            if target == ShipmentStatus.CANCELLED:
                services.shipment_cancel(
                    shipment=shipment, actor=officer, reason="Người nhận đến nhận tại quầy"
                )
            break
    _pickup_waiting(now, rng)
    return _counts()


_PDF = minimal_pdf()  # a real one-page PDF: uploads are opened with a PDF parser


def _pickup_waiting(now: dt.datetime, rng: random.Random) -> None:
    """A citizen's dossier sent by post today, its parcel on the way to the desk, so the desk has
    a hand-over to make (when no demo parcel is waiting for one already)."""
    waiting = Shipment.objects.filter(
        provider=Provider.SANDBOX,
        kind=ShipmentKind.PICKUP,
        handed_over_at__isnull=True,
        dossier__status=DossierStatus.SUBMITTED,
        status__in=sorted(ACTIVE_SHIPMENT_STATES),
    ).exclude(tracking_number="")
    citizen = User.objects.filter(kind=UserKind.CITIZEN, is_active=True).order_by("pk").first()
    if waiting.exists() or citizen is None:
        return
    procedures = (
        Procedure.objects.filter(
            is_demo=True,
            published=True,
            online_level__gte=OnlineLevel.LEVEL_3,
            accepts_postal_pickup=True,
        )
        .exclude(fees__amount__gt=0)  # nothing to pay first: the desk can take it over at once
        .prefetch_related("performing_units", "required_documents")
        .order_by("code")
    )
    for procedure in procedures:
        for unit in procedure.performing_units.all():
            if _reception_of(unit) is None:
                continue
            try:
                with transaction.atomic():
                    _send_by_post(citizen, procedure, unit, now, rng)
                return
            except DossierError:
                continue


def _send_by_post(
    citizen: User, procedure: Procedure, unit: Unit, now: dt.datetime, rng: random.Random
) -> None:
    start = now - dt.timedelta(hours=3)
    dossier = dossier_create_draft(
        actor=citizen, procedure=procedure, receiving_unit=unit, at=start
    )
    for doc in procedure.required_documents.all():
        if doc.mandatory:
            attachment_add(
                dossier=dossier,
                actor=citizen,
                kind=AttachmentKind.APPLICATION,
                file=io.BytesIO(_PDF),
                name=f"{doc.name[:80]}.pdf",
                required_document=doc,
                at=start,
            )
    services.address_save(
        dossier=dossier, purpose=AddressPurpose.PICKUP, address=demo_address(dossier, rng)
    )
    dossier = dossier_submit(
        dossier=dossier, actor=citizen, by_post=True, at=start + dt.timedelta(minutes=5)
    )
    shipment = Shipment.objects.get(dossier=dossier, kind=ShipmentKind.PICKUP)
    order_place(shipment_id=shipment.pk)
    shipment.refresh_from_db()
    report(shipment, ShipmentStatus.ACCEPTED, start + dt.timedelta(minutes=30))
    report(shipment, ShipmentStatus.PICKED_UP, start + dt.timedelta(hours=2), "Đã lấy hồ sơ")
    report(shipment, ShipmentStatus.IN_TRANSIT, now - dt.timedelta(minutes=20))


def _counts() -> dict[str, int]:
    counts: dict[str, int] = {}
    rows = Shipment.objects.filter(provider=Provider.SANDBOX).exclude(tracking_number="")
    for status in rows.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


def demo_postal_hint() -> str:
    """Where to try the post: the sandbox operator's page and a desk with a parcel to receive."""
    if not settings.MOTCUA_POSTAL_SANDBOX:
        return ""
    waiting = (
        Shipment.objects.filter(
            provider=Provider.SANDBOX,
            kind=ShipmentKind.PICKUP,
            handed_over_at__isnull=True,
            dossier__status=DossierStatus.SUBMITTED,
        )
        .exclude(tracking_number="")
        .exclude(status__in=sorted(FINAL_SHIPMENT_STATES))
        .select_related("unit")
        .order_by("-created_at", "-pk")
        .first()
    )
    line = "Thử bưu chính công ích: mở /buu-chinh/thu-nghiem/ (bưu điện thử nghiệm) để báo trạng thái bưu gửi"
    if waiting is not None:
        officer = _reception_of(waiting.unit)
        if officer is not None:
            line += (
                f"; hồ sơ gửi qua bưu điện chờ bàn giao: {waiting.tracking_number}, "
                f"đăng nhập {officer.username} để nhận bàn giao"
            )
    return line + ".\n"
