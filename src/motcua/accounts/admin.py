from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "kind", "phone", "email", "is_staff", "is_active")
    list_filter = ("kind", "is_staff", "is_active")
    search_fields = ("username", "full_name", "phone", "email", "citizen_id", "tax_code")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Thông tin công dân, tổ chức"),
            {
                "fields": (
                    "kind",
                    "full_name",
                    "phone",
                    "citizen_id",
                    "tax_code",
                    "organisation_name",
                    "address",
                )
            },
        ),
    )
