"""Django admin for the procedure catalogue, in Vietnamese, with e-form schema validation."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.orgs.admin import request_unit_paths as _paths
from motcua.orgs.admin import under
from motcua.orgs.models import Unit

from .eform import validate_form_schema
from .models import Fee, Field, Procedure, ProcessStep, RequiredDocument


class FeeInline(admin.TabularInline):
    model = Fee
    extra = 0
    fields = ("name", "amount", "online_amount", "exemptions")


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0
    fields = ("order", "name", "originals", "copies", "mandatory", "blank_form")


class ProcessStepInline(admin.TabularInline):
    model = ProcessStep
    extra = 0
    fields = ("order", "name", "role", "unit", "allotted_hours")
    autocomplete_fields = ("unit",)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        paths = _paths(request)
        if paths is not None and db_field.related_model is Unit:
            kwargs["queryset"] = Unit.objects.filter(under(paths))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PrettyJSONWidget(forms.Textarea):
    """Shows the schema indented and with Vietnamese letters as they are, not \\u escapes."""

    def format_value(self, value: Any) -> str:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return value
        return json.dumps(value, ensure_ascii=False, indent=2)


class ProcedureAdminForm(forms.ModelForm):
    class Meta:
        model = Procedure
        # The admin passes the fields of its fieldsets; this form only adds the schema check.
        fields = ("form_schema",)
        widgets = {"form_schema": PrettyJSONWidget(attrs={"rows": 24, "cols": 100})}

    def clean_form_schema(self) -> Any:
        schema = self.cleaned_data.get("form_schema")
        validate_form_schema(schema)
        return schema

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("specialised_software_integrated") and not cleaned.get(
            "handled_in_specialised_software"
        ):
            self.add_error(
                "specialised_software_integrated",
                _("Chỉ đánh dấu đã tích hợp khi thủ tục được xử lý trên phần mềm chuyên ngành."),
            )
        return cleaned


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "procedure_count", "is_demo")
    search_fields = ("code", "name")
    list_filter = ("is_demo",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Field]:
        return super().get_queryset(request).annotate(_procedures=Count("procedures"))

    # The fields (lĩnh vực) are the province's list, shared by every agency: an agency
    # administrator reads them, the province changes them.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return _paths(request) is None and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _paths(request) is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _paths(request) is None and super().has_delete_permission(request, obj)

    @admin.display(description=_("số thủ tục"), ordering="_procedures")
    def procedure_count(self, obj: Field) -> int:
        return obj._procedures  # type: ignore[attr-defined]


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    form = ProcedureAdminForm
    list_display = (
        "code",
        "name",
        "field",
        "gov_level",
        "online_level",
        "processing_time",
        "time_unit",
        "published",
    )
    list_display_links = ("code", "name")
    list_filter = (
        "published",
        "gov_level",
        "online_level",
        "field",
        "accepts_postal_pickup",
        "accepts_postal_return",
        "handled_in_specialised_software",
        "is_demo",
    )
    search_fields = ("code", "name", "search_text")
    list_select_related = ("field",)
    autocomplete_fields = ("performing_units",)
    inlines = (FeeInline, RequiredDocumentInline, ProcessStepInline)
    list_per_page = 50

    # An agency administrator sees the procedures some unit of their agency performs, and
    # changes only those that no unit outside it performs (a shared procedure is the province's).
    def get_queryset(self, request: HttpRequest) -> QuerySet[Procedure]:
        qs = super().get_queryset(request)
        paths = _paths(request)
        if paths is None:
            return qs
        mine = Procedure.objects.filter(under(paths, "performing_units__path")).values("pk")
        return qs.filter(pk__in=mine)

    def _only_mine(self, request: HttpRequest, obj: Procedure | None) -> bool:
        paths = _paths(request)
        if paths is None or obj is None:
            return True
        return not obj.performing_units.exclude(under(paths)).exists()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._only_mine(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._only_mine(request, obj)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        paths = _paths(request)
        if paths is not None and db_field.name == "performing_units":
            kwargs["queryset"] = Unit.objects.filter(under(paths))
            kwargs["required"] = True  # a procedure of nobody would leave the agency's sight
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    fieldsets = (
        (None, {"fields": ("code", "name", "field", "gov_level", "performing_units")}),
        (
            _("Mức độ và thời hạn"),
            {
                "fields": (
                    "online_level",
                    "full_online_eligible",
                    ("processing_time", "time_unit"),
                    "supplement_policy",
                )
            },
        ),
        (
            _("Nội dung công khai"),
            {
                "fields": (
                    "steps",
                    "methods",
                    "applicants",
                    "requirements",
                    "result",
                    "legal_basis",
                    "publishing_decision",
                )
            },
        ),
        (
            _("Bưu chính và phần mềm chuyên ngành"),
            {
                "fields": (
                    "accepts_postal_pickup",
                    "accepts_postal_return",
                    "handled_in_specialised_software",
                    "specialised_software_integrated",
                )
            },
        ),
        (_("Phí, lệ phí"), {"fields": ("fee_stage",)}),
        (_("Biểu mẫu điện tử"), {"fields": ("form_schema",)}),
        (_("Trạng thái"), {"fields": ("published", "is_demo")}),
    )
