"""Demo dossiers: a few hundred, in every state, over the last months, made through the services.

Each dossier lives a simulated life (submission, reception, steps, supplements, apology, result)
with explicit past times (`at=`), so its events and hash chain are real; the simulation stops at
`now`, which leaves recent dossiers open and older ones finished. It uses whatever units, staff and
procedures are in the database (the demo org tree and catalogue are loaded first).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import random
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import User, UserKind
from motcua.catalog.models import Procedure
from motcua.orgs.constants import GovLevel, Role, UnitKind
from motcua.orgs.models import Membership, Unit
from motcua.workcal import add_working_time, receipt_time

from . import services as s
from .constants import AttachmentKind, Channel, DossierStatus, ResultDelivery
from .exceptions import DossierError
from .models import Dossier
from .tasks import side_effects_suppressed
from .uploads import minimal_pdf

DEMO_DAYS = 120
_PDF = minimal_pdf()  # a real one-page PDF: uploads are opened with a PDF parser

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
          "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Niê", "Mlô", "Êban", "Ksor")  # fmt: skip
MIDDLE = ("Văn", "Thị", "Minh", "Thanh", "Đức", "Ngọc", "Hữu", "Thu", "Quốc", "Kim")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hạnh", "Hiếu", "Hoa", "Hùng", "Khánh",
         "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang",
         "Tuấn", "Uyên", "Việt", "Xuân", "Yến")  # fmt: skip
STREETS = ("Lê Duẩn", "Nguyễn Tất Thành", "Phan Bội Châu", "Hùng Vương", "Y Jút", "Trần Phú",
           "Lý Thường Kiệt", "Hai Bà Trưng", "Ngô Quyền", "Mai Hắc Đế")  # fmt: skip
SUPPLEMENT_ITEMS = ("Bản sao Căn cước công dân có chứng thực", "Tờ khai ghi thiếu thông tin",
                    "Bản vẽ sơ đồ vị trí thửa đất", "Giấy ủy quyền có chứng thực",
                    "Bản chính giấy tờ để đối chiếu")  # fmt: skip
REFUSAL_REASONS = ("Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan",
                   "Người nộp không thuộc đối tượng thực hiện thủ tục")  # fmt: skip

# What becomes of a dossier if the simulation reaches the end of its life, with weights.
FATES: tuple[tuple[str, int], ...] = (
    ("returned", 70),
    ("uncollected", 4),
    ("deny", 5),
    ("refuse", 4),
    ("withdraw", 4),
    ("stop", 2),
    ("abandon_draft", 3),
    ("abandon_supplement", 3),
)
# Extra dossiers ending just before now, so that every state is present however the dice fell.
_FORCED: dict[str, tuple[str, str | None]] = {
    DossierStatus.DRAFT: ("abandon_draft", None),
    DossierStatus.SUBMITTED: ("returned", DossierStatus.SUBMITTED),
    DossierStatus.RECEIVED: ("returned", DossierStatus.RECEIVED),
    DossierStatus.PROCESSING: ("returned", DossierStatus.PROCESSING),
    DossierStatus.AWAITING_SUPPLEMENT: ("abandon_supplement", None),
    DossierStatus.RESULT_READY: ("uncollected", None),
    DossierStatus.RETURNED: ("returned", None),
    DossierStatus.REFUSED: ("refuse", None),
    DossierStatus.WITHDRAWN: ("withdraw", None),
    DossierStatus.STOPPED: ("stop", None),
}


class _Halt(Exception):
    """The simulated life reaches `now` (or the wanted state): the dossier stays as it is."""


@dataclass(frozen=True)
class _Grant:
    user: User
    role: str
    path: str


class _Staff:
    """Memberships in memory: who covers which unit (a membership covers its subtree)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.grants = [
            _Grant(m.user, m.role, m.unit.path)
            for m in Membership.objects.filter(is_active=True, user__is_active=True)
            .select_related("user", "unit")
            .order_by("pk")
        ]

    def candidates(self, role: str, units: Iterable[Unit]) -> list[User]:
        paths = [u.path for u in units if u is not None]
        seen: dict[int, User] = {}
        for grant in self.grants:
            if grant.role == role and any(p.startswith(grant.path) for p in paths):
                seen.setdefault(grant.user.pk, grant.user)
        return list(seen.values())

    def pick(self, roles: Iterable[str], units: Iterable[Unit]) -> User | None:
        units = list(units)
        for role in roles:
            found = self.candidates(role, units)
            if found:
                return self.rng.choice(found)
        return None


class _Life:
    """One dossier's simulated life."""

    def __init__(self, loader: _Loader, procedure: Procedure, unit: Unit, fate: str) -> None:
        self.l = loader
        self.rng = loader.rng
        self.procedure = procedure
        self.unit = unit
        self.fate = fate
        self.dossier: Dossier | None = None
        self.t = loader.now
        # < 1 early, around 1 on time, > 1 late: the share of the limit each step takes.
        roll = self.rng.random()
        self.pace = (
            self.rng.uniform(0.25, 0.75)
            if roll < 0.68
            else self.rng.uniform(0.75, 0.98)
            if roll < 0.9
            else self.rng.uniform(1.05, 1.7)
        )

    # -- time ---------------------------------------------------------------------------------
    def later(self, hours: float, rng: random.Random | None = None) -> dt.datetime:
        """`hours` of working time on (`rng`: whose dice, the life's by default)."""
        rng = rng or self.rng
        moment = add_working_time(
            self.t, Decimal(str(round(max(hours, 0.05), 2))), "hours", org_unit=self.unit
        )
        # Sessions start on the minute; people do not.
        moment += dt.timedelta(minutes=rng.randint(0, 9), seconds=rng.randint(0, 59))
        if moment > self.l.now:
            raise _Halt
        self.t = moment
        return moment

    def act(self, fn: Callable[..., Dossier], **kwargs) -> Dossier:
        self.dossier = fn(**kwargs)
        if self.l.stop_at is not None and self.dossier.status == self.l.stop_at:
            raise _Halt
        return self.dossier

    def pay(self, officer: User | None, hours: float, *, chance: float = 1.0) -> None:
        """The fees due now are paid `hours` later (with probability `chance`)."""
        d = self.dossier
        if self.l.payer is None or d is None or not d.awaiting_payment:
            return
        if self.rng.random() >= chance:
            return
        self.l.payer(d, at=self.later(hours), officer=officer, rng=self.rng)
        d.refresh_from_db()

    def staff(self, roles: Iterable[str], extra: Iterable[Unit] = ()) -> User | None:
        d = self.dossier
        units = [self.unit, *extra]
        if d is not None and d.current_step_id:
            units.append(d.current_step.unit)
        return self.l.staff.pick(roles, units)

    # -- the life -----------------------------------------------------------------------------
    def run(self, start: dt.datetime) -> Dossier | None:
        self.t = start
        with contextlib.suppress(_Halt):
            self._live()
        return self.dossier

    def _live(self) -> None:
        rng, p = self.rng, self.procedure
        reception = self.l.staff.pick([Role.RECEPTION], [self.unit])
        channel = self._channel()
        owner = rng.choice(self.l.citizens) if self.l.citizens else None
        delivery = self._delivery(channel)
        if channel == Channel.ONLINE:
            self.act(
                s.dossier_create_draft,
                actor=owner,
                procedure=p,
                receiving_unit=self.unit,
                result_delivery=delivery,
                form_data=self._form_data(),
                at=self.t,
            )
            for doc in p.required_documents.all():
                if doc.mandatory or rng.random() < 0.5:
                    self._attach(owner, AttachmentKind.APPLICATION, doc.name, doc)
            if self.fate == "abandon_draft":
                return
            post = self.l.postman
            by_post = bool(post and self.l.stop_at is None and post.wants_pickup(p))
            if post and (by_post or delivery == ResultDelivery.POSTAL):
                post.addresses(
                    self.dossier, pickup=by_post, delivery=delivery == ResultDelivery.POSTAL
                )
            self.act(
                s.dossier_submit,
                dossier=self.dossier,
                actor=owner,
                by_post=by_post,
                at=self.later(0.2),
            )
            # Fees due at submission: most citizens pay at once, online.
            self.pay(None, 0.1, chance=0.85)
            if self.fate == "withdraw" and rng.random() < 0.4:
                self.act(s.dossier_withdraw, dossier=self.dossier, actor=owner, at=self.later(6))
                return
            if rng.random() < 0.12 or (self.fate == "abandon_supplement" and rng.random() < 0.5):
                self.act(
                    s.dossier_request_supplement,
                    dossier=self.dossier,
                    actor=reception,
                    items=rng.sample(SUPPLEMENT_ITEMS, 2),
                    reason="Hồ sơ chưa đầy đủ theo quy định",
                    at=self.later(rng.uniform(1, 12)),
                )
                if self.fate == "abandon_supplement":
                    return
                self._attach(owner, AttachmentKind.SUPPLEMENT, "Hồ sơ bổ sung")
                self.act(
                    s.dossier_supplement,
                    dossier=self.dossier,
                    actor=owner,
                    at=self.later(rng.uniform(4, 40)),
                )
            if self.fate == "refuse":
                self.act(
                    s.dossier_refuse,
                    dossier=self.dossier,
                    actor=reception,
                    reason=rng.choice(REFUSAL_REASONS),
                    at=self.later(rng.uniform(1, 12)),
                )
                return
            self.pay(reception, 0.2)  # the rest pay at the desk before it accepts
            if by_post:  # the operator takes the order; received at the hand-over (t0)
                self.dossier = post.pickup(
                    self.dossier,
                    reception=reception,
                    at=self.later(rng.uniform(0.5, 14)),
                    later=self.later,
                )
                if self.dossier.status != DossierStatus.RECEIVED:
                    return  # the parcel did not arrive: the dossier waits at the desk
            else:
                self.act(
                    s.dossier_accept,
                    dossier=self.dossier,
                    actor=reception,
                    at=self.later(rng.uniform(0.5, 14)),
                )
        else:
            with_account = rng.random() < 0.3
            service = (
                s.dossier_receive_postal if channel == Channel.POSTAL else s.dossier_receive_direct
            )
            self.act(
                service,
                actor=reception,
                procedure=p,
                receiving_unit=self.unit,
                applicant=s.Applicant.from_user(owner)
                if with_account and owner
                else self._applicant(),
                owner=owner if with_account else None,
                form_data=self._form_data(),
                result_delivery=delivery,
                at=self.t,
            )
            if self.l.postman and delivery == ResultDelivery.POSTAL:
                self.l.postman.addresses(self.dossier, pickup=False, delivery=True)
            self.pay(reception, 0.05)  # paid at the desk when received
            if rng.random() < 0.75:
                self._attach(reception, AttachmentKind.SCAN, "Bản quét hồ sơ giấy")
            if self.fate == "refuse":
                # A paper dossier is refused at the desk, never received: live it as a withdrawal.
                self.fate = "withdraw"
        self._process(reception, owner)

    def _process(self, reception: User | None, owner: User | None) -> None:
        rng = self.rng
        steps = list(self.procedure.process_steps.all())
        limit_hours = float(sum((step.allotted_hours for step in steps), Decimal(0))) or 8.0 * max(
            self.procedure.processing_time, 1
        )
        starter = reception if rng.random() < 0.7 else None
        self.act(
            s.dossier_start, dossier=self.dossier, actor=starter, at=self.later(rng.uniform(0.2, 3))
        )
        if self.fate == "withdraw":
            actor = self.dossier.owner or reception
            self.act(
                s.dossier_withdraw,
                dossier=self.dossier,
                actor=actor,
                reason="Công dân đề nghị rút hồ sơ",
                at=self.later(rng.uniform(2, 16)),
            )
            return
        supplement_at = (
            rng.randrange(1, 3) if rng.random() < 0.1 or self.fate == "abandon_supplement" else None
        )
        index = 0
        while True:
            d = self.dossier
            step = d.current_step
            share = float(step.template.allotted_hours) if step.template_id else limit_hours / 2
            work = max(0.2, share * self.pace)
            index += 1
            if supplement_at == index:
                actor = self.staff([Role.SPECIALIST, Role.UNIT_LEADER, Role.RECEPTION])
                self.act(
                    s.dossier_request_supplement,
                    dossier=d,
                    actor=actor,
                    items=rng.sample(SUPPLEMENT_ITEMS, rng.randint(1, 3)),
                    reason="Cần bổ sung để thẩm định",
                    at=self.later(work / 2),
                )
                if self.fate == "abandon_supplement":
                    return
                self.act(
                    s.dossier_supplement,
                    dossier=self.dossier,
                    actor=owner if self.dossier.owner_id else reception,
                    at=self.later(rng.uniform(8, 64)),
                )
                d = self.dossier
            nxt = self._next_template_step(d)
            leader_step = step.role == Role.UNIT_LEADER or nxt is None or nxt.role == Role.RECEPTION
            if leader_step:
                break
            next_unit = nxt.unit or self.unit
            assignee = self.l.staff.pick([nxt.role], [next_unit])
            actor = self.staff(
                [step.role or Role.SPECIALIST, Role.SPECIALIST, Role.RECEPTION, Role.UNIT_LEADER]
            )
            self.act(
                s.dossier_forward,
                dossier=d,
                actor=actor,
                assignee=assignee,
                note="Chuyển bước tiếp theo",
                at=self.later(work),
            )
        # The leader's step: maybe an apology first, then the decision.
        d = self.dossier
        leader = self.staff([Role.UNIT_LEADER])
        decide = self.later(
            float(d.current_step.template.allotted_hours) * self.pace
            if d.current_step.template_id
            else 4
        )
        if d.due_at and decide > d.due_at and rng.random() < 0.6:
            before = max(self.t - dt.timedelta(hours=1), d.due_at - dt.timedelta(hours=2))
            saved, self.t = self.t, before
            with contextlib.suppress(DossierError):
                self.act(
                    s.dossier_apologise,
                    dossier=d,
                    actor=leader,
                    reason="Hồ sơ cần lấy ý kiến cơ quan liên quan nên chưa kịp trả kết quả",
                    new_due_at=add_working_time(
                        max(d.due_at, decide), 8, "hours", org_unit=self.unit
                    ),
                    at=max(before, self._last_event_time()),
                )
            self.t = max(saved, self.t)
        if self.fate == "stop":
            self.act(
                s.dossier_stop,
                dossier=self.dossier,
                actor=leader,
                reason="Hồ sơ có tranh chấp, chờ cơ quan có thẩm quyền giải quyết",
                at=self.t,
            )
            return
        if self.fate == "deny":
            self.act(
                s.dossier_deny,
                dossier=self.dossier,
                actor=leader,
                reason="Không đủ điều kiện theo quy định",
                at=self.t,
            )
        else:
            self._attach(
                self.staff([Role.SPECIALIST, Role.UNIT_LEADER]),
                AttachmentKind.RESULT,
                "Kết quả giải quyết",
            )
            self.act(s.dossier_approve, dossier=self.dossier, actor=leader, at=self.t)
        if self.fate == "uncollected":
            return
        self.pay(reception, rng.uniform(1, 24))  # fees due with the result, or still unpaid
        d = self.dossier
        if d.result_delivery == ResultDelivery.POSTAL and self.l.postman:
            at = self.later(rng.uniform(1, 40))
            sent = self.l.postman.deliver(d, reception=reception, at=at, later=self.later)
            if sent is None:  # no parcel under way: the desk hands the result over
                sent = self.act(s.dossier_return_result, dossier=d, actor=reception, at=at)
            self.dossier = sent
            return
        if d.result_delivery == ResultDelivery.ONLINE:
            self.act(
                s.dossier_return_result,
                dossier=d,
                actor=None,
                actor_label="Tải kết quả trực tuyến",
                at=self.later(rng.uniform(0.5, 24)),
            )
        else:
            self.act(
                s.dossier_return_result,
                dossier=d,
                actor=reception,
                at=self.later(rng.uniform(1, 40)),
            )

    # -- helpers --------------------------------------------------------------------------------
    def _last_event_time(self) -> dt.datetime:
        return self.dossier.events.order_by("-seq").values_list("created_at", flat=True).first()

    def _next_template_step(self, d: Dossier):
        reached = d.current_step.template.order if d.current_step.template_id else 0
        for step in self.procedure.process_steps.all():
            if step.order > reached:
                return step
        return None

    def _channel(self) -> str:
        p, roll = self.procedure, self.rng.random()
        online = p.accepts_online and self.l.citizens
        if online and self.l.stop_at == DossierStatus.SUBMITTED:
            return Channel.ONLINE  # only an online dossier waits for reception
        if online and roll < (0.6 if p.online_level >= 4 else 0.35):
            return Channel.ONLINE
        if p.accepts_postal_pickup and roll > 0.88:
            return Channel.POSTAL
        return Channel.DIRECT

    def _delivery(self, channel: str) -> str:
        p, roll = self.procedure, self.rng.random()
        if p.online_level >= 4 and channel == Channel.ONLINE and roll < 0.5:
            return ResultDelivery.ONLINE
        if p.accepts_postal_return and (channel == Channel.POSTAL or roll > 0.8):
            return ResultDelivery.POSTAL
        return ResultDelivery.IN_PERSON

    def _applicant(self) -> s.Applicant:
        rng = self.rng
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        return s.Applicant(
            name=name,
            citizen_id=f"066{rng.randint(0, 3)}{rng.randint(0, 99):02d}{rng.randint(0, 999999):06d}",
            phone=f"09{rng.randint(0, 99999999):08d}",
            address=f"Số {rng.randint(1, 300)} {rng.choice(STREETS)}, tỉnh Đắk Lắk",
        )

    def _form_data(self) -> dict[str, str]:
        return {"ghi_chu": "Dữ liệu minh hoạ"}

    def _attach(self, actor: User | None, kind: str, name: str, doc=None) -> None:
        if actor is None or self.dossier is None:
            return
        stream = io.BytesIO(_PDF)
        s.attachment_add(
            dossier=self.dossier,
            actor=actor,
            kind=kind,
            file=stream,
            name=f"{name}.pdf",
            required_document=doc,
            at=self.later(0.05),
        )
        self.dossier.refresh_from_db()


# pay(dossier, at=…, officer=…, rng=…): the fees that fall due now are paid (the payments app
# passes it through the demo loader; this app does not know how money is taken).
Payer = Callable[..., None]
# The post (motcua.postal.demo.DemoPostman, passed by the demo loader): wants_pickup(procedure),
# addresses(dossier, pickup=, delivery=), pickup(dossier, reception=, at=, later=) and
# deliver(…) → the dossier after the parcel's journey (None: no parcel, the desk hands over).
# It throws its own dice (`later(hours, rng)`), so the lives' own draws stay as they were.
Postman = Any


class _Loader:
    def __init__(
        self,
        *,
        seed: int,
        now: dt.datetime,
        payer: Payer | None = None,
        postman: Postman | None = None,
    ) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
        self.now = now
        self.payer = payer
        self.postman = postman
        self.stop_at: str | None = None
        self.staff = _Staff(self.rng)
        self.citizens = list(
            User.objects.filter(
                kind__in=[UserKind.CITIZEN, UserKind.BUSINESS], is_active=True
            ).order_by("pk")[:50]
        )
        self.plans = self._plans()

    def _plans(self) -> list[tuple[Procedure, list[Unit]]]:
        """Each published procedure with the units that can receive it (a reception officer covers
        them and a leader covers the deciding step)."""
        province_centres = [
            u
            for u in Unit.objects.filter(kind=UnitKind.CENTRE, is_active=True).order_by("path")
            if u.level == GovLevel.PROVINCE
        ]
        units_by_parent: dict[int, list[Unit]] = {}
        for unit in Unit.objects.filter(kind=UnitKind.CENTRE, is_active=True):
            if unit.parent_id:
                units_by_parent.setdefault(unit.parent_id, []).append(unit)
        plans = []
        procedures = (
            Procedure.objects.filter(published=True)
            .prefetch_related(
                "performing_units", "required_documents", "fees", "process_steps__unit"
            )
            .order_by("code")
        )
        for procedure in procedures:
            performers = list(procedure.performing_units.all())
            options: list[Unit] = []
            for unit in performers:
                options += units_by_parent.get(unit.pk, [])
                options.append(unit)
            if procedure.gov_level == GovLevel.PROVINCE:
                options = province_centres + options
            steps = list(procedure.process_steps.all())
            leader_units = [st.unit for st in steps if st.role == Role.UNIT_LEADER and st.unit]
            usable = [
                u
                for u in options
                if self.staff.candidates(Role.RECEPTION, [u])
                and self.staff.candidates(Role.UNIT_LEADER, leader_units or [u])
            ]
            if usable:
                plans.append((procedure, usable))
        return plans

    def start_time(self, days_back: float) -> dt.datetime:
        moment = self.now - dt.timedelta(days=days_back)
        local = timezone.localtime(moment).replace(hour=7, minute=30, second=0, microsecond=0)
        return add_working_time(receipt_time(local), Decimal(self.rng.randint(0, 7)), "hours")

    def one(self, *, fate: str, start: dt.datetime, desk: Unit | None = None) -> Dossier | None:
        """One dossier's life; received at `desk` when given (one of its procedures)."""
        if desk is not None:
            plans = [plan for plan in self.plans if desk in plan[1]]
            if self.stop_at == DossierStatus.SUBMITTED:
                plans = [plan for plan in plans if plan[0].accepts_online]
            if not plans:
                return None
            procedure, unit = self.rng.choice(plans)[0], desk
        else:
            procedure, units = self.rng.choice(self.plans)
            # A centre receives most dossiers when there is one.
            centres = [u for u in units if u.kind == UnitKind.CENTRE]
            unit = self.rng.choice(centres if centres and self.rng.random() < 0.8 else units)
        try:
            with transaction.atomic():
                return _Life(self, procedure, unit, fate).run(start)
        except DossierError:
            return None

    def fate(self) -> str:
        names, weights = zip(*FATES, strict=True)
        return self.rng.choices(names, weights=weights)[0]


# What each reception desk is given when the dice left it without: a dossier waiting for
# reception, one received and not yet handed on, one in processing, one long in processing and
# so overdue, one waiting for a supplement and a result to hand back, so that its back-office
# tabs all show work. (name, fate, the state its life stops at, how many days back it starts)
DESK_WORK: tuple[tuple[str, str, str | None, int], ...] = (
    (DossierStatus.SUBMITTED, "returned", DossierStatus.SUBMITTED, 1),
    (DossierStatus.RECEIVED, "returned", DossierStatus.RECEIVED, 1),
    (DossierStatus.PROCESSING, "returned", DossierStatus.PROCESSING, 1),
    ("overdue", "returned", DossierStatus.PROCESSING, 90),
    (DossierStatus.AWAITING_SUPPLEMENT, "abandon_supplement", None, 25),
    (DossierStatus.RESULT_READY, "uncollected", None, 25),
)


def _desk_has(desk: Unit, name: str, now: dt.datetime) -> bool:
    dossiers = Dossier.objects.filter(receiving_unit=desk, awaiting_payment=False)
    if name == "overdue":
        return dossiers.filter(status=DossierStatus.PROCESSING, due_at__lt=now).exists()
    return dossiers.filter(status=name).exists()


def _desk_work(loader: _Loader) -> int:
    """Give every desk (a unit where a reception officer works and dossiers are received) a
    dossier of each kind of DESK_WORK that it has none of; the number created."""
    desks = sorted(
        {unit for _procedure, units in loader.plans for unit in units},
        key=lambda unit: unit.path,
    )
    created = 0
    for desk in desks:
        for name, fate, stop_at, days_back in DESK_WORK:
            if _desk_has(desk, name, loader.now):
                continue
            loader.stop_at = stop_at
            for attempt in range(6):
                start = loader.start_time(days_back + attempt)
                if loader.one(fate=fate, start=start, desk=desk) is not None:
                    created += 1
                    if _desk_has(desk, name, loader.now):
                        break
            loader.stop_at = None
    return created


def load_demo_dossiers(
    *,
    count: int = 300,
    seed: int = 2026,
    stdout: TextIO | None = None,
    now: dt.datetime | None = None,
    payer: Payer | None = None,
    postman: Postman | None = None,
) -> int:
    """Create about `count` demo dossiers (at least one in every state); returns how many.

    Deterministic for a given seed, database content and `now` (default: the current time).
    Notifications are suppressed: these are historical records.
    """
    now = now or timezone.now()
    created = 0
    with side_effects_suppressed():
        loader = _Loader(seed=seed, now=now, payer=payer, postman=postman)
        if not loader.plans:
            if stdout:
                stdout.write("Không có thủ tục nào có đủ cán bộ để tạo hồ sơ minh hoạ.\n")
            return 0
        for _ in range(max(count - len(_FORCED), 0)):
            start = loader.start_time(loader.rng.uniform(0, DEMO_DAYS))
            if loader.one(fate=loader.fate(), start=start) is not None:
                created += 1
        present = set(Dossier.objects.values_list("status", flat=True).distinct())
        for status, (fate, stop_at) in _FORCED.items():
            if status in present and created >= count:
                continue
            loader.stop_at = stop_at
            for attempt in range(6):
                days_back = 25 if stop_at is None else 2 + attempt
                dossier = loader.one(fate=fate, start=loader.start_time(days_back))
                if dossier is not None:
                    created += 1
                    if dossier.status == status:
                        break
            loader.stop_at = None
        created += _desk_work(loader)
    if stdout:
        counts = Counter(Dossier.objects.values_list("status", flat=True))
        summary = ", ".join(
            f"{DossierStatus(key).label}: {counts.get(key, 0)}" for key in DossierStatus.values
        )
        stdout.write(f"Đã tạo {created} hồ sơ minh hoạ ({summary}).\n")
    return created
