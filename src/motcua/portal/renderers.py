"""A form renderer for the portal's busiest forms (search, public lookup) that writes the plain
<input> widgets in Python instead of through three nested widget templates.

The output is Django's, byte for byte (tests/portal/test_renderers.py compares both on every
kind of value and attribute); any other widget (select, textarea, radio…) goes to Django's
templates as before.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

# Widget templates that are exactly `{% include "django/forms/widgets/input.html" %}`.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "search", "tel", "number", "email", "url", "password", "hidden")
)


def _string(value: Any) -> str:
    """`{{ value|stringformat:'s' }}` in an autoescaped template."""
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = "%s" % value  # noqa: UP031 - the filter's own formatting
    except (ValueError, TypeError):
        return ""
    if isinstance(value, SafeData):
        return text
    return str(conditional_escape(text))


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}")
        if value is not True:
            parts.append(f'="{_string(value)}"')
    return "".join(parts)


def render_input(widget: dict[str, Any]) -> str:
    """django/forms/widgets/input.html."""
    value = "" if widget["value"] is None else f' value="{_string(widget["value"])}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'
    )


class PortalFormRenderer(DjangoTemplates):
    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> str:
        if template_name in INPUT_TEMPLATES:
            return mark_safe(render_input(context["widget"]))  # noqa: S308 - escaped above
        return super().render(template_name, context, request=request)


# One instance: its template engine (for the other widgets) is built once.
portal_form_renderer = PortalFormRenderer()
