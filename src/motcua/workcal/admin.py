"""Django admin of the working calendar: days off, extra working days, office hours per unit."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.workcal.models import CalendarOverride, OfficeHours


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
    list_display = ("unit", "sessions", "source_document", "updated_at")
    search_fields = ("unit__name", "unit__code", "sessions")
    raw_id_fields = ("unit",)
    list_select_related = ("unit",)


_WEEKDAYS = (
    _("Thứ Hai"),
    _("Thứ Ba"),
    _("Thứ Tư"),
    _("Thứ Năm"),
    _("Thứ Sáu"),
    _("Thứ Bảy"),
    _("Chủ nhật"),
)
