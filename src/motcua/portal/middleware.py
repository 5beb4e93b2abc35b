"""Vietnamese first: the language is the one the person chose, else Vietnamese.

Django's LocaleMiddleware would follow the browser's Accept-Language, and many phones in
Vietnam run an English interface; the portal stays Vietnamese until the person switches.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else ""
        except LookupError:
            language = ""
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
