"""The e-form (tờ khai) of a procedure, generated from its JSON Schema, checked by jsonschema.

The Django form only renders widgets and collects raw text; every rule (required, length, pattern,
format, range, choices) is the schema's, checked by jsonschema, and each error is turned into a
Vietnamese message placed next to its field. Nested objects become fieldsets; field names join
the path with "__" (``nguoi_yeu_cau__ho_ten``) so they stay valid HTML ids.

Supported: string (format email/date, pattern, minLength/maxLength, enum as radio buttons or a
list), integer and number (minimum/maximum, exclusive ones), boolean (a checkbox), arrays of
strings (one item a line) or of choices (checkboxes), nested objects. Anything else is edited as
JSON text, so no schema is ever unusable.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError as SchemaValidationError

SEP = "__"
# At most this many options are shown as radio buttons; longer lists become a select.
RADIO_LIMIT = 4
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_VN_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")

_checker = FormatChecker(formats=())


@_checker.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _ISO_DATE.match(value):
        return False
    dt.date.fromisoformat(value)
    return True


@_checker.checks("email", raises=ValidationError)
def _is_email(value: object) -> bool:
    if isinstance(value, str):
        validate_email(value)
    return True


def _path_name(path: tuple[str, ...]) -> str:
    return SEP.join(path)


def _kind(schema: dict[str, Any]) -> str:
    """How a leaf is edited: text, email, date, choice, integer, number, boolean, lines, multi, json."""
    kind = schema.get("type")
    if "enum" in schema:
        return "choice"
    if kind == "string":
        return {"email": "email", "date": "date"}.get(schema.get("format", ""), "text")
    if kind in ("integer", "number", "boolean"):
        return str(kind)
    if kind == "array":
        items = schema.get("items", {})
        if isinstance(items, dict) and "enum" in items:
            return "multi"
        if isinstance(items, dict) and items.get("type") == "string":
            return "lines"
    return "json"


@dataclass
class Leaf:
    name: str
    path: tuple[str, ...]
    schema: dict[str, Any]
    required: bool

    @property
    def kind(self) -> str:
        return _kind(self.schema)

    @property
    def title(self) -> str:
        return str(self.schema.get("title") or self.path[-1])


@dataclass
class Group:
    name: str
    path: tuple[str, ...]
    schema: dict[str, Any]
    required: bool
    children: list[Leaf | Group] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(self.schema.get("title") or self.path[-1])

    def leaves(self) -> list[Leaf]:
        found: list[Leaf] = []
        for child in self.children:
            found.extend(child.leaves() if isinstance(child, Group) else [child])
        return found


def _is_object(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "object" and isinstance(schema.get("properties"), dict)


def build_tree(schema: dict[str, Any], path: tuple[str, ...] = (), required: bool = True) -> Group:
    group = Group(name=_path_name(path), path=path, schema=schema, required=required)
    wanted = set(schema.get("required", []))
    for key, sub in schema.get("properties", {}).items():
        sub = sub if isinstance(sub, dict) else {}
        sub_path = (*path, key)
        if _is_object(sub):
            group.children.append(build_tree(sub, sub_path, key in wanted))
        else:
            group.children.append(
                Leaf(name=_path_name(sub_path), path=sub_path, schema=sub, required=key in wanted)
            )
    return group


def _fmt_number(value: Any) -> str:
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return f"{int(value):,}".replace(",", ".")
    return str(value).replace(".", ",")


def _widget_and_field(leaf: Leaf) -> forms.Field:
    schema = leaf.schema
    kind = leaf.kind
    attrs: dict[str, Any] = {}
    common = {"label": leaf.title, "required": False, "help_text": schema.get("description", "")}
    if kind == "choice":
        options = [(str(o), str(o)) for o in schema["enum"]]
        if len(options) <= RADIO_LIMIT:
            return forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
        return forms.ChoiceField(choices=[("", _("— Chọn —")), *options], **common)
    if kind == "multi":
        options = [(str(o), str(o)) for o in schema["items"]["enum"]]
        return forms.MultipleChoiceField(
            choices=options, widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == "boolean":
        return forms.BooleanField(**common)
    if kind in ("integer", "number"):
        # Text with a numeric keyboard: "1.000.000" and "12,5" are what people type.
        attrs["inputmode"] = "numeric" if kind == "integer" else "decimal"
        return forms.CharField(widget=forms.TextInput(attrs=attrs), **common)
    if kind == "lines":
        if not common["help_text"]:
            common["help_text"] = _("Mỗi dòng một mục.")
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    if kind == "json":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
    if kind == "email":
        return forms.CharField(widget=forms.EmailInput(attrs={"autocomplete": "email"}), **common)
    if kind == "date":
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    max_length = schema.get("maxLength")
    if max_length and max_length > 300:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    if max_length:
        attrs["maxlength"] = max_length
    return forms.CharField(widget=forms.TextInput(attrs=attrs), **common)


def _initial(leaf: Leaf, value: Any) -> Any:
    kind = leaf.kind
    if value is None:
        return leaf.schema.get("default")
    if kind == "lines" and isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if kind == "multi" and isinstance(value, list):
        return [str(v) for v in value]
    if kind in ("integer", "number") and isinstance(value, int | float):
        return _fmt_number(value)
    if kind == "json":
        return json.dumps(value, ensure_ascii=False)
    return value


def _dig(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    current: Any = data
    for part in path:
        if not isinstance(current, dict):
            return None
        current = current.get(part)
    return current


def _parse(leaf: Leaf, raw: Any) -> tuple[bool, Any]:
    """(present, value) from what the browser sent; unparsable text is kept for the error."""
    kind = leaf.kind
    if kind == "boolean":
        return True, bool(raw)
    if kind == "multi":
        chosen = [str(v) for v in (raw or [])]
        by_text = {str(o): o for o in leaf.schema["items"]["enum"]}
        return bool(chosen), [by_text.get(v, v) for v in chosen]
    text = (raw or "").strip() if isinstance(raw, str) else ""
    if not text:
        return False, None
    if kind == "choice":
        by_text = {str(o): o for o in leaf.schema["enum"]}
        return True, by_text.get(text, text)
    if kind == "integer":
        compact = re.sub(r"[\s.]", "", text)
        try:
            return True, int(compact)
        except ValueError:
            return True, text
    if kind == "number":
        compact = re.sub(r"\s", "", text)
        if "," in compact:
            compact = compact.replace(".", "").replace(",", ".")
        try:
            number = float(compact)
        except ValueError:
            return True, text
        return True, int(number) if number.is_integer() and "." not in compact else number
    if kind == "date":
        match = _VN_DATE.match(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return True, dt.date(year, month, day).isoformat()
            except ValueError:
                return True, text
        return True, text
    if kind == "lines":
        items = [line.strip() for line in text.splitlines() if line.strip()]
        return bool(items), items
    if kind == "json":
        try:
            return True, json.loads(text)
        except ValueError:
            return True, text
    return True, text


class EForm(forms.Form):
    """The e-form of one procedure. `initial_data` is the draft's saved form_data."""

    use_required_attribute = False

    def __init__(
        self,
        *args: Any,
        schema: dict[str, Any],
        initial_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.schema = schema
        self.tree = build_tree(schema)
        self.leaves = {leaf.name: leaf for leaf in self.tree.leaves()}
        self.group_errors: dict[str, list[str]] = {}
        self.json_data: dict[str, Any] = {}
        for leaf in self.leaves.values():
            form_field = _widget_and_field(leaf)
            form_field.schema_required = leaf.required  # type: ignore[attr-defined]
            self.fields[leaf.name] = form_field
            self.initial[leaf.name] = _initial(leaf, _dig(initial_data or {}, leaf.path))

    # --- layout for the template ------------------------------------------------------------
    def layout(self) -> list[dict[str, Any]]:
        return self._layout(self.tree)

    def _layout(self, group: Group) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for child in group.children:
            if isinstance(child, Group):
                items.append(
                    {
                        "group": True,
                        "title": child.title,
                        "name": child.name,
                        "required": child.required,
                        "description": child.schema.get("description", ""),
                        "errors": self.group_errors.get(child.name, []),
                        "items": self._layout(child),
                    }
                )
            else:
                items.append({"group": False, "field": self[child.name], "leaf": child})
        return items

    # --- data and validation ----------------------------------------------------------------
    def collect(self) -> dict[str, Any]:
        """The JSON instance built from the submitted widgets (before validation)."""
        return self._collect(self.tree) or {}

    def _collect(self, group: Group) -> dict[str, Any] | None:
        result: dict[str, Any] = {}
        filled = False
        for child in group.children:
            key = child.path[-1]
            if isinstance(child, Group):
                sub = self._collect(child)
                if sub is not None:
                    result[key] = sub
                    filled = True
                continue
            widget = self.fields[child.name].widget
            raw = widget.value_from_datadict(self.data, self.files, self.add_prefix(child.name))
            present, value = _parse(child, raw)
            if present:
                result[key] = value
                if child.kind != "boolean" or value:
                    filled = True
        if not group.path or group.required or filled:
            return result
        return None

    def full_clean(self) -> None:
        self._errors = forms.utils.ErrorDict()
        if not self.is_bound:
            return
        self.cleaned_data = {}
        self.group_errors = {}
        self.json_data = self.collect()
        for message, target in schema_errors(self.schema, self.json_data, self.tree):
            if target in self.fields:
                self.add_error(target, message)
            elif target:
                self.group_errors.setdefault(target, []).append(message)
                first = next(
                    (
                        leaf.name
                        for leaf in self.leaves.values()
                        if leaf.name.startswith(target + SEP)
                    ),
                    None,
                )
                if first is not None:
                    self.add_error(first, message)
                else:
                    self.add_error(None, message)
            else:
                self.add_error(None, message)


def _schema_at(tree: Group, path: tuple[str, ...]) -> Leaf | Group | None:
    node: Leaf | Group = tree
    for part in path:
        if not isinstance(node, Group):
            return None
        node = next((c for c in node.children if c.path[-1] == part), None)  # type: ignore[assignment]
        if node is None:
            return None
    return node


def message_for(error: SchemaValidationError, schema: dict[str, Any]) -> str:
    """A Vietnamese message for one jsonschema error (the field's own schema is `schema`)."""
    rule = error.validator
    value = error.validator_value
    if rule == "minLength":
        if value == 1:
            return _("Không được để trống.")
        return _("Cần ít nhất %(n)s ký tự.") % {"n": value}
    if rule == "maxLength":
        return _("Tối đa %(n)s ký tự (đang có %(count)s).") % {
            "n": value,
            "count": len(error.instance) if isinstance(error.instance, str) else "?",
        }
    if rule == "pattern":
        hint = schema.get("description", "")
        if hint:
            return _("Không đúng định dạng: %(hint)s") % {"hint": hint}
        return _("Không đúng định dạng.")
    if rule == "format":
        if value == "date":
            return _("Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 15/03/2025.")
        if value == "email":
            return _("Địa chỉ thư điện tử không hợp lệ, ví dụ ten@example.vn.")
        return _("Không đúng định dạng.")
    if rule == "minimum":
        return _("Giá trị nhỏ nhất là %(n)s.") % {"n": _fmt_number(value)}
    if rule == "maximum":
        return _("Giá trị lớn nhất là %(n)s.") % {"n": _fmt_number(value)}
    if rule == "exclusiveMinimum":
        return _("Phải lớn hơn %(n)s.") % {"n": _fmt_number(value)}
    if rule == "exclusiveMaximum":
        return _("Phải nhỏ hơn %(n)s.") % {"n": _fmt_number(value)}
    if rule == "enum":
        return _("Vui lòng chọn một giá trị trong danh sách.")
    if rule == "type":
        expected = value if isinstance(value, str) else ""
        if expected == "integer":
            return _("Phải là số nguyên, ví dụ 3.")
        if expected == "number":
            return _("Phải là một số, ví dụ 12,5.")
        return _("Giá trị không hợp lệ.")
    if rule == "minItems":
        return _("Cần ít nhất %(n)s mục.") % {"n": value}
    if rule == "maxItems":
        return _("Tối đa %(n)s mục.") % {"n": value}
    if rule == "additionalProperties":
        return _("Tờ khai có thông tin không thuộc biểu mẫu.")
    return _("Giá trị không hợp lệ.")


def _required_message(node: Leaf | Group | None) -> str:
    if isinstance(node, Group):
        return _("Cần khai báo phần “%(title)s”.") % {"title": node.title}
    if node is not None and node.kind in ("choice", "multi"):
        return _("Vui lòng chọn một giá trị.")
    return _("Không được để trống.")


def schema_errors(
    schema: dict[str, Any], instance: dict[str, Any], tree: Group | None = None
) -> list[tuple[str, str]]:
    """(message, target) pairs; the target is a field or group name, "" for the whole form."""
    tree = tree or build_tree(schema)
    validator = Draft202012Validator(schema, format_checker=_checker)
    found: list[tuple[str, str]] = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.path))):
        path = tuple(str(p) for p in error.absolute_path if not isinstance(p, int))
        line = next((p for p in error.absolute_path if isinstance(p, int)), None)
        if error.validator == "required":
            for key in error.validator_value:
                if isinstance(error.instance, dict) and key not in error.instance:
                    target = (*path, key)
                    pair = (_required_message(_schema_at(tree, target)), _path_name(target))
                    # jsonschema reports one error per missing key, each naming all of them.
                    if pair not in found:
                        found.append(pair)
            continue
        if error.validator == "additionalProperties":
            found.append((message_for(error, {}), ""))
            continue
        node = _schema_at(tree, path)
        own = node.schema if node is not None else {}
        message = message_for(error, own)
        if line is not None:
            message = _("Dòng %(n)s: %(message)s") % {"n": line + 1, "message": message}
        found.append((message, _path_name(path)))
    return found


def is_complete(schema: dict[str, Any], data: dict[str, Any]) -> bool:
    """Whether the saved form data passes the schema (the review step's check)."""
    if not schema or not schema.get("properties"):
        return True
    return not schema_errors(schema, data)


# --- pre-filling from the applicant ---------------------------------------------------------
_PERSON_KEYS = {
    "ho_ten": "applicant_name",
    "so_dinh_danh": "applicant_citizen_id",
    "dien_thoai": "applicant_phone",
    "email": "applicant_email",
    "noi_cu_tru": "applicant_address",
}
_BUSINESS_KEYS = {
    "ten": "applicant_organisation",
    "ma_so_thue": "applicant_tax_code",
    "dia_chi": "applicant_address",
    "dien_thoai": "applicant_phone",
}


def prefill(schema: dict[str, Any], applicant: dict[str, str]) -> dict[str, Any]:
    """Form data known from the applicant: the first object shaped like the filing person (name,
    ID and phone) or like a business (name and tax code), and a top-level phone or e-mail.

    Other persons of the form (the father, the mother…) share field names but not that shape,
    so they are never filled with the applicant's own data.
    """
    data: dict[str, Any] = {}
    person_done = business_done = False
    for key, sub in schema.get("properties", {}).items():
        if not isinstance(sub, dict):
            continue
        props = sub.get("properties", {}) if _is_object(sub) else {}
        if not person_done and {"ho_ten", "so_dinh_danh", "dien_thoai"} <= set(props):
            mapping, person_done = _PERSON_KEYS, True
        elif not business_done and {"ten", "ma_so_thue"} <= set(props):
            if not applicant.get("applicant_organisation"):
                continue
            mapping, business_done = _BUSINESS_KEYS, True
        else:
            if key == "dien_thoai" and applicant.get("applicant_phone"):
                data[key] = applicant["applicant_phone"]
            elif key == "email" and applicant.get("applicant_email"):
                data[key] = applicant["applicant_email"]
            continue
        values = {
            name: applicant[source]
            for name, source in mapping.items()
            if name in props and applicant.get(source)
        }
        if values:
            data[key] = values
    return data


def display_rows(schema: dict[str, Any], data: dict[str, Any]) -> list[dict[str, Any]]:
    """(title, text) rows for the review page, groups as headings; dates as dd/mm/yyyy."""
    rows: list[dict[str, Any]] = []

    def walk(group: Group, depth: int) -> None:
        for child in group.children:
            if isinstance(child, Group):
                if _dig(data, child.path) is None:
                    continue
                rows.append({"heading": child.title, "depth": depth})
                walk(child, depth + 1)
                continue
            value = _dig(data, child.path)
            if value is None or value == "" or value == []:
                continue
            rows.append({"title": child.title, "text": _as_text(child, value), "depth": depth})

    walk(build_tree(schema), 0)
    return rows


def _as_text(leaf: Leaf, value: Any) -> str:
    kind = leaf.kind
    if kind == "boolean":
        return _("Có") if value else _("Không")
    if kind == "date" and isinstance(value, str) and _ISO_DATE.match(value):
        year, month, day = value.split("-")
        return f"{day}/{month}/{year}"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if kind in ("integer", "number") and isinstance(value, int | float):
        return _fmt_number(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
