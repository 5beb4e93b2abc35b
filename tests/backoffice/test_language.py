"""The back office in English (the language switch): queues, rows, the dossier page, messages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.dossiers.constants import Action, DossierStatus
from tests.dossiers.helpers import drive

from .conftest import World


@pytest.fixture
def english(as_user):
    def sign_in(user):
        client = as_user(user)
        client.cookies["django_language"] = "en"
        return client

    return sign_in


def test_queues_and_row_actions_in_english(english, world: World) -> None:
    received = drive(world, DossierStatus.RECEIVED)
    ready = drive(world, DossierStatus.RESULT_READY)
    client = english(world.reception)
    html = client.get(reverse("backoffice:queues"), {"tab": "to_start"}).content.decode()
    assert 'lang="en"' in html
    for text in ("Dossiers to handle", "Awaiting processing", "My tasks", "Results to return"):
        assert text in html, text
    assert "Search by dossier code, applicant name or ID number" in html
    assert "Hand the first step to its processing unit" in html and "Open dossier" in html
    assert "Hồ sơ cần xử lý" not in html and "Chờ chuyển xử lý" not in html
    html = client.get(reverse("backoffice:queues"), {"tab": "results"}).content.decode()
    assert "Return at the desk" in html and "Result collected by" in html
    assert f"Confirm returning the result of dossier {ready.code} at the desk?" in html
    response = client.post(
        reverse("backoffice:row_action", args=[received.code, Action.START]),
        {"start-version": received.version},
        HTTP_HX_REQUEST="true",
    )
    assert "The dossier was handed to processing." in response.content.decode()


def test_dossier_page_in_english(english, world: World) -> None:
    d = drive(world, DossierStatus.SUBMITTED)
    html = english(world.reception).get(reverse("backoffice:dossier", args=[d.code])).content
    html = html.decode()
    for text in ("Actions", "Documents and attachments", "Full name", "Documents checked"):
        assert text in html, text
    assert "Thao tác" not in html


def test_vietnamese_stays_the_default(as_user, world: World) -> None:
    drive(world, DossierStatus.RECEIVED)
    html = as_user(world.reception).get(reverse("backoffice:queues")).content.decode()
    assert "Hồ sơ cần xử lý" in html and "Chờ chuyển xử lý" in html
