"""The e-form generated from a JSON Schema: widgets, parsing, and one Vietnamese message per rule."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import QueryDict

from motcua.portal.eform import EForm, display_rows, is_complete, prefill, schema_errors

from .submission_fixtures import SCHEMA, VALID_EFORM


def bound(**overrides: str) -> EForm:
    data = dict(VALID_EFORM)
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query[key] = value
    return EForm(query, schema=SCHEMA)


def test_valid_input_becomes_typed_json():
    form = bound()
    assert form.is_valid(), form.errors
    assert form.json_data == {
        "nguoi_yeu_cau": {
            "ho_ten": "Nguyễn Văn An",
            "so_dinh_danh": "066090000001",
            "dien_thoai": "0912345678",
            "email": "an@example.vn",
            "noi_cu_tru": "12 Lê Duẩn, Buôn Ma Thuột",
        },
        "giay_to": "Bằng tốt nghiệp",
        "ngay_cap": "2024-05-17",
        "so_ban": 3,
        "dien_tich": 12.5,
        "lan_dau": True,
        "gioi_tinh": "Nữ",
        "dan_toc": "Ê Đê",
        "nganh_nghe": ["4711", "5610"],
    }
    assert is_complete(SCHEMA, form.json_data)


def test_widgets_follow_the_schema():
    form = EForm(schema=SCHEMA)
    html = str(form["ngay_cap"])
    assert 'type="date"' in html
    assert 'type="email"' in str(form["nguoi_yeu_cau__email"])
    assert form["gioi_tinh"].widget_type == "radioselect"  # two options: radio buttons
    assert form["dan_toc"].widget_type == "select"  # six options: a list
    assert form["lan_dau"].widget_type == "checkbox"
    assert form["nganh_nghe"].widget_type == "textarea"
    assert 'maxlength="20"' in str(form["giay_to"])
    assert 'inputmode="numeric"' in str(form["so_ban"])
    # Every field has its label from the schema's title.
    assert all(form[name].label for name in form.fields)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("giay_to", "", "Không được để trống."),
        ("giay_to", "x" * 21, "Tối đa 20 ký tự (đang có 21)."),
        (
            "nguoi_yeu_cau__so_dinh_danh",
            "12345",
            "Không đúng định dạng: 12 chữ số trên thẻ căn cước.",
        ),
        ("nguoi_yeu_cau__dien_thoai", "12345", "Không đúng định dạng."),
        (
            "nguoi_yeu_cau__email",
            "an@",
            "Địa chỉ thư điện tử không hợp lệ, ví dụ ten@example.vn.",
        ),
        (
            "ngay_cap",
            "31/02/2024",
            "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 15/03/2025.",
        ),
        (
            "ngay_cap",
            "hôm qua",
            "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 15/03/2025.",
        ),
        ("so_ban", "ba", "Phải là số nguyên, ví dụ 3."),
        ("so_ban", "2,5", "Phải là số nguyên, ví dụ 3."),
        ("so_ban", "0", "Giá trị nhỏ nhất là 1."),
        ("so_ban", "51", "Giá trị lớn nhất là 50."),
        ("dien_tich", "mười", "Phải là một số, ví dụ 12,5."),
        ("dien_tich", "0", "Phải lớn hơn 0."),
        ("gioi_tinh", "", "Vui lòng chọn một giá trị."),
        ("gioi_tinh", "Khác", "Vui lòng chọn một giá trị trong danh sách."),
        ("dan_toc", "Hoa", "Vui lòng chọn một giá trị trong danh sách."),
        ("nganh_nghe", "", "Không được để trống."),
        ("nganh_nghe", "4711\nbán lẻ", "Dòng 2: Không đúng định dạng."),
    ],
)
def test_each_rule_gives_its_vietnamese_message_next_to_the_field(field, value, message):
    form = bound(**{field: value})
    assert not form.is_valid()
    assert form.errors[field] == [message]
    # Only that field is wrong.
    assert list(form.errors) == [field]


def test_dates_typed_day_first_are_accepted():
    form = bound(ngay_cap="17/05/2024")
    assert form.is_valid(), form.errors
    assert form.json_data["ngay_cap"] == "2024-05-17"


def test_vietnamese_number_formats_are_read():
    form = bound(so_ban="1.000", dien_tich="1.234,5")
    # "1.000" is one thousand (dots group thousands), over the maximum of 50.
    assert form.errors["so_ban"] == ["Giá trị lớn nhất là 50."]
    assert form.json_data["dien_tich"] == 1234.5


def test_an_optional_empty_field_is_left_out_and_a_boolean_is_false():
    form = bound(ngay_cap="", dien_tich="", dan_toc="", lan_dau=None)
    assert form.is_valid(), form.errors
    assert "ngay_cap" not in form.json_data
    assert form.json_data["lan_dau"] is False


def test_an_empty_optional_group_is_not_checked_a_missing_required_one_is():
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {
            "me": {
                "type": "object",
                "title": "Thông tin người mẹ",
                "properties": {"ho_ten": {"type": "string", "title": "Họ tên"}},
            },
            "cha": {
                "type": "object",
                "title": "Thông tin người cha",
                "properties": {"ho_ten": {"type": "string", "title": "Họ tên", "minLength": 2}},
            },
        },
        "required": ["me"],
    }
    form = EForm(QueryDict(""), schema=schema)
    # The optional group left empty is not checked at all.
    assert form.is_valid(), form.errors
    assert "cha" not in form.json_data
    filled = EForm(QueryDict("cha__ho_ten=A"), schema=schema)
    assert filled.errors["cha__ho_ten"] == ["Cần ít nhất 2 ký tự."]
    errors = schema_errors(schema, {})
    assert errors == [("Cần khai báo phần “Thông tin người mẹ”.", "me")]


def test_the_summary_and_field_messages_appear_in_the_page_order():
    form = bound(giay_to="", so_ban="0")
    assert list(form.errors) == ["giay_to", "so_ban"]


def test_prefill_fills_the_applicant_not_the_parents():
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {
            "nguoi_yeu_cau": SCHEMA["properties"]["nguoi_yeu_cau"],
            "me": {
                "type": "object",
                "properties": {"ho_ten": {"type": "string"}, "so_dinh_danh": {"type": "string"}},
            },
            "dien_thoai": {"type": "string"},
        },
    }
    data = prefill(
        schema,
        {
            "applicant_name": "Nguyễn Văn An",
            "applicant_citizen_id": "066090000001",
            "applicant_phone": "0912345678",
            "applicant_email": "",
            "applicant_address": "Buôn Ma Thuột",
        },
    )
    assert data == {
        "nguoi_yeu_cau": {
            "ho_ten": "Nguyễn Văn An",
            "so_dinh_danh": "066090000001",
            "dien_thoai": "0912345678",
            "noi_cu_tru": "Buôn Ma Thuột",
        },
        "dien_thoai": "0912345678",
    }


def test_saved_data_is_shown_back_in_the_widgets_and_on_review():
    form = bound()
    assert form.is_valid()
    again = EForm(schema=SCHEMA, initial_data=form.json_data)
    assert again["nganh_nghe"].value() == "4711\n5610"
    assert again["dien_tich"].value() == "12,5"
    rows = display_rows(SCHEMA, form.json_data)
    texts = {row.get("title"): row.get("text") for row in rows}
    assert texts["Ngày cấp"] == "17/05/2024"
    assert texts["Yêu cầu lần đầu"] == "Có"
    assert {"heading": "Người yêu cầu", "depth": 0} in rows


def test_a_schema_with_unsupported_parts_is_still_editable_as_json():
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {
            "thanh_vien": {
                "type": "array",
                "title": "Thành viên",
                "items": {"type": "object", "properties": {"ten": {"type": "string"}}},
            }
        },
    }
    query = QueryDict(mutable=True)
    query["thanh_vien"] = '[{"ten": "An"}]'
    form = EForm(query, schema=schema)
    assert form.is_valid(), form.errors
    assert form.json_data == {"thanh_vien": [{"ten": "An"}]}
