"""Rows the form tests share: a province, its service centre, a procedure and a received dossier."""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from motcua.accounts.models import User, UserKind
from motcua.catalog.models import Fee, Field, Procedure, ProcessStep, RequiredDocument
from motcua.documents.words import VN_TZ
from motcua.dossiers import services as s
from motcua.dossiers.constants import Channel, DossierStatus, ResultDelivery
from motcua.dossiers.models import Dossier
from motcua.orgs.constants import GovLevel, Role, UnitKind
from motcua.orgs.models import Membership, Unit
from motcua.payments.models import PaymentAccount
from motcua.payments.services import cash_record

RECEIVED_AT = dt.datetime(2025, 7, 14, 8, 5, tzinfo=VN_TZ)
DUE_AT = dt.datetime(2025, 7, 28, 16, 30, tzinfo=VN_TZ)
CODE = "000.00.21.H16-250714-0001"


def pdf_text(data: bytes) -> str:
    """All the text of a PDF, pages joined, whitespace runs folded to one space."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def pdf_reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


@pytest.fixture
def province(db: None) -> Unit:
    return Unit.objects.create(
        code="000.00.00.H16",
        name="Tỉnh Đắk Lắk",
        kind=UnitKind.PROVINCE,
        level=GovLevel.PROVINCE,
    )


@pytest.fixture
def centre(province: Unit) -> Unit:
    return Unit.objects.create(
        code="000.00.21.H16",
        name="Trung tâm Phục vụ hành chính công tỉnh",
        kind=UnitKind.CENTRE,
        level=GovLevel.PROVINCE,
        parent=province,
        address="16 Lê Duẩn, phường Buôn Ma Thuột",
        phone="0262 3812 345",
    )


@pytest.fixture
def department(province: Unit) -> Unit:
    return Unit.objects.create(
        code="000.00.22.H16",
        name="Sở Tư pháp",
        kind=UnitKind.DEPARTMENT,
        level=GovLevel.PROVINCE,
        parent=province,
    )


@pytest.fixture
def procedure(db: None) -> Procedure:
    field = Field.objects.create(code="TP-HT", name="Hộ tịch")
    procedure = Procedure.objects.create(
        code="1.004194",
        name="Đăng ký hoạt động của Văn phòng công chứng",
        field=field,
        gov_level=GovLevel.PROVINCE,
        online_level=4,
        processing_time=10,
    )
    RequiredDocument.objects.create(
        procedure=procedure, order=1, name="Đơn đề nghị đăng ký hoạt động", originals=1
    )
    RequiredDocument.objects.create(
        procedure=procedure,
        order=2,
        name="Giấy tờ chứng minh trụ sở của Văn phòng công chứng",
        copies=1,
    )
    Fee.objects.create(procedure=procedure, name="Lệ phí đăng ký", amount=1_000_000)
    Fee.objects.create(procedure=procedure, name="Phí thẩm định", amount=250_000)
    return procedure


@pytest.fixture
def officer(db: None) -> User:
    return User.objects.create_user(
        username="tiepnhan", full_name="Nguyễn Thị Ưng", kind=UserKind.STAFF
    )


@pytest.fixture
def leader(db: None) -> User:
    return User.objects.create_user(
        username="giamdoc", full_name="Trần Đức Thắng", kind=UserKind.STAFF
    )


@pytest.fixture
def dossier(centre: Unit, procedure: Procedure, officer: User) -> Dossier:
    return Dossier.objects.create(
        code=CODE,
        procedure=procedure,
        receiving_unit=centre,
        channel=Channel.DIRECT,
        status=DossierStatus.RECEIVED,
        applicant_name="Phạm Thị Hằng Nguyệt",
        applicant_citizen_id="066185000123",
        applicant_phone="0905123456",
        applicant_address="Số 5 Nguyễn Tất Thành, phường Tân Lập, tỉnh Đắk Lắk",
        result_delivery=ResultDelivery.IN_PERSON,
        submitted_at=RECEIVED_AT,
        received_at=RECEIVED_AT,
        due_at=DUE_AT,
        original_due_at=DUE_AT,
        received_by=officer,
        created_at=RECEIVED_AT,
    )


@pytest.fixture
def keep(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Save a rendering under var/documents-preview/ when MOTCUA_KEEP_RENDERINGS=1 (out of git)."""

    def save(name: str, data: bytes) -> None:
        if os.environ.get("MOTCUA_KEEP_RENDERINGS") != "1":
            return
        folder = Path(request.config.rootpath) / "var" / "documents-preview"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)

    return save


@dataclass
class Flow:
    """A direct dossier driven through the real services: two steps, an apology, returned."""

    dossier: Dossier
    reception: User
    specialist: User
    leader: User
    office: Unit


def local_time(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2025, 7, day, hour, minute, tzinfo=VN_TZ)


@pytest.fixture
def staff(province: Unit, centre: Unit, department: Unit, officer: User, leader: User):  # type: ignore[no-untyped-def]
    office = Unit.objects.create(
        code="000.01.22.H16",
        name="Phòng Bổ trợ tư pháp",
        kind=UnitKind.OFFICE,
        level=GovLevel.PROVINCE,
        parent=department,
    )
    specialist = User.objects.create_user(
        username="chuyenvien", full_name="Lê Văn Đạt", kind=UserKind.STAFF
    )
    Membership.objects.create(user=officer, unit=centre, role=Role.RECEPTION)
    Membership.objects.create(user=specialist, unit=office, role=Role.SPECIALIST)
    Membership.objects.create(user=leader, unit=province, role=Role.UNIT_LEADER)
    return office, specialist


@pytest.fixture
def flow(
    centre: Unit, department: Unit, procedure: Procedure, officer: User, leader: User, staff
) -> Flow:  # type: ignore[no-untyped-def]
    office, specialist = staff
    ProcessStep.objects.create(
        procedure=procedure,
        order=1,
        name="Thẩm định hồ sơ",
        role=Role.SPECIALIST,
        unit=office,
        allotted_hours=Decimal("40"),
    )
    ProcessStep.objects.create(
        procedure=procedure,
        order=2,
        name="Phê duyệt kết quả",
        role=Role.UNIT_LEADER,
        unit=department,
        allotted_hours=Decimal("8"),
    )
    applicant = s.Applicant(
        name="Hoàng Thị Ngọc Ửng",
        citizen_id="066190000777",
        phone="0912345678",
        address="Thôn Ea Kmát, xã Hòa Thắng, tỉnh Đắk Lắk",
    )
    d = s.dossier_receive_direct(
        actor=officer,
        procedure=procedure,
        receiving_unit=centre,
        applicant=applicant,
        at=local_time(14, 8, 5),
    )
    # The fees (due at reception) are paid in cash at the desk, or the result is not handed over.
    PaymentAccount.objects.create(unit=centre, provider="cash")
    cash_record(invoice=d.invoices.get(), actor=officer, receipt_number="0001234")
    d = s.dossier_start(dossier=d, actor=officer, assignee=specialist, at=local_time(14, 9, 0))
    d = s.dossier_forward(dossier=d, actor=specialist, at=local_time(21, 10, 30))
    d = s.dossier_apologise(
        dossier=d,
        actor=leader,
        reason="Cần xác minh thêm thông tin về trụ sở",
        new_due_at=d.due_at + dt.timedelta(days=7),
        at=d.due_at - dt.timedelta(hours=2),
    )
    moment = d.due_at - dt.timedelta(days=1)
    d = s.dossier_approve(dossier=d, actor=leader, at=moment)
    d = s.dossier_return_result(dossier=d, actor=officer, at=moment + dt.timedelta(hours=2))
    d.refresh_from_db()
    return Flow(dossier=d, reception=officer, specialist=specialist, leader=leader, office=office)
