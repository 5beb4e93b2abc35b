"""Writes of user accounts: sign-up, profile changes, sign-in throttling, OIDC users."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import User, UserKind
from .validators import normalise_phone, validate_citizen_id, validate_vn_mobile

# Sign-in throttling: after this many failures within the window, further attempts for the same
# login name (or from the same address) are refused until the window passes.
SIGNIN_MAX_FAILURES_PER_LOGIN = 5
SIGNIN_MAX_FAILURES_PER_ADDRESS = 20
SIGNIN_WINDOW_SECONDS = 15 * 60

PROFILE_FIELDS = (
    "full_name",
    "email",
    "phone",
    "citizen_id",
    "address",
    "organisation_name",
    "tax_code",
)


def _username_for(*, email: str, phone: str) -> str:
    base = phone or email.lower()
    candidate = base[:150]
    suffix = 1
    while User.objects.filter(username__iexact=candidate).exists():
        suffix += 1
        candidate = f"{base[:140]}-{suffix}"
    return candidate


@transaction.atomic
def user_sign_up(
    *,
    kind: str,
    full_name: str,
    password: str,
    email: str = "",
    phone: str = "",
    citizen_id: str = "",
    tax_code: str = "",
    organisation_name: str = "",
    address: str = "",
) -> User:
    """Create a citizen or business account; staff accounts are never created here."""
    if kind not in (UserKind.CITIZEN, UserKind.BUSINESS):
        raise ValueError(f"sign-up cannot create a {kind!r} account")
    phone = normalise_phone(phone) if phone else ""
    email = email.strip()
    user = User(
        username=_username_for(email=email, phone=phone),
        kind=kind,
        full_name=full_name.strip(),
        email=email,
        phone=phone,
        citizen_id=citizen_id.strip(),
        tax_code=tax_code.strip() if kind == UserKind.BUSINESS else "",
        organisation_name=organisation_name.strip() if kind == UserKind.BUSINESS else "",
        address=address.strip(),
        is_staff=False,
        is_superuser=False,
    )
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def user_update_profile(*, user: User, data: Mapping[str, Any]) -> User:
    """Change the data that pre-fills forms; only the profile fields, only when they changed."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    changed: list[str] = []
    for name in PROFILE_FIELDS:
        if name not in data:
            continue
        value = (data[name] or "").strip()
        if name == "phone" and value:
            value = normalise_phone(value)
        if name in ("organisation_name", "tax_code") and locked.kind != UserKind.BUSINESS:
            continue
        if getattr(locked, name) != value:
            setattr(locked, name, value)
            changed.append(name)
    if changed:
        locked.save(update_fields=changed)
    return locked


def _throttle_keys(*, identifier: str, address: str) -> tuple[str, str]:
    login = hashlib.sha256(identifier.strip().lower().encode()).hexdigest()[:32]
    return f"signin:fail:login:{login}", f"signin:fail:addr:{address}"


def signin_is_blocked(*, identifier: str, address: str) -> bool:
    login_key, address_key = _throttle_keys(identifier=identifier, address=address)
    counts = cache.get_many([login_key, address_key])
    return (
        counts.get(login_key, 0) >= SIGNIN_MAX_FAILURES_PER_LOGIN
        or counts.get(address_key, 0) >= SIGNIN_MAX_FAILURES_PER_ADDRESS
    )


def signin_failure_record(*, identifier: str, address: str) -> None:
    for key in _throttle_keys(identifier=identifier, address=address):
        # add() starts the window on the first failure; incr() keeps its expiry.
        if not cache.add(key, 1, SIGNIN_WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, SIGNIN_WINDOW_SECONDS)


def signin_failures_clear(*, identifier: str) -> None:
    login_key, _address_key = _throttle_keys(identifier=identifier, address="")
    cache.delete(login_key)


def _oidc_profile(claims: Mapping[str, Any]) -> dict[str, str]:
    """The profile data an identity provider vouches for, kept only when it is well formed."""
    profile: dict[str, str] = {}
    name = claims.get("name") or " ".join(
        part for part in (claims.get("family_name"), claims.get("given_name")) if part
    )
    if name:
        profile["full_name"] = str(name)[:200]
    if claims.get("email") and claims.get("email_verified", True):
        profile["email"] = str(claims["email"])[:254]
    phone = str(claims.get("phone_number") or "")
    try:
        validate_vn_mobile(phone)
        profile["phone"] = normalise_phone(phone)
    except ValidationError:
        pass
    citizen_id = str(claims.get(settings.OIDC_CLAIM_CITIZEN_ID) or "")
    try:
        validate_citizen_id(citizen_id)
        profile["citizen_id"] = citizen_id
    except ValidationError:
        pass
    return profile


@transaction.atomic
def user_create_from_oidc(*, claims: Mapping[str, Any]) -> User:
    """A citizen account for a first sign-in through the identity provider (no local password)."""
    subject = str(claims["sub"])
    digest = hashlib.sha256(f"{settings.OIDC_ISSUER}|{subject}".encode()).hexdigest()[:20]
    user = User(username=f"oidc-{digest}", kind=UserKind.CITIZEN, oidc_subject=subject)
    for name, value in _oidc_profile(claims).items():
        setattr(user, name, value)
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def user_update_from_oidc(*, user: User, claims: Mapping[str, Any]) -> User:
    """Link the identity to the account and fill profile fields the user left empty."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    changed: list[str] = []
    subject = str(claims.get("sub", ""))
    if subject and locked.oidc_subject != subject:
        locked.oidc_subject = subject
        changed.append("oidc_subject")
    for name, value in _oidc_profile(claims).items():
        if not getattr(locked, name):
            setattr(locked, name, value)
            changed.append(name)
    if changed:
        locked.save(update_fields=changed)
    return locked
