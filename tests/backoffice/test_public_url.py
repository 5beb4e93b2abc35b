"""Absolute links on documents follow the address the page was asked on (motcua.public_url)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse

from motcua.dossiers.constants import DossierStatus
from motcua.ops.management.commands.run import worker_base_url
from motcua.public_url import DEFAULT_BASE_URL, public_base_url
from tests.dossiers.helpers import drive

from .conftest import World, pdf_text


def _receipt_text(client, code: str, **headers: str) -> str:
    response = client.get(reverse("backoffice:form", args=[code, "receipt"]), **headers)
    assert response.status_code == 200
    return "".join(pdf_text(response.content).split())  # the link wraps across lines


def test_a_receipt_printed_on_another_port_links_back_there(
    as_user, world: World, settings
) -> None:
    settings.MOTCUA_PUBLIC_BASE_URL = ""
    d = drive(world, DossierStatus.RECEIVED)
    officer = as_user(world.reception)
    text = _receipt_text(officer, d.code, HTTP_HOST="localhost:8102")
    assert f"http://localhost:8102/tra-cuu/?code={quote(d.code)}" in text
    assert "127.0.0.1:8000" not in text
    secure = _receipt_text(officer, d.code, HTTP_HOST="127.0.0.1:9443", secure=True)
    assert f"https://127.0.0.1:9443/tra-cuu/?code={quote(d.code)}" in secure


def test_the_configured_public_address_wins_over_the_request(
    as_user, world: World, settings
) -> None:
    settings.MOTCUA_PUBLIC_BASE_URL = "https://dichvucong.daklak.gov.vn/"
    d = drive(world, DossierStatus.RECEIVED)
    text = _receipt_text(as_user(world.reception), d.code, HTTP_HOST="localhost:8102")
    assert f"https://dichvucong.daklak.gov.vn/tra-cuu/?code={quote(d.code)}" in text
    assert "localhost:8102" not in text


def test_outside_a_request_the_default_run_address_is_used(settings) -> None:
    settings.MOTCUA_PUBLIC_BASE_URL = ""
    assert public_base_url() == DEFAULT_BASE_URL


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [("127.0.0.1", 8102, "http://127.0.0.1:8102"), ("::1", 8102, "http://[::1]:8102")],
)
def test_run_gives_its_worker_the_address_it_serves_on(
    settings, host: str, port: int, expected: str
) -> None:
    settings.MOTCUA_PUBLIC_BASE_URL = ""
    assert worker_base_url(host, port) == expected
    settings.MOTCUA_PUBLIC_BASE_URL = "https://dichvucong.daklak.gov.vn"
    assert worker_base_url(host, port) == "https://dichvucong.daklak.gov.vn"
