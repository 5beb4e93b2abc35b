"""The catalogue admin: pages load for a superuser, and a bad e-form schema is refused."""

import json

import pytest
from django.urls import reverse

from motcua.catalog.models import Field, Procedure
from motcua.orgs.constants import GovLevel, Role, UnitKind
from motcua.orgs.services import unit_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure():
    unit = unit_create(
        code="000.00.11.H16", name="Sở Tư pháp", kind=UnitKind.DEPARTMENT, level=GovLevel.PROVINCE
    )
    field = Field.objects.create(code="HOTICH", name="Hộ tịch")
    proc = Procedure.objects.create(
        code="1.001193",
        name="Thủ tục đăng ký khai sinh",
        field=field,
        gov_level=GovLevel.COMMUNE,
        online_level=4,
        processing_time=1,
        time_unit="same_day",
        form_schema={"type": "object", "properties": {"ho_ten": {"type": "string"}}},
    )
    proc.performing_units.add(unit)
    proc.process_steps.create(order=1, name="Tiếp nhận", role=Role.RECEPTION, allotted_hours=1)
    proc.fees.create(name="Lệ phí", amount=8000, online_amount=4000)
    proc.required_documents.create(order=1, name="Tờ khai", originals=1)
    return proc


def test_pages_load(admin_client, procedure):
    urls = [
        reverse("admin:catalog_procedure_changelist"),
        reverse("admin:catalog_procedure_changelist") + "?q=dang+ky&online_level__exact=4",
        reverse("admin:catalog_procedure_change", args=[procedure.pk]),
        reverse("admin:catalog_procedure_add"),
        reverse("admin:catalog_field_changelist"),
        reverse("admin:catalog_field_change", args=[procedure.field_id]),
    ]
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url
    page = admin_client.get(reverse("admin:catalog_procedure_change", args=[procedure.pk]))
    content = page.content.decode()
    assert "Thủ tục đăng ký khai sinh" in content
    assert "Biểu mẫu điện tử" in content


def _post_data(procedure: Procedure, schema: str) -> dict[str, str]:
    data = {
        "code": procedure.code,
        "name": procedure.name,
        "field": str(procedure.field_id),
        "gov_level": procedure.gov_level,
        "performing_units": [str(unit.pk) for unit in procedure.performing_units.all()],
        "online_level": "4",
        "processing_time": "1",
        "time_unit": "same_day",
        "supplement_policy": "restart",
        "fee_stage": "acceptance",
        "form_schema": schema,
        "published": "on",
    }
    for prefix in ("fees", "required_documents", "process_steps"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


def test_invalid_schema_is_refused_and_valid_one_saved(admin_client, procedure):
    url = reverse("admin:catalog_procedure_change", args=[procedure.pk])
    bad = json.dumps({"type": "object", "properties": {"a": {"type": "chuỗi"}}})
    response = admin_client.post(url, _post_data(procedure, bad))
    assert response.status_code == 200
    assert "JSON Schema không hợp lệ" in response.content.decode()
    procedure.refresh_from_db()
    assert procedure.form_schema["properties"] == {"ho_ten": {"type": "string"}}

    good = {
        "type": "object",
        "title": "Tờ khai",
        "properties": {"ho_ten_tre": {"type": "string", "title": "Họ tên trẻ"}},
        "required": ["ho_ten_tre"],
    }
    response = admin_client.post(url, _post_data(procedure, json.dumps(good, ensure_ascii=False)))
    assert response.status_code == 302, response.content.decode()[:2000]
    procedure.refresh_from_db()
    assert procedure.form_schema == good
