"""Django admin for the organisation tree and staff roles, in Vietnamese."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.accounts.admin import UserAdmin
from motcua.accounts.models import User

from .constants import Role
from .models import Membership, Unit


def admin_unit_paths(user: Any) -> list[str] | None:
    """The subtrees a staff user administers in Django admin: None for every unit (a superuser
    or a province administrator), else the paths of the units where they are an active agency
    administrator (empty: none)."""
    if user.is_superuser:
        return None
    roles = Membership.objects.filter(user=user, is_active=True)
    if roles.filter(role=Role.PROVINCE_ADMIN).exists():
        return None
    return list(roles.filter(role=Role.AGENCY_ADMIN).values_list("unit__path", flat=True))


def request_unit_paths(request: HttpRequest) -> list[str] | None:
    """`admin_unit_paths` of the request's user, worked out once per request."""
    if not hasattr(request, "_admin_unit_paths"):
        request._admin_unit_paths = admin_unit_paths(request.user)  # type: ignore[attr-defined]
    return request._admin_unit_paths  # type: ignore[attr-defined]


def under(paths: list[str], field: str = "path") -> Q:
    """Units (or rows through `field`) inside any of these subtrees; nothing when none."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


class UnitScopeMixin:
    """An agency administrator sees, picks and changes only the units of their own agency's
    subtree (and the rows attached to them), and cannot hand out the province administrator role:
    the model permissions alone would let them edit every agency and grant themselves roles
    anywhere. `unit_field` is the lookup from the row to its unit."""

    unit_field = "path"

    def _paths(self, request: HttpRequest) -> list[str] | None:
        return request_unit_paths(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)  # type: ignore[misc]
        paths = self._paths(request)
        return qs if paths is None else qs.filter(under(paths, self.unit_field))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        paths = self._paths(request)
        if paths is not None and db_field.related_model is Unit:
            kwargs["queryset"] = Unit.objects.filter(under(paths))
            kwargs["required"] = True  # no new root outside the agency
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "role" and self._paths(request) is not None:
            kwargs["choices"] = [c for c in Role.choices if c[0] != Role.PROVINCE_ADMIN]
        return super().formfield_for_choice_field(db_field, request, **kwargs)  # type: ignore[misc]


class AgencyScopedAdmin(UnitScopeMixin, admin.ModelAdmin):
    pass


class ScopedInline(UnitScopeMixin, admin.TabularInline):
    """Memberships inside a unit or user page, with the same limits."""

    unit_field = "unit__path"


class UnitMembershipInline(ScopedInline):
    model = Membership
    fk_name = "unit"
    extra = 0
    autocomplete_fields = ("user",)
    fields = ("user", "role", "title", "is_active")
    verbose_name = _("cán bộ của đơn vị")
    verbose_name_plural = _("cán bộ của đơn vị")


class UserMembershipInline(ScopedInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ("unit",)
    fields = ("unit", "role", "title", "is_active")
    verbose_name = _("vai trò tại đơn vị")
    verbose_name_plural = _("vai trò tại đơn vị")


@admin.register(Unit)
class UnitAdmin(AgencyScopedAdmin):
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
class MembershipAdmin(AgencyScopedAdmin):
    unit_field = "unit__path"
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
