"""Sign-in through an external OpenID Connect provider (the national identity platform in production).

Built on mozilla-django-oidc. Only the issuer, client id and secret are configured
(settings.OIDC_*); the endpoints come from the issuer's discovery document. Users are matched by
the provider's subject, then by citizen ID, then by a verified e-mail address.
"""

from __future__ import annotations

import logging
from typing import Any

import requests
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from . import selectors, services
from .models import User

logger = logging.getLogger(__name__)

DISCOVERY_CACHE_SECONDS = 3600
# mozilla-django-oidc's setting names → ours (settings.py reads them from the environment).
_OUR_NAMES = {
    "OIDC_RP_CLIENT_ID": "OIDC_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET": "OIDC_CLIENT_SECRET",
    "OIDC_RP_SCOPES": "OIDC_SCOPES",
}
# mozilla-django-oidc's endpoint settings → keys of the discovery document.
_DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


def is_configured() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)


def provider_metadata() -> dict[str, Any]:
    """The issuer's discovery document, cached; fetched on first use, never at start-up."""
    issuer = settings.OIDC_ISSUER.rstrip("/")
    key = f"oidc:discovery:{issuer}"
    metadata = cache.get(key)
    if metadata is None:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
        )
        response.raise_for_status()
        metadata = response.json()
        if metadata.get("issuer", "").rstrip("/") != issuer:
            raise ImproperlyConfigured("The OIDC discovery document names another issuer.")
        cache.set(key, metadata, DISCOVERY_CACHE_SECONDS)
    return metadata


def oidc_setting(attr: str, *default: Any) -> Any:
    if attr in _OUR_NAMES:
        return getattr(settings, _OUR_NAMES[attr])
    if attr in _DISCOVERED:
        return provider_metadata()[_DISCOVERED[attr]]
    return import_from_settings(attr, *default)


class OIDCBackend(OIDCAuthenticationBackend):
    """Authenticates the code flow's callback; a no-op while OIDC is not configured."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.enabled = is_configured()
        self.UserModel = User
        if self.enabled:
            super().__init__(*args, **kwargs)

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return oidc_setting(attr, *args)

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if not self.enabled or "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload = super().verify_token(token, **kwargs)
        # The library checks the signature and nonce; the issuer and audience are checked here.
        if payload.get("iss", "").rstrip("/") != settings.OIDC_ISSUER.rstrip("/"):
            raise SuspiciousOperation("ID token from another issuer.")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client.")
        return payload

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> list[User]:
        return selectors.user_list_for_oidc(
            subject=str(claims.get("sub", "")),
            citizen_id=str(claims.get(settings.OIDC_CLAIM_CITIZEN_ID) or ""),
            email=str(claims.get("email") or "") if claims.get("email_verified", True) else "",
        )

    def create_user(self, claims: dict[str, Any]) -> User:
        return services.user_create_from_oidc(claims=claims)

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        return services.user_update_from_oidc(user=user, claims=claims)


class OIDCSignInView(OIDCAuthenticationRequestView):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if not is_configured():
            return
        super().__init__(*args, **kwargs)

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return oidc_setting(attr, *args)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not is_configured():
            raise Http404("OIDC is not configured")
        return super().get(request)


class OIDCCallbackView(OIDCAuthenticationCallbackView):
    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return oidc_setting(attr, *args)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not is_configured():
            raise Http404("OIDC is not configured")
        try:
            return super().get(request)
        except (requests.RequestException, SuspiciousOperation, KeyError, ValueError):
            # Provider down, token refused, bad signature, replayed state: the person gets a
            # clear message and can try again; the details go to the log.
            logger.warning("OIDC sign-in failed", exc_info=True)
            return self.login_failure()

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            _("Không đăng nhập được qua %(provider)s. Vui lòng thử lại.")
            % {"provider": settings.OIDC_PROVIDER_NAME},
        )
        return HttpResponseRedirect(resolve_url("accounts:login"))
