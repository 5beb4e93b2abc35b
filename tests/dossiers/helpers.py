"""Build dossiers in any state through the services (so events and chains are real)."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from motcua.accounts.models import User
from motcua.catalog.models import Procedure
from motcua.dossiers import services as s
from motcua.dossiers.constants import DossierStatus
from motcua.dossiers.models import Dossier
from motcua.orgs.constants import Role, UnitKind
from motcua.orgs.models import Unit

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# Monday 14 July 2025, 08:00 local: an ordinary working week.
MONDAY = dt.datetime(2025, 7, 14, 8, 0, tzinfo=VN)


def _one_page_pdf() -> bytes:
    """A real one-page PDF (uploads are opened with a PDF parser, not sniffed)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (8, 8)) -> bytes:
    """A real, small image (JPEG or PNG) made with Pillow."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


PDF_BYTES = _one_page_pdf()


def pdf_file(name: str = "don.pdf") -> io.BytesIO:
    stream = io.BytesIO(PDF_BYTES)
    stream.name = name
    return stream


@dataclass
class Clock:
    """Explicit, increasing event times (services accept `at`)."""

    now: dt.datetime = MONDAY

    def tick(self, hours: float = 1) -> dt.datetime:
        self.now = self.now + dt.timedelta(hours=hours)
        return self.now


@dataclass
class World:
    unit: Unit
    other_unit: Unit
    procedure: Procedure
    citizen: User
    other_citizen: User
    reception: User
    specialist: User
    leader: User
    other_reception: User
    clock: Clock = field(default_factory=Clock)

    def applicant(self) -> s.Applicant:
        return s.Applicant.from_user(self.citizen)


def build_world(**procedure_fields: Any) -> World:
    """A department with an office below it, another department, their staff, two citizens and a
    procedure with a two-step process (specialist in the office, then the department's leader)."""
    from tests.factories import (
        MembershipFactory,
        ProcedureFactory,
        ProcessStepFactory,
        StaffFactory,
        UnitFactory,
        UserFactory,
    )

    unit = UnitFactory(code="000.00.21.H16", name="Sở Tư pháp")
    office = UnitFactory(
        code="000.01.21.H16", name="Phòng Hành chính tư pháp", parent=unit, kind=UnitKind.OFFICE
    )
    other_unit = UnitFactory(code="000.00.22.H16", name="Sở Xây dựng")
    procedure = ProcedureFactory(**procedure_fields)
    procedure.performing_units.add(unit)
    ProcessStepFactory(
        procedure=procedure,
        order=1,
        name="Thẩm định",
        role=Role.SPECIALIST,
        unit=office,
        allotted_hours=Decimal("24"),
    )
    ProcessStepFactory(
        procedure=procedure,
        order=2,
        name="Phê duyệt",
        role=Role.UNIT_LEADER,
        unit=None,
        allotted_hours=Decimal("8"),
    )
    reception = StaffFactory(username="tiepnhan")
    specialist = StaffFactory(username="chuyenvien")
    leader = StaffFactory(username="lanhdao")
    other_reception = StaffFactory(username="tiepnhan_khac")
    MembershipFactory(user=reception, unit=unit, role=Role.RECEPTION)
    # The specialist sits in the office below the department: covers only the office.
    MembershipFactory(user=specialist, unit=office, role=Role.SPECIALIST)
    MembershipFactory(user=leader, unit=unit, role=Role.UNIT_LEADER)
    MembershipFactory(user=other_reception, unit=other_unit, role=Role.RECEPTION)
    return World(
        unit=unit,
        other_unit=other_unit,
        procedure=procedure,
        citizen=UserFactory(username="congdan"),
        other_citizen=UserFactory(username="congdan_khac"),
        reception=reception,
        specialist=specialist,
        leader=leader,
        other_reception=other_reception,
    )


def new_online(w: World) -> Dossier:
    return s.dossier_create_draft(
        actor=w.citizen, procedure=w.procedure, receiving_unit=w.unit, at=w.clock.tick(0.1)
    )


def new_direct(w: World) -> Dossier:
    return s.dossier_receive_direct(
        actor=w.reception,
        procedure=w.procedure,
        receiving_unit=w.unit,
        applicant=w.applicant(),
        owner=w.citizen,
        at=w.clock.tick(0.1),
    )


def drive(w: World, target: str, *, resume: str = DossierStatus.PROCESSING) -> Dossier:
    """A dossier of `w.citizen` in status `target`, reached through the services.

    For awaiting_supplement, `resume` says whether the supplement was asked before reception
    (submitted) or during processing.
    """
    c = w.clock
    d = new_online(w)
    if target == DossierStatus.DRAFT:
        return d
    d = s.dossier_submit(dossier=d, actor=w.citizen, at=c.tick(0.1))
    if target == DossierStatus.SUBMITTED:
        return d
    if target == DossierStatus.REFUSED:
        return s.dossier_refuse(dossier=d, actor=w.reception, reason="Sai thẩm quyền", at=c.tick())
    if target == DossierStatus.WITHDRAWN:
        return s.dossier_withdraw(dossier=d, actor=w.citizen, at=c.tick())
    if target == DossierStatus.AWAITING_SUPPLEMENT and resume == DossierStatus.SUBMITTED:
        return s.dossier_request_supplement(
            dossier=d, actor=w.reception, items=["Bản sao giấy khai sinh"], at=c.tick()
        )
    d = s.dossier_accept(dossier=d, actor=w.reception, at=c.tick())
    if target == DossierStatus.RECEIVED:
        return d
    d = s.dossier_start(dossier=d, actor=w.reception, assignee=w.specialist, at=c.tick())
    if target == DossierStatus.PROCESSING:
        return d
    if target == DossierStatus.AWAITING_SUPPLEMENT:
        return s.dossier_request_supplement(
            dossier=d, actor=w.specialist, items=["Bản vẽ hiện trạng"], at=c.tick()
        )
    if target == DossierStatus.STOPPED:
        return s.dossier_stop(dossier=d, actor=w.leader, reason="Có tranh chấp", at=c.tick())
    d = s.dossier_approve(dossier=d, actor=w.leader, at=c.tick())
    if target == DossierStatus.RESULT_READY:
        return d
    d = s.dossier_return_result(dossier=d, actor=w.reception, at=c.tick())
    assert target == DossierStatus.RETURNED, target
    return d


def current_unit_mismatches() -> list[tuple[Any, ...]]:
    """Dossiers whose `current_unit` is not their current step's unit (None without a step)."""
    rows = Dossier.objects.values_list("pk", "status", "current_unit_id", "current_step__unit_id")
    return [row for row in rows if row[2] != row[3]]
