"""Refuse NUL characters in the query string and form fields before any view sees them.

PostgreSQL text cannot hold a NUL ("A string literal cannot contain NUL (0x00) characters"),
so a `?q=%00` would otherwise be a 500 on PostgreSQL and not on SQLite. The API checks its own
JSON bodies; this covers every page's GET parameters and url-encoded/multipart form fields.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _


def _has_nul(values: object) -> bool:
    for key, items in values.lists():  # type: ignore[attr-defined]
        if "\x00" in key or any("\x00" in item for item in items):
            return True
    return False


class RejectNulCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            return self.get_response(request)  # the API answers in its own JSON error shape
        suspicious = "\x00" in request.path or _has_nul(request.GET)
        content_type = request.content_type or ""
        if (
            not suspicious
            and request.method == "POST"
            and content_type
            in {
                "application/x-www-form-urlencoded",
                "multipart/form-data",
            }
        ):
            suspicious = _has_nul(request.POST)
        if suspicious:
            return HttpResponseBadRequest(
                _("Yêu cầu chứa ký tự không hợp lệ (NUL)."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
