"""Loads the demo catalogue (catalog/data/) into the database, attached to the demo org tree."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from motcua.orgs.constants import Role
from motcua.orgs.demo import DemoUnits
from motcua.orgs.models import Unit

from .cache import bump_catalog_version
from .constants import TimeUnit
from .data.eforms import build_form_schema
from .data.procedures import COMMUNES, FIELDS, PROCEDURES, ProcedureData
from .models import Fee, Field, Procedure, ProcessStep, RequiredDocument

HALF = Decimal("0.5")
HOURS_PER_DAY = 8


@dataclass(frozen=True)
class StepData:
    name: str
    role: str
    unit: Unit | None
    hours: Decimal


def limit_in_hours(time: int, unit: str) -> Decimal:
    """The working hours a time limit stands for, which the process steps share out.

    Calendar days are counted as the working days they usually contain (five in seven) and
    "same day" as one working day: both are nominal, the real due time comes from workcal.
    """
    if unit == TimeUnit.WORKING_HOURS:
        return Decimal(time)
    if unit == TimeUnit.SAME_DAY:
        return Decimal(HOURS_PER_DAY)
    if unit == TimeUnit.CALENDAR_DAYS:
        return Decimal(math.ceil(time * 5 / 7) * HOURS_PER_DAY)
    return Decimal(time * HOURS_PER_DAY)


def _half_hours(value: Decimal) -> Decimal:
    return max(HALF, (value / HALF).quantize(Decimal(1), rounding=ROUND_HALF_UP) * HALF)


def process_template(
    *, limit_hours: Decimal, specialist_unit: Unit | None, leader_unit: Unit | None
) -> list[StepData]:
    """Reception → appraisal → approval → return, with allotted hours summing to the limit.

    A step without a unit is done by the unit that received the dossier.
    """
    reception = _half_hours(limit_hours * Decimal("0.05"))
    approval = _half_hours(limit_hours * Decimal("0.25"))
    handback = _half_hours(limit_hours * Decimal("0.10"))
    appraisal = limit_hours - reception - approval - handback
    if appraisal <= 0:  # a limit under two hours: the appraisal step gets all of it
        reception = approval = handback = Decimal(0)
        appraisal = limit_hours
    return [
        StepData("Tiếp nhận, kiểm tra và chuyển hồ sơ", Role.RECEPTION, None, reception),
        StepData("Thẩm định hồ sơ, dự thảo kết quả", Role.SPECIALIST, specialist_unit, appraisal),
        StepData("Phê duyệt, ký kết quả", Role.UNIT_LEADER, leader_unit, approval),
        StepData("Trả kết quả, thu phí, lệ phí", Role.RECEPTION, None, handback),
    ]


def _steps_text(data: ProcedureData, performer_name: str) -> str:
    online = (
        "nộp trực tuyến trên Cổng dịch vụ công, " if data.online_level >= 3 else "nộp trực tiếp, "
    )
    postal = "qua dịch vụ bưu chính công ích, " if data.postal in ("pickup", "both") else ""
    return (
        f"Bước 1: Tổ chức, cá nhân chuẩn bị hồ sơ và {online}{postal}"
        f"hoặc tại Bộ phận tiếp nhận và trả kết quả.\n"
        f"Bước 2: Cán bộ tiếp nhận kiểm tra hồ sơ; hồ sơ đủ thì tiếp nhận và hẹn trả kết quả, "
        f"chưa đủ thì hướng dẫn bổ sung một lần.\n"
        f"Bước 3: {performer_name} thẩm định, trình lãnh đạo phê duyệt.\n"
        f"Bước 4: Trả kết quả tại Bộ phận tiếp nhận và trả kết quả"
        f"{', qua bưu chính' if data.postal in ('return', 'both') else ''}"
        f"{' hoặc trực tuyến' if data.online_level == 4 else ''}."
    )


def _methods_text(data: ProcedureData) -> str:
    methods = ["Trực tiếp tại Bộ phận tiếp nhận và trả kết quả"]
    if data.online_level >= 3:
        methods.append("Trực tuyến trên Cổng dịch vụ công")
    if data.postal in ("pickup", "both"):
        methods.append("Qua dịch vụ bưu chính công ích")
    return "; ".join(methods) + "."


@transaction.atomic
def load_demo_catalogue(*, units: DemoUnits) -> int:
    """Create the demo fields and procedures; returns the number of procedures created."""
    fields = {
        data.code: Field.objects.create(code=data.code, name=data.name, is_demo=True)
        for data in FIELDS
    }
    steps: list[ProcessStep] = []
    documents: list[RequiredDocument] = []
    fees: list[Fee] = []
    links = []
    through = Procedure.performing_units.through
    for data in PROCEDURES:
        if data.performer == COMMUNES:
            performers = units.communes
            specialist_unit = leader_unit = None
            performer_name = "Công chức chuyên môn Ủy ban nhân dân cấp xã"
        else:
            dept_key, _, office_key = data.performer.partition("/")
            department = units.departments[dept_key]
            performers = [department]
            leader_unit = department
            specialist_unit = units.offices[(dept_key, office_key)] if office_key else department
            performer_name = specialist_unit.name
        procedure = Procedure.objects.create(
            code=data.code,
            name=data.name,
            field=fields[data.field],
            gov_level=data.level,
            online_level=data.online_level,
            full_online_eligible=data.full_online_eligible or data.online_level == 4,
            processing_time=data.time,
            time_unit=data.time_unit,
            supplement_policy=data.supplement,
            steps=_steps_text(data, performer_name),
            methods=_methods_text(data),
            applicants=data.applicants,
            result=data.result,
            legal_basis=data.legal_basis,
            publishing_decision="Quyết định công bố danh mục thủ tục hành chính của Chủ tịch "
            "UBND tỉnh (minh hoạ)",
            accepts_postal_pickup=data.postal in ("pickup", "both"),
            accepts_postal_return=data.postal in ("return", "both"),
            handled_in_specialised_software=bool(data.software),
            specialised_software_integrated=data.software == "integrated",
            form_schema=build_form_schema(data.form, title=data.name),
            published=True,
            is_demo=True,
        )
        links += [through(procedure_id=procedure.pk, unit_id=unit.pk) for unit in performers]
        template = process_template(
            limit_hours=limit_in_hours(data.time, data.time_unit),
            specialist_unit=specialist_unit,
            leader_unit=leader_unit,
        )
        steps += [
            ProcessStep(
                procedure=procedure,
                order=order,
                name=step.name,
                role=step.role,
                unit=step.unit,
                allotted_hours=step.hours,
            )
            for order, step in enumerate(template, start=1)
        ]
        documents += [
            RequiredDocument(
                procedure=procedure,
                order=order,
                name=doc.name,
                originals=doc.originals,
                copies=doc.copies,
                mandatory=doc.mandatory,
            )
            for order, doc in enumerate(data.docs, start=1)
        ]
        fees += [
            Fee(
                procedure=procedure,
                name=fee.name,
                amount=fee.amount,
                online_amount=fee.online_amount,
                exemptions=fee.exemptions,
            )
            for fee in data.fees
        ]
    through.objects.bulk_create(links, batch_size=1000)
    ProcessStep.objects.bulk_create(steps, batch_size=500)
    RequiredDocument.objects.bulk_create(documents, batch_size=500)
    Fee.objects.bulk_create(fees, batch_size=500)
    # bulk_create sends no signals: the portal's cached search must see the new catalogue.
    bump_catalog_version()
    return len(PROCEDURES)
