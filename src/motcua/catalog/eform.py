"""Checks that a procedure's e-form is a usable JSON Schema: a draft 2020-12 object schema."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError


def form_schema_errors(schema: Any) -> list[str]:
    """Vietnamese messages for what is wrong with `schema`; empty when it is usable.

    An empty schema ({}) means "no e-form" and is accepted.
    """
    if schema in ({}, None):
        return []
    if not isinstance(schema, dict):
        return [_("Biểu mẫu điện tử phải là một đối tượng JSON Schema (dạng {…}).")]
    errors: list[str] = []
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        where = "/".join(str(part) for part in exc.path) or _("gốc")
        errors.append(
            _("JSON Schema không hợp lệ tại “%(where)s”: %(message)s")
            % {"where": where, "message": exc.message}
        )
        return errors
    if schema.get("type") != "object":
        errors.append(_('Biểu mẫu điện tử phải có "type": "object".'))
    if not isinstance(schema.get("properties"), dict) or not schema["properties"]:
        errors.append(_('Biểu mẫu điện tử phải khai báo ít nhất một trường trong "properties".'))
    else:
        missing = [name for name in schema.get("required", []) if name not in schema["properties"]]
        if missing:
            errors.append(
                _('Các trường bắt buộc chưa được khai báo trong "properties": %(names)s.')
                % {"names": ", ".join(missing)}
            )
    return errors


def validate_form_schema(schema: Any) -> None:
    """Raise a ValidationError (Vietnamese) when `schema` is not a usable e-form."""
    errors = form_schema_errors(schema)
    if errors:
        raise ValidationError(errors, code="form_schema")
