"""The search form of the home page (GET, every field optional)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.constants import OnlineLevel
from motcua.orgs.constants import GovLevel

from . import selectors
from .renderers import portal_form_renderer


def _field_choices() -> list[tuple[str, str]]:
    return [("", _("Tất cả lĩnh vực")), *selectors.field_choices()]


def _agency_choices() -> list[tuple[str, str]]:
    return [("", _("Tất cả cơ quan")), *selectors.agency_choices()]


# Callables, like the two above: a new form copies a callable, not every (lazy) label of a list.
def _gov_level_choices() -> list[tuple[str, str]]:
    return [("", _("Tất cả các cấp")), *GovLevel.choices]


def _online_level_choices() -> list[tuple[object, str]]:
    return [("", _("Tất cả mức độ")), *OnlineLevel.choices]


class SearchForm(forms.Form):
    default_renderer = portal_form_renderer

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
    # Plain choices from the cached catalogue lists (no query per page view); a code that is
    # not in the list is refused like the model choice field did.
    field = forms.ChoiceField(label=_("Lĩnh vực"), choices=_field_choices, required=False)
    agency = forms.ChoiceField(
        label=_("Cơ quan thực hiện"), choices=_agency_choices, required=False
    )
    gov_level = forms.ChoiceField(
        label=_("Cấp thực hiện"),
        choices=_gov_level_choices,
        required=False,
    )
    online_level = forms.TypedChoiceField(
        label=_("Mức độ trực tuyến"),
        choices=_online_level_choices,
        coerce=int,
        empty_value=None,
        required=False,
    )

    def filters(self) -> selectors.SearchFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.SearchFilters(
            q=data.get("q", "") or "",
            field=data.get("field", "") or "",
            agency=data.get("agency", "") or "",
            gov_level=data.get("gov_level", "") or "",
            online_level=data.get("online_level"),
        )
