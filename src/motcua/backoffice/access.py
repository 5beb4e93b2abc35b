"""The back office's door: a staff login with an officer membership, or 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .selectors import officer_scope


def officer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous → the login page; signed in without an officer membership → 403.

    The officer's scope (units per role) is computed once and kept on `request.officer`.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        scope = officer_scope(user=request.user)
        if not scope.is_officer:
            raise PermissionDenied
        request.officer = scope  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper
