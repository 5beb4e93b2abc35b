"""The portal's public postal reads: the wards of a province for the address forms' script."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from motcua.postal.addresses import wards_of

# The national list changes by decree, not by the day.
WARDS_CACHE_SECONDS = 86_400


@require_GET
def wards(request: HttpRequest) -> JsonResponse:
    """GET /buu-chinh/xa-phuong/?tinh=66 → [{"code": "24133", "name": "Phường Buôn Ma Thuột"}, …];
    an unknown province: 404 with an empty list."""
    rows = wards_of(request.GET.get("tinh", "").strip())
    response = JsonResponse(
        [{"code": code, "name": name} for code, name in rows],
        safe=False,
        status=200 if rows else 404,
        json_dumps_params={"ensure_ascii": False},
    )
    if rows:
        patch_cache_control(response, public=True, max_age=WARDS_CACHE_SECONDS)
    return response
