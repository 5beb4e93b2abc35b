"""A level-4 procedure with an e-form of every supported type, its unit and two citizens."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from motcua.accounts.models import User
from motcua.catalog.models import Fee, Procedure, RequiredDocument
from motcua.orgs.models import Unit
from tests.dossiers.helpers import PDF_BYTES, image_bytes
from tests.factories import ProcedureFactory, RequiredDocumentFactory, UnitFactory, UserFactory

PHONE_PATTERN = r"^(0|\+84)(3|5|7|8|9)[0-9]{8}$"

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "title": "Tờ khai thử nghiệm",
    "properties": {
        "nguoi_yeu_cau": {
            "type": "object",
            "title": "Người yêu cầu",
            "properties": {
                "ho_ten": {"type": "string", "title": "Họ, chữ đệm và tên", "minLength": 1, "maxLength": 50},
                "so_dinh_danh": {"type": "string", "title": "Số định danh cá nhân", "pattern": "^[0-9]{12}$", "description": "12 chữ số trên thẻ căn cước."},
                "dien_thoai": {"type": "string", "title": "Số điện thoại", "pattern": PHONE_PATTERN},
                "email": {"type": "string", "title": "Thư điện tử", "format": "email"},
                "noi_cu_tru": {"type": "string", "title": "Nơi cư trú", "minLength": 1, "maxLength": 500},
            },
            "required": ["ho_ten", "so_dinh_danh", "dien_thoai", "noi_cu_tru"],
        },
        "giay_to": {"type": "string", "title": "Tên giấy tờ cần chứng thực", "minLength": 1, "maxLength": 20},
        "ngay_cap": {"type": "string", "title": "Ngày cấp", "format": "date"},
        "so_ban": {"type": "integer", "title": "Số bản", "minimum": 1, "maximum": 50},
        "dien_tich": {"type": "number", "title": "Diện tích (m²)", "exclusiveMinimum": 0},
        "lan_dau": {"type": "boolean", "title": "Yêu cầu lần đầu"},
        "gioi_tinh": {"type": "string", "title": "Giới tính", "enum": ["Nam", "Nữ"]},
        "dan_toc": {"type": "string", "title": "Dân tộc", "enum": ["Kinh", "Ê Đê", "M'nông", "Gia Rai", "Tày", "Khác"]},
        "nganh_nghe": {"type": "array", "title": "Ngành, nghề", "items": {"type": "string", "pattern": "^[0-9]{4}$"}, "minItems": 1},
    },
    "required": ["nguoi_yeu_cau", "giay_to", "so_ban", "gioi_tinh", "nganh_nghe"],
    "additionalProperties": False,
}  # fmt: skip

VALID_EFORM = {
    "nguoi_yeu_cau__ho_ten": "Nguyễn Văn An",
    "nguoi_yeu_cau__so_dinh_danh": "066090000001",
    "nguoi_yeu_cau__dien_thoai": "0912345678",
    "nguoi_yeu_cau__email": "an@example.vn",
    "nguoi_yeu_cau__noi_cu_tru": "12 Lê Duẩn, Buôn Ma Thuột",
    "giay_to": "Bằng tốt nghiệp",
    "ngay_cap": "2024-05-17",
    "so_ban": "3",
    "dien_tich": "12,5",
    "lan_dau": "on",
    "gioi_tinh": "Nữ",
    "dan_toc": "Ê Đê",
    "nganh_nghe": "4711\n5610",
}

PDF = PDF_BYTES  # a real one-page PDF: uploads are opened with a parser
PNG = image_bytes("PNG")


def upload(name: str = "don.pdf", content: bytes = PDF) -> io.BytesIO:
    stream = io.BytesIO(content)
    stream.name = name
    return stream


@dataclass
class Portal:
    unit: Unit
    procedure: Procedure
    form_doc: RequiredDocument
    id_doc: RequiredDocument
    optional_doc: RequiredDocument
    citizen: User
    other: User


def make_portal(**procedure_overrides: Any) -> Portal:
    unit = UnitFactory(code="000.00.21.H16", name="Sở Tư pháp tỉnh Đắk Lắk", address="1 Lê Duẩn")
    fields: dict[str, Any] = {
        "name": "Chứng thực bản sao từ bản chính",
        "form_schema": SCHEMA,
        "online_level": 4,
        "accepts_postal_return": True,
        "processing_time": 2,
    }
    fields.update(procedure_overrides)
    procedure = ProcedureFactory(**fields)
    procedure.performing_units.add(unit)
    Fee.objects.create(procedure=procedure, name="Lệ phí chứng thực", amount=2000)
    form_doc = RequiredDocumentFactory(procedure=procedure, order=1, name="Đơn đề nghị")
    id_doc = RequiredDocumentFactory(procedure=procedure, order=2, name="Bản sao căn cước")
    optional_doc = RequiredDocumentFactory(
        procedure=procedure, order=3, name="Giấy uỷ quyền", mandatory=False
    )
    citizen = UserFactory(
        username="congdan_portal",
        full_name="Nguyễn Văn An",
        citizen_id="066090000001",
        phone="0912345678",
        address="12 Lê Duẩn, Buôn Ma Thuột",
    )
    other = UserFactory(username="nguoi_khac", citizen_id="066090000002", phone="0987654321")
    return Portal(
        unit=unit,
        procedure=procedure,
        form_doc=form_doc,
        id_doc=id_doc,
        optional_doc=optional_doc,
        citizen=citizen,
        other=other,
    )
