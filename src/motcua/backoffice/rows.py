"""The markup of one queue row, written in Python: the queue page shows 25 of them per request.

Through the template engine a row cost ~1 ms (some fifty variable look-ups, filters, a tag per
badge); here it is a few string formats. The queue page and the htmx answer of a row action
both call `queue_row_html`, so a row looks the same in both.
"""

from __future__ import annotations

from typing import Any

from django.forms import Form
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from motcua.dossiers.constants import Action
from motcua.dossiers.models import Dossier

from .templatetags.backoffice import vn_time


def _quick_form(
    d: Dossier, quick: Any, form: Form, action_url: str, *, back: str, csrf: str
) -> SafeString:
    fields = []
    for field in form:
        if field.is_hidden:
            fields.append(str(field))
        else:
            fields.append(
                format_html(
                    '<label for="{}" class="row-label">{}</label>{}',
                    field.id_for_label,
                    field.label,
                    str(field),
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


def queue_row_html(
    d: Dossier,
    *,
    back: str,
    csrf: str,
    row_message: str = "",
    row_message_level: str = "",
) -> SafeString:
    """One `<tr>` of the queue. `d` carries what `views.queues._prepare_row` worked out: `url`,
    `left` (time left), `late_without_apology` and `quick` (action, form, url)."""
    flags = []
    if d.late_without_apology:  # type: ignore[attr-defined]
        flags.append(
            format_html(
                '<br><span class="flag flag-no-apology">{}</span>', _("Quá hạn, chưa xin lỗi")
            )
        )
    if d.apologised:
        flags.append(format_html('<br><span class="flag">{}</span>', _("Đã hẹn lại")))
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
            (_quick_form(d, quick, form, url, back=back, csrf=csrf),)
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
        channel=d.get_channel_display(),
        applicant=d.applicant_organisation or d.applicant_name,
        citizen_id=citizen_id,
        procedure=Truncator(d.procedure.name).chars(90),
        status=d.status,
        status_label=d.get_status_display(),
        flags=mark_safe("".join(flags)),  # noqa: S308 - each part escaped above
        due=vn_time(d.due_at) or "—",
        level=left.level,
        hours=hours,
        left=left.text,
        where=where,
        message=message,
        forms=forms,
        open=_("Mở hồ sơ"),
    )
