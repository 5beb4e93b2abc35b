"""E-form schema validation: what the admin accepts and the Vietnamese messages it gives."""

import pytest
from django.core.exceptions import ValidationError

from motcua.catalog.eform import form_schema_errors, validate_form_schema

GOOD = {
    "type": "object",
    "title": "Tờ khai",
    "properties": {"ho_ten": {"type": "string", "title": "Họ và tên"}},
    "required": ["ho_ten"],
}


def test_a_good_schema_and_the_empty_one_pass():
    validate_form_schema(GOOD)
    validate_form_schema({})


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ([1, 2], "phải là một đối tượng JSON Schema"),
        ({"type": "object", "properties": {"a": {"type": "chuỗi"}}}, "JSON Schema không hợp lệ"),
        ({"type": "array", "items": {"type": "string"}}, '"type": "object"'),
        ({"type": "object", "properties": {}}, "ít nhất một trường"),
        ({**GOOD, "required": ["ho_ten", "ngay_sinh"]}, "ngay_sinh"),
    ],
)
def test_bad_schemas_are_refused_in_vietnamese(schema, message):
    errors = form_schema_errors(schema)
    assert errors and any(message in error for error in errors)
    with pytest.raises(ValidationError):
        validate_form_schema(schema)
