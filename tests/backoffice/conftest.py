"""Fixtures of the back-office tests: the dossier tests' world, signed-in clients, PDF text."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from tests.dossiers.conftest import _media_root, world  # noqa: F401 - fixtures shared as is
from tests.dossiers.helpers import World


@pytest.fixture
def as_user(client: Client):
    """as_user(user) → a client signed in as `user` (a fresh client each call)."""

    def sign_in(user) -> Client:
        c = Client()
        c.force_login(user)
        return c

    return sign_in


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF"), content[:20]
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def event_actions(dossier) -> list[str]:
    return list(dossier.events.order_by("seq").values_list("action", flat=True))


__all__ = ["World", "event_actions", "pdf_text"]
