"""Django admin for the organisation tree and staff roles, in Vietnamese."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.accounts.admin import UserAdmin
from motcua.accounts.models import User

from .models import Membership, Unit


class UnitMembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "unit"
    extra = 0
    autocomplete_fields = ("user",)
    fields = ("user", "role", "title", "is_active")
    verbose_name = _("cán bộ của đơn vị")
    verbose_name_plural = _("cán bộ của đơn vị")


class UserMembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ("unit",)
    fields = ("unit", "role", "title", "is_active")
    verbose_name = _("vai trò tại đơn vị")
    verbose_name_plural = _("vai trò tại đơn vị")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "indented_name", "kind", "level", "admin_code", "is_active", "is_demo")
    list_display_links = ("code", "indented_name")
    list_filter = ("kind", "level", "is_active", "is_demo")
    search_fields = ("code", "name", "short_name", "admin_code")
    autocomplete_fields = ("parent",)
    readonly_fields = ("path", "depth")
    list_per_page = 100
    inlines = (UnitMembershipInline,)
    fieldsets = (
        (None, {"fields": ("code", "name", "short_name", "kind", "level", "parent")}),
        (
            _("Liên hệ"),
            {"fields": ("admin_code", "address", "phone", "email", "receives_saturday")},
        ),
        (_("Trạng thái"), {"fields": ("is_active", "is_demo", "path", "depth")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Unit]:
        return super().get_queryset(request).select_related("parent")

    @admin.display(description=_("tên đơn vị"), ordering="path")
    def indented_name(self, obj: Unit) -> str:
        return f"{'— ' * obj.depth}{obj.name}"


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit", "title", "is_active")
    list_filter = ("role", "is_active", "unit__kind", "unit__level")
    search_fields = ("user__username", "user__full_name", "unit__name", "unit__code")
    autocomplete_fields = ("user", "unit")
    list_select_related = ("user", "unit")


# The user admin lives in accounts; here it gains the roles a staff member holds.
admin.site.unregister(User)


@admin.register(User)
class UserWithMembershipsAdmin(UserAdmin):
    inlines = (*UserAdmin.inlines, UserMembershipInline)
