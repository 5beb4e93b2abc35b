"""Reads of user accounts: find a user by whatever they sign in with."""

from __future__ import annotations

from django.db.models import Q

from .models import User, UserKind
from .validators import looks_like_phone, normalise_phone


def user_get_by_login(*, identifier: str) -> User | None:
    """The one active-or-not user whose username, e-mail or mobile number is `identifier`.

    Ambiguity (two accounts sharing an e-mail or phone) resolves to the exact username, or to
    nobody: signing into the wrong person's account is worse than a refusal.
    """
    value = (identifier or "").strip()
    if not value:
        return None
    condition = Q(username__iexact=value)
    if "@" in value:
        condition |= Q(email__iexact=value)
    if looks_like_phone(value):
        condition |= Q(phone=normalise_phone(value))
    users = list(User.objects.filter(condition)[:3])
    if len(users) == 1:
        return users[0]
    for user in users:
        if user.username.lower() == value.lower():
            return user
    return None


def user_email_taken(*, email: str, exclude_pk: int | None = None) -> bool:
    qs = User.objects.filter(email__iexact=email.strip())
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def user_phone_taken(*, phone: str, exclude_pk: int | None = None) -> bool:
    number = normalise_phone(phone)
    qs = User.objects.filter(Q(phone=number) | Q(username=number))
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def user_citizen_id_taken(*, citizen_id: str, exclude_pk: int | None = None) -> bool:
    qs = User.objects.filter(citizen_id=citizen_id.strip())
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def user_list_for_oidc(*, subject: str, citizen_id: str, email: str) -> list[User]:
    """Accounts an OIDC identity may belong to, by the strongest key that matches anything."""
    base = User.objects.exclude(kind=UserKind.STAFF)
    if subject:
        linked = list(base.filter(oidc_subject=subject)[:2])
        if linked:
            return linked
    if citizen_id:
        by_id = list(base.filter(citizen_id=citizen_id)[:2])
        if by_id:
            return by_id
    if email:
        return list(base.filter(email__iexact=email)[:2])
    return []
