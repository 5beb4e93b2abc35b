"""The header's count of unread in-app notices, on every page of the portal and the back office.

Lazy: the one COUNT (on the partial index `message_inapp_unread`) runs only when a page shows the
header to a signed-in person, never for anonymous visitors, htmx fragments or JSON answers.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import notices_unread_count


def notices(request: HttpRequest) -> dict[str, Any]:
    # The demo points people at its sandbox inbox (a setting: no query).
    context: dict[str, Any] = {"sandbox_inbox_open": settings.MOTCUA_NOTIFY_SANDBOX_INBOX_OPEN}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["notices_unread"] = SimpleLazyObject(lambda: notices_unread_count(user_id=user.pk))
    return context
