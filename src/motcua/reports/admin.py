"""Admin of the reports: frozen months (read-only, with "recount" and "freeze again" actions)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import keeping
from .models import MonthFigures


@admin.register(MonthFigures)
class MonthFiguresAdmin(admin.ModelAdmin):
    list_display = (
        "period",
        "start",
        "end",
        "closed_at",
        "closed_by",
        "dossier_total",
        "lines",
        "seconds",
        "checked_at",
        "corrected",
    )
    list_filter = ("closed_at",)
    search_fields = ("period",)
    ordering = ("-period",)
    exclude = ("data",)
    readonly_fields = (
        "period",
        "start",
        "end",
        "aggregates",
        "lines",
        "digest",
        "dossier_total",
        "closed_at",
        "closed_by",
        "seconds",
        "checked_at",
        "mismatch",
    )
    actions = ("recount", "freeze_again")

    @admin.display(boolean=True, description=_("đã điều chỉnh"))
    def corrected(self, obj: MonthFigures) -> bool:
        return obj.corrected

    def get_queryset(self, request: HttpRequest) -> QuerySet[MonthFigures]:
        # The months only: a quarter's or a year's row is their sum, kept as a cache.
        return super().get_queryset(request).filter(months=1).defer("data")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Đối chiếu với dữ liệu hiện tại"), permissions=["view"])
    def recount(self, request: HttpRequest, queryset: QuerySet[MonthFigures]) -> None:
        differ = [
            str(figures) for figures in queryset if keeping.month_figures_recount(figures=figures)
        ]
        if differ:
            self.message_user(
                request,
                _("Khác với dữ liệu hiện tại: %(months)s.") % {"months": ", ".join(differ)},
                messages.WARNING,
            )
        else:
            self.message_user(request, _("Số liệu đã chốt khớp với dữ liệu hiện tại."))

    @admin.action(description=_("Chốt lại số liệu (chấp nhận điều chỉnh)"), permissions=["delete"])
    def freeze_again(self, request: HttpRequest, queryset: QuerySet[MonthFigures]) -> None:
        rows = list(queryset)
        for figures in rows:
            keeping.month_figures_freeze_again(figures=figures, actor=request.user)
        self.message_user(
            request,
            ngettext("Đã chốt lại %(n)d tháng.", "Đã chốt lại %(n)d tháng.", len(rows))
            % {"n": len(rows)},
        )
