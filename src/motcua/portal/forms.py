"""The search form of the home page (GET, every field optional)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.constants import OnlineLevel
from motcua.orgs.constants import GovLevel

from . import selectors


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: object) -> str:
        depth = getattr(obj, "depth", 0) or 0
        return "\u00a0\u00a0" * depth + str(obj)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Tên hoặc mã thủ tục"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Ví dụ: đăng ký hộ kinh doanh"),
                "autocomplete": "off",
            }
        ),
    )
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=selectors.field_list(),
        to_field_name="code",
        required=False,
        empty_label=_("Tất cả lĩnh vực"),
    )
    agency = AgencyChoiceField(
        label=_("Cơ quan thực hiện"),
        queryset=selectors.agency_list(),
        to_field_name="code",
        required=False,
        empty_label=_("Tất cả cơ quan"),
    )
    gov_level = forms.ChoiceField(
        label=_("Cấp thực hiện"),
        choices=[("", _("Tất cả các cấp")), *GovLevel.choices],
        required=False,
    )
    online_level = forms.TypedChoiceField(
        label=_("Mức độ trực tuyến"),
        choices=[("", _("Tất cả mức độ")), *OnlineLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def filters(self) -> selectors.SearchFilters:
        data = self.cleaned_data if self.is_valid() else {}
        field = data.get("field")
        agency = data.get("agency")
        return selectors.SearchFilters(
            q=data.get("q", "") or "",
            field=field.code if field else "",
            agency=agency.code if agency else "",
            gov_level=data.get("gov_level", "") or "",
            online_level=data.get("online_level"),
        )
