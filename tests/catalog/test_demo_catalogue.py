"""The demo catalogue: its facts as data, then loaded onto the demo org tree."""

import re
from decimal import Decimal

import pytest
from jsonschema import Draft202012Validator

from motcua.catalog.constants import TimeUnit
from motcua.catalog.data.eforms import build_form_schema
from motcua.catalog.data.procedures import FIELDS, PROCEDURES
from motcua.catalog.demo import limit_in_hours, load_demo_catalogue, process_template
from motcua.catalog.eform import form_schema_errors
from motcua.catalog.models import Procedure, ProcessStep
from motcua.catalog.search import normalise
from motcua.orgs.constants import GovLevel, Role, UnitKind
from motcua.orgs.demo import load_demo_org_tree

NATIONAL_CODE = re.compile(r"^[1-9]\.\d{6}$")


def _share(predicate) -> float:
    return sum(1 for data in PROCEDURES if predicate(data)) / len(PROCEDURES)


def test_size_fields_and_levels():
    assert len(PROCEDURES) >= 60
    assert len({data.code for data in PROCEDURES}) == len(PROCEDURES)
    used_fields = {data.field for data in PROCEDURES}
    assert len(used_fields) >= 12
    assert used_fields <= {field.code for field in FIELDS}
    assert {data.level for data in PROCEDURES} == {"province", "district", "commune"}


def test_codes_are_national_or_marked_demo():
    for data in PROCEDURES:
        assert NATIONAL_CODE.match(data.code) or data.code.startswith("DEMO."), data.code
    assert any(NATIONAL_CODE.match(data.code) for data in PROCEDURES)
    assert "1.001193" in {data.code for data in PROCEDURES}  # đăng ký khai sinh


def test_directive_kpis_are_neither_zero_nor_full():
    level4 = _share(lambda d: d.online_level == 4)
    level3 = _share(lambda d: d.online_level == 3)
    assert 0.35 <= level4 <= 0.45
    assert 0.25 <= level3 <= 0.35
    postal = _share(lambda d: bool(d.postal))
    assert 0 < postal < 1
    software = [d for d in PROCEDURES if d.software]
    integrated = sum(1 for d in software if d.software == "integrated") / len(software)
    assert 0 < integrated < 1
    assert 0 < _share(lambda d: d.supplement == "pause") < 0.5
    assert 0 < _share(lambda d: not d.fees) < 1
    fees = [fee for d in PROCEDURES for fee in d.fees]
    assert all(isinstance(fee.amount, int) and fee.amount > 0 for fee in fees)
    assert any(fee.online_amount is not None and fee.online_amount < fee.amount for fee in fees)
    assert any(fee.exemptions for fee in fees)
    assert {d.time_unit for d in PROCEDURES} == set(TimeUnit.values)


def test_every_procedure_has_documents_and_a_valid_eform():
    for data in PROCEDURES:
        assert data.docs, data.code
        assert all(doc.originals + doc.copies >= 1 for doc in data.docs), data.code
        schema = build_form_schema(data.form, title=data.name)
        Draft202012Validator.check_schema(schema)
        assert schema["type"] == "object" and schema["title"] == data.name
        assert schema["required"], data.code
        assert form_schema_errors(schema) == [], data.code


def test_khai_sinh_form_accepts_a_filled_form_and_rejects_a_bad_one():
    schema = build_form_schema("khai_sinh", title="Thủ tục đăng ký khai sinh")
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    good = {
        "nguoi_yeu_cau": {
            "ho_ten": "Nguyễn Văn Hùng",
            "so_dinh_danh": "066085004127",
            "dien_thoai": "0905123456",
            "noi_cu_tru": "Phường Buôn Ma Thuột, tỉnh Đắk Lắk",
        },
        "ho_ten_tre": "Nguyễn Minh Khang",
        "ngay_sinh": "2026-03-02",
        "gioi_tinh": "Nam",
        "noi_sinh": "Bệnh viện Đa khoa vùng Tây Nguyên",
        "me": {"ho_ten": "Trần Thị Thu Hà"},
    }
    assert list(validator.iter_errors(good)) == []
    bad = {**good, "gioi_tinh": "X", "ngay_sinh": "02/03/2026"}
    bad["nguoi_yeu_cau"] = {**good["nguoi_yeu_cau"], "so_dinh_danh": "12345"}
    messages = {error.validator for error in validator.iter_errors(bad)}
    assert messages == {"enum", "format", "pattern"}


@pytest.mark.parametrize(
    ("time", "unit", "hours"),
    [
        (3, TimeUnit.WORKING_DAYS, Decimal(24)),
        (8, TimeUnit.WORKING_HOURS, Decimal(8)),
        (1, TimeUnit.SAME_DAY, Decimal(8)),
        (30, TimeUnit.CALENDAR_DAYS, Decimal(22 * 8)),
    ],
)
def test_process_template_shares_out_the_limit(time, unit, hours):
    assert limit_in_hours(time, unit) == hours
    steps = process_template(limit_hours=hours, specialist_unit=None, leader_unit=None)
    assert [step.role for step in steps] == [
        Role.RECEPTION,
        Role.SPECIALIST,
        Role.UNIT_LEADER,
        Role.RECEPTION,
    ]
    assert sum(step.hours for step in steps) == hours
    assert all(step.hours > 0 for step in steps)


@pytest.mark.django_db
def test_loaded_catalogue_is_complete():
    units = load_demo_org_tree()
    assert load_demo_catalogue(units=units) == len(PROCEDURES)
    procedures = Procedure.objects.prefetch_related(
        "process_steps", "required_documents", "performing_units", "fees"
    )
    assert procedures.count() == len(PROCEDURES)
    communes = set(units.communes)
    for procedure in procedures:
        assert procedure.is_demo and procedure.published
        assert procedure.search_text == normalise(f"{procedure.code} {procedure.name}")
        steps = list(procedure.process_steps.all())
        assert [step.order for step in steps] == [1, 2, 3, 4]
        assert sum(step.allotted_hours for step in steps) == limit_in_hours(
            procedure.processing_time, procedure.time_unit
        )
        assert procedure.required_documents.exists()
        performers = set(procedure.performing_units.all())
        if procedure.gov_level == GovLevel.PROVINCE:
            assert len(performers) == 1
            (department,) = performers
            assert department.kind == UnitKind.DEPARTMENT
            assert steps[1].unit.path.startswith(department.path)
        else:
            assert performers == communes
            assert steps[1].unit is None
        assert form_schema_errors(procedure.form_schema) == []
    khai_sinh = Procedure.objects.get(code="1.001193")
    assert khai_sinh.field.name == "Hộ tịch"
    assert khai_sinh.performing_units.count() == 102
    assert Procedure.objects.filter(search_text__contains="dang ky khai sinh").exists()
    assert ProcessStep.objects.filter(unit__isnull=False).exists()
