"""Template helpers of the portal: money in VND, time limits, online-level badges, the site name."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.constants import TimeUnit

register = template.Library()


@register.simple_tag
def site_name() -> str:
    return settings.MOTCUA_SYSTEM_NAME


@register.filter
def vnd(amount: int | None) -> str:
    """1250000 → "1.250.000 đ" (Vietnamese thousands separator)."""
    if amount is None:
        return ""
    return f"{int(amount):,} đ".replace(",", ".")


@register.filter
def time_limit(procedure: object) -> str:
    unit = getattr(procedure, "time_unit", "")
    amount = getattr(procedure, "processing_time", 0)
    if unit == TimeUnit.SAME_DAY:
        return _("Trong ngày")
    if not amount:
        return _("Không quy định")
    return f"{amount} {TimeUnit(unit).label}"


LEVEL_SHORT = {
    1: gettext_lazy("Cung cấp thông tin"),
    2: gettext_lazy("Cung cấp thông tin"),
    3: gettext_lazy("Một phần"),
    4: gettext_lazy("Toàn trình"),
}


@register.inclusion_tag("portal/_level_badge.html")
def level_badge(level: int) -> dict[str, object]:
    return {"level": level, "label": str(LEVEL_SHORT.get(level, LEVEL_SHORT[1]))}
