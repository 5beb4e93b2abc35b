"""The site has an icon: every page links it and /favicon.ico answers with it."""

import pytest
from django.test import Client


@pytest.mark.django_db
def test_favicon_ico_answers_with_an_image_browsers_may_cache(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")
    assert b"<svg" in response.content
    assert "max-age=86400" in response["Cache-Control"]


@pytest.mark.django_db
def test_favicon_ico_refuses_writes(client: Client) -> None:
    assert client.post("/favicon.ico").status_code == 405


@pytest.mark.django_db
def test_pages_link_the_icon(client: Client) -> None:
    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
