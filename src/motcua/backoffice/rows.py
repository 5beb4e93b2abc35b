"""The markup of one queue row, written in Python: the queue page shows 25 of them per request.

Through the template engine a row cost ~1 ms (some fifty variable look-ups, filters, a tag per
badge); here it is a few string formats. The queue page and the htmx answer of a row action
both call `queue_row_html`, so a row looks the same in both.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

from django.forms import BoundField, Form, HiddenInput, TextInput
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from motcua.dossiers.constants import Action, Channel, DossierStatus
from motcua.dossiers.models import Dossier

from .templatetags.backoffice import vn_time

# The quick forms' inputs, written here while the form is unbound (no errors to show): through
# the widget templates each input cost about as much as the rest of its row.
_PLAIN_INPUTS = (HiddenInput, TextInput)


def field_html(field: BoundField) -> SafeString:
    """`str(field)` (the widget's `input.html` and `attrs.html`), without the template engine
    for an unbound hidden or text input; anything else goes through the widget as usual."""
    widget = field.field.widget
    if field.form.is_bound or type(widget) not in _PLAIN_INPUTS:
        return SafeString(str(field))
    # As `BoundField.as_widget` builds the attributes and `Widget.get_context` the values.
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    parts = [format_html('<input type="{}" name="{}"', context["type"], context["name"])]
    if context["value"] is not None:
        parts.append(format_html(' value="{}"', context["value"]))
    for name, value in context["attrs"].items():
        if value is True:
            parts.append(format_html(" {}", name))
        elif value is not False:
            parts.append(format_html(' {}="{}"', name, value))
    parts.append(">")
    return mark_safe("".join(parts))  # noqa: S308 - each part escaped above


def _quick_form(
    d: Dossier, quick: Any, form: Form, action_url: str, *, back: str, csrf: str
) -> SafeString:
    fields = []
    for field in form:
        if field.is_hidden:
            fields.append(field_html(field))
        else:
            fields.append(
                format_html(
                    '<label for="{}" class="row-label">{}</label>{}',
                    field.id_for_label,
                    field.label,
                    field_html(field),
                )
            )
    confirm = ""
    if quick.action == Action.RETURN_RESULT:
        question = _("Xác nhận trả kết quả hồ sơ %(code)s tại quầy?") % {"code": d.code}
        confirm = format_html(' hx-confirm="{}"', question)
    return format_html(
        '<form method="post" action="{url}" class="row-action row-action-{action}" '
        'hx-post="{url}" hx-target="closest tr" hx-swap="outerHTML" hx-select="unset" '
        'hx-push-url="false"{confirm}>'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
        '<input type="hidden" name="back" value="{back}">{fields}'
        '<button type="submit" class="button button-small" title="{hint}">{label}</button>'
        "</form>",
        url=action_url,
        action=quick.action,
        confirm=confirm,
        csrf=csrf,
        back=back,
        fields=mark_safe("".join(fields)),  # noqa: S308 - each part escaped above
        hint=quick.hint,
        label=quick.label,
    )


# Stand-ins for what differs between two rows' links and quick forms: a page writes each link
# and each kind of quick form once with them, then each row replaces them with its own values
# (escaped as `format_html` escapes them). Private-use characters: no escaping or dossier
# value holds them. The dossier code in a link is plain ASCII, quoted as `reverse` quotes it.
_CODE = "QUEUE-ROW-CODE"
_PK, _VERSION, _ESCAPED_CODE, _NAME, _URL = (f"\ue000{n}\ue000" for n in range(5))
_URL_SAFE = "!$&'()*+,;=/~:@"  # what `reverse` leaves unquoted in an argument


class RowText:
    """The words, labels, links and quick forms every row repeats, worked out once per page in
    the active language (per row they were ~20 translation look-ups, two choice look-ups, two
    `reverse` calls and a form written field by field)."""

    def __init__(self) -> None:
        self.late_no_apology = format_html(
            '<br><span class="flag flag-no-apology">{}</span>', _("Quá hạn, chưa xin lỗi")
        )
        self.apologised = format_html('<br><span class="flag">{}</span>', _("Đã hẹn lại"))
        self.by_post = _("Qua bưu chính: xem bưu gửi, bàn giao")
        self.open = _("Mở hồ sơ")
        self.channels = {value: str(label) for value, label in Channel.choices}
        self.statuses = {value: str(label) for value, label in DossierStatus.choices}
        self._procedures: dict[str, str] = {}
        self._urls: dict[tuple[str, tuple[str, ...]], str] = {}
        self._forms: dict[tuple[Any, ...], str] = {}

    def procedure(self, name: str) -> str:
        """The procedure's name cut at 90 characters (a page shows few procedures)."""
        short = self._procedures.get(name)
        if short is None:
            short = self._procedures[name] = Truncator(name).chars(90)
        return short

    def url(self, viewname: str, code: str, *args: str) -> str:
        """`reverse(viewname, args=[code, *args])`, reversed once per page."""
        pattern = self._urls.get((viewname, args))
        if pattern is None:
            pattern = self._urls[(viewname, args)] = reverse(viewname, args=[_CODE, *args])
        return pattern.replace(_CODE, quote(code, safe=_URL_SAFE))

    def quick_form(self, d: Dossier, quick: Any, url: str, *, back: str, csrf: str) -> SafeString:
        """`_quick_form` of an unbound quick form (`form_class` in `quick_form_class`), written
        once per page and kind with stand-ins, then filled with the row's values."""
        from .forms import QUICK_FORMS, QuickStartForm

        form_class = QUICK_FORMS[quick.action]
        name = d.applicant_name
        if name == "" or name is None:  # the widget writes no value at all: the long way
            return _quick_form(d, quick, _unbound(form_class, d, quick), url, back=back, csrf=csrf)
        key = (form_class, str(quick.label), str(quick.hint), quick.assign_me, back, csrf)
        html = self._forms.get(key)
        if html is None:
            stand_in = SimpleNamespace(pk=_PK, code=_ESCAPED_CODE, version=_VERSION)
            stand_in.applicant_name = _NAME
            kwargs: dict[str, Any] = {"dossier": stand_in, "user": None}
            if form_class is QuickStartForm:
                kwargs["assign_me"] = quick.assign_me
            form = form_class(auto_id=f"id_row{_PK}_%s", **kwargs)
            html = self._forms[key] = _quick_form(
                stand_in,  # type: ignore[arg-type]
                quick,
                form,
                _URL,
                back=back,
                csrf=csrf,
            )
        return mark_safe(  # noqa: S308 - written by format_html, the values escaped here
            html.replace(_PK, str(d.pk))
            .replace(_VERSION, str(d.version))
            .replace(_URL, escape(url))
            .replace(_ESCAPED_CODE, escape(d.code))
            .replace(_NAME, escape(name))
        )


def _unbound(form_class: type[Form], d: Dossier, quick: Any) -> Form:
    from .forms import QuickStartForm

    kwargs: dict[str, Any] = {"dossier": d, "user": None}
    if form_class is QuickStartForm:
        kwargs["assign_me"] = quick.assign_me
    return form_class(auto_id=f"id_row{d.pk}_%s", **kwargs)


def queue_row_html(
    d: Dossier,
    *,
    back: str,
    csrf: str,
    row_message: str = "",
    row_message_level: str = "",
    text: RowText | None = None,
) -> SafeString:
    """One `<tr>` of the queue. `d` carries what `views.queues._prepare_row` worked out: `url`,
    `left` (time left), `late_without_apology` and `quick` (action, form, url). A page passes
    one `text` to all its rows."""
    text = text or RowText()
    flags = []
    if d.late_without_apology:  # type: ignore[attr-defined]
        flags.append(text.late_no_apology)
    if d.apologised:
        flags.append(text.apologised)
    if d.channel == Channel.POSTAL and d.status == DossierStatus.SUBMITTED:
        # Its parcel, and the hand-over record while the postman has it: the dossier's page.
        flags.append(
            format_html('<br><a class="flag" href="{}#postal">{}</a>', d.url, text.by_post)  # type: ignore[attr-defined]
        )
    left = d.left  # type: ignore[attr-defined]
    hours = format_html(' data-hours="{}"', left.hours) if left.hours is not None else ""
    if d.current_step_id:
        step = d.current_step
        who = (d.assignee.full_name if d.assignee_id else "") or step.unit.name
        where = format_html('{}<br><span class="muted">{}</span>', step.name, who)
    else:
        where = format_html("{}", d.receiving_unit.name)
    citizen_id = ""
    if d.applicant_citizen_id:
        citizen_id = format_html('<br><span class="muted">{}</span>', d.applicant_citizen_id)
    message = ""
    if row_message:
        message = format_html(
            '<p class="row-message row-message-{}" role="{}">{}</p>',
            row_message_level,
            "alert" if row_message_level == "error" else "status",
            row_message,
        )
    forms = format_html_join(
        "",
        "{}",
        (
            (
                text.quick_form(d, quick, url, back=back, csrf=csrf)
                if form is None
                else _quick_form(d, quick, form, url, back=back, csrf=csrf),
            )
            for quick, form, url in d.quick  # type: ignore[attr-defined]
        ),
    )
    return format_html(
        '<tr id="row-{pk}" data-version="{version}">'
        '<td><a href="{url}" class="code">{code}</a><br><span class="muted">{channel}</span></td>'
        "<td>{applicant}{citizen_id}</td>"
        "<td>{procedure}</td>"
        '<td><span class="status status-{status}">{status_label}</span>{flags}</td>'
        "<td>{due}</td>"
        '<td><span class="deadline deadline-{level}"{hours}>{left}</span></td>'
        "<td>{where}</td>"
        '<td class="row-actions">{message}{forms}'
        '<a href="{url}" class="row-open">{open}<span class="visually-hidden"> {code}</span></a>'
        "</td></tr>\n",
        pk=d.pk,
        version=d.version,
        url=d.url,  # type: ignore[attr-defined]
        code=d.code,
        # As `get_channel_display()` and `get_status_display()`: the label, else the value.
        channel=text.channels.get(d.channel, d.channel),
        applicant=d.applicant_organisation or d.applicant_name,
        citizen_id=citizen_id,
        procedure=text.procedure(d.procedure.name),
        status=d.status,
        status_label=text.statuses.get(d.status, d.status),
        flags=mark_safe("".join(flags)),  # noqa: S308 - each part escaped above
        due=vn_time(d.due_at) or "—",
        level=left.level,
        hours=hours,
        left=left.text,
        where=where,
        message=message,
        forms=forms,
        open=text.open,
    )
