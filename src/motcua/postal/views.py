"""The sandbox postal operator's own page (/buu-chinh/thu-nghiem/), for development, the demo and
the tests: it lists the sandbox's parcels and moves them exactly as an operator does.

Each parcel shows its status, its history and a button for every status the state table allows
next (postal.workflow). A button signs a status callback with MOTCUA_POSTAL_SANDBOX_SECRET and
POSTs it over HTTP to /api/v1/postal/callback/sandbox (server to server, as an operator's system
does), then shows motcua's JSON answer. The page is refused (404) unless MOTCUA_POSTAL_SANDBOX.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.integration.webhooks import sign
from motcua.public_url import public_base_url

from .constants import Provider, ShipmentStatus
from .providers.base import SIGNATURE_HEADER
from .selectors import sandbox_shipment, sandbox_shipments
from .workflow import TRANSITIONS

logger = logging.getLogger(__name__)

CALLBACK_PATH = f"/api/v1/postal/callback/{Provider.SANDBOX}"
PAGE_SIZE = 20
QUERY_MAX = 40
NOTE_MAX = 500
# Vietnam's time (no daylight saving): the operator's clock, as `at` carries it.
VIETNAM = dt.timezone(dt.timedelta(hours=7))


@dataclass(frozen=True)
class Delivered:
    """What the callback got back: the HTTP status and the body as sent (JSON when it is)."""

    http_status: int
    body: str

    @property
    def pretty(self) -> str:
        try:
            return json.dumps(json.loads(self.body), ensure_ascii=False, indent=2)
        except ValueError:
            return self.body


def next_statuses(status: str) -> list[ShipmentStatus]:
    """The statuses an operator may report after `status`, in the table's order."""
    return [ShipmentStatus(t.target) for t in TRANSITIONS if t.operator and status in t.sources]


def callback_body(*, tracking_number: str, status: str, note: str, at: dt.datetime) -> bytes:
    body = {
        "tracking_number": tracking_number,
        "status": status,
        "at": at.astimezone(VIETNAM).isoformat(timespec="seconds"),
        "note": note,
    }
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def callback_deliver(body: bytes) -> Delivered:
    """POST the signed callback to motcua's own endpoint, as an operator does."""
    request = urllib.request.Request(  # noqa: S310 (our own URL)
        f"{public_base_url()}{CALLBACK_PATH}",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            SIGNATURE_HEADER: sign(secret=settings.MOTCUA_POSTAL_SANDBOX_SECRET, body=body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return Delivered(response.status, response.read().decode("utf-8", "replace"))
    except urllib.error.HTTPError as answer:  # a 4xx/5xx answer still has its JSON body
        return Delivered(answer.code, answer.read().decode("utf-8", "replace"))
    except (urllib.error.URLError, OSError) as exc:
        logger.warning("sandbox postal: callback to %s failed: %s", CALLBACK_PATH, exc)
        return Delivered(0, f"error: {exc}")


@require_http_methods(["GET", "POST"])
def sandbox_postal(request: HttpRequest) -> HttpResponse:
    if not settings.MOTCUA_POSTAL_SANDBOX:
        raise Http404("sandbox postal operator disabled")
    source = request.POST if request.method == "POST" else request.GET
    query = " ".join(source.get("q", "").split())[:QUERY_MAX]
    context: dict = {"q": query, "note": "", "callback_path": CALLBACK_PATH}
    status = 200
    if request.method == "POST":
        context, status = _move(request, context)
    page = Paginator(sandbox_shipments(query=query), PAGE_SIZE).get_page(source.get("page"))
    context["page"] = page
    context["rows"] = [(shipment, next_statuses(shipment.status)) for shipment in page]
    return render(request, "postal/sandbox.html", context, status=status)


def _move(request: HttpRequest, context: dict) -> tuple[dict, int]:
    """Sign and send the status the operator chose; what was entered stays on the page."""
    number = request.POST.get("tracking_number", "").strip().upper()
    target = request.POST.get("status", "")
    note = " ".join(request.POST.get("note", "").split())
    context = {**context, "note": note, "chosen": number}
    shipment = sandbox_shipment(tracking_number=number)
    if shipment is None:
        return {**context, "error": _("Không có bưu gửi thử nghiệm với số hiệu này.")}, 400
    if target not in ShipmentStatus.values:
        return {**context, "error": _("Vui lòng chọn một trạng thái hợp lệ.")}, 400
    if len(note) > NOTE_MAX:
        return {**context, "error": _("Ghi chú dài quá 500 ký tự.")}, 400
    body = callback_body(tracking_number=number, status=target, note=note, at=timezone.now())
    answer = callback_deliver(body)
    logger.info("sandbox postal: %s %s -> %s", number, target, answer.http_status)
    return {**context, "sent": body.decode("utf-8"), "answer": answer, "note": ""}, 200
