"""The notifications pages: a person's in-app notices (list, mark one or all read), their choices
of channels and events, and the sandbox inbox of the demo.

The notices and the choices exist twice, in the portal's layout (/thong-bao/) and in the back
office's (/can-bo/thong-bao/, officers only); `layout` says which, and the rows are always the
signed-in person's own. The sandbox inbox (/thong-bao/thu-nghiem/) shows every message the sandbox
providers "sent": open to anyone in the demo (MOTCUA_NOTIFY_SANDBOX_INBOX_OPEN), else to staff
with the admin's access only.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.backoffice.selectors import officer_scope
from motcua.orgs.constants import Role

from . import selectors, services
from .constants import EVENT_AUDIENCE, Audience, Channel, Event
from .forms import PreferencesForm, SandboxFilterForm, cell_name
from .models import Message
from .providers import provider_id_for

PORTAL, BACKOFFICE = "portal", "backoffice"
LAYOUTS = {PORTAL: "base.html", BACKOFFICE: "backoffice/base.html"}
NAMESPACES = {PORTAL: "notifications", BACKOFFICE: "notifications_backoffice"}
PAGE_SIZE = 20


def signed_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous → the login page; the back office's pages also need an officer (else 403)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, layout: str = PORTAL, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if layout == BACKOFFICE and not officer_scope(user=request.user).is_officer:
            raise PermissionDenied
        return view(request, *args, layout=layout, **kwargs)

    return wrapper


def _url(layout: str, name: str, *args: Any) -> str:
    return reverse(f"{NAMESPACES[layout]}:{name}", args=args)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _notice_link(request: HttpRequest, message: Message) -> str:
    """Where a notice leads: its dossier's page on the side it was written for (the applicant's
    in the portal, an officer's in the back office), else the link it carries, if it is ours."""
    dossier = message.dossier
    if dossier is not None and dossier.code:
        if EVENT_AUDIENCE.get(message.event) == Audience.APPLICANT:
            return reverse("portal:my_dossier", args=[dossier.code])
        return reverse("backoffice:dossier", args=[dossier.code])
    link = str(message.values.get("duong_dan", ""))
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return link
    return ""


@signed_in
def notices(request: HttpRequest, layout: str = PORTAL) -> HttpResponse:
    page = Paginator(selectors.notices_of(user_id=request.user.pk), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/notices.html",
        {
            "layout": LAYOUTS[layout],
            "ns": NAMESPACES[layout],
            "page": page,
            "items": [(m, _notice_link(request, m)) for m in page],
        },
    )


@signed_in
@require_POST
def notice_read(request: HttpRequest, pk: int, layout: str = PORTAL) -> HttpResponse:
    # Another person's notice, or none: the same 404 (nothing tells them it exists).
    if not selectors.notices_of(user_id=request.user.pk).filter(pk=pk).exists():
        raise Http404(_("Không tìm thấy thông báo."))
    services.notices_mark_read(user=request.user, ids=[pk])
    return redirect(_safe_next(request, _url(layout, "notices")))


@signed_in
@require_POST
def notices_read_all(request: HttpRequest, layout: str = PORTAL) -> HttpResponse:
    changed = services.notices_mark_read(user=request.user)
    if changed:
        messages.success(
            request, _("Đã đánh dấu %(count)d thông báo là đã đọc.") % {"count": changed}
        )
    return redirect(_safe_next(request, _url(layout, "notices")))


def _audiences(user: Any, layout: str) -> list[str]:
    """Whose events a person chooses about here: in the portal, those of an applicant; in the
    back office, an officer's warnings and, for agency administrators, the report reminders."""
    if layout == PORTAL:
        return [Audience.APPLICANT]
    audiences = [Audience.OFFICER]
    if officer_scope(user=user).has_role(Role.AGENCY_ADMIN, Role.PROVINCE_ADMIN):
        audiences.append(Audience.AGENCY_ADMIN)
    return audiences


@signed_in
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, layout: str = PORTAL) -> HttpResponse:
    audiences = _audiences(request.user, layout)
    events = [e for a in audiences for e in selectors.events_for_choice(audience=a)]
    channels = selectors.channels_configured()
    saved = selectors.preferences_of(user_id=request.user.pk)
    wanted = {
        (e, c): selectors.channel_wanted(event=e, channel=c, choices=saved)
        for e in events
        for c in channels
    }
    # A cell the rules keep on whatever the person chose (told so beside it).
    locked = {
        (e, c): selectors.channel_wanted(event=e, channel=c, choices={(e, c): False})
        for e in events
        for c in channels
    }
    form = PreferencesForm(request.POST or None, events=events, channels=channels, wanted=wanted)
    status = 200
    if request.method == "POST" and form.is_valid():
        changed = [(key, on) for key, on in form.choices().items() if wanted[key] != on]
        try:
            with transaction.atomic():  # all the choices of one save, or none of them
                for (event, channel), on in changed:
                    services.preference_set(
                        user=request.user, event=event, channel=channel, enabled=on
                    )
        except services.PreferenceRefused as refused:
            form.add_error(None, str(refused))
            status = 400
        else:
            messages.success(request, _("Đã lưu lựa chọn nhận thông báo."))
            return redirect(_url(layout, "preferences"))
    groups = [
        (
            Audience(audience).label,
            [
                (
                    Event(event).label,
                    [(form[cell_name(event, c)], locked[(event, c)]) for c in channels],
                )
                for event in selectors.events_for_choice(audience=audience)
            ],
        )
        for audience in audiences
    ]
    return render(
        request,
        "notifications/preferences.html",
        {
            "layout": LAYOUTS[layout],
            "ns": NAMESPACES[layout],
            "form": form,
            "channels": [Channel(c) for c in channels],
            # A phone gets Zalo by default where the province has it, SMS otherwise.
            "sms_by_choice": Channel.SMS in channels and Channel.ZALO in channels,
            "groups": groups,
        },
        status=status,
    )


def _inbox_allowed(request: HttpRequest) -> HttpResponse | None:
    if settings.MOTCUA_NOTIFY_SANDBOX_INBOX_OPEN:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_staff:
        raise PermissionDenied
    return None


def sandbox_inbox(request: HttpRequest) -> HttpResponse:
    refused = _inbox_allowed(request)
    if refused is not None:
        return refused
    form = SandboxFilterForm(request.GET)
    channel = query = ""
    status = 200
    if form.is_valid():
        channel, query = form.cleaned_data["channel"], " ".join(form.cleaned_data["q"].split())
    else:
        status = 400
    page = Paginator(selectors.sandbox_inbox(channel=channel, query=query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    sources = selectors.messages_by_reference(references=[d.reference for d in page])
    not_sandboxed = [
        Channel(c).label
        for c in (Channel.EMAIL, Channel.SMS, Channel.ZALO)
        if provider_id_for(c) not in ("sandbox", "")
    ]
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "notifications/sandbox_inbox.html",
        {
            "form": form,
            "page": page,
            "rows": [(d, sources.get(str(d.reference))) for d in page],
            "not_sandboxed": not_sandboxed,
            "filters": params.urlencode() if status == 200 else "",
        },
        status=status,
    )
