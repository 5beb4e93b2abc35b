"""A generic renderer of a procedure's e-form (JSON Schema) as Django form fields, and back.

Strings, enums, dates, numbers, booleans, lists of strings (one per line) and nested objects
(shown as groups) are supported; the data is validated with `jsonschema`, and its errors become
Vietnamese messages on the fields they concern.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker

PREFIX = "ef"
SEP = "__"

Schema = dict[str, Any]


@dataclass(frozen=True)
class EformField:
    name: str  # the Django field name: ef__a__b
    path: tuple[str, ...]  # the JSON path: ("a", "b")
    schema: Schema
    group: str  # the title of the enclosing object(s), "" at the top level


def _title(schema: Schema, key: str) -> str:
    return str(schema.get("title") or key)


def iter_fields(schema: Schema, path: tuple[str, ...] = (), group: str = "") -> list[EformField]:
    """The leaf fields of an object schema, depth first, in the schema's order."""
    fields: list[EformField] = []
    for key, prop in (schema.get("properties") or {}).items():
        if not isinstance(prop, dict):
            continue
        here = (*path, key)
        if prop.get("type") == "object":
            title = _title(prop, key)
            sub_group = f"{group} › {title}" if group else title
            fields += iter_fields(prop, here, sub_group)
        else:
            fields.append(EformField(PREFIX + SEP + SEP.join(here), here, prop, group))
    return fields


def _is_required(schema: Schema, path: tuple[str, ...]) -> bool:
    node = schema
    for key in path:
        if key not in (node.get("required") or []):
            return False
        node = (node.get("properties") or {}).get(key) or {}
    return True


def django_field(field: EformField, *, required_mark: bool) -> forms.Field:
    prop = field.schema
    label = _title(prop, field.path[-1]) + (" *" if required_mark else "")
    help_text = str(prop.get("description") or "")
    common: dict[str, Any] = {"label": label, "required": False, "help_text": help_text}
    kind = prop.get("type")
    if "enum" in prop:
        choices = [("", "—")] + [(str(v), str(v)) for v in prop["enum"]]
        return forms.ChoiceField(choices=choices, **common)
    if kind == "boolean":
        return forms.BooleanField(**common)
    if kind == "integer":
        return forms.IntegerField(
            min_value=prop.get("minimum"), max_value=prop.get("maximum"), **common
        )
    if kind == "number":
        return forms.DecimalField(**common)
    if kind == "array":
        common["help_text"] = (help_text + " " + _("Mỗi mục một dòng.")).strip()
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    if prop.get("format") == "date":
        return forms.DateField(
            widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y"),
            **common,
        )
    max_length = prop.get("maxLength")
    widget = (
        forms.Textarea(attrs={"rows": 2}) if max_length and max_length >= 500 else forms.TextInput
    )
    return forms.CharField(widget=widget, max_length=max_length, **common)


def add_fields(form: forms.Form, schema: Schema) -> list[EformField]:
    """Add the e-form's fields to `form`; returns them (for grouping in the template)."""
    fields = iter_fields(schema)
    for field in fields:
        form.fields[field.name] = django_field(
            field, required_mark=_is_required(schema, field.path)
        )
        default = field.schema.get("default")
        if default is not None:
            form.fields[field.name].initial = default
    return fields


def _json_value(value: Any, prop: Schema) -> Any:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if prop.get("type") == "array":
        lines = [line.strip() for line in str(value).splitlines() if line.strip()]
        return lines or None
    if prop.get("type") == "boolean":
        return bool(value)
    return value


def collect(schema: Schema, cleaned: dict[str, Any]) -> dict[str, Any]:
    """The JSON document from the cleaned fields (empty values left out; required objects kept)."""

    def build(node: Schema, path: tuple[str, ...]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        required = node.get("required") or []
        for key, prop in (node.get("properties") or {}).items():
            here = (*path, key)
            if prop.get("type") == "object":
                child = build(prop, here)
                if child or key in required:
                    out[key] = child
                continue
            value = _json_value(cleaned.get(PREFIX + SEP + SEP.join(here)), prop)
            if value is None or (prop.get("type") == "boolean" and value is False):
                continue
            out[key] = value
        return out

    return build(schema, ())


def _schema_at(schema: Schema, path: tuple[str, ...]) -> Schema:
    node = schema
    for key in path:
        node = (node.get("properties") or {}).get(key) or {}
    return node


def _message(error: Any, title: str) -> str:
    v, value = error.validator, error.validator_value
    if v in ("required", "minLength"):
        return _("Cần nhập “%(t)s”.") % {"t": title}
    if v == "maxLength":
        return _("“%(t)s” không được dài quá %(n)s ký tự.") % {"t": title, "n": value}
    if v == "minimum":
        return _("“%(t)s” phải từ %(n)s trở lên.") % {"t": title, "n": value}
    if v == "maximum":
        return _("“%(t)s” không được lớn hơn %(n)s.") % {"t": title, "n": value}
    if v == "minItems":
        return _("Cần nhập ít nhất %(n)s mục cho “%(t)s”.") % {"t": title, "n": value}
    if v == "enum":
        return _("Giá trị của “%(t)s” không nằm trong danh sách cho phép.") % {"t": title}
    if v in ("pattern", "format"):
        return _("“%(t)s” không đúng định dạng.") % {"t": title}
    return _("“%(t)s” không hợp lệ.") % {"t": title}


def validate(schema: Schema, data: dict[str, Any]) -> dict[str, list[str]]:
    """Vietnamese errors per Django field name ('' for the form as a whole)."""
    if not schema:
        return {}
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    errors: dict[str, list[str]] = {}
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        path = tuple(str(p) for p in error.absolute_path)
        if error.validator == "required":
            present = error.instance if isinstance(error.instance, dict) else {}
            missing = [k for k in error.validator_value if k not in present]
            for key in missing:
                here = (*path, key)
                prop = _schema_at(schema, here)
                name = PREFIX + SEP + SEP.join(here)
                message = _message(error, _title(prop, key))
                # jsonschema reports each missing property once per `required` list it checks.
                if message not in errors.setdefault(name, []):
                    errors[name].append(message)
            continue
        # A list item's error belongs to the list's field.
        while path and path[-1].isdigit():
            path = path[:-1]
        prop = _schema_at(schema, path)
        name = PREFIX + SEP + SEP.join(path) if path else ""
        errors.setdefault(name, []).append(_message(error, _title(prop, path[-1] if path else "")))
    return errors


def display_rows(schema: Schema, data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(group, label, value) rows of the filled-in data, for reading on the dossier page."""
    rows: list[tuple[str, str, str]] = []

    def fmt(value: Any, prop: Schema) -> str:
        if isinstance(value, bool):
            return _("Có") if value else _("Không")
        if isinstance(value, list):
            return "; ".join(str(v) for v in value)
        if prop.get("format") == "date" and isinstance(value, str):
            try:
                return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
            except ValueError:
                return value
        return str(value)

    def walk(node: Schema, values: dict[str, Any], group: str) -> None:
        known = node.get("properties") or {}
        for key, value in values.items():
            prop = known.get(key) or {}
            title = _title(prop, key)
            if isinstance(value, dict):
                walk(prop, value, f"{group} › {title}" if group else title)
            else:
                rows.append((group, title, fmt(value, prop)))

    walk(schema or {}, data or {}, "")
    return rows
