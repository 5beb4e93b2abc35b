"""POST the sync record as JSON to settings.MOTCUA_NATIONAL_PORTAL_URL; 2xx means acknowledged."""

from __future__ import annotations

from typing import Any

import requests
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from .base import NationalPortalProvider, PushResult
from .registry import register


@register
class HttpNationalPortal(NationalPortalProvider):
    id = "http"
    name = "Cổng DVC quốc gia (HTTP JSON)"

    def push(self, payload: dict[str, Any]) -> PushResult:
        import json

        url = settings.MOTCUA_NATIONAL_PORTAL_URL
        if not url.lower().startswith(("http://", "https://")):
            return PushResult(False, error="MOTCUA_NATIONAL_PORTAL_URL is not an http(s) URL")
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if settings.MOTCUA_NATIONAL_PORTAL_TOKEN:
            headers["Authorization"] = f"Bearer {settings.MOTCUA_NATIONAL_PORTAL_TOKEN}"
        body = json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False).encode("utf-8")
        try:
            response = requests.post(
                url,
                data=body,
                headers=headers,
                timeout=settings.MOTCUA_NATIONAL_PORTAL_TIMEOUT,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            return PushResult(False, error=f"{type(exc).__name__}: {exc}"[:2000])
        return PushResult(
            200 <= response.status_code < 300,
            status_code=response.status_code,
            response=response.text[:2000],
        )
