"""Template helpers of the back office: the deadline badge, local times, form-data rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.constants import CLOCK_RUNNING_STATES, Action, EventAction
from motcua.dossiers.models import Dossier

from ..deadlines import time_left

register = template.Library()


@register.filter
def tab_count(count: int) -> int | str:
    """A queue tab's badge: exact below the cap, "999+" above it."""
    from ..selectors import count_label

    return count_label(count)


@register.inclusion_tag("backoffice/_deadline_badge.html", takes_context=True)
def deadline_badge(context: template.Context, dossier: Dossier) -> dict[str, Any]:
    """Working days/hours left (green), under one working day (amber), overdue (red)."""
    now = context.get("now") or timezone.now()
    request = context.get("request")
    calendars = getattr(request, "_backoffice_calendars", None) if request else None
    if calendars is None:
        calendars = {}
        if request is not None:
            request._backoffice_calendars = calendars
    return {"left": time_left(dossier, now=now, calendars=calendars), "dossier": dossier}


@register.filter
def vn_time(value: dt.datetime | None) -> str:
    """'14:30 21/07/2025' in Vietnam's time."""
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")


@register.filter
def vn_date(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y")


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def late_without_apology(dossier: Dossier, now: dt.datetime) -> bool:
    """Overdue while the clock runs, and no apology letter (flagged in every list)."""
    return (
        dossier.status in CLOCK_RUNNING_STATES
        and dossier.due_at is not None
        and dossier.due_at < now
        and not dossier.apologised
    )


@register.filter
def action_label(action: str) -> str:
    """The Vietnamese name of an action (or event) code: 'accept' → 'Tiếp nhận hồ sơ'."""
    for choices in (Action, EventAction):
        if action in choices.values:
            return str(choices(action).label)
    if action == "result_correct":  # results.constants.EVENT_RESULT_CORRECT
        return _("Đính chính kết quả điện tử")
    return str(action)


def _payload_time(value: Any) -> str:
    try:
        return vn_time(dt.datetime.fromisoformat(str(value)))
    except ValueError:
        return str(value)


@register.filter
def event_summary(event: Any) -> str:
    """What an event adds to its action's name, in words: items, reasons, notes, the new step."""
    p = event.payload if isinstance(event.payload, dict) else {}
    parts: list[str] = []
    if p.get("name") and "step" in p:
        parts.append(_("Bước: %(name)s") % {"name": p["name"]})
    if p.get("items"):
        parts.append(_("Cần bổ sung: %(items)s") % {"items": "; ".join(map(str, p["items"]))})
    if p.get("reason"):
        parts.append(_("Lý do: %(reason)s") % {"reason": p["reason"]})
    if p.get("new_due_at"):
        parts.append(_("Hẹn lại: %(when)s") % {"when": _payload_time(p["new_due_at"])})
    if p.get("collector"):
        parts.append(_("Người nhận: %(name)s") % {"name": p["collector"]})
    if event.action == EventAction.POSTAL:
        parts.extend(_postal_summary(p))
    if event.action == EventAction.ATTACH and p.get("name"):
        parts.append(str(p["name"]))
    for result in p.get("results") or []:
        parts.append(_("Kết quả: %(name)s") % {"name": result.get("name", "")})
    if p.get("superseded"):
        parts.append(_("Thay thế kết quả %(code)s") % {"code": p["superseded"]})
    for result in p.get("e_results") or []:
        parts.append(_("Kết quả điện tử đã ký số: %(code)s") % {"code": result.get("code", "")})
    if p.get("note"):
        parts.append(str(p["note"]))
    return " · ".join(parts)


def _postal_summary(p: dict[str, Any]) -> list[str]:
    """A parcel's change: its kind and number, and the status it moved to."""
    from motcua.postal.constants import ShipmentKind, ShipmentStatus

    kind = str(ShipmentKind(p["kind"]).label) if p.get("kind") in ShipmentKind.values else ""
    parts = [f"{kind} {p.get('tracking_number') or ''}".strip()] if kind else []
    moved = p.get("shipment_to")
    if moved in ShipmentStatus.values and moved != p.get("shipment_from"):
        parts.append(str(ShipmentStatus(moved).label))
    elif p.get("tracking_set"):
        parts.append(_("Ghi số hiệu bưu gửi"))
    elif p.get("order"):
        parts.append(_("Đã đặt đơn với bưu điện"))
    return parts
