"""The generic e-form renderer: fields from a JSON Schema, data back, Vietnamese errors."""

from __future__ import annotations

from django import forms

from motcua.backoffice import eform
from motcua.catalog.data.eforms import _khai_sinh

SCHEMA = _khai_sinh("Tờ khai đăng ký khai sinh")


def test_fields_cover_nested_objects_and_kinds() -> None:
    form = forms.Form()
    fields = eform.add_fields(form, SCHEMA)
    names = {f.name for f in fields}
    assert "ef__nguoi_yeu_cau__ho_ten" in names and "ef__me__ho_ten" in names
    assert isinstance(form.fields["ef__ngay_sinh"], forms.DateField)
    assert isinstance(form.fields["ef__gioi_tinh"], forms.ChoiceField)
    assert isinstance(form.fields["ef__so_ban_sao"], forms.IntegerField)
    assert form.fields["ef__ho_ten_tre"].label.endswith("*")
    assert {f.group for f in fields} >= {"", "Người yêu cầu", "Thông tin người mẹ"}


def test_validation_messages_name_the_field_in_vietnamese() -> None:
    data = eform.collect(SCHEMA, {"ef__nguoi_yeu_cau__so_dinh_danh": "12", "ef__so_ban_sao": 99})
    errors = eform.validate(SCHEMA, data)
    assert errors["ef__ho_ten_tre"] == ["Cần nhập “Họ, chữ đệm và tên người được khai sinh”."]
    assert errors["ef__nguoi_yeu_cau__so_dinh_danh"] == [
        "“Số định danh cá nhân” không đúng định dạng."
    ]
    assert errors["ef__so_ban_sao"] == ["“Số bản sao trích lục yêu cầu” không được lớn hơn 10."]
    assert "ef__me__ho_ten" in errors  # the mother is required, so her name is


def test_display_rows_read_back_the_data() -> None:
    rows = eform.display_rows(
        SCHEMA, {"ngay_sinh": "2025-07-01", "me": {"ho_ten": "Lê Thị Hoa"}, "x": True}
    )
    assert ("", "Ngày, tháng, năm sinh", "01/07/2025") in rows
    assert ("Thông tin người mẹ", "Họ, chữ đệm và tên", "Lê Thị Hoa") in rows
    assert ("", "x", "Có") in rows
