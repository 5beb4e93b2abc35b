"""Django admin of the working calendar: days off, extra working days, office hours per unit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.workcal.exceptions import InvalidOfficeHours
from motcua.workcal.models import CalendarOverride, OfficeHours, split_sessions
from motcua.workcal.selectors import limit_hour_label


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "kind", "scope", "unit", "title", "source_document")
    list_filter = ("kind", "scope", "date")
    search_fields = ("title", "source_document", "note", "unit__name", "unit__code")
    date_hierarchy = "date"
    raw_id_fields = ("unit",)
    list_select_related = ("unit",)
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("date", "kind", "title")}),
        (_("Phạm vi"), {"fields": ("scope", "unit")}),
        (_("Căn cứ"), {"fields": ("source_document", "note", "created_at", "updated_at")}),
    )

    @admin.display(description=_("thứ"))
    def weekday(self, obj: CalendarOverride) -> str:
        return _WEEKDAYS[obj.date.weekday()]


@admin.register(OfficeHours)
class OfficeHoursAdmin(admin.ModelAdmin):
    list_display = ("unit", "sessions", "limit_hour", "source_document", "updated_at")
    search_fields = ("unit__name", "unit__code", "sessions")
    raw_id_fields = ("unit",)
    list_select_related = ("unit",)
    readonly_fields = ("limit_hour",)

    @admin.display(description=_("độ dài 1 giờ theo thời hạn"))
    def limit_hour(self, obj: OfficeHours) -> str:
        if not obj.sessions:
            return "—"
        try:
            return limit_hour_label(split_sessions(obj.sessions))
        except InvalidOfficeHours:
            return "—"

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> Any:
        """Says what the units without their own hours work by, and what a limit hour is there."""
        default = tuple(settings.MOTCUA_OFFICE_HOURS)
        title = _("Giờ làm việc riêng của đơn vị (các đơn vị khác: %(sessions)s; %(hour)s)") % {
            "sessions": ", ".join(default),
            "hour": limit_hour_label(default),
        }
        return super().changelist_view(request, {**(extra_context or {}), "title": title})


_WEEKDAYS = (
    _("Thứ Hai"),
    _("Thứ Ba"),
    _("Thứ Tư"),
    _("Thứ Năm"),
    _("Thứ Sáu"),
    _("Thứ Bảy"),
    _("Chủ nhật"),
)
