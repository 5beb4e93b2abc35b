"""The portal's form renderer writes <input> widgets exactly as Django's templates do."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from motcua.portal.forms import SearchForm
from motcua.portal.renderers import portal_form_renderer
from motcua.portal.submission_forms import LookupForm

django_renderer = DjangoTemplates()

WIDGETS = [
    forms.TextInput(),
    forms.TextInput(attrs={"type": "search", "placeholder": gettext_lazy("Ví dụ: đăng ký")}),
    forms.NumberInput(attrs={"min": 0, "step": 1.5}),
    forms.EmailInput(attrs={"required": True, "disabled": False, "data-x": '"><script>'}),
    forms.URLInput(attrs={"class": mark_safe("a&b"), "title": "a&b"}),
    forms.PasswordInput(render_value=True),
    forms.HiddenInput(attrs={"data-tuple": (1, 2)}),
    forms.SearchInput(),
    forms.TelInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
]
VALUES = [None, "", "Nguyễn Văn A", '"><script>alert(1)</script>', mark_safe("<b>x</b>"), 0, 42]


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda w: type(w).__name__)
@pytest.mark.parametrize("value", VALUES)
def test_inputs_are_written_as_django_writes_them(widget, value):
    attrs = {"id": "id_f", "aria-describedby": "id_f_helptext", "aria-invalid": "true"}
    ours = widget.render("f", value, attrs=attrs, renderer=portal_form_renderer)
    assert ours == widget.render("f", value, attrs=attrs, renderer=django_renderer)


def test_other_widgets_use_the_templates():
    select = forms.Select(choices=[("", "Tất cả"), ("a<", "Hộ tịch & chứng thực")])
    assert select.render("s", "a<", renderer=portal_form_renderer) == select.render(
        "s", "a<", renderer=django_renderer
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("form_class", "data"),
    [
        (SearchForm, {"q": 'đăng ký "hộ" <kinh doanh>'}),
        (LookupForm, {"code": "000.00.21.H16-250714-0001", "factor": "12a"}),
        (LookupForm, {"code": "", "factor": "12345"}),
    ],
)
def test_portal_forms_render_as_before(form_class, data):
    ours = form_class(data)
    theirs = form_class(data, renderer=django_renderer)
    ours.is_valid()
    theirs.is_valid()
    assert ours.renderer is portal_form_renderer
    for name in data:
        assert str(ours[name]) == str(theirs[name])
