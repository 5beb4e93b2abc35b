"""Forms of the notifications pages: a person's choices, the sandbox inbox's filter, and the
template form (edit and preview) of the admin."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import Channel, Event
from .models import MessageTemplate
from .templating import TemplateProblem, template_check

TEXT_FIELDS = ("subject_vi", "body_vi", "subject_en", "body_en")


def _check_texts(form: forms.BaseForm, data: dict[str, Any]) -> None:
    """Every text checked against its event's variables; the problem shown under its field."""
    event = data.get("event")
    if not event:
        return
    for name in TEXT_FIELDS:
        try:
            template_check(event=event, text=data.get(name) or "")
        except TemplateProblem as problem:
            form.add_error(name, str(problem))


class MessageTemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ("event", "channel", "subject_vi", "body_vi", "subject_en", "body_en", "is_active")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _check_texts(self, data)
        return data


class TemplatePreviewForm(forms.Form):
    """The admin's template form as posted to the preview (not saved)."""

    event = forms.ChoiceField(label=_("Sự kiện"), choices=Event.choices)
    channel = forms.ChoiceField(label=_("Kênh"), choices=Channel.choices)
    subject_vi = forms.CharField(label=_("Tiêu đề (tiếng Việt)"), required=False, max_length=300)
    body_vi = forms.CharField(
        label=_("Nội dung (tiếng Việt)"),
        error_messages={"required": _("Vui lòng nhập nội dung tiếng Việt của mẫu.")},
    )
    subject_en = forms.CharField(label=_("Tiêu đề (tiếng Anh)"), required=False, max_length=300)
    body_en = forms.CharField(label=_("Nội dung (tiếng Anh)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _check_texts(self, data)
        return data


def cell_name(event: str, channel: str) -> str:
    return f"{event}__{channel}"


class PreferencesForm(forms.Form):
    """One checkbox per event and channel a person may be told on; the rules (a mandatory warning
    cannot be turned off) are the service's, which refuses with its own message."""

    def __init__(
        self,
        *args: Any,
        events: list[str],
        channels: list[str],
        wanted: dict[tuple[str, str], bool],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.events, self.channels = events, channels
        for event in events:
            for channel in channels:
                self.fields[cell_name(event, channel)] = forms.BooleanField(
                    label=f"{Event(event).label} · {Channel(channel).label}",
                    required=False,
                    initial=wanted[(event, channel)],
                )

    def choices(self) -> dict[tuple[str, str], bool]:
        return {
            (event, channel): self.cleaned_data[cell_name(event, channel)]
            for event in self.events
            for channel in self.channels
        }


class SandboxFilterForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Kênh"),
        required=False,
        choices=[("", _("Mọi kênh"))] + [(c.value, c.label) for c in Channel if c != Channel.INAPP],
        error_messages={"invalid_choice": _("Kênh không hợp lệ: chọn thư điện tử, SMS hoặc Zalo.")},
    )
    q = forms.CharField(
        label=_("Người nhận hoặc tiêu đề"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Từ khoá dài quá 100 ký tự.")},
    )
