"""Template filters of the report pages: percentages and green/red classes."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def percent(value: float | None, digits: int = 1) -> str:
    """0.6254 → "62,5 %" (Vietnamese decimal comma); None → "không có"."""
    if value is None:
        return _("không có")
    text = f"{value * 100:.{int(digits)}f}".replace(".", ",")
    return f"{text} %"


@register.filter
def met_class(met: bool | None) -> str:
    return "" if met is None else ("met" if met else "notmet")


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)
